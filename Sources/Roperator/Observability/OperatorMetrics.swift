import Metrics
import Synchronization

/// The swift-metrics handles and in-process totals of one operator.
final class OperatorMetrics: Sendable {
    enum WriteVerb: String, Sendable, CaseIterable {
        case create, update, apply, delete, status, finalizer
    }

    let operatorName: String
    private let totals = Mutex(OperatorStatistics())
    /// Shard hand-overs already added to the counter.
    let shardHandoversReported = Mutex(0)

    init(operatorName: String) {
        self.operatorName = operatorName
    }

    var statistics: OperatorStatistics { totals.withLock { $0 } }

    func sync(succeeded: Bool, duration: Duration) {
        totals.withLock { totals in
            if succeeded { totals.successfulSyncs += 1 } else { totals.failedSyncs += 1 }
        }
        Counter(label: MetricNames.syncs, dimensions: [("operator", operatorName), ("result", succeeded ? "success" : "error")])
            .increment()
        let parts = duration.components
        Timer(label: MetricNames.syncDuration, dimensions: [("operator", operatorName)])
            .recordNanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }

    func write(_ verb: WriteVerb) {
        totals.withLock { $0.apiWrites += 1 }
        Counter(label: MetricNames.apiWrites, dimensions: [("operator", operatorName), ("verb", verb.rawValue)]).increment()
    }

    func handlerError() {
        Counter(label: MetricNames.handlerErrors, dimensions: [("operator", operatorName)]).increment()
    }

    func invalidChildren(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: MetricNames.invalidChildren, dimensions: [("operator", operatorName)]).increment(by: count)
    }

    func leader(_ leading: Bool) {
        Gauge(label: MetricNames.leader, dimensions: [("operator", operatorName)]).record(leading ? 1 : 0)
    }

    func conflict() {
        totals.withLock { $0.conflicts += 1 }
        Counter(label: MetricNames.conflicts, dimensions: [("operator", operatorName)]).increment()
    }
}
