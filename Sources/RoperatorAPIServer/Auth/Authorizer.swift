import RoperatorClient
import Synchronization

/// Decides whether an authenticated user may do what a request asks, as kube-apiserver's
/// `--authorization-mode=RBAC` does: members of `system:masters` may do everything; everyone else
/// what the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings in the store grant.
///
/// The compiled policy is cached and rebuilt only after an RBAC object changed (the store counts
/// those writes), so a check costs a few dictionary lookups.
final class Authorizer: Sendable {
    /// The group whose members bypass RBAC, as in kube-apiserver.
    static let mastersGroup = "system:masters"
    static let rbacGroup = "rbac.authorization.k8s.io"

    private let store: ObjectStore
    private let cache = Lock<(generation: Int, policy: RBACPolicy)>((-1, .empty))

    init(store: ObjectStore) {
        self.store = store
    }

    /// The decision for a request: allowed, or not with a reason (empty when nothing went wrong).
    func decide(_ user: AuthenticatedUser?, _ request: RequestAttributes) -> (allowed: Bool, reason: String) {
        // Without a user the authenticator let a public path (health) through.
        guard let user else { return (true, "") }
        if user.groups.contains(Self.mastersGroup) { return (true, "") }
        return policy().decide(user, request)
    }

    /// `nil` when allowed, else the 403 kube-apiserver answers. The allowed path builds no text.
    func check(_ user: AuthenticatedUser?, _ request: RequestAttributes) -> APIError? {
        guard let user, !user.groups.contains(Self.mastersGroup) else { return nil }
        let policy = policy()
        if policy.allowingGrant(user, request) != nil { return nil }
        let decision = policy.decide(user, request)
        if decision.allowed { return nil }
        return Self.forbidden(user: user.name, request, reason: decision.reason)
    }

    /// The rules that apply to a user in a namespace: resource rules and non-resource rules, as
    /// `SelfSubjectRulesReview` lists them, and the errors met (missing roles).
    func rules(for user: AuthenticatedUser?, namespace: String) -> (resource: [PolicyRule], nonResource: [PolicyRule], errors: [String]) {
        guard let user else { return ([], [], []) }
        if user.groups.contains(Self.mastersGroup) {
            return ([PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"])], [PolicyRule(verbs: ["*"], nonResourceURLs: ["*"])], [])
        }
        var resource: [PolicyRule] = []
        var nonResource: [PolicyRule] = []
        var errors: [String] = []
        for grant in policy().grants(for: user, namespace: namespace) {
            if let error = grant.error, !errors.contains(error) { errors.append(error) }
            for rule in grant.rules {
                if !rule.resources.isEmpty {
                    var only = rule
                    only.nonResourceURLs = []
                    resource.append(only)
                }
                if !rule.nonResourceURLs.isEmpty {
                    nonResource.append(PolicyRule(verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs))
                }
            }
        }
        return (resource, nonResource, errors)
    }

    /// The compiled policy, rebuilt when an RBAC object changed since it was compiled.
    private func policy() -> RBACPolicy {
        let generation = store.policyChanges.value
        if let cached = cache.withLock({ $0.generation == generation ? $0.policy : nil }) { return cached }
        let objects = store.rbacObjects()
        let policy = RBACPolicy(
            roles: objects.roles, clusterRoles: objects.clusterRoles, roleBindings: objects.roleBindings,
            clusterRoleBindings: objects.clusterRoleBindings)
        cache.withLock { cached in
            if generation > cached.generation { cached = (generation, policy) }
        }
        return policy
    }

    /// kube-apiserver's 403: `<resource>[.<group>] ["<name>"] is forbidden: User "<u>" cannot <verb>
    /// resource "<resource>[/<sub>]" in API group "<group>" (in the namespace "<ns>" | at the cluster
    /// scope)[: <reason>]`, or `forbidden: User "<u>" cannot <verb> path "<path>"`.
    static func forbidden(user: String, _ request: RequestAttributes, reason: String) -> APIError {
        var why: String
        if request.isResourceRequest {
            why = "User \"\(user)\" cannot \(request.verb) resource \"\(request.combinedResource)\" in API group \"\(request.group)\""
            why += request.namespace.isEmpty ? " at the cluster scope" : " in the namespace \"\(request.namespace)\""
        } else {
            why = "User \"\(user)\" cannot \(request.verb) path \"\(request.path)\""
        }
        if !reason.isEmpty { why += ": \(reason)" }
        guard request.isResourceRequest else {
            return .forbidden("forbidden: \(why)", details: .emptyObject)
        }
        let qualified = APIError.qualified(request.resource, group: request.group)
        let subject = request.name.isEmpty ? qualified : "\(qualified) \"\(request.name)\""
        return .forbidden(
            "\(subject) is forbidden: \(why)",
            details: APIError.details(name: request.name, group: request.group, kind: request.resource) ?? .emptyObject)
    }
}

/// Counts writes to RBAC objects, so that ``Authorizer`` knows when its compiled policy is stale.
package final class PolicyChangeCounter: Sendable {
    private let count = Atomic<Int>(0)

    package init() {}

    var value: Int { count.load(ordering: .acquiring) }

    func bump() { count.add(1, ordering: .releasing) }
}

extension ObjectStore {
    /// The Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, copied under the lock.
    func rbacObjects() -> (roles: [JSONValue], clusterRoles: [JSONValue], roleBindings: [JSONValue], clusterRoleBindings: [JSONValue]) {
        state.withLock { s in
            func all(_ resource: String) -> [JSONValue] {
                s.buckets[GroupResource(group: Authorizer.rbacGroup, resource: resource)].map { Array($0.objects.values) } ?? []
            }
            return (all("roles"), all("clusterroles"), all("rolebindings"), all("clusterrolebindings"))
        }
    }
}
