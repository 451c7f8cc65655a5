public import RoperatorClient

/// Who a `RoleBinding` or `ClusterRoleBinding` grants its role to (`rbac.authorization.k8s.io/v1`
/// `Subject`).
public enum RBACSubject: Sendable, Hashable {
    /// A user by name, as the authenticator names it.
    case user(String)
    /// A group, e.g. `system:serviceaccounts`.
    case group(String)
    /// A service account (its user is `system:serviceaccount:<namespace>:<name>`).
    case serviceAccount(name: String, namespace: String)

    /// The subject as the API writes it.
    public var json: JSONValue {
        switch self {
        case .user(let name):
            ["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": .string(name)]
        case .group(let name):
            ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string(name)]
        case .serviceAccount(let name, let namespace):
            ["kind": "ServiceAccount", "name": .string(name), "namespace": .string(namespace)]
        }
    }
}
