/// `spec.deleteAfter` is neither an RFC 3339 time nor a duration.
public struct DeleteAfterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that did not parse.
    public let text: String

    /// - Parameter text: The text that did not parse.
    public init(text: String) {
        self.text = text
    }

    public var description: String {
        "deleteAfter '\(text)' is neither an RFC 3339 time (2030-01-02T15:04:05Z) nor a duration (90s, 15m, 1h30m, 7d)"
    }
}
