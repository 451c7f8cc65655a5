/// What a ``FaultInjector`` did so far, for the figures of a reliability test.
///
/// ```swift
/// let figures = server.faults.statistics
/// print("503s: \(figures.failuresByStatus[503, default: 0]), watches cut: \(figures.watchesCut)")
/// ```
public struct FaultStatistics: Sendable, Hashable {
    /// Requests failed on purpose, by the HTTP status they got (500, 503, 429, 409).
    public var failuresByStatus: [Int: Int] = [:]
    /// Watch streams ended by ``FaultInjector/cutWatches()`` (periodic cuts included).
    public var watchesCut = 0
    /// Forced compactions (``FaultInjector/forceCompaction()``).
    public var compactions = 0
    /// Listener pauses (``FaultInjector/pauseListener()``).
    public var pauses = 0

    /// Requests failed on purpose, all statuses together.
    public var injectedFailures: Int { failuresByStatus.values.reduce(0, +) }

    /// Nothing injected yet.
    public init() {}
}
