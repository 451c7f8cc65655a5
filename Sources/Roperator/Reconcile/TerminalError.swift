/// Thrown by a ``Handler`` when retrying cannot help (the spec asks for something impossible):
/// the sync counts as failed, a Warning Event is recorded, and the parent is not retried until its
/// `metadata.generation` changes (a new spec). Events on its children do not retry it either.
///
/// ```swift
/// guard spec.replicas >= 0 else { throw TerminalError("spec.replicas must not be negative") }
/// ```
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, for the Event and the log.
    public var message: String
    /// The error that led to it, if any.
    public var underlying: (any Error)?

    /// - Parameters:
    ///   - message: What is wrong.
    ///   - underlying: The cause, if another error led to it.
    public init(_ message: String, underlying: (any Error)? = nil) {
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        underlying.map { "\(message): \($0)" } ?? message
    }
}
