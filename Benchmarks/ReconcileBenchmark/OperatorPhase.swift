import BenchmarkSupport
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
        try await Workload.createNamespace(namespace, user)

        let config = OperatorConfig(name: Workload.operatorName, parent: Workload.parentType)
            .withChild(.configMap)
            .namespace(namespace)
            .concurrency(options.concurrency)
        let (operatorClient, executor) = try options.executor.makeClient(server.clientConfiguration)
        let (op, running) = try ExecutorChoice.start(
            config, handler: Workload.handler(children: options.children), client: operatorClient, executor: executor)
        defer {
            running.cancel()
            Task { try? await user.shutdown() } // best effort; the process ends soon after
            Task { try? await operatorClient.shutdown() }
        }
        try await waitUntil("the operator is ready", timeout: .seconds(30)) { op.isReady }

        let before = try await RequestCounts.read(user)
        let cpuBefore = try PhaseCPU.read(server: server)
        let start = ContinuousClock.now
        try await forEachConcurrently(options.parents, limit: options.concurrency) { index in
            _ = try await user.create(Workload.parentType, Workload.parent(index, namespace: namespace, children: options.children))
        }
        let created = ContinuousClock.now

        let (end, cpuAtEnd) = try await Convergence.wait(
            user, namespace: namespace, parents: options.parents, children: options.children, since: before,
            timeout: .seconds(options.timeoutSeconds), sampling: { try PhaseCPU.read(server: server) })
        let cpu = cpuAtEnd - cpuBefore
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
            seconds: (end - start).seconds, createdSeconds: (created - start).seconds, requests: requests, serverCPU: cpu.server,
            clientCPU: cpu.client, idleWrites: idleWrites,
            operatorWrites: statistics.apiWrites, operatorConflicts: statistics.conflicts, failedSyncs: statistics.failedSyncs)
    }
}
