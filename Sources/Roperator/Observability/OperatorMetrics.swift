import Prometheus
import RoperatorClient
import Synchronization

/// The metrics of one operator, recorded into the Prometheus registry its `/metrics` serves
/// (see ``MetricNames``), and the in-process totals behind ``Operator/statistics``.
///
/// Counters and histograms are made once here and updated on the hot paths; gauges that describe
/// a state (queue depth, the oldest running reconcile, cache sizes, readiness, leadership) are
/// set by ``OperatorMetrics/refresh(queue:ready:)`` when `/metrics` is scraped.
final class OperatorMetrics: Sendable {
    enum WriteVerb: String, Sendable, CaseIterable {
        case create, update, apply, delete, status, finalizer
    }

    /// How a reconcile ended, as controller-runtime's `result` label says it.
    enum ReconcileResult: String, Sendable, CaseIterable {
        case success, error
        case requeueAfter = "requeue_after"
    }

    let operatorName: String
    /// The registry the metrics are recorded into.
    let registry: PrometheusCollectorRegistry
    private let totals = Lock(OperatorStatistics())
    /// Expectations pending per parent, as last reported by its Applier.
    private let pendingExpectations = Lock([ParentKey: Int]())

    private let reconciles: [ReconcileResult: Counter]
    private let reconcileErrors: Counter
    private let reconcileTime: DurationHistogram
    private let writes: [WriteVerb: Counter]
    private let handlerErrors: Counter
    private let invalidChildren: Counter
    private let conflicts: Counter
    private let ready: Gauge
    private let expectations: Gauge
    let queue: WorkQueueMetrics
    /// Shard hand-overs already added to the counter.
    let shardHandoversReported = Lock(0)
    /// The info sample of the ring version this replica follows (replaced when it changes).
    let shardRing = Lock<(version: String, gauge: Gauge)?>(nil)

    /// controller-runtime's buckets for `controller_runtime_reconcile_time_seconds`.
    static let reconcileBuckets: [Duration] = [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ].map { Duration.nanoseconds(Int64(($0 * 1e9).rounded())) }

    init(operatorName: String, concurrency: Int, registry: PrometheusCollectorRegistry) {
        self.operatorName = operatorName
        self.registry = registry
        let controller = [("controller", operatorName)]
        let byOperator = [("operator", operatorName)]
        reconciles = Dictionary(
            uniqueKeysWithValues: ReconcileResult.allCases.map { result in
                (
                    result,
                    registry.counter(
                        MetricNames.reconciles, controller + [("result", result.rawValue)],
                        help: "Total number of reconciliations per controller")
                )
            })
        reconcileErrors = registry.counter(
            MetricNames.reconcileErrors, controller, help: "Total number of reconciliation errors per controller")
        reconcileTime = registry.histogram(
            MetricNames.reconcileTime, controller, buckets: Self.reconcileBuckets,
            help: "Length of time per reconciliation per controller")
        registry.gauge(
            MetricNames.maxConcurrentReconciles, controller, help: "Maximum number of concurrent reconciles per controller"
        ).set(Int64(concurrency))
        writes = Dictionary(
            uniqueKeysWithValues: WriteVerb.allCases.map { verb in
                (
                    verb,
                    registry.counter(
                        MetricNames.apiWrites, byOperator + [("verb", verb.rawValue)], help: "Writes to the API server, Events excluded")
                )
            })
        handlerErrors = registry.counter(MetricNames.handlerErrors, byOperator, help: "sync and finalize calls that threw")
        invalidChildren = registry.counter(
            MetricNames.invalidChildren, byOperator, help: "Desired children refused (invalid or owned by someone else)")
        conflicts = registry.counter(MetricNames.conflicts, byOperator, help: "Conflicts resolved by re-reading")
        ready = registry.gauge(MetricNames.ready, byOperator, help: "1 once every cache of the operator synced")
        expectations = registry.gauge(
            MetricNames.expectationsPending, byOperator, help: "Child writes issued that the cache has not shown yet")
        queue = WorkQueueMetrics(name: operatorName, registry: registry)
    }

    var statistics: OperatorStatistics { totals.withLock { $0 } }

    func sync(_ result: ReconcileResult, duration: Duration) {
        totals.withLock { totals in
            if result == .error { totals.failedSyncs += 1 } else { totals.successfulSyncs += 1 }
        }
        reconciles[result]?.increment()
        if result == .error { reconcileErrors.increment() }
        reconcileTime.record(duration)
    }

    func write(_ verb: WriteVerb) {
        totals.withLock { $0.apiWrites += 1 }
        writes[verb]?.increment()
    }

    func handlerError() {
        handlerErrors.increment()
    }

    func invalidChildren(_ count: Int) {
        guard count > 0 else { return }
        invalidChildren.increment(by: Int64(count))
    }

    func conflict() {
        totals.withLock { $0.conflicts += 1 }
        conflicts.increment()
    }

    /// Records leadership; the first call (made when leader election is configured) makes the
    /// gauge appear on `/metrics`.
    func leader(_ leading: Bool) {
        registry.gauge(MetricNames.leader, [("name", operatorName)], help: "1 while this replica holds the operator's Lease, else 0")
            .set(Int64(leading ? 1 : 0))
    }

    /// Records how many writes of `parent`'s Applier the cache has not shown yet.
    func pendingExpectations(_ count: Int, of parent: ParentKey) {
        pendingExpectations.withLock { pending in
            if count == 0 { pending.removeValue(forKey: parent) } else { pending[parent] = count }
        }
    }

    /// Sets the state gauges before a scrape.
    func refresh(queue workQueue: WorkQueue, ready isReady: Bool) {
        ready.set(Int64(isReady ? 1 : 0))
        expectations.set(Int64(pendingExpectations.withLock { $0.values.reduce(0, +) }))
        queue.refresh(workQueue)
    }
}
