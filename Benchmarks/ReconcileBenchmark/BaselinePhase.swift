import Foundation
import Roperator
import RoperatorClient
import RoperatorTesting

/// The baseline: the same writes as the operator's, made straight with one bare ``KubeClient`` at
/// the same concurrency against a fresh server process: per parent, create it, add the finalizer
/// (a merge patch with a resourceVersion precondition, as the operator sends it), create its
/// children concurrently (with the same labels and owner reference the operator adds), patch its
/// status. Efficiency then measures what the runtime costs, not which writes it chooses.
enum BaselinePhase {
    static let namespace = "bench-bare"

    static func run(_ options: BenchmarkOptions) async throws -> PhaseResult {
        let server = try await APIServerProcess.launch(crd: CustomResourceDefinitions.make(for: Workload.parentType))
        defer { server.stop() }
        let client = try KubeClient(configuration: server.clientConfiguration)
        defer { Task { try? await client.shutdown() } }
        _ = try await client.create(.namespace, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]))

        let before = try await RequestCounts.read(client)
        let start = ContinuousClock.now
        try await forEachConcurrently(options.parents, limit: options.concurrency) { index in
            let parent = try await client.create(
                Workload.parentType, Workload.parent(index, namespace: namespace, children: options.children))
            let finalizer = OperatorConfig.defaultFinalizerName(for: Workload.operatorName)
            _ = try await client.patch(
                Workload.parentType, namespace: namespace, name: parent.name ?? "",
                patch: ["metadata": ["finalizers": [.string(finalizer)], "resourceVersion": .string(parent.resourceVersion ?? "")]],
                as: .merge, fieldManager: Workload.operatorName)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for child in 0..<options.children {
                    group.addTask {
                        var object = Workload.child(child, of: parent)
                        object.json[path: "metadata", "labels"] = .object([
                            TrackingLabels.parentUID: .string(parent.uid ?? ""),
                            TrackingLabels.operatorName: .string(Workload.operatorName),
                        ])
                        object.json[path: "metadata", "ownerReferences"] = [[
                            "apiVersion": .string(Workload.parentType.apiVersion), "kind": .string(Workload.parentType.kind),
                            "name": .string(parent.name ?? ""), "uid": .string(parent.uid ?? ""),
                            "controller": true, "blockOwnerDeletion": true,
                        ]]
                        _ = try await client.create(.configMap, object)
                    }
                }
                try await group.waitForAll()
            }
            var status = Workload.status(children: options.children)
            status["observedGeneration"] = .int(parent.generation ?? 1)
            _ = try await client.patchStatus(
                Workload.parentType, namespace: namespace, name: parent.name ?? "", patch: ["status": status], as: .merge)
        }
        let end = ContinuousClock.now
        let requests = try await RequestCounts.read(client) - before
        return PhaseResult(seconds: (end - start).seconds, requests: requests)
    }
}
