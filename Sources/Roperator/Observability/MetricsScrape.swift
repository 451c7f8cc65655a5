import Prometheus

/// Renders `/metrics`: sets the state gauges of every operator and cache, then emits the
/// registry in the Prometheus text format.
enum MetricsScrape {
    static func render(_ operators: [Operator], registry: PrometheusCollectorRegistry) -> String {
        var seen: Set<ObjectIdentifier> = []
        for member in operators {
            member.metrics.refresh(queue: member.queue, ready: member.isReady)
            if let status = member.shardStatus { member.metrics.shard(status) }
            for informer in member.informers where seen.insert(ObjectIdentifier(informer)).inserted {
                informer.metrics.refresh(informer.store)
            }
        }
        return registry.emitToString()
    }
}
