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

    /// One subject's grants: those of ClusterRoleBindings, and those of RoleBindings by namespace.
    struct SubjectGrants: Sendable {
        var cluster: [Grant] = []
        var namespaced: [String: [Grant]] = [:]

        mutating func append(_ grant: Grant) {
            if let namespace = grant.namespace {
                namespaced[namespace, default: []].append(grant)
            } else {
                cluster.append(grant)
            }
        }
    }

    /// Grants by user name (service accounts as `system:serviceaccount:<ns>:<name>`).
    private(set) var byUser: [String: SubjectGrants] = [:]
    /// Grants by group name.
    private(set) var byGroup: [String: SubjectGrants] = [:]

    static let empty = RBACPolicy(roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [])

    /// Compiles the four kinds' objects. ClusterRoleBindings come first in every list, then
    /// RoleBindings, each in name order, as kube-apiserver visits them.
    init(roles: [JSONValue], clusterRoles: [JSONValue], roleBindings: [JSONValue], clusterRoleBindings: [JSONValue]) {
        var clusterRoleRules: [String: [PolicyRule]] = [:]
        for role in clusterRoles {
            guard let name = role[path: "metadata", "name"]?.stringValue else { continue }
            clusterRoleRules[name] = (role["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:))
        }
        var roleRules: [String: [PolicyRule]] = [:] // "<namespace>/<name>"
        for role in roles {
            guard let name = role[path: "metadata", "name"]?.stringValue,
                let namespace = role[path: "metadata", "namespace"]?.stringValue
            else { continue }
            roleRules["\(namespace)/\(name)"] = (role["rules"]?.arrayValue ?? []).map(PolicyRule.init(json:))
        }
        func sorted(_ objects: [JSONValue]) -> [JSONValue] {
            objects.map { object -> (String, String, JSONValue) in
                let metadata = object["metadata"]
                return (metadata?["namespace"]?.stringValue ?? "", metadata?["name"]?.stringValue ?? "", object)
            }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map(\.2)
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
                byUser[name, default: SubjectGrants()].append(grant)
            case "Group":
                grant.source = "\(bindingLabel) of \(roleKind) \"\(roleName)\" to Group \"\(name)\""
                byGroup[name, default: SubjectGrants()].append(grant)
            case "ServiceAccount":
                // A RoleBinding's subject without a namespace means the binding's own.
                let subjectNamespace = subject["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? namespace
                guard let subjectNamespace else { continue }
                grant.source = "\(bindingLabel) of \(roleKind) \"\(roleName)\" to ServiceAccount \"\(name)/\(subjectNamespace)\""
                byUser["\(AuthenticatedUser.serviceAccountPrefix)\(subjectNamespace):\(name)", default: SubjectGrants()].append(grant)
            default:
                continue
            }
        }
    }

    /// Calls `body` with each grant that applies to a user in a namespace (`""`: cluster-scoped or
    /// non-resource) until it returns `false`: the ClusterRoleBindings' first, then the
    /// RoleBindings' of that namespace, as kube-apiserver visits them. No allocation: this is on
    /// every request's path.
    func visitGrants(for user: AuthenticatedUser, namespace: String, _ body: (Grant) -> Bool) {
        let own = byUser[user.name]
        if let own { for grant in own.cluster where !body(grant) { return } }
        for group in user.groups {
            guard let grants = byGroup[group] else { continue }
            for grant in grants.cluster where !body(grant) { return }
        }
        guard !namespace.isEmpty else { return }
        if let grants = own?.namespaced[namespace] { for grant in grants where !body(grant) { return } }
        for group in user.groups {
            guard let grants = byGroup[group]?.namespaced[namespace] else { continue }
            for grant in grants where !body(grant) { return }
        }
    }

    /// The grants that apply to a user in a namespace, in visiting order.
    func grants(for user: AuthenticatedUser, namespace: String) -> [Grant] {
        var result: [Grant] = []
        visitGrants(for: user, namespace: namespace) {
            result.append($0); return true
        }
        return result
    }

    /// The grant that allows the request, if any.
    func allowingGrant(_ user: AuthenticatedUser, _ request: RequestAttributes) -> Grant? {
        var found: Grant?
        visitGrants(for: user, namespace: request.namespace) { grant in
            for rule in grant.rules where rule.allows(request) {
                found = grant
                return false
            }
            return true
        }
        return found
    }

    /// Allowed with the grant that allows it, or denied with the errors met on the way (missing
    /// roles), worded as kube-apiserver's RBAC authorizer words them.
    func decide(_ user: AuthenticatedUser, _ request: RequestAttributes) -> (allowed: Bool, reason: String) {
        if let grant = allowingGrant(user, request) { return (true, "RBAC: allowed by \(grant.source)") }
        var errors: [String] = []
        visitGrants(for: user, namespace: request.namespace) { grant in
            if let error = grant.error, !errors.contains(error) { errors.append(error) }
            return true
        }
        guard !errors.isEmpty else { return (false, "") }
        return (false, "RBAC: " + (errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"))
    }
}
