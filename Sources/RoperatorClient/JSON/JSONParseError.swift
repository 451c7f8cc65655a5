/// Malformed JSON: what was wrong and the byte offset where it was found.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Offset in bytes from the start of the input.
    public let offset: Int
    /// What the parser expected or found.
    public let reason: String

    /// Creates an error at byte `offset` with a reason.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
