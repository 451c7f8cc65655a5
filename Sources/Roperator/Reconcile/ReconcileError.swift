/// Why a reconcile of one parent failed; the work queue retries it with backoff.
public struct ReconcileError: Error, Sendable, CustomStringConvertible {
    /// The parent that failed.
    public let parent: ParentKey
    /// What went wrong, one entry per failed step (handler error, refused child, API error).
    public let causes: [any Error]

    init(parent: ParentKey, causes: [any Error]) {
        self.parent = parent
        self.causes = causes
    }

    public var description: String {
        "reconcile of \(parent) failed: " + causes.map { "\($0)" }.joined(separator: "; ")
    }
}
