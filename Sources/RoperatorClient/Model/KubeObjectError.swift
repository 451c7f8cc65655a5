/// An object that lacks a field, or has one of the wrong shape, for the operation asked of it.
///
/// ```
/// ownerReferences[1]: field "uid" is missing or not a string
/// ```
public struct KubeObjectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the object the problem is, e.g. `metadata.uid` or `ownerReferences[1]`.
    public let field: String
    /// What was wrong.
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
