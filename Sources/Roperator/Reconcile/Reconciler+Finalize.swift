import RoperatorClient
import Tracing

extension Reconciler {
    /// The deletion path: run `finalize` until it reports done, then remove our finalizer; the
    /// garbage collector removes the children through their ownerReferences.
    func finalize(_ parent: KubeObject, key: ParentKey) async throws -> Duration? {
        guard parent.finalizers.contains(config.finalizerName) else { return nil }
        let uid = parent.uid ?? ""
        if finalized.withLock({ $0.contains(uid) }) {
            return try await removeFinalizer(from: parent, key: key)
        }
        let request = SyncRequest(parent: parent, children: observedChildren(of: parent))
        let response: FinalizeResponse
        do {
            response = try await ReconcileTracing.step("handler.finalize") { step in
                let response = try await handler.finalize(request)
                step?.attributes["roperator.finalize.done"] = response.isDone
                return response
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            metrics.handlerError()
            await recorder.record(on: parent, type: .warning, reason: "FinalizeFailed", message: "finalize failed: \(error)")
            throw ReconcileError(parent: key, causes: [error])
        }
        if let status = response.status {
            _ = try await writeStatus(desiredStatus(status, parent: parent, refused: []), parent: parent, key: key)
        }
        switch response.outcome {
        case .retry(let delay):
            // The retry is the queue's delayed requeue, not also an error backoff: it happens once per answer.
            return delay
        case .done:
            finalized.withLock { _ = $0.insert(uid) }
            return try await removeFinalizer(from: parent, key: key)
        }
    }

    private func removeFinalizer(from parent: KubeObject, key: ParentKey) async throws -> Duration? {
        if try await setFinalizer(present: false, on: parent, key: key) == nil { return Self.conflictRequeue }
        return nil
    }

    /// Adds or removes our finalizer with a merge patch guarded by the cached resourceVersion.
    ///
    /// - Returns: The updated parent, or `nil` on a conflict (the caller requeues).
    func setFinalizer(present: Bool, on parent: KubeObject, key: ParentKey) async throws -> KubeObject? {
        var finalizers = parent.finalizers.filter { $0 != config.finalizerName }
        if present { finalizers.append(config.finalizerName) }
        var metadata: JSONValue = ["finalizers": .array(finalizers.map { .string($0) })]
        if let version = parent.resourceVersion { metadata["resourceVersion"] = .string(version) }
        do {
            metrics.write(.finalizer)
            return try await ReconcileTracing.step(present ? "finalizer.add" : "finalizer.remove") { _ in
                try await client.patch(
                    config.parent, namespace: parent.namespace, name: parent.name ?? "", patch: ["metadata": metadata],
                    as: .merge, fieldManager: config.name)
            }
        } catch let error as KubeAPIError where error.isConflict {
            metrics.conflict()
            return nil
        } catch let error as KubeAPIError where error.isNotFound && !present {
            return parent
        }
    }
}
