import Foundation
import Roperator
import RoperatorClient
import RoperatorTesting

/// The operator phase: a fresh server process, an operator in this process, P parents created by
/// a separate client, and a wait until every child exists and every status is written.
enum OperatorPhase {
    static let namespace = "bench"

    static func run(_ options: BenchmarkOptions) async throws -> PhaseResult {
        let server = try await APIServerProcess.launch(crd: CustomResourceDefinitions.make(for: Workload.parentType))
        defer { server.stop() }
        // The "user" creating parents and watching progress has its own client (its own
        // connection pool), as it would be another process in a real cluster.
        let user = try KubeClient(configuration: server.clientConfiguration)
        let operatorClient = try KubeClient(configuration: server.clientConfiguration)
        defer {
            Task { try? await user.shutdown() } // best effort; the process ends soon after
            Task { try? await operatorClient.shutdown() }
        }
        _ = try await user.create(.namespace, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]))

        let config = OperatorConfig(name: Workload.operatorName, parent: Workload.parentType)
            .withChild(.configMap)
            .namespace(namespace)
            .concurrency(options.concurrency)
        let op = try Operator(config: config, handler: Workload.handler(children: options.children), client: operatorClient)
        let running = Task { try await op.run() }
        defer { running.cancel() }
        try await waitUntil("the operator is ready", timeout: .seconds(30)) { op.isReady }

        let before = try await RequestCounts.read(user)
        let start = ContinuousClock.now
        let deadline = start + .seconds(options.timeoutSeconds)
        try await forEachConcurrently(options.parents, limit: options.concurrency) { index in
            _ = try await user.create(Workload.parentType, Workload.parent(index, namespace: namespace, children: options.children))
        }

        // Cheap test first (the server's create counter), then the real proof: every parent has
        // its status for its generation and every child exists.
        let expectedCreates = options.parents * (1 + options.children)
        var end = start
        while true {
            guard ContinuousClock.now < deadline else {
                throw BenchmarkError("the operator did not converge within \(options.timeoutSeconds) s")
            }
            let counts = try await RequestCounts.read(user) - before
            if counts["create"] >= expectedCreates, try await hasConverged(user, options) {
                end = ContinuousClock.now
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let requests = try await RequestCounts.read(user) - before

        let idleStart = try await RequestCounts.read(user)
        let operatorWritesBefore = op.statistics.apiWrites
        try await Task.sleep(for: .seconds(options.idleSeconds))
        let idleWrites = (try await RequestCounts.read(user) - idleStart).writes
        let statistics = op.statistics
        if statistics.apiWrites != operatorWritesBefore {
            print("  note: the operator counted \(statistics.apiWrites - operatorWritesBefore) writes while idle")
        }

        running.cancel()
        _ = await running.result
        return PhaseResult(
            seconds: (end - start).seconds, requests: requests, idleWrites: idleWrites,
            operatorWrites: statistics.apiWrites, operatorConflicts: statistics.conflicts, failedSyncs: statistics.failedSyncs)
    }

    /// Lists parents, then children, and checks both are complete.
    static func hasConverged(_ client: KubeClient, _ options: BenchmarkOptions) async throws -> Bool {
        let parents = try await client.list(Workload.parentType, namespace: namespace, pageSize: 0)
        guard parents.items.count == options.parents,
            parents.items.allSatisfy({ Workload.isConverged($0, children: options.children) })
        else { return false }
        let children = try await client.list(
            .configMap, namespace: namespace, labelSelector: "\(TrackingLabels.operatorName)=\(Workload.operatorName)", pageSize: 0)
        return children.items.count == options.parents * options.children
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func waitUntil(_ what: String, timeout: Duration, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw BenchmarkError("timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
