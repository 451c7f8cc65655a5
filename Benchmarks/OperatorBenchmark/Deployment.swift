import BenchmarkSupport
import Foundation
import RoperatorClient
import RoperatorTesting

/// A fresh `roperator-apiserver` process, the driver's client to it (the "user"), and the
/// process under test (an `OperatorBenchmarkWorker` or the kopf peer), started but idle.
final class Deployment {
    static let namespace = "bench"

    let server: APIServerProcess
    let user: KubeClient
    let worker: WorkerProcess

    /// Starts both processes; the worker waits for ``start()``.
    init(worker arguments: (executable: String, arguments: [String])?, options: Options, children: Int, mode: String = "operator")
        async throws
    {
        server = try await APIServerProcess.launch(crd: CustomResourceDefinitions.make(for: Workload.parentType))
        do {
            user = try KubeClient(configuration: server.clientConfiguration)
            try await Workload.createNamespace(Self.namespace, user)
            let command =
                try arguments ?? (
                    executable: siblingExecutable("OperatorBenchmarkWorker"),
                    arguments: [
                        "--mode", mode, "--children", String(children), "--concurrency", String(options.concurrency),
                        "--executor", options.executor.rawValue,
                    ]
                )
            worker = try await WorkerProcess(
                executable: command.executable,
                arguments: command.arguments + ["--kubeconfig", server.kubeconfigPath, "--namespace", Self.namespace],
                environment: ["KUBECONFIG": server.kubeconfigPath])
        } catch {
            server.stop()
            throw error
        }
    }

    /// Starts the operator and waits until its caches are synced.
    func start() async throws {
        try worker.send("start")
        _ = try await worker.expect("ready", timeout: .seconds(600))
    }

    /// Stops the worker, then the server.
    func stop() async {
        await worker.stop()
        try? await user.shutdown() // best effort: the server goes away next
        server.stop()
    }

    /// Creates `parents` parents at `concurrency`.
    func createParents(_ parents: Int, children: Int, concurrency: Int) async throws {
        let user = self.user
        try await forEachConcurrently(parents, limit: concurrency) { index in
            _ = try await user.create(Workload.parentType, Workload.parent(index, namespace: Self.namespace, children: children))
        }
    }

    /// Compact JSON bytes of every parent and ConfigMap in the namespace: what a cache holds.
    func jsonBytes() async throws -> Int {
        let parents = try await user.list(Workload.parentType, namespace: Self.namespace, pageSize: 0)
        let children = try await user.list(.configMap, namespace: Self.namespace, pageSize: 0)
        return (parents.items + children.items).reduce(0) { $0 + $1.json.serializedBytes(sortedKeys: false).count }
    }

    /// Waits until the worker's CPU use stays under 5 % over half a second (at most `timeout`).
    func waitUntilWorkerQuiet(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = try worker.usage().cpuSeconds
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            let now = try worker.usage().cpuSeconds
            if now - last < 0.025 { return }
            last = now
        }
        throw BenchmarkError("the worker was still busy after \(timeout)")
    }

    /// Forces every watch of the worker to relist (410 Gone) and measures its peak RSS while it
    /// does: from the forced relist until it has listed again and gone quiet.
    func relistPeak(lists: Int) async throws -> Int {
        try ProcessUsage.resetPeak(pid: worker.pid)
        let before = try await RequestCounts.read(user)
        try await server.forceRelist(user)
        try await waitUntil("the worker relisted", timeout: .seconds(120)) {
            try await RequestCounts.read(self.user)["list"] - before["list"] >= lists
        }
        try await waitUntilWorkerQuiet(timeout: .seconds(300))
        return try worker.usage().peakRSSBytes
    }
}
