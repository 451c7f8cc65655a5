import Logging
import RoperatorClient
import Synchronization
import Tracing

/// Reconciles one parent at a time (the work queue guarantees no two syncs of one parent
/// overlap): reads the parent and its children from the caches, runs the handler, and writes
/// children, status and finalizers.
final class Reconciler: Sendable {
    /// How soon a parent is synced again after a 409, by which time the cache has the newer object.
    static let conflictRequeue: Duration = .milliseconds(50)

    let config: OperatorConfig
    let handler: any Handler
    let client: KubeClient
    let parents: Informer
    let children: [K8sType: Informer]
    let recorder: EventRecorder
    let metrics: OperatorMetrics
    let logger: Logger
    let statusTarget: Mutex<StatusTarget>
    /// The status last written per parent UID and the parent resourceVersion it was written over,
    /// so that a sync running before the cache saw our own write does not write it again.
    let writtenStatus = Mutex<[String: WrittenStatus]>([:])
    /// Parent UIDs whose `finalize` reported done: if removing the finalizer fails (conflict,
    /// transient error), the retry removes it without running `finalize` again.
    let finalized = Mutex<Set<String>>([])

    init(
        config: OperatorConfig, handler: any Handler, client: KubeClient, parents: Informer,
        children: [K8sType: Informer], recorder: EventRecorder, metrics: OperatorMetrics, logger: Logger
    ) {
        self.config = config
        self.handler = handler
        self.client = client
        self.parents = parents
        self.children = children
        self.recorder = recorder
        self.metrics = metrics
        self.logger = logger
        self.statusTarget = Mutex(.subresource)
    }

    /// Reconciles `key`; returns when to sync it again (nil: only on the next event).
    ///
    /// - Throws: ``ReconcileError``; the queue retries with backoff.
    func reconcile(_ key: ParentKey) async throws -> Duration? {
        guard let tracer = ReconcileTracing.resolve(config.tracer) else { return try await measured(key, span: nil) }
        return try await ReconcileTracing.reconcile(
            "reconcile \(config.parent.kind)", tracer: tracer, scoped: config.tracer != nil
        ) { span in
            if span.isRecording {
                span.updateAttributes { attributes in
                    attributes["roperator.operator"] = config.name
                    attributes["roperator.parent.kind"] = config.parent.kind
                    attributes["roperator.parent.name"] = key.name
                    if let namespace = key.namespace { attributes["k8s.namespace.name"] = namespace }
                }
            }
            return try await measured(key, span: span)
        }
    }

    private func measured(_ key: ParentKey, span: (any Span)?) async throws -> Duration? {
        let start = ContinuousClock.now
        do {
            let requeue = try await reconcileOnce(key, span: span)
            metrics.sync(succeeded: true, duration: ContinuousClock.now - start)
            if let requeue { span?.attributes["roperator.requeue_after_ms"] = requeue / .milliseconds(1) }
            return requeue
        } catch {
            // A sync cut short by shutdown is neither a failure nor worth a log line.
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            metrics.sync(succeeded: false, duration: ContinuousClock.now - start)
            logger.warning("sync failed", metadata: ["parent": "\(key)", "error": "\(error)"])
            span?.attributes["roperator.outcome"] = "error"
            throw error
        }
    }

    private func reconcileOnce(_ key: ParentKey, span: (any Span)?) async throws -> Duration? {
        guard var parent = parents.store.object(namespace: key.namespace, name: key.name) else {
            span?.attributes["roperator.outcome"] = "absent"
            return nil
        }
        if let span, span.isRecording {
            span.updateAttributes { attributes in
                if let uid = parent.uid { attributes["roperator.parent.uid"] = uid }
                if let generation = parent.generation { attributes["roperator.parent.generation"] = generation }
            }
        }
        if parent.isBeingDeleted {
            span?.attributes["roperator.outcome"] = "finalize"
            return try await finalize(parent, key: key)
        }
        if !parent.finalizers.contains(config.finalizerName) {
            switch try await setFinalizer(present: true, on: parent, key: key) {
            case .some(let updated): parent = updated
            case .none:
                span?.attributes["roperator.outcome"] = "conflict"
                return Self.conflictRequeue
            }
        }
        let request = SyncRequest(parent: parent, children: observedChildren(of: parent))
        let response: SyncResponse
        do {
            response = try await ReconcileTracing.step("handler.sync") { step in
                let response = try await handler.sync(request)
                step?.attributes["roperator.children.desired"] = response.children.count
                return response
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            // Never act on a failed sync's (absent) children: nothing is written but the Event.
            metrics.handlerError()
            await recorder.record(on: parent, type: .warning, reason: "SyncFailed", message: "sync failed: \(error)")
            throw ReconcileError(parent: key, causes: [error])
        }
        var outcome = await applyChildren(response.children, parent: parent, key: key)
        for refusal in outcome.refused {
            await recorder.record(on: parent, type: .warning, reason: "InvalidChild", message: refusal.description)
        }
        metrics.invalidChildren(outcome.refused.count)
        let status = desiredStatus(response.status, parent: parent, refused: outcome.refused)
        do {
            if try await writeStatus(status, parent: parent, key: key) == false { outcome.conflicted = true }
        } catch {
            outcome.failures.append(error)
        }
        let causes = outcome.failures + outcome.refused.map { $0 as any Error }
        if !causes.isEmpty { throw ReconcileError(parent: key, causes: causes) }
        let resync = response.resyncAfter ?? config.resyncPeriod
        span?.attributes["roperator.outcome"] = outcome.conflicted ? "conflict" : "synced"
        if outcome.conflicted { return min(resync ?? Self.conflictRequeue, Self.conflictRequeue) }
        return resync
    }

    /// This parent's children in the caches, by type.
    func observedChildren(of parent: KubeObject) -> [K8sType: [KubeObject]] {
        guard let uid = parent.uid else { return [:] }
        var result: [K8sType: [KubeObject]] = [:]
        for (type, informer) in children {
            let owned = informer.store.objects(ownedBy: uid)
            if !owned.isEmpty { result[type] = owned }
        }
        return result
    }

    /// Removes per-parent memory once a parent is gone from the cache.
    func forget(uid: String) {
        _ = writtenStatus.withLock { $0.removeValue(forKey: uid) }
        _ = finalized.withLock { $0.remove(uid) }
    }
}
