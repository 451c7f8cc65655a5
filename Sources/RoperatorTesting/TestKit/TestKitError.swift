/// A ``TestKit`` wait that ran out of time, or a misuse.
public struct TestKitError: Error, Sendable, CustomStringConvertible {
    /// What was waited for, and what was last seen.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
