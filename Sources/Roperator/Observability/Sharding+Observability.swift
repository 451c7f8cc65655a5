import Prometheus

/// The metrics of sharded operators (``OperatorConfig/sharding``), each with the `operator`
/// dimension:
///
/// | name | kind | meaning |
/// | --- | --- | --- |
/// | `roperator_shard_ring_version` | gauge | 1, an info sample naming the ring this replica computes in its `version` label (and the replica's `identity`) |
/// | `roperator_shard_members` | gauge | live members on that ring |
/// | `roperator_shard_parents_owned` | gauge | cached parents this replica owns |
/// | `roperator_shard_cached_parents` | gauge | parents in this replica's cache |
/// | `roperator_shard_handovers_total` | counter | ring versions this replica acknowledged (each moves parents to or from it) |
/// | `roperator_shard_settled` | gauge | 1 while every live member follows this replica's ring and its Lease is valid |
extension MetricNames {
    /// The ring version (first 12 hex digits as a number).
    public static let shardRingVersion = "roperator_shard_ring_version"
    /// Live members.
    public static let shardMembers = "roperator_shard_members"
    /// Cached parents this replica owns.
    public static let shardParentsOwned = "roperator_shard_parents_owned"
    /// Parents in this replica's cache (its share with server-side selection).
    public static let shardCachedParents = "roperator_shard_cached_parents"
    /// Ring versions acknowledged.
    public static let shardHandovers = "roperator_shard_handovers_total"
    /// Whether this replica syncs (0 or 1).
    public static let shardSettled = "roperator_shard_settled"
}

extension OperatorMetrics {
    /// Records a sharded replica's view: after each list of the member Leases (`cacheCounts`
    /// false: the coordinator does not count the cache), and at a scrape (with the cache's counts).
    func shard(_ status: ShardStatus, cacheCounts: Bool = true) {
        let labels = [("operator", operatorName)]
        registry.gauge(MetricNames.shardMembers, labels, help: "Live members on the ring.").set(Int64(status.members.count))
        registry.gauge(MetricNames.shardSettled, labels, help: "1 while every live member follows this replica's ring.")
            .set(Int64(status.settled ? 1 : 0))
        if cacheCounts {
            registry.gauge(MetricNames.shardParentsOwned, labels, help: "Cached parents this replica owns.")
                .set(Int64(status.ownedParents))
            registry.gauge(MetricNames.shardCachedParents, labels, help: "Parents in this replica's cache.")
                .set(Int64(status.cachedParents))
        }
        let handovers = registry.counter(MetricNames.shardHandovers, labels, help: "Ring versions this replica acknowledged.")
        let seen = shardHandoversReported.withLock { reported in
            defer { reported = max(reported, status.handovers) }
            return status.handovers - reported
        }
        if seen > 0 { handovers.increment(by: Int64(seen)) }
        shardRing.withLock { current in
            guard current?.version != status.ringVersion else { return }
            if let old = current?.gauge { registry.unregisterGauge(old) }
            let gauge = registry.gauge(
                MetricNames.shardRingVersion,
                labels + [("version", status.ringVersion), ("identity", status.identity)],
                help: "The ring this replica computes (info: version label).")
            gauge.set(Int64(1))
            current = (status.ringVersion, gauge)
        }
    }
}

extension HealthCheck {
    /// `sharding` (only when an operator is sharded): fails while a sharded operator is not a settled member (its Lease not held, or
    /// the live members not yet all on its ring), so `/readyz` reflects the membership.
    static func sharding(of operators: [Operator]) -> HealthCheck {
        HealthCheck("sharding") {
            let waiting = operators.filter { $0.config.sharding != nil && $0.shard?.isSettled != true }
                .map { "\"\($0.config.name)\"" }
            guard !waiting.isEmpty else { return nil }
            return "not a settled shard member: operator\(waiting.count == 1 ? "" : "s") \(waiting.joined(separator: ", "))"
        }
    }
}
