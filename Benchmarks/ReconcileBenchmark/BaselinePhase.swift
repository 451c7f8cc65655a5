import BenchmarkSupport
import Foundation
import RoperatorClient
import RoperatorTesting

/// The baseline (``BareClient``) on a fresh server process.
enum BaselinePhase {
    static let namespace = "bench-bare"

    static func run(_ options: BenchmarkOptions) async throws -> PhaseResult {
        let server = try await APIServerProcess.launch(crd: CustomResourceDefinitions.make(for: Workload.parentType))
        defer { server.stop() }
        let client = try KubeClient(configuration: server.clientConfiguration)
        defer { Task { try? await client.shutdown() } }
        try await Workload.createNamespace(namespace, client)

        let before = try await RequestCounts.read(client)
        let cpuBefore = try PhaseCPU.read(server: server)
        let seconds = try await BareClient.converge(
            client, namespace: namespace, parents: options.parents, children: options.children, concurrency: options.concurrency)
        let cpu = try PhaseCPU.read(server: server) - cpuBefore
        let requests = try await RequestCounts.read(client) - before
        return PhaseResult(seconds: seconds, requests: requests, serverCPU: cpu.server, clientCPU: cpu.client)
    }
}
