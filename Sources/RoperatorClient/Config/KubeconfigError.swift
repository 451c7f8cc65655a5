/// A kubeconfig that cannot be used: which file, which context, which entry and which field, and
/// what is wrong. Secret values (tokens, passwords, keys) never appear in the message.
///
/// ```
/// /home/me/.kube/config: context "dev": user "bob": field "client-key-data" is not valid base64
/// ```
public struct KubeconfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in (for problems spanning a `KUBECONFIG` list, the files joined
    /// with `:`); `nil` for kubeconfig text loaded without a path.
    public var file: String?
    /// The context being resolved, when the problem was found while resolving one.
    public var context: String?
    /// The entry the field belongs to, e.g. `user "bob"` or `cluster "prod"`.
    public var entry: String?
    /// The field, e.g. `client-key-data` or `users[2].name`.
    public var field: String?
    /// What is wrong.
    public var reason: String

    public init(file: String?, context: String? = nil, entry: String? = nil, field: String? = nil, reason: String) {
        self.file = file
        self.context = context
        self.entry = entry
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let context { parts.append("context \"\(context)\"") }
        if let entry { parts.append(entry) }
        if let field {
            parts.append("field \"\(field)\" \(reason)")
        } else {
            parts.append(reason)
        }
        return parts.joined(separator: ": ")
    }

    func inContext(_ name: String) -> KubeconfigError {
        var copy = self
        copy.context = name
        return copy
    }
}
