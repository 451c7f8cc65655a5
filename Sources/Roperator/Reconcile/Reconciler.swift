import Logging
import RoperatorClient
import Tracing

/// What the syncs of one operator share: configuration, handler, client, caches, recorder and
/// metrics, plus the registry of ``ParentReconciler`` actors, one per parent key, made on a
/// parent's first sync and dropped when the parent leaves the cache or is settled.
///
/// The work queue never runs two syncs of one parent at once, so a parent's actor is entered by
/// one sync at a time: one actor hop per sync, none per watch event.
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
    let clock: SchedulingClock
    let logger: Logger
    /// Where parents' status is written (detected once per run, corrected on a 404).
    let statusTarget: Lock<StatusTarget>
    private let actors = Lock<[ParentKey: ParentReconciler]>([:])
    /// Whether another sync of a key is already asked for (``WorkQueue/isRerunRequested(_:)``):
    /// its actor is then kept for it, with the record of the writes the caches showed during the
    /// sync, so that the sync those writes' events asked for recognises them.
    let rerunRequested: @Sendable (ParentKey) -> Bool

    init(
        config: OperatorConfig, handler: any Handler, client: KubeClient, parents: Informer,
        children: [K8sType: Informer], recorder: EventRecorder, metrics: OperatorMetrics, clock: SchedulingClock,
        logger: Logger, rerunRequested: @escaping @Sendable (ParentKey) -> Bool
    ) {
        self.rerunRequested = rerunRequested
        self.config = config
        self.handler = handler
        self.client = client
        self.parents = parents
        self.children = children
        self.recorder = recorder
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.statusTarget = Lock(.subresource)
    }

    /// Reconciles `key` in its parent's actor, traced and measured.
    ///
    /// - Throws: ``ReconcileError``; the queue retries with backoff.
    func reconcile(_ key: ParentKey) async throws -> ReconcileOutcome {
        let actor = parentReconciler(for: key)
        guard let tracer = ReconcileTracing.resolve(config.tracer) else { return try await measured(key, actor, span: nil) }
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
            return try await measured(key, actor, span: span)
        }
    }

    private func measured(_ key: ParentKey, _ actor: ParentReconciler, span: (any Span)?) async throws -> ReconcileOutcome {
        let start = ContinuousClock.now
        do {
            let (outcome, settled) = try await actor.reconcile(span: span)
            if settled, !rerunRequested(key) { drop(key, actor) }
            let result: OperatorMetrics.ReconcileResult =
                outcome == .terminal ? .error : outcome.requeueDelay == nil ? .success : .requeueAfter
            metrics.sync(result, duration: ContinuousClock.now - start)
            if let delay = outcome.requeueDelay { span?.attributes["roperator.requeue_after_ms"] = delay / .milliseconds(1) }
            return outcome
        } catch {
            // A sync cut short by shutdown is neither a failure nor worth a log line.
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            metrics.sync(.error, duration: ContinuousClock.now - start)
            logger.warning("sync failed", metadata: ["parent": "\(key)", "error": "\(error)"])
            span?.attributes["roperator.outcome"] = "error"
            throw error
        }
    }

    /// The actor of `key`, made on first need.
    func parentReconciler(for key: ParentKey) -> ParentReconciler {
        actors.withLock { actors in
            if let existing = actors[key] { return existing }
            let made = ParentReconciler(key: key, shared: self)
            actors[key] = made
            return made
        }
    }

    /// Drops the actor of `key` after a sync that left it nothing to remember
    /// (``ParentReconciler/isSettled(cached:)``): 10,000 parents at rest then hold no actor, and
    /// what their syncs allocated can go back to the system.
    private func drop(_ key: ParentKey, _ actor: ParentReconciler) {
        // The queue runs one sync of a parent at a time, so no other sync holds this actor now.
        actors.withLock { actors in
            if actors[key] === actor { actors.removeValue(forKey: key) }
        }
    }

    /// Drops the actor of a parent that left the cache, with everything it remembered.
    func forget(_ key: ParentKey) {
        _ = actors.withLock { $0.removeValue(forKey: key) }
        metrics.pendingExpectations(0, of: key)
    }

    /// How many parents have an actor (tests and metrics).
    var parentReconcilerCount: Int { actors.withLock { $0.count } }

    /// This parent's children in the caches, by type, decoded only when read
    /// (``ObservedChildren``).
    func observedChildren(of parent: KubeObject) -> ObservedChildren {
        guard let uid = parent.uid else { return ObservedChildren(cached: [:]) }
        var result: [K8sType: [CachedObject]] = [:]
        for (type, informer) in children {
            let owned = informer.store.cachedObjects(ownedBy: uid)
            if !owned.isEmpty { result[type] = owned }
        }
        return ObservedChildren(cached: result)
    }
}
