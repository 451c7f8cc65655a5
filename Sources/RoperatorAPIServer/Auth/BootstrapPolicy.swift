import RoperatorClient

/// The ClusterRoles and ClusterRoleBindings kube-apiserver creates at start when RBAC is on, the
/// ones that matter here: `cluster-admin` (bound to `system:masters`), `system:discovery`,
/// `system:public-info-viewer` and `system:basic-user` (bound to `system:authenticated`), so that
/// every authenticated user may read discovery, `/openapi`, `/version` and health, and ask
/// self-subject reviews.
enum BootstrapPolicy {
    static let clusterRoles: [JSONValue] = [
        role(
            "cluster-admin",
            [
                ["apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]],
                ["nonResourceURLs": ["*"], "verbs": ["*"]],
            ]),
        role(
            "system:discovery",
            [
                [
                    "nonResourceURLs": [
                        "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz",
                        "/version", "/version/",
                    ],
                    "verbs": ["get"],
                ]
            ]),
        role(
            "system:public-info-viewer",
            [
                [
                    "nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"], "verbs": ["get"],
                ]
            ]),
        role(
            "system:basic-user",
            [
                [
                    "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                    "verbs": ["create"],
                ],
                ["apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"], "verbs": ["create"]],
            ]),
    ]

    static let clusterRoleBindings: [JSONValue] = [
        binding("cluster-admin", groups: ["system:masters"]),
        binding("system:discovery", groups: ["system:authenticated"]),
        binding("system:public-info-viewer", groups: ["system:authenticated", "system:unauthenticated"]),
        binding("system:basic-user", groups: ["system:authenticated"]),
    ]

    private static let metadataExtras: [String: JSONValue] = [
        "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"],
        "annotations": ["rbac.authorization.kubernetes.io/autoupdate": "true"],
    ]

    private static func role(_ name: String, _ rules: [JSONValue]) -> JSONValue {
        var metadata = metadataExtras
        metadata["name"] = .string(name)
        return [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": .object(metadata),
            "rules": .array(rules),
        ]
    }

    private static func binding(_ name: String, groups: [String]) -> JSONValue {
        var metadata = metadataExtras
        metadata["name"] = .string(name)
        return [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": .object(metadata),
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(name)],
            "subjects": .array(
                groups.map {
                    ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string($0)]
                }),
        ]
    }

    /// Creates whichever of the objects is missing (an earlier run's, restored from a data
    /// directory, are kept as they are).
    static func install(in store: ObjectStore) throws(APIError) {
        let registry = store.registry
        for (plural, objects) in [("clusterroles", clusterRoles), ("clusterrolebindings", clusterRoleBindings)] {
            guard let info = registry.lookup(group: Authorizer.rbacGroup, version: "v1", plural: plural) else { continue }
            for object in objects {
                do {
                    _ = try store.create(info, namespace: nil, object: object, options: WriteOptions(fieldManager: "kube-apiserver"))
                } catch  where error.code == 409 {
                    continue
                }
            }
        }
    }
}
