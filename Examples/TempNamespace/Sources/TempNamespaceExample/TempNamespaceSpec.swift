/// The `spec` of a `TempNamespace`.
public struct TempNamespaceSpec: Codable, Sendable, Hashable {
    /// When the namespace goes; see ``DeleteAfter``.
    public var deleteAfter: String
    /// The Namespace's name; the TempNamespace's name when absent.
    public var namespaceName: String?

    /// - Parameters:
    ///   - deleteAfter: An RFC 3339 time or a duration.
    ///   - namespaceName: The Namespace's name.
    public init(deleteAfter: String, namespaceName: String? = nil) {
        self.deleteAfter = deleteAfter
        self.namespaceName = namespaceName
    }
}
