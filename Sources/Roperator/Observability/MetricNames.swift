/// The names of the metrics Roperator reports through swift-metrics.
///
/// Every metric carries an `operator` dimension with the operator's name.
///
/// | name | kind | dimensions | meaning |
/// | --- | --- | --- | --- |
/// | `roperator_syncs_total` | counter | `operator`, `result` (`success`, `error`) | reconciles of one parent |
/// | `roperator_sync_duration_seconds` | timer | `operator` | wall time of one reconcile |
/// | `roperator_api_writes_total` | counter | `operator`, `verb` (`create`, `update`, `apply`, `delete`, `status`, `finalizer`) | writes to the API server, Events excluded |
/// | `roperator_handler_errors_total` | counter | `operator` | `sync`/`finalize` calls that threw |
/// | `roperator_invalid_children_total` | counter | `operator` | desired children refused (invalid or owned by someone else) |
/// | `roperator_conflicts_total` | counter | `operator` | 409 answers resolved by re-reading |
/// | `roperator_leader` | gauge | `operator` | 1 while this replica holds the operator's lease, else 0; only with leader election |
///
/// The client adds `roperator_client_requests_total` and `roperator_client_request_duration_seconds`.
public enum MetricNames {
    /// Reconciles, by `result`.
    public static let syncs = "roperator_syncs_total"
    /// Reconcile duration.
    public static let syncDuration = "roperator_sync_duration_seconds"
    /// API writes, by `verb`.
    public static let apiWrites = "roperator_api_writes_total"
    /// Handler errors.
    public static let handlerErrors = "roperator_handler_errors_total"
    /// Refused desired children.
    public static let invalidChildren = "roperator_invalid_children_total"
    /// Conflicts resolved by re-reading.
    public static let conflicts = "roperator_conflicts_total"
    /// Leadership of the operator's Lease (0 or 1), reported only when leader election is configured.
    public static let leader = "roperator_leader"
}
