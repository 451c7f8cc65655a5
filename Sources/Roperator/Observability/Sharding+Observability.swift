import Foundation
import Metrics

/// The metrics of sharded operators (``OperatorConfig/sharding``), each with the `operator`
/// dimension:
///
/// | name | kind | meaning |
/// | --- | --- | --- |
/// | `roperator_shard_ring_version` | gauge | the ring this replica computes, as the first 12 hex digits of its version (on `/metrics` an info sample with a `version` label) |
/// | `roperator_shard_members` | gauge | live members on that ring |
/// | `roperator_shard_parents_owned` | gauge | cached parents this replica owns (`/metrics` only) |
/// | `roperator_shard_cached_parents` | gauge | parents in this replica's cache (`/metrics` only) |
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
    /// Records a sharded replica's view after each list of the member Leases.
    func shard(_ status: ShardStatus) {
        let dimensions = [("operator", operatorName)]
        Gauge(label: MetricNames.shardRingVersion, dimensions: dimensions)
            .record(Int64(status.ringVersion.prefix(12), radix: 16) ?? 0)
        Gauge(label: MetricNames.shardMembers, dimensions: dimensions).record(status.members.count)
        Gauge(label: MetricNames.shardSettled, dimensions: dimensions).record(status.settled ? 1 : 0)
        let seen = shardHandoversReported.withLock { reported in
            defer { reported = max(reported, status.handovers) }
            return status.handovers - reported
        }
        if seen > 0 { Counter(label: MetricNames.shardHandovers, dimensions: dimensions).increment(by: seen) }
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

extension PrometheusText {
    /// The sharding samples of `operators` (nothing when none is sharded).
    static func renderSharding(_ operators: [Operator]) -> String {
        let sharded = operators.compactMap { op in op.shardStatus.map { (op, $0) } }
        guard !sharded.isEmpty else { return "" }
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name){\(labels)} \(value)") }
        }
        func name(_ op: Operator) -> String {
            "operator=\""
                + op.config.name.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        family(
            MetricNames.shardRingVersion, "gauge", "The ring this replica computes (info: version label).",
            sharded.map {
                ("\(name($0.0)),version=\"\($0.1.ringVersion)\",identity=\"\($0.1.identity)\"", "1")
            })
        family(MetricNames.shardMembers, "gauge", "Live members on the ring.", sharded.map { (name($0.0), "\($0.1.members.count)") })
        family(
            MetricNames.shardParentsOwned, "gauge", "Cached parents this replica owns.",
            sharded.map {
                (name($0.0), "\($0.1.ownedParents)")
            })
        family(
            MetricNames.shardCachedParents, "gauge", "Parents in this replica's cache.",
            sharded.map {
                (name($0.0), "\($0.1.cachedParents)")
            })
        family(
            MetricNames.shardHandovers, "counter", "Ring versions this replica acknowledged.",
            sharded.map {
                (name($0.0), "\($0.1.handovers)")
            })
        family(
            MetricNames.shardSettled, "gauge", "1 while every live member follows this replica's ring.",
            sharded.map {
                (name($0.0), $0.1.settled ? "1" : "0")
            })
        return lines.joined(separator: "\n") + "\n"
    }
}
