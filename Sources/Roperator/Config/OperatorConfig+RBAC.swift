public import RoperatorClient

extension OperatorConfig {
    /// The RBAC rules this operator needs, and nothing more:
    ///
    /// - the parent type: `get`, `list`, `watch`, `update`, `patch` (finalizers are patched onto
    ///   the parent), `update` and `patch` on its `status` subresource, and `update` on its
    ///   `finalizers` subresource (needed where the `OwnerReferencesPermissionEnforcement`
    ///   admission plugin runs, since children set `blockOwnerDeletion`);
    /// - every child type: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`;
    /// - core `events`: `create` and `patch` (the event recorder counts repeats by patching);
    /// - for a custom-resource parent, `get` on its own `CustomResourceDefinition` (to find out
    ///   whether status is a subresource; without it the runtime assumes it is);
    /// - with leader election, `get` and `update` on the one Lease it uses, and `create` on
    ///   Leases (a create names no object when it is authorized, so `resourceNames` cannot limit it).
    ///
    /// Rules on the same API group with the same verbs are merged; the order is stable.
    ///
    /// ```swift
    /// print(config.rbacClusterRoleYAML(name: "echo-operator"))
    /// ```
    public func rbacRules() -> [RBACRule] {
        var rules: [RBACRule] = []
        func add(_ group: String, _ resource: String, names: [String] = [], _ verbs: [String]) {
            if let index = rules.firstIndex(where: { $0.apiGroups == [group] && $0.verbs == verbs && $0.resourceNames == names }) {
                if !rules[index].resources.contains(resource) { rules[index].resources.append(resource) }
            } else {
                rules.append(RBACRule(apiGroups: [group], resources: [resource], resourceNames: names, verbs: verbs))
            }
        }
        add(parent.group, parent.plural, ["get", "list", "watch", "update", "patch"])
        add(parent.group, "\(parent.plural)/status", ["update", "patch"])
        add(parent.group, "\(parent.plural)/finalizers", ["update"])
        for child in children {
            add(child.type.group, child.type.plural, ["get", "list", "watch", "create", "update", "patch", "delete"])
        }
        add("", "events", ["create", "patch"])
        if !parent.group.isEmpty, !K8sType.builtIn.contains(parent) {
            add("apiextensions.k8s.io", "customresourcedefinitions", names: ["\(parent.plural).\(parent.group)"], ["get"])
        }
        if let leaderElection {
            add("coordination.k8s.io", "leases", names: [leaderElection.leaseName], ["get", "update"])
            add("coordination.k8s.io", "leases", ["create"])
        }
        return rules
    }

    /// A `ClusterRole` granting ``rbacRules()``, as an object to create or apply.
    ///
    /// - Parameter name: The role's name; the operator's ``name`` when `nil`.
    public func rbacClusterRole(name: String? = nil) -> KubeObject {
        KubeObject([
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": ["name": .string(name ?? self.name)],
            "rules": .array(rbacRules().map(\.json)),
        ])
    }

    /// A `ClusterRoleBinding` granting ``rbacClusterRole(name:)`` to the operator's identity.
    ///
    /// ```swift
    /// let binding = config.rbacClusterRoleBinding(to: [.serviceAccount(name: "echo", namespace: "echo-system")])
    /// ```
    ///
    /// - Parameters:
    ///   - subjects: who the operator runs as.
    ///   - name: the binding's and the role's name; the operator's ``name`` when `nil`.
    public func rbacClusterRoleBinding(to subjects: [RBACSubject], name: String? = nil) -> KubeObject {
        KubeObject([
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": ["name": .string(name ?? self.name)],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(name ?? self.name)],
            "subjects": .array(subjects.map(\.json)),
        ])
    }

    /// ``rbacClusterRole(name:)`` as YAML, ready for `kubectl apply -f`.
    public func rbacClusterRoleYAML(name: String? = nil) -> String {
        rbacClusterRole(name: name).json.yamlString()
    }
}
