import Prometheus
import RoperatorClient

/// The metrics of one shared cache (see ``MetricNames``): relists and watch failures as they
/// happen, object count and JSON size set before each scrape.
final class InformerMetrics: Sendable {
    let relists: Counter
    private let expired: Counter
    private let errors: Counter
    private let objects: Gauge
    private let bytes: Gauge

    init(resource: String, registry: PrometheusCollectorRegistry) {
        let labels = [("resource", resource)]
        relists = registry.counter(
            MetricNames.relists, labels, help: "Complete lists of the cache (the first and every one after 410 Gone)")
        let failures = "List or watch failures the cache retried"
        expired = registry.counter(MetricNames.watchFailures, labels + [("reason", "expired")], help: failures)
        errors = registry.counter(MetricNames.watchFailures, labels + [("reason", "error")], help: failures)
        objects = registry.gauge(MetricNames.cacheObjects, labels, help: "Objects in the cache")
        bytes = registry.gauge(MetricNames.cacheBytes, labels, help: "Size of the cached objects as compact JSON")
    }

    func failed(_ failure: WatchFailure) {
        switch failure.reason {
        case .expired: expired.increment()
        case .error: errors.increment()
        }
    }

    /// Sets the size gauges from `store` as it is now.
    func refresh(_ store: ObjectStore) {
        objects.set(Int64(store.count))
        bytes.set(Int64(store.jsonBytes()))
    }
}
