import RoperatorClient
import RoperatorAPIServer
import Testing

/// RBAC enforcement as kube-apiserver's `--authorization-mode=RBAC` does it, over real HTTP.
@Suite("RBAC authorization")
struct RBACAuthorizationTests {
    static let aliceToken = "alice-token"
    static let bobToken = "bob-token"
    static let robotToken = "robot-token"
    static let robot = "system:serviceaccount:default:robot"

    static func rbacConfiguration() -> EmbeddedAPIServer.Configuration {
        var configuration = EmbeddedAPIServer.Configuration(authorization: .rbac)
        configuration.tokens = [aliceToken: "alice", bobToken: "bob", robotToken: robot]
        configuration.userGroups["bob"] = ["team-b"]
        return configuration
    }

    /// Runs `body` with an RBAC server, its admin client and one client per user token.
    static func withRBACServer(
        _ configuration: EmbeddedAPIServer.Configuration = rbacConfiguration(),
        _ body: (_ server: EmbeddedAPIServer, _ admin: TestHTTPClient, _ users: [String: TestHTTPClient]) async throws -> Void
    ) async throws {
        try await withTestServer(configuration) { server, admin in
            var users: [String: TestHTTPClient] = [:]
            for (token, user) in configuration.tokens { users[user] = try TestHTTPClient.make(for: server, token: token) }
            do {
                try await body(server, admin, users)
            } catch {
                for client in users.values { try? await client.shutdown() }
                throw error
            }
            for client in users.values { try await client.shutdown() }
        }
    }

    static func role(_ name: String, namespace: String? = nil, rules: [JSONValue]) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        return [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": namespace == nil ? "ClusterRole" : "Role",
            "metadata": metadata, "rules": .array(rules),
        ]
    }

    static func binding(_ name: String, namespace: String? = nil, roleKind: String, role: String, subjects: [JSONValue]) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        return [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": namespace == nil ? "ClusterRoleBinding" : "RoleBinding",
            "metadata": metadata,
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": .string(roleKind), "name": .string(role)],
            "subjects": .array(subjects),
        ]
    }

    static func user(_ name: String) -> JSONValue { ["kind": "User", "name": .string(name), "apiGroup": "rbac.authorization.k8s.io"] }

    static let rbac = "/apis/rbac.authorization.k8s.io/v1"

    @Test func deniedUntilARoleBindingGrantsIt() async throws {
        try await Self.withRBACServer { _, admin, users in
            let alice = try #require(users["alice"])
            let denied = try await alice.request(.GET, "/api/v1/namespaces/default/configmaps")
            #expect(denied.status == 403)
            let status = try denied.json
            #expect(status["reason"] == "Forbidden")
            #expect(status["code"] == 403)
            #expect(
                status["message"]
                    == #"configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default""#
            )
            #expect(status["details"] == ["kind": "configmaps"])

            let reader = Self.role(
                "cm-reader", namespace: "default",
                rules: [
                    ["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"]]
                ])
            #expect(try await admin.request(.POST, Self.rbac + "/namespaces/default/roles", json: reader).status == 201)
            let binding = Self.binding(
                "alice-reads", namespace: "default", roleKind: "Role", role: "cm-reader", subjects: [Self.user("alice")])
            #expect(try await admin.request(.POST, Self.rbac + "/namespaces/default/rolebindings", json: binding).status == 201)

            // The binding applies at once, in its namespace only, and for the verbs it names.
            #expect(try await alice.request(.GET, "/api/v1/namespaces/default/configmaps").status == 200)
            let elsewhere = try await alice.request(.GET, "/api/v1/namespaces/kube-system/configmaps")
            #expect(
                try elsewhere.json["message"]
                    == #"configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "kube-system""#
            )
            let everywhere = try await alice.request(.GET, "/api/v1/configmaps")
            #expect(
                try everywhere.json["message"]
                    == #"configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" at the cluster scope"#)
            let create = try await alice.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("mine"))
            #expect(create.status == 403)
            #expect(
                try create.json["message"]
                    == #"configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default""#
            )
            let secret = try await alice.request(.GET, "/api/v1/namespaces/default/secrets/token")
            #expect(
                try secret.json["message"]
                    == #"secrets "token" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "default""#
            )
            #expect(try secret.json["details"] == ["kind": "secrets", "name": "token"])
            // Authorization comes before the lookup: a resource that does not exist is 403 too.
            #expect(try await alice.request(.GET, "/apis/example.com/v1/namespaces/default/nothings").status == 403)

            // Watch needs `watch`; deleting the binding takes the permission away again.
            #expect(try await alice.request(.GET, "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1").status == 200)
            #expect(try await admin.request(.DELETE, Self.rbac + "/namespaces/default/rolebindings/alice-reads").status == 200)
            #expect(try await alice.request(.GET, "/api/v1/namespaces/default/configmaps").status == 403)
        }
    }

    @Test func resourceNamesSubresourcesAndWildcards() async throws {
        try await Self.withRBACServer { _, admin, users in
            let alice = try #require(users["alice"])
            let deployments = "/apis/apps/v1/namespaces/default/deployments"
            #expect(try await admin.request(.POST, deployments, json: deployment("web")).status == 201)
            #expect(try await admin.request(.POST, deployments, json: deployment("db")).status == 201)
            let scaler = Self.role(
                "scaler",
                rules: [
                    ["apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": ["web"], "verbs": ["get", "list"]],
                    ["apiGroups": ["*"], "resources": ["*/scale"], "verbs": ["patch"]],
                ])
            #expect(try await admin.request(.POST, Self.rbac + "/clusterroles", json: scaler).status == 201)
            let binding = Self.binding("alice-scales", roleKind: "ClusterRole", role: "scaler", subjects: [Self.user("alice")])
            #expect(try await admin.request(.POST, Self.rbac + "/clusterrolebindings", json: binding).status == 201)

            #expect(try await alice.request(.GET, deployments + "/web").status == 200)
            let other = try await alice.request(.GET, deployments + "/db")
            #expect(other.status == 403)
            #expect(
                try other.json["message"]
                    == #"deployments.apps "db" is forbidden: User "alice" cannot get resource "deployments" in API group "apps" in the namespace "default""#
            )
            #expect(try other.json["details"] == ["kind": "deployments", "group": "apps", "name": "db"])
            // A list of exactly the named object is allowed; a list of all is not.
            #expect(try await alice.request(.GET, deployments + "?fieldSelector=metadata.name%3Dweb").status == 200)
            #expect(try await alice.request(.GET, deployments).status == 403)
            // `*/scale` grants the subresource, not the object.
            let scaled = try await alice.request(
                .PATCH, deployments + "/db/scale", json: ["spec": ["replicas": 2]], contentType: "application/merge-patch+json")
            #expect(scaled.status == 200)
            let patched = try await alice.request(
                .PATCH, deployments + "/db", json: ["spec": ["replicas": 3]], contentType: "application/merge-patch+json")
            #expect(
                try patched.json["message"]
                    == #"deployments.apps "db" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "default""#
            )
            let status = try await alice.request(
                .PATCH, deployments + "/db/status", json: ["status": ["replicas": 3]], contentType: "application/merge-patch+json")
            #expect(
                try status.json["message"]
                    == #"deployments.apps "db" is forbidden: User "alice" cannot patch resource "deployments/status" in API group "apps" in the namespace "default""#
            )
        }
    }

    @Test func groupsServiceAccountsAndMissingRoles() async throws {
        try await Self.withRBACServer { _, admin, users in
            let bob = try #require(users["bob"])
            let robot = try #require(users[Self.robot])
            let alice = try #require(users["alice"])
            let viewer = Self.role("pod-viewer", rules: [["apiGroups": [""], "resources": ["pods"], "verbs": ["list"]]])
            #expect(try await admin.request(.POST, Self.rbac + "/clusterroles", json: viewer).status == 201)
            // A group from the token's user groups; a service account named without a namespace in a
            // RoleBinding is in the binding's; `system:serviceaccounts` holds every service account.
            let team = Self.binding(
                "team-b-views", roleKind: "ClusterRole", role: "pod-viewer",
                subjects: [
                    ["kind": "Group", "name": "team-b", "apiGroup": "rbac.authorization.k8s.io"]
                ])
            #expect(try await admin.request(.POST, Self.rbac + "/clusterrolebindings", json: team).status == 201)
            let robots = Self.binding(
                "robot-views", namespace: "default", roleKind: "ClusterRole", role: "pod-viewer",
                subjects: [
                    ["kind": "ServiceAccount", "name": "robot"]
                ])
            #expect(try await admin.request(.POST, Self.rbac + "/namespaces/default/rolebindings", json: robots).status == 201)
            #expect(try await bob.request(.GET, "/api/v1/pods").status == 200)
            #expect(try await robot.request(.GET, "/api/v1/namespaces/default/pods").status == 200)
            #expect(try await robot.request(.GET, "/api/v1/namespaces/kube-system/pods").status == 403)
            #expect(try await alice.request(.GET, "/api/v1/namespaces/default/pods").status == 403)

            let all = Self.binding(
                "all-robots", namespace: "kube-system", roleKind: "ClusterRole", role: "pod-viewer",
                subjects: [
                    ["kind": "Group", "name": "system:serviceaccounts", "apiGroup": "rbac.authorization.k8s.io"]
                ])
            #expect(try await admin.request(.POST, Self.rbac + "/namespaces/kube-system/rolebindings", json: all).status == 201)
            #expect(try await robot.request(.GET, "/api/v1/namespaces/kube-system/pods").status == 200)

            // A binding to a role that does not exist says so in the denial.
            let dangling = Self.binding("dangling", roleKind: "ClusterRole", role: "nope", subjects: [Self.user("alice")])
            #expect(try await admin.request(.POST, Self.rbac + "/clusterrolebindings", json: dangling).status == 201)
            let denied = try await alice.request(.GET, "/api/v1/namespaces/default/pods")
            #expect(
                try denied.json["message"]
                    == #"pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "nope" not found"#
            )
        }
    }

    @Test func discoveryAndHealthAreOpenOtherPathsAreNot() async throws {
        try await Self.withRBACServer { _, admin, users in
            let alice = try #require(users["alice"])
            for path in ["/api", "/api/v1", "/apis", "/apis/apps/v1", "/openapi/v2", "/openapi/v3", "/version", "/healthz", "/readyz"] {
                #expect(try await alice.request(.GET, path).status == 200, "\(path)")
            }
            let metrics = try await alice.request(.GET, "/metrics")
            #expect(metrics.status == 403)
            #expect(try metrics.json["message"] == #"forbidden: User "alice" cannot get path "/metrics""#)
            let monitoring = Self.role("metrics-reader", rules: [["nonResourceURLs": ["/metrics"], "verbs": ["get"]]])
            #expect(try await admin.request(.POST, Self.rbac + "/clusterroles", json: monitoring).status == 201)
            let binding = Self.binding("alice-metrics", roleKind: "ClusterRole", role: "metrics-reader", subjects: [Self.user("alice")])
            #expect(try await admin.request(.POST, Self.rbac + "/clusterrolebindings", json: binding).status == 201)
            #expect(try await alice.request(.GET, "/metrics").status == 200)
            // The server's own identity (system:masters) may do everything, and the defaults exist as objects.
            let roles = try await admin.request(.GET, Self.rbac + "/clusterroles").json
            let names = roles["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } ?? []
            #expect(Set(["cluster-admin", "system:discovery", "system:basic-user", "system:public-info-viewer"]).isSubset(of: names))
        }
    }

    @Test func applyThatCreatesAlsoNeedsCreate() async throws {
        try await Self.withRBACServer { _, admin, users in
            let alice = try #require(users["alice"])
            let patcher = Self.role(
                "cm-patcher", namespace: "default",
                rules: [
                    ["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "patch"]]
                ])
            #expect(try await admin.request(.POST, Self.rbac + "/namespaces/default/roles", json: patcher).status == 201)
            let binding = Self.binding(
                "alice-patches", namespace: "default", roleKind: "Role", role: "cm-patcher", subjects: [Self.user("alice")])
            #expect(try await admin.request(.POST, Self.rbac + "/namespaces/default/rolebindings", json: binding).status == 201)
            let path = "/api/v1/namespaces/default/configmaps/applied?fieldManager=alice"
            let applied = configMap("applied", namespace: "default", data: ["a": "1"])
            let refused = try await alice.request(.PATCH, path, json: applied, contentType: "application/apply-patch+yaml")
            #expect(refused.status == 403)
            #expect(
                try refused.json["message"]
                    == #"configmaps "applied" is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default""#
            )
            #expect(try await admin.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("applied")).status == 201)
            #expect(try await alice.request(.PATCH, path, json: applied, contentType: "application/apply-patch+yaml").status == 200)
        }
    }

    @Test func selfSubjectReviewsAnswerFromRBAC() async throws {
        try await Self.withRBACServer { _, admin, users in
            let alice = try #require(users["alice"])
            let reader = Self.role(
                "cm-reader", namespace: "default",
                rules: [
                    ["apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["settings"], "verbs": ["get"]],
                    ["apiGroups": ["apps"], "resources": ["deployments", "deployments/scale"], "verbs": ["list", "update"]],
                ])
            #expect(try await admin.request(.POST, Self.rbac + "/namespaces/default/roles", json: reader).status == 201)
            let binding = Self.binding(
                "alice-reads", namespace: "default", roleKind: "Role", role: "cm-reader", subjects: [Self.user("alice")])
            #expect(try await admin.request(.POST, Self.rbac + "/namespaces/default/rolebindings", json: binding).status == 201)

            func review(_ attributes: JSONValue) async throws -> JSONValue {
                let response = try await alice.request(
                    .POST, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                    json: ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": attributes])
                #expect(response.status == 201)
                return try response.json["status"] ?? .null
            }
            let allowed = try await review([
                "resourceAttributes": [
                    "namespace": "default", "verb": "get", "resource": "configmaps", "name": "settings",
                ]
            ])
            #expect(allowed["allowed"] == true)
            #expect(allowed["reason"] == #"RBAC: allowed by RoleBinding "alice-reads/default" of Role "cm-reader" to User "alice""#)
            #expect(
                try await review([
                    "resourceAttributes": [
                        "namespace": "default", "verb": "get", "resource": "configmaps", "name": "other",
                    ]
                ])["allowed"] == false)
            #expect(
                try await review([
                    "resourceAttributes": [
                        "namespace": "default", "verb": "update", "group": "apps", "resource": "deployments", "subresource": "scale",
                    ]
                ])["allowed"] == true)
            #expect(try await review(["nonResourceAttributes": ["verb": "get", "path": "/version"]])["allowed"] == true)
            #expect(try await review(["nonResourceAttributes": ["verb": "get", "path": "/metrics"]])["allowed"] == false)

            let rules = try await alice.request(
                .POST, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                json: ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": ["namespace": "default"]])
            let status = try #require(try rules.json["status"])
            let resourceRules = status["resourceRules"]?.arrayValue ?? []
            #expect(
                resourceRules.contains(["verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["settings"]]))
            #expect(resourceRules.contains { $0["resources"] == ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] })
            #expect(!resourceRules.contains { $0["resources"] == ["*"] })
            #expect(
                (status["nonResourceRules"]?.arrayValue ?? []).contains { $0["nonResourceURLs"]?.arrayValue?.contains("/api/*") == true })
            #expect(status["incomplete"] == false)

            // In another namespace only the cluster-wide rules apply.
            let elsewhere = try await alice.request(
                .POST, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                json: ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": ["namespace": "kube-system"]])
            #expect(!(try elsewhere.json[path: "status", "resourceRules"]?.arrayValue ?? []).contains { $0["resources"] == ["configmaps"] })
        }
    }

    @Test func defaultStaysAllowAll() async throws {
        var configuration = EmbeddedAPIServer.Configuration(requireAuthentication: true)
        configuration.tokens = [Self.aliceToken: "alice"]
        try await withTestServer(configuration) { server, _ in
            let alice = try TestHTTPClient.make(for: server, token: Self.aliceToken)
            #expect(try await alice.request(.GET, "/metrics").status == 200)
            #expect(try await alice.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("free")).status == 201)
            #expect(try await alice.request(.GET, Self.rbac + "/clusterroles").json["items"] == [])
            try await alice.shutdown()
        }
    }
}
