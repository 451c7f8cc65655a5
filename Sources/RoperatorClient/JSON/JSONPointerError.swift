/// A JSON pointer that is malformed or does not resolve in a document.
public struct JSONPointerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pointer, in its textual form.
    public let pointer: String
    /// What was wrong.
    public let reason: String

    /// Whether the pointer is well-formed but names a location that does not exist.
    public let isNotFound: Bool

    /// Creates an error about `pointer`; `isNotFound` marks a missing target rather than a malformed pointer.
    public init(pointer: String, reason: String, isNotFound: Bool = false) {
        self.pointer = pointer
        self.reason = reason
        self.isNotFound = isNotFound
    }

    public var description: String { "JSON pointer \"\(pointer)\": \(reason)" }
}
