import RoperatorClient

/// The RBAC objects of the store compiled for quick checks: every binding's rules indexed by the
/// user name and group names its subjects name. Immutable; ``Authorizer`` rebuilds it when an RBAC
/// object changes.
struct RBACPolicy: Sendable {
    /// What one subject of one binding grants.
    struct Grant: Sendable {
        /// A RoleBinding's namespace (the grant applies there only); `nil` for a ClusterRoleBinding.
        var namespace: String?
        /// The role's rules; empty when the role is missing (then `error` says so).
        var rules: [PolicyRule]
        /// `ClusterRoleBinding "x" of ClusterRole "y" to User "alice"`, for allowed reasons.
        var source: String
        /// `clusterrole.rbac.authorization.k8s.io "y" not found` when the role does not exist.
        var error: String?
    }

    /// Grants by user name (service accounts as `system:serviceaccount:<ns>:<name>`).
    private(set) var byUser: [String: [Grant]] = [:]
    /// Grants by group name.
    private(set) var byGroup: [String: [Grant]] = [:]

    static let empty = RBACPolicy(roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [])

    /// Compiles the four kinds' objects. ClusterRoleBindings come first in every list, then
    /// RoleBindings, each in name order, as kube-apiserver visits them.
    init(roles: [JSONValue], clusterRoles: [JSONValue], roleBindings: [JSONValue], clusterRoleBindings: [JSONValue]) {
        var clusterRoleRules: [String: [PolicyRule]] = [:]
        for role in clusterRoles {
            guard let name = role[path: "metadata", "name"]?.stringValue else { continue }
            clusterRoleRules[name] = (role["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:))
        }
        var roleRules: [String: [PolicyRule]] = [:]  // "<namespace>/<name>"
        for role in roles {
            guard let name = role[path: "metadata", "name"]?.stringValue,
                  let namespace = role[path: "metadata", "namespace"]?.stringValue else { continue }
            roleRules["\(namespace)/\(name)"] = (role["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:))
        }
        func sorted(_ objects: [JSONValue]) -> [JSONValue] {
            objects.sorted {
                ($0[path: "metadata", "namespace"]?.stringValue ?? "", $0[path: "metadata", "name"]?.stringValue ?? "")
                    < ($1[path: "metadata", "namespace"]?.stringValue ?? "", $1[path: "metadata", "name"]?.stringValue ?? "")
            }
        }
        for binding in sorted(clusterRoleBindings) {
            add(binding, namespace: nil, clusterRoleRules: clusterRoleRules, roleRules: roleRules)
        }
        for binding in sorted(roleBindings) {
            guard let namespace = binding[path: "metadata", "namespace"]?.stringValue else { continue }
            add(binding, namespace: namespace, clusterRoleRules: clusterRoleRules, roleRules: roleRules)
        }
    }

    private mutating func add(
        _ binding: JSONValue, namespace: String?, clusterRoleRules: [String: [PolicyRule]], roleRules: [String: [PolicyRule]]
    ) {
        let bindingName = binding[path: "metadata", "name"]?.stringValue ?? ""
        let roleKind = binding[path: "roleRef", "kind"]?.stringValue ?? ""
        let roleName = binding[path: "roleRef", "name"]?.stringValue ?? ""
        let rules: [PolicyRule]?
        let error: String?
        switch roleKind {
        case "ClusterRole":
            rules = clusterRoleRules[roleName]
            error = rules == nil ? "clusterrole.rbac.authorization.k8s.io \"\(roleName)\" not found" : nil
        case "Role" where namespace != nil:
            rules = roleRules["\(namespace!)/\(roleName)"]
            error = rules == nil ? "role.rbac.authorization.k8s.io \"\(roleName)\" not found" : nil
        default:
            rules = nil
            error = "unsupported role reference kind: \"\(roleKind)\""
        }
        let bindingLabel = namespace.map { "RoleBinding \"\(bindingName)/\($0)\"" } ?? "ClusterRoleBinding \"\(bindingName)\""
        for subject in binding["subjects"]?.arrayValue ?? [] {
            let kind = subject["kind"]?.stringValue ?? ""
            let name = subject["name"]?.stringValue ?? ""
            guard !name.isEmpty else { continue }
            var grant = Grant(
                namespace: namespace, rules: rules ?? [], source: "", error: error)
            switch kind {
            case "User":
                grant.source = "\(bindingLabel) of \(roleKind) \"\(roleName)\" to User \"\(name)\""
                byUser[name, default: []].append(grant)
            case "Group":
                grant.source = "\(bindingLabel) of \(roleKind) \"\(roleName)\" to Group \"\(name)\""
                byGroup[name, default: []].append(grant)
            case "ServiceAccount":
                // A RoleBinding's subject without a namespace means the binding's own.
                let subjectNamespace = subject["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? namespace
                guard let subjectNamespace else { continue }
                grant.source = "\(bindingLabel) of \(roleKind) \"\(roleName)\" to ServiceAccount \"\(name)/\(subjectNamespace)\""
                byUser["\(AuthenticatedUser.serviceAccountPrefix)\(subjectNamespace):\(name)", default: []].append(grant)
            default:
                continue
            }
        }
    }

    /// The grants that apply to a user in a namespace (`""`: cluster-scoped or non-resource):
    /// every ClusterRoleBinding's, and the RoleBindings' of that namespace.
    func grants(for user: AuthenticatedUser, namespace: String) -> [Grant] {
        var result: [Grant] = []
        func take(_ grants: [Grant]?) {
            for grant in grants ?? [] where grant.namespace == nil || (!namespace.isEmpty && grant.namespace == namespace) {
                result.append(grant)
            }
        }
        take(byUser[user.name])
        for group in user.groups { take(byGroup[group]) }
        // ClusterRoleBindings first, as kube-apiserver visits them.
        return result.filter { $0.namespace == nil } + result.filter { $0.namespace != nil }
    }

    /// Allowed with the grant that allows it, or denied with the errors met on the way.
    func decide(_ user: AuthenticatedUser, _ request: RequestAttributes) -> (allowed: Bool, reason: String) {
        var errors: [String] = []
        for grant in grants(for: user, namespace: request.namespace) {
            if let error = grant.error {
                if !errors.contains(error) { errors.append(error) }
                continue
            }
            if grant.rules.contains(where: { $0.allows(request) }) {
                return (true, "RBAC: allowed by \(grant.source)")
            }
        }
        guard !errors.isEmpty else { return (false, "") }
        return (false, "RBAC: " + (errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"))
    }
}
