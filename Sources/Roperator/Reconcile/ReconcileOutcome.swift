/// How one sync of a parent ended, as far as scheduling is concerned. A thrown error is the
/// fourth outcome: the queue retries it with ``Backoff``.
public enum ReconcileOutcome: Sendable, Hashable {
    /// Converged: sync again on the next event (or the configured resync period).
    case done
    /// Sync again after this delay even without an event (`resyncAfter`, a finalize retry, the
    /// short wait after a conflict). An event meanwhile may sync it earlier.
    case requeue(after: Duration)
    /// Failed for good (the handler threw ``TerminalError``): no retry and no backoff until the
    /// parent's generation changes.
    case terminal

    /// The delay of ``requeue(after:)``, `nil` otherwise.
    public var requeueDelay: Duration? {
        if case .requeue(let delay) = self { return delay }
        return nil
    }

    /// ``requeue(after:)`` when `delay` is set, else ``done``.
    public static func resync(after delay: Duration?) -> ReconcileOutcome {
        delay.map { .requeue(after: $0) } ?? .done
    }
}
