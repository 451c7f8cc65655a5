public import RoperatorClient
import Roperator

/// Whether a cold start is complete: every parent carries its status for its generation and all
/// its children exist.
public enum Convergence {
    /// Waits until `parents` parents in `namespace` have converged with `children` ConfigMaps each.
    ///
    /// The server's counters (read every 20 ms) are the cheap first test: at least one create per
    /// object and two patches or updates per parent (finalizer and status) since `before`. Then
    /// lists prove it; after a failed proof the next waits as long as the proof took, so that
    /// listing 100,000 parents does not become most of the server's work.
    ///
    /// - Returns: when the objects had converged: the first counter reading that showed the
    ///   writes the successful proof saw, if no write came after it until the proof ended (then
    ///   nothing changed in between, and the seconds the lists take are not counted as the
    ///   operator's); otherwise when the proof ended.
    /// - Throws: ``BenchmarkError`` after `timeout`.
    public static func wait(
        _ client: KubeClient, namespace: String, parents: Int, children: Int, since before: RequestCounts, timeout: Duration
    ) async throws -> ContinuousClock.Instant {
        try await wait(
            client, namespace: namespace, parents: parents, children: children, since: before, timeout: timeout, sampling: {}
        ).instant
    }

    /// ``wait(_:namespace:parents:children:since:timeout:)`` that also takes a `sample` (CPU
    /// readings, say) with every counter reading, and returns the one taken with the reading
    /// that marks convergence: figures free of what the proof itself cost.
    public static func wait<Sample>(
        _ client: KubeClient, namespace: String, parents: Int, children: Int, since before: RequestCounts, timeout: Duration,
        sampling sample: () throws -> Sample
    ) async throws -> (instant: ContinuousClock.Instant, sample: Sample) {
        let deadline = ContinuousClock.now + timeout
        let expectedCreates = parents * (1 + children)
        // The write count last read and when it was first read (counts only grow).
        var lastWrites = -1
        var lastWritesSince = ContinuousClock.now
        var lastWritesSample = try sample()
        while true {
            guard ContinuousClock.now < deadline else {
                throw BenchmarkError("\(namespace) did not converge within \(timeout)")
            }
            let counts = try await RequestCounts.read(client) - before
            if counts.writes != lastWrites {
                // After the read, not before: the last write may have landed while it was under way.
                lastWrites = counts.writes
                lastWritesSince = ContinuousClock.now
                lastWritesSample = try sample()
            }
            var pause = Duration.milliseconds(20)
            if counts["create"] >= expectedCreates, counts["patch"] + counts["update"] >= 2 * parents {
                let proofStart = ContinuousClock.now
                if try await hasConverged(client, namespace: namespace, parents: parents, children: children) {
                    let proofEnd = ContinuousClock.now
                    let after = try await RequestCounts.read(client) - before
                    return after.writes == lastWrites ? (lastWritesSince, lastWritesSample) : (proofEnd, try sample())
                }
                pause = max(pause, ContinuousClock.now - proofStart)
            }
            try await Task.sleep(for: pause)
        }
    }

    /// Lists parents, then children, and checks both are complete.
    public static func hasConverged(_ client: KubeClient, namespace: String, parents: Int, children: Int) async throws -> Bool {
        let listed = try await client.list(Workload.parentType, namespace: namespace, pageSize: 0)
        guard listed.items.count == parents, listed.items.allSatisfy({ Workload.isConverged($0, children: children) }) else {
            return false
        }
        return try await childCount(client, namespace: namespace) == parents * children
    }

    /// The ConfigMaps in `namespace` that have an owner (every runner's children do; nothing else there has).
    static func childCount(_ client: KubeClient, namespace: String) async throws -> Int {
        try await client.list(.configMap, namespace: namespace, pageSize: 0).items.count(where: { !$0.ownerReferences.isEmpty })
    }
}
