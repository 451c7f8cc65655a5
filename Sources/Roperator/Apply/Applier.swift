import Logging
import RoperatorClient
import Tracing

/// Writes one parent's children: validates the desired children, plans against the cache
/// (``ApplyPlan``, pure), executes the creates, replaces, applies, recreates and deletes
/// concurrently, resolves a 409 by reading the object again, and keeps the
/// ``ChildExpectations`` of the writes the cache has not shown yet.
///
/// One per parent, owned by its ``ParentReconciler``; entered once per sync.
actor Applier {
    let parent: ParentKey
    let shared: Reconciler
    /// Writes of earlier syncs not yet in the cache.
    private(set) var expectations = ChildExpectations()
    /// The parent UID the expectations are about.
    private var parentUID: String?

    init(parent: ParentKey, shared: Reconciler) {
        self.parent = parent
        self.shared = shared
    }

    /// Brings the children of `parent` to `desired`.
    ///
    /// The children are read from the cache again (the handler may have taken a while);
    /// `observedBefore` (what the handler was given) saves decoding those that did not change.
    func apply(_ desired: [KubeObject], to parent: KubeObject, observedBefore: [K8sType: [KubeObject]] = [:]) async -> ChildOutcome {
        await ReconcileTracing.step("children.apply") { span in
            let outcome = await applyTraced(desired, to: parent, observedBefore: observedBefore, span: span)
            if let span, span.isRecording {
                span.updateAttributes { attributes in
                    attributes["roperator.children.desired"] = desired.count
                    attributes["roperator.children.refused"] = outcome.refused.count
                    attributes["roperator.children.failed"] = outcome.failures.count
                    attributes["roperator.children.conflict"] = outcome.conflicted
                }
                ReconcileTracing.fail(span, with: outcome.failures + outcome.refused.map { $0 as any Error })
            }
            return outcome
        }
    }

    private func applyTraced(
        _ desired: [KubeObject], to parent: KubeObject, observedBefore: [K8sType: [KubeObject]], span: (any Span)?
    ) async -> ChildOutcome {
        var outcome = ChildOutcome()
        let config = shared.config
        let (valid, invalid) = ChildValidation.prepare(desired, parent: parent, config: config)
        outcome.refused = invalid
        guard let uid = parent.uid else { return outcome }
        if uid != parentUID {
            expectations.removeAll()
            parentUID = uid
        }
        var observed = shared.observedChildren(of: parent, reusing: observedBefore)
        // Same-named objects of other parents are in the cache too (it holds every tracked
        // object); the plan needs them to refuse a takeover rather than attempt a create.
        for child in valid {
            let name = child.object.name ?? ""
            guard let informer = shared.children[child.type],
                let existing = informer.store.cached(namespace: child.object.namespace, name: name),
                !(observed[child.type] ?? []).contains(where: { $0.name == name && $0.namespace == existing.key.namespace })
            else { continue }
            observed[child.type, default: []].append(existing.object)
        }
        let now = shared.clock.now
        let children = shared.children
        expectations.settle(now: now) { identity in
            children[identity.type]?.store.cached(namespace: identity.key.namespace, name: identity.key.name)
        } cache: { identity in
            children[identity.type]?.store.generation ?? CacheGeneration()
        }
        let plan = ApplyPlan.make(
            desired: valid, observed: observed, parentUID: uid, config: config, expectations: expectations)
        outcome.refused += plan.refused
        if !plan.waiting.isEmpty {
            // A recreated child is still terminating; its delete event triggers the next sync.
            shared.logger.debug("waiting for children to go", metadata: ["parent": "\(parent)", "children": "\(plan.waiting)"])
        }
        for problem in plan.unreadableRecords {
            shared.logger.warning(
                "unreadable applied-fields record; compared without it",
                metadata: [
                    "parent": "\(self.parent)", "child": "\(problem)",
                ])
        }
        if !plan.awaitingCache.isEmpty {
            outcome.recheckAfter = expectations.timeToNextDeadline(now: now)
        }
        var actions = plan.actions
        if !invalid.isEmpty {
            // Nothing is deleted because something failed: an invalid desired child may stand for an
            // existing child (a wrong namespace, a typo in the kind), so deleting "undesired"
            // children now could remove one the handler still wants. The sync counts as failed and
            // is retried; deletions resume once the response is valid.
            actions.removeAll { if case .delete = $0 { return true } else { return false } }
        }
        if let span, span.isRecording { Self.count(actions, on: span) }
        let observedVersions = Dictionary(
            observed.flatMap { type, objects in objects.map { (ObjectIdentity(type: type, key: ObjectKey($0)), $0.resourceVersion) } },
            uniquingKeysWith: { first, _ in first })
        let cacheBefore = children.mapValues { $0.store.generation }
        let writer = ChildWriter(shared: shared, parentUID: uid, desired: valid)
        let results = await withTaskGroup(of: ChildWriter.Result.self, returning: [ChildWriter.Result].self) { group in
            for action in actions {
                group.addTask { await writer.perform(action) }
            }
            var results: [ChildWriter.Result] = []
            for await result in group { results.append(result) }
            return results
        }
        let after = shared.clock.now
        func cache(_ type: K8sType) -> CacheGeneration { cacheBefore[type] ?? CacheGeneration() }
        for result in results {
            outcome.merge(result.outcome)
            switch result.issued {
            case .creation?:
                expectations.expect(.creation, for: result.identity, now: after, cache: cache(result.identity.type))
            case .deletion(let uid)?:
                expectations.expect(.deletion(uid: uid), for: result.identity, now: after, cache: cache(result.identity.type))
            case .update?:
                if let version = observedVersions[result.identity] ?? nil {
                    expectations.expect(.update(from: version), for: result.identity, now: after, cache: cache(result.identity.type))
                }
            case nil:
                break
            }
        }
        shared.metrics.pendingExpectations(expectations.count, of: self.parent)
        outcome.writesPending = !expectations.isEmpty
        return outcome
    }

    /// The writes of one apply, by kind, as span attributes.
    private static func count(_ actions: [ApplyPlan.Action], on span: any Span) {
        var creates = 0
        var updates = 0
        var deletes = 0
        for action in actions {
            switch action {
            case .create: creates += 1
            case .replace, .apply: updates += 1
            case .recreate, .delete: deletes += 1
            }
        }
        span.updateAttributes { attributes in
            attributes["roperator.children.created"] = creates
            attributes["roperator.children.updated"] = updates
            attributes["roperator.children.deleted"] = deletes
        }
    }
}
