import RoperatorClient
import Tracing

/// The reconcile state of one parent, and the sync that uses it. One actor per parent key, made
/// by the ``Reconciler`` on the parent's first sync and dropped when the parent leaves the cache
/// or when a sync leaves it nothing to remember (``isSettled(cached:)``).
///
/// It owns:
/// - the status it last wrote (so a sync that runs before the cache saw that write does not
///   write it again) and the parent generation it last observed;
/// - its last finalizer write, until the cache shows the parent past it;
/// - finalize progress (`finalize` reported done; only the finalizer is left to remove);
/// - the terminal failure, if the handler threw ``TerminalError`` for the current generation;
/// - the last error of a sync;
/// - its ``Applier``, which owns the children expectations.
///
/// The work queue runs one sync of a parent at a time, so the actor is never contended.
actor ParentReconciler {
    let key: ParentKey
    let shared: Reconciler
    let applier: Applier
    /// The UID of the parent this state is about; a parent recreated under the same name starts afresh.
    private(set) var uid: String?
    /// The status last written and the parent resourceVersion it was written over.
    var writtenStatus: WrittenStatus?
    /// `finalize` reported done: if removing the finalizer fails, the retry only removes it.
    var finalized = false
    /// The finalizer this actor added: the parent's resourceVersion it was added over, the
    /// parent the server answered with, and how many lists the parent cache had applied. While
    /// the cache still shows that older version from the same list (its watch has not delivered
    /// the write yet), a sync goes on from the answer instead of adding the finalizer again over a
    /// version the server has moved past, which would be a 409. A list since then is what the
    /// server has, even one restored from an older backup: then the finalizer is added again.
    private var finalizerWrite: (over: String, result: KubeObject, lists: UInt64)?
    /// The generation of the parent at the last sync that reached the handler.
    private(set) var observedGeneration: Int64?
    /// The generation the handler threw ``TerminalError`` for; no retry until it changes.
    private(set) var terminalGeneration: Int64?
    /// Why the last sync failed, `nil` after a success.
    private(set) var lastError: String?
    /// Whether the last apply left child writes the cache has not shown yet (the ``Applier``'s
    /// expectations), read here so that settling needs no hop into the Applier.
    private var childWritesPending = false

    init(key: ParentKey, shared: Reconciler) {
        self.key = key
        self.shared = shared
        self.applier = Applier(parent: key, shared: shared)
    }

    /// Syncs the parent once: finalizer, handler, children, status.
    ///
    /// - Throws: ``ReconcileError`` (the queue retries with backoff) or `CancellationError`.
    /// - Returns: The outcome, and whether the actor is settled afterwards
    ///   (``isSettled(cached:)``): the ``Reconciler`` then drops it.
    func reconcile(span: (any Span)?) async throws -> (outcome: ReconcileOutcome, settled: Bool) {
        do {
            let outcome = try await reconcileOnce(span: span)
            if outcome != .terminal { lastError = nil }
            return (outcome, isSettled(cached: shared.parents.store.cached(namespace: key.namespace, name: key.name)))
        } catch {
            if !(error is CancellationError) { lastError = "\(error)" }
            throw error
        }
    }

    private func reconcileOnce(span: (any Span)?) async throws -> ReconcileOutcome {
        guard var parent = shared.parents.store.object(namespace: key.namespace, name: key.name) else {
            span?.attributes["roperator.outcome"] = "absent"
            return .done
        }
        adopt(parent)
        if let span, span.isRecording {
            span.updateAttributes { attributes in
                if let uid = parent.uid { attributes["roperator.parent.uid"] = uid }
                if let generation = parent.generation { attributes["roperator.parent.generation"] = generation }
            }
        }
        if parent.isBeingDeleted {
            span?.attributes["roperator.outcome"] = "finalize"
            return try await finalize(parent)
        }
        if let terminal = terminalGeneration, terminal == parent.generation {
            // The handler said retrying cannot help; only a new spec tries again.
            span?.attributes["roperator.outcome"] = "terminal"
            return .done
        }
        terminalGeneration = nil
        if parent.finalizers.contains(shared.config.finalizerName) {
            finalizerWrite = nil
        } else if let write = finalizerWrite, write.over == parent.resourceVersion,
            write.lists == shared.parents.store.generation.lists
        {
            // Read-your-writes: the finalizer is on the server; the cache has not shown it yet.
            parent = write.result
        } else {
            let lists = shared.parents.store.generation.lists
            switch try await setFinalizer(present: true, on: parent) {
            case .some(let updated):
                finalizerWrite = parent.resourceVersion.map { ($0, updated, lists) }
                parent = updated
            case .none:
                span?.attributes["roperator.outcome"] = "conflict"
                return .requeue(after: Reconciler.conflictRequeue)
            }
        }
        observedGeneration = parent.generation
        let request = SyncRequest(parent: parent, observed: shared.observedChildren(of: parent))
        let response: SyncResponse
        do {
            response = try await ReconcileTracing.step("handler.sync") { step in
                let response = try await callHandler { [handler = shared.handler] in try await handler.sync(request) }
                step?.attributes["roperator.children.desired"] = response.children.count
                return response
            }
        } catch let error as TerminalError {
            // Never act on a failed sync's (absent) children: nothing is written but the Event.
            shared.metrics.handlerError()
            terminalGeneration = parent.generation
            lastError = "\(error)"
            shared.logger.warning(
                "sync failed for good; waiting for a new spec",
                metadata: [
                    "parent": "\(key)", "error": "\(error)",
                ])
            await shared.recorder.record(on: parent, type: .warning, reason: "SyncFailed", message: "sync failed: \(error)")
            span?.attributes["roperator.outcome"] = "terminal"
            return .terminal
        } catch {
            if Task.isCancelled { throw CancellationError() }
            shared.metrics.handlerError()
            await shared.recorder.record(on: parent, type: .warning, reason: "SyncFailed", message: "sync failed: \(error)")
            throw ReconcileError(parent: key, causes: [error])
        }
        var outcome = await applier.apply(response.children, to: parent, observedBefore: request.observed)
        childWritesPending = outcome.writesPending
        for refusal in outcome.refused {
            await shared.recorder.record(on: parent, type: .warning, reason: "InvalidChild", message: refusal.description)
        }
        shared.metrics.invalidChildren(outcome.refused.count)
        let status = desiredStatus(response.status, parent: parent, refused: outcome.refused)
        do {
            if try await writeStatus(status, parent: parent) == false { outcome.conflicted = true }
        } catch {
            outcome.failures.append(error)
        }
        let causes = outcome.failures + outcome.refused.map { $0 as any Error }
        // A permission error does not heal by retrying: it is recorded on the parent, where
        // `kubectl describe` shows it, and not only logged.
        for case let error as KubeAPIError in outcome.failures where error.isForbidden {
            await shared.recorder.record(on: parent, type: .warning, reason: "Forbidden", message: error.message)
        }
        if !causes.isEmpty { throw ReconcileError(parent: key, causes: causes) }
        let resync = response.resyncAfter ?? shared.config.resyncPeriod
        span?.attributes["roperator.outcome"] = outcome.conflicted ? "conflict" : "synced"
        var next = resync
        if outcome.conflicted { next = min(resync ?? Reconciler.conflictRequeue, Reconciler.conflictRequeue) }
        if let wait = outcome.recheckAfter { next = min(next ?? wait, wait) }
        return .resync(after: next)
    }

    /// Whether this actor remembers nothing a fresh one would not work out again from the caches:
    /// no write the caches have not shown yet (finalizer, status, children), no terminal failure,
    /// no finalize progress, no error. The ``Reconciler`` then drops it after the sync (a parent
    /// at rest costs no actor); the next sync of the parent makes a new one.
    ///
    /// `cached` is the parent as its cache shows it now.
    func isSettled(cached parent: CachedObject?) -> Bool {
        guard let parent, parent.uid == uid, !parent.isBeingDeleted, finalizerWrite == nil, terminalGeneration == nil,
            !finalized, lastError == nil
        else { return false }
        if let written = writtenStatus {
            // Until the cache shows the parent past the status write, the write is remembered.
            guard written.basedOn != parent.resourceVersion else { return false }
            // Without a status subresource the generation the write produced is needed later.
            guard shared.statusTarget.withLock({ $0 }) == .subresource else { return false }
        }
        return !childWritesPending
    }

    /// Starts afresh when the parent under this key is a new object (same name, new UID).
    private func adopt(_ parent: KubeObject) {
        guard parent.uid != uid else { return }
        if uid != nil {
            writtenStatus = nil
            finalizerWrite = nil
            finalized = false
            observedGeneration = nil
            childWritesPending = false
            terminalGeneration = nil
            lastError = nil
        }
        uid = parent.uid
    }

    /// Runs a handler call, bounded by ``OperatorConfig/syncTimeout`` when one is set: past it the
    /// handler is cancelled and the call fails with ``SyncTimeoutError`` (nothing is written).
    func callHandler<Response: Sendable>(
        _ call: @escaping @Sendable () async throws -> Response
    ) async throws -> Response {
        guard let timeout = shared.config.syncTimeout else { return try await call() }
        let clock = shared.clock
        return try await withThrowingTaskGroup(of: HandlerRace<Response>.self) { group in
            group.addTask { .answered(try await call()) }
            group.addTask {
                try await clock.sleep(for: timeout)
                return .timedOut
            }
            defer { group.cancelAll() }
            switch try await group.next() {
            case .answered(let response)?: return response
            case .timedOut?: throw SyncTimeoutError(parent: key, timeout: timeout)
            case nil: throw CancellationError()
            }
        }
    }
}

/// Which finished first: the handler or the per-sync timeout.
private enum HandlerRace<Response: Sendable>: Sendable {
    case answered(Response)
    case timedOut
}
