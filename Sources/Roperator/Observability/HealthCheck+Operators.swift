extension HealthCheck {
    /// `informers`: fails until every cache of every operator completed its initial list, naming
    /// the operators still waiting. Caches only: a standby replica is ready (as in
    /// controller-runtime), so that it can take over at once and a rollout does not wait for a
    /// lease only one replica can hold.
    static func informers(of operators: [Operator]) -> HealthCheck {
        HealthCheck("informers") {
            let waiting = operators.filter { !$0.isReady }.map { "\"\($0.config.name)\"" }
            guard !waiting.isEmpty else { return nil }
            return "caches not synced: operator\(waiting.count == 1 ? "" : "s") \(waiting.joined(separator: ", "))"
        }
    }
}
