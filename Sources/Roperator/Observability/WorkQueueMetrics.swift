import Prometheus

/// The work-queue metrics of one operator, with client-go's names, labels and buckets
/// (see ``MetricNames``): adds, retries, the time keys wait and the time syncs take, recorded as
/// they happen; depth, active workers and the age of running syncs, set before each scrape.
final class WorkQueueMetrics: Sendable {
    /// client-go's buckets for the queue and work durations: 10 ns to 10 s, by factors of 10.
    static let buckets: [Duration] = (0..<10).map { Duration.nanoseconds(10 * Int64(pow10: $0)) }

    let adds: Counter
    let retries: Counter
    let queueDuration: DurationHistogram
    let workDuration: DurationHistogram
    private let depth: Gauge
    private let longestRunning: Gauge
    private let unfinishedWork: Gauge
    private let activeWorkers: Gauge

    init(name: String, registry: PrometheusCollectorRegistry) {
        let labels = [("controller", name), ("name", name)]
        adds = registry.counter(MetricNames.queueAdds, labels, help: "Total number of adds handled by workqueue")
        retries = registry.counter(MetricNames.queueRetries, labels, help: "Total number of retries handled by workqueue")
        queueDuration = registry.histogram(
            MetricNames.queueDuration, labels, buckets: Self.buckets,
            help: "How long in seconds an item stays in workqueue before being requested")
        workDuration = registry.histogram(
            MetricNames.workDuration, labels, buckets: Self.buckets,
            help: "How long in seconds processing an item from workqueue takes")
        depth = registry.gauge(MetricNames.queueDepth, labels, help: "Current depth of workqueue")
        longestRunning = registry.gauge(
            MetricNames.longestRunning, labels,
            help: "How many seconds has the longest running processor for workqueue been running")
        unfinishedWork = registry.gauge(
            MetricNames.unfinishedWork, labels,
            help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration")
        activeWorkers = registry.gauge(
            MetricNames.activeWorkers, [("controller", name)], help: "Number of currently used workers per controller")
    }

    /// Sets the gauges from the queue as it is now.
    func refresh(_ queue: WorkQueue) {
        let snapshot = queue.metricsSnapshot()
        depth.set(Int64(snapshot.ready))
        activeWorkers.set(Int64(snapshot.running))
        longestRunning.set(Self.seconds(snapshot.longestRunning))
        unfinishedWork.set(Self.seconds(snapshot.unfinishedWork))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

extension Int64 {
    /// 10 to the power `exponent`.
    fileprivate init(pow10 exponent: Int) {
        self = (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
