public import RoperatorClient
import Roperator

/// The baseline: the operator's writes made straight with one bare ``KubeClient`` at the same
/// concurrency: per parent, create it, add the finalizer (a merge patch with a resourceVersion
/// precondition, as the operator sends it), create its children concurrently (with the same
/// labels, owner reference and applied-fields record the operator adds), patch its status. Where
/// the operator reads only part of an answer (the resourceVersion of a child create, the metadata
/// of a finalizer or status patch), so does this client. Efficiency (bare time / operator time) then measures what
/// the runtime costs, not which writes it chooses.
public enum BareClient {
    /// Makes every write for `parents` parents with `children` ConfigMaps each in `namespace`.
    ///
    /// - Returns: the seconds it took.
    public static func converge(_ client: KubeClient, namespace: String, parents: Int, children: Int, concurrency: Int) async throws
        -> Double
    {
        let start = ContinuousClock.now
        try await forEachConcurrently(parents, limit: concurrency) { index in
            let parent = try await client.create(Workload.parentType, Workload.parent(index, namespace: namespace, children: children))
            let finalizer = OperatorConfig.defaultFinalizerName(for: Workload.operatorName)
            _ = try await client.patchReadingMetadata(
                Workload.parentType, namespace: namespace, name: parent.name ?? "",
                patch: ["metadata": ["finalizers": [.string(finalizer)], "resourceVersion": .string(parent.resourceVersion ?? "")]],
                as: .merge, fieldManager: Workload.operatorName)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for child in 0..<children {
                    group.addTask {
                        var object = Workload.child(child, of: parent)
                        object.json[path: "metadata", "labels"] = .object([
                            TrackingLabels.parentUID: .string(parent.uid ?? ""),
                            TrackingLabels.operatorName: .string(Workload.operatorName),
                        ])
                        object.json[path: "metadata", "ownerReferences"] = [
                            [
                                "apiVersion": .string(Workload.parentType.apiVersion), "kind": .string(Workload.parentType.kind),
                                "name": .string(parent.name ?? ""), "uid": .string(parent.uid ?? ""),
                                "controller": true, "blockOwnerDeletion": true,
                            ]
                        ]
                        // The record of the fields set, as the operator writes it with every child.
                        _ = try await client.createReadingVersion(.configMap, AppliedFields.recording(object))
                    }
                }
                try await group.waitForAll()
            }
            var status = Workload.status(children: children)
            status["observedGeneration"] = .int(parent.generation ?? 1)
            _ = try await client.patchReadingMetadata(
                Workload.parentType, namespace: namespace, name: parent.name ?? "", subresource: "status", patch: ["status": status],
                as: .merge)
        }
        return (ContinuousClock.now - start).seconds
    }
}
