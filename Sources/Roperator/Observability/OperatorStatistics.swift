/// Totals of one ``Operator`` since it was created: what its metrics report, readable in process
/// (tests and benchmarks use them to check for idle writes).
public struct OperatorStatistics: Sendable, Hashable {
    /// Reconciles that finished without error.
    public var successfulSyncs: Int = 0
    /// Reconciles that failed (handler error, invalid children, API error).
    public var failedSyncs: Int = 0
    /// Writes to the API server (creates, updates, applies, deletes, status and finalizer patches), Events excluded.
    public var apiWrites: Int = 0
    /// Conflicts resolved by re-reading.
    public var conflicts: Int = 0

    /// Creates zeroed statistics.
    public init() {}
}
