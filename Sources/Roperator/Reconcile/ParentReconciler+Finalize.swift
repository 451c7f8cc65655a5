import RoperatorClient
import Tracing

extension ParentReconciler {
    /// The deletion path: run `finalize` until it reports done, then remove our finalizer; the
    /// garbage collector removes the children through their ownerReferences.
    func finalize(_ parent: KubeObject) async throws -> ReconcileOutcome {
        guard parent.finalizers.contains(shared.config.finalizerName) else { return .done }
        if finalized {
            return try await removeFinalizer(from: parent)
        }
        let request = SyncRequest(parent: parent, observed: shared.observedChildren(of: parent))
        let response: FinalizeResponse
        do {
            response = try await ReconcileTracing.step("handler.finalize") { step in
                let response = try await callHandler { [handler = shared.handler] in try await handler.finalize(request) }
                step?.attributes["roperator.finalize.done"] = response.isDone
                return response
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            shared.metrics.handlerError()
            await shared.recorder.record(on: parent, type: .warning, reason: "FinalizeFailed", message: "finalize failed: \(error)")
            throw ReconcileError(parent: key, causes: [error])
        }
        if let status = response.status {
            _ = try await writeStatus(desiredStatus(status, parent: parent, refused: []), parent: parent)
        }
        switch response.outcome {
        case .retry(let delay):
            // The retry is the queue's delayed requeue, not also an error backoff: it happens once per answer.
            return .requeue(after: delay)
        case .done:
            finalized = true
            return try await removeFinalizer(from: parent)
        }
    }

    private func removeFinalizer(from parent: KubeObject) async throws -> ReconcileOutcome {
        if try await setFinalizer(present: false, on: parent) == nil { return .requeue(after: Reconciler.conflictRequeue) }
        return .done
    }

    /// Adds or removes our finalizer with a merge patch guarded by the cached resourceVersion.
    ///
    /// The precondition makes the server apply the patch to exactly the cached version, so the
    /// updated parent is that version with the new finalizers and the answer's metadata
    /// (resourceVersion, generation, deletion): only the answer's metadata is read, not the whole
    /// object. A parent without a resourceVersion (made by hand) is read back whole.
    ///
    /// - Returns: The updated parent, or `nil` on a conflict (the caller requeues).
    func setFinalizer(present: Bool, on parent: KubeObject) async throws -> KubeObject? {
        let config = shared.config
        let client = shared.client
        var finalizers = parent.finalizers.filter { $0 != config.finalizerName }
        if present { finalizers.append(config.finalizerName) }
        var metadata: JSONValue = ["finalizers": .array(finalizers.map { .string($0) })]
        if let version = parent.resourceVersion { metadata["resourceVersion"] = .string(version) }
        do {
            shared.metrics.write(.finalizer)
            return try await ReconcileTracing.step(present ? "finalizer.add" : "finalizer.remove") { _ in
                guard parent.resourceVersion != nil else {
                    return try await client.patch(
                        config.parent, namespace: parent.namespace, name: parent.name ?? "", patch: ["metadata": metadata],
                        as: .merge, fieldManager: config.name)
                }
                let answer = try await client.patchReadingMetadata(
                    config.parent, namespace: parent.namespace, name: parent.name ?? "", patch: ["metadata": metadata],
                    as: .merge, fieldManager: config.name)
                var updated = parent
                updated.finalizers = finalizers
                updated.resourceVersion = answer.resourceVersion
                updated.generation = answer.generation
                updated.deletionTimestamp = answer.deletionTimestamp
                return updated
            }
        } catch let error as KubeAPIError where error.isConflict {
            shared.metrics.conflict()
            return nil
        } catch let error as KubeAPIError where error.isNotFound && !present {
            return parent
        }
    }
}
