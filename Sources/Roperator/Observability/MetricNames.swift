/// The names of the metrics Roperator serves on `/metrics`.
///
/// The reconcile, work-queue, client and leader-election families use controller-runtime's names
/// and labels, so dashboards made for Kubernetes controllers written in Go work unchanged. The
/// `controller` and `name` labels carry the operator's name (``OperatorConfig/name``).
///
/// | name | kind | labels | meaning |
/// | --- | --- | --- | --- |
/// | `controller_runtime_reconcile_total` | counter | `controller`, `result` (`success`, `error`, `requeue_after`) | reconciles of one parent |
/// | `controller_runtime_reconcile_errors_total` | counter | `controller` | reconciles that failed |
/// | `controller_runtime_reconcile_time_seconds` | histogram | `controller` | wall time of one reconcile |
/// | `controller_runtime_active_workers` | gauge | `controller` | reconciles running now |
/// | `controller_runtime_max_concurrent_reconciles` | gauge | `controller` | the concurrency bound |
/// | `workqueue_depth` | gauge | `controller`, `name` | parents ready and waiting for a worker |
/// | `workqueue_adds_total` | counter | `controller`, `name` | parents scheduled |
/// | `workqueue_queue_duration_seconds` | histogram | `controller`, `name` | time from ready to started |
/// | `workqueue_work_duration_seconds` | histogram | `controller`, `name` | time from started to finished |
/// | `workqueue_retries_total` | counter | `controller`, `name` | retries scheduled after a failure |
/// | `workqueue_longest_running_processor_seconds` | gauge | `controller`, `name` | age of the oldest running reconcile |
/// | `workqueue_unfinished_work_seconds` | gauge | `controller`, `name` | summed age of the running reconciles |
/// | `leader_election_master_status` | gauge | `name` | 1 while this replica holds the Lease, else 0; only with leader election |
/// | `rest_client_requests_total` | counter | `code`, `method`, `host` | API requests (from the client, see ``KubeClient/Options/metricsFactory``) |
/// | `rest_client_request_duration_seconds` | histogram | `verb`, `host` | API request latency (idem) |
/// | `roperator_ready` | gauge | `operator` | 1 once every cache of the operator synced |
/// | `roperator_api_writes_total` | counter | `operator`, `verb` (`create`, `update`, `apply`, `delete`, `status`, `finalizer`) | writes to the API server, Events excluded |
/// | `roperator_handler_errors_total` | counter | `operator` | `sync`/`finalize` calls that threw |
/// | `roperator_invalid_children_total` | counter | `operator` | desired children refused (invalid or owned by someone else) |
/// | `roperator_conflicts_total` | counter | `operator` | 409 answers resolved by re-reading |
/// | `roperator_expectations_pending` | gauge | `operator` | child writes issued that the cache has not shown yet |
/// | `roperator_cache_objects` | gauge | `resource` | objects in each shared cache |
/// | `roperator_cache_bytes` | gauge | `resource` | JSON size of the objects in each shared cache |
/// | `roperator_watch_failures_total` | counter | `resource`, `reason` (`expired`, `error`) | list or watch failures the cache retried |
/// | `roperator_relists_total` | counter | `resource` | complete lists (the first and every one after a 410 Gone) |
///
/// `resource` is `<plural>.<group>` (`configmaps` for the core group), plus `/<namespace>` and
/// `?<selector>` when the cache is limited to one.
public enum MetricNames {
    /// Reconciles, by `result`.
    public static let reconciles = "controller_runtime_reconcile_total"
    /// Failed reconciles.
    public static let reconcileErrors = "controller_runtime_reconcile_errors_total"
    /// Reconcile duration.
    public static let reconcileTime = "controller_runtime_reconcile_time_seconds"
    /// Reconciles running now.
    public static let activeWorkers = "controller_runtime_active_workers"
    /// The concurrency bound.
    public static let maxConcurrentReconciles = "controller_runtime_max_concurrent_reconciles"
    /// Parents ready and waiting.
    public static let queueDepth = "workqueue_depth"
    /// Parents scheduled.
    public static let queueAdds = "workqueue_adds_total"
    /// Time from ready to started.
    public static let queueDuration = "workqueue_queue_duration_seconds"
    /// Time from started to finished.
    public static let workDuration = "workqueue_work_duration_seconds"
    /// Retries after failures.
    public static let queueRetries = "workqueue_retries_total"
    /// Age of the oldest running reconcile.
    public static let longestRunning = "workqueue_longest_running_processor_seconds"
    /// Summed age of the running reconciles.
    public static let unfinishedWork = "workqueue_unfinished_work_seconds"
    /// Leadership of the operator's Lease (0 or 1), only when leader election is configured.
    public static let leader = "leader_election_master_status"
    /// Whether the operator's caches synced.
    public static let ready = "roperator_ready"
    /// API writes, by `verb`.
    public static let apiWrites = "roperator_api_writes_total"
    /// Handler errors.
    public static let handlerErrors = "roperator_handler_errors_total"
    /// Refused desired children.
    public static let invalidChildren = "roperator_invalid_children_total"
    /// Conflicts resolved by re-reading.
    public static let conflicts = "roperator_conflicts_total"
    /// Child writes the cache has not shown yet.
    public static let expectationsPending = "roperator_expectations_pending"
    /// Objects per shared cache.
    public static let cacheObjects = "roperator_cache_objects"
    /// JSON bytes per shared cache.
    public static let cacheBytes = "roperator_cache_bytes"
    /// List or watch failures, by `reason`.
    public static let watchFailures = "roperator_watch_failures_total"
    /// Complete lists.
    public static let relists = "roperator_relists_total"
}
