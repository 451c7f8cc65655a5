/// Who sent a request, as established by ``Authenticator``: a user name and the groups it belongs to
/// (always `system:authenticated`; service account users also `system:serviceaccounts` and
/// `system:serviceaccounts:<namespace>`, as kube-apiserver's authenticators add them).
struct AuthenticatedUser: Sendable, Hashable {
    enum Method: Sendable, Hashable {
        case token
        case clientCertificate
    }

    var name: String
    var method: Method
    var groups: [String]

    init(name: String, method: Method, groups: [String] = []) {
        self.name = name
        self.method = method
        var all = groups
        if let namespace = Self.serviceAccountNamespace(name) {
            for group in ["system:serviceaccounts", "system:serviceaccounts:\(namespace)"] where !all.contains(group) {
                all.append(group)
            }
        }
        if !all.contains(Self.authenticatedGroup) { all.append(Self.authenticatedGroup) }
        self.groups = all
    }

    static let authenticatedGroup = "system:authenticated"
    static let serviceAccountPrefix = "system:serviceaccount:"

    /// The namespace of a `system:serviceaccount:<namespace>:<name>` user, `nil` for other users.
    static func serviceAccountNamespace(_ name: String) -> String? {
        guard name.hasPrefix(serviceAccountPrefix) else { return nil }
        let rest = name.dropFirst(serviceAccountPrefix.count)
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return String(parts[0])
    }
}
