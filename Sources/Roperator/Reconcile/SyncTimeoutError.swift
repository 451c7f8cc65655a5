/// A sync whose handler ran longer than ``OperatorConfig/syncTimeout``: the handler was cancelled,
/// none of its children were written, and the sync is retried with backoff.
public struct SyncTimeoutError: Error, Sendable, CustomStringConvertible {
    /// The parent whose sync timed out.
    public let parent: ParentKey
    /// The configured limit.
    public let timeout: Duration

    public var description: String { "sync of \(parent) did not finish within \(timeout)" }
}
