import Logging
import RoperatorClient
import Tracing

/// Writes one parent's children: validates the desired children, plans against the cache
/// (``ApplyPlan``, pure), executes the creates, replaces, applies, recreates and deletes
/// concurrently, resolves a 409 by reading the object again, and keeps the
/// ``ChildExpectations`` of the writes the cache has not shown yet.
///
/// It also remembers what its own writes produced (``OwnWrite``): a child the cache shows at
/// exactly the version this Applier's write of the same desired child was answered with is
/// current without being decoded or compared. The sync that follows a sync's own writes (their
/// watch events trigger it) finds all its children so.
///
/// One per parent, owned by its ``ParentReconciler``; entered once per sync.
actor Applier {
    let parent: ParentKey
    let shared: Reconciler
    /// Writes of earlier syncs not yet in the cache.
    private(set) var expectations = ChildExpectations()
    /// The parent UID the expectations are about.
    private var parentUID: String?
    /// The children this Applier wrote, by identity, with what the server answered.
    private var ownWrites: [ObjectIdentity: OwnWrite] = [:]
    /// The same writes by the fingerprint of the desired child (``OwnWrite/fingerprint``).
    private var ownWritesByFingerprint: [Int: ObjectIdentity] = [:]

    /// One child as this Applier last wrote it.
    ///
    /// The desired child is kept as a 64-bit fingerprint of what the handler returned
    /// (``ChildValidation/fingerprint(of:)``), not as the object: 10,000 parents between their
    /// first sync and its echo would otherwise hold every written child twice (once in the
    /// cache). Preparing the child (tracking metadata, record) depends only on the parent and
    /// the configuration, which do not change under one Applier. Two different desired children
    /// with the same fingerprint (odds of about 1 in 2^64) would skip one write until the
    /// parent or the child changes again.
    struct OwnWrite: Sendable, Equatable {
        /// The resourceVersion the server answered the write with.
        var resourceVersion: String
        /// The fingerprint of the desired child written, as the handler returned it.
        var fingerprint: Int
    }

    init(parent: ParentKey, shared: Reconciler) {
        self.parent = parent
        self.shared = shared
    }

    /// Brings the children of `parent` to `desired`.
    ///
    /// The children are read from the cache again (the handler may have taken a while);
    /// `observedBefore` (what the handler was given) saves decoding those it decoded and that
    /// did not change since.
    func apply(_ desired: [KubeObject], to parent: KubeObject, observedBefore: ObservedChildren? = nil) async -> ChildOutcome {
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
        _ desired: [KubeObject], to parent: KubeObject, observedBefore: ObservedChildren?, span: (any Span)?
    ) async -> ChildOutcome {
        var outcome = ChildOutcome()
        let config = shared.config
        guard let uid = parent.uid else {
            outcome.refused = ChildValidation.prepare(desired, parent: parent, config: config).invalid
            return outcome
        }
        if uid != parentUID {
            expectations.removeAll()
            forgetOwnWrites()
            parentUID = uid
        }
        let cached = shared.observedChildren(of: parent).cached
        // Children exactly as this Applier last wrote them, still at that version, are current:
        // not prepared, decoded or compared again.
        var current: Set<ObjectIdentity>
        let rest: [(child: KubeObject, fingerprint: Int)]?
        (current, rest) = currentOwnWrites(of: desired, cached: cached)
        var (valid, invalid) =
            if let rest {
                ChildValidation.prepare(rest.map(\.child), parent: parent, config: config, fingerprints: rest.map(\.fingerprint))
            } else {
                ChildValidation.prepare(desired, parent: parent, config: config)
            }
        if !current.isEmpty, valid.contains(where: { current.contains($0.identity) }) {
            // A second child under the name of a current one: validate the response as a whole,
            // which refuses the duplicate.
            current = []
            (valid, invalid) = ChildValidation.prepare(desired, parent: parent, config: config)
        }
        outcome.refused = invalid
        var observed = Self.decode(cached, leavingOut: current, reusing: observedBefore?.decodedSoFar ?? [:])
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
        if let span, span.isRecording {
            Self.count(actions, on: span)
            span.attributes["roperator.children.current"] = current.count
        }
        let observedVersions = Dictionary(
            observed.flatMap { type, objects in objects.map { (ObjectIdentity(type: type, key: ObjectKey($0)), $0.resourceVersion) } },
            uniquingKeysWith: { first, _ in first })
        let cacheBefore = children.mapValues { $0.store.generation }
        let writer = ChildWriter(shared: shared, parentUID: uid, desired: valid)
        let results = await perform(actions, with: writer)
        let after = shared.clock.now
        func cache(_ type: K8sType) -> CacheGeneration { cacheBefore[type] ?? CacheGeneration() }
        var written: [ObjectIdentity: ChildValidation.Prepared] = [:]
        for child in valid { written[child.identity] = child }
        for result in results {
            outcome.merge(result.outcome)
            if let version = result.resourceVersion, let child = written[result.identity] {
                remember(OwnWrite(resourceVersion: version, fingerprint: child.sourceFingerprint), for: result.identity)
            } else {
                remember(nil, for: result.identity)
            }
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
        if !ownWrites.isEmpty {
            // A child no longer desired needs no record.
            let wanted = current.union(valid.map(\.identity))
            for identity in ownWrites.keys where !wanted.contains(identity) { remember(nil, for: identity) }
        }
        shared.metrics.pendingExpectations(expectations.count, of: self.parent)
        outcome.writesPending = !expectations.isEmpty
        return outcome
    }

    /// Runs `actions` at once: each but the last in a child task, the last in this task while
    /// they run (one task fewer per sync; none for the usual single write).
    private func perform(_ actions: [ApplyPlan.Action], with writer: ChildWriter) async -> [ChildWriter.Result] {
        guard let last = actions.last else { return [] }
        if actions.count == 1 { return [await writer.perform(last)] }
        return await withTaskGroup(of: ChildWriter.Result.self, returning: [ChildWriter.Result].self) { group in
            for action in actions.dropLast() {
                group.addTask { await writer.perform(action) }
            }
            var results = [await writer.perform(last)]
            for await result in group { results.append(result) }
            return results
        }
    }

    /// The desired children the cache shows exactly as this Applier's last write of the same
    /// desired child left them (same resourceVersion), and the others with their fingerprints
    /// (`nil`: nothing was written yet, so none was worked out). A fingerprint that appears twice
    /// in `desired` is never current: validation reports the duplicate.
    private func currentOwnWrites(
        of desired: [KubeObject], cached: [K8sType: [CachedObject]]
    ) -> (current: Set<ObjectIdentity>, rest: [(child: KubeObject, fingerprint: Int)]?) {
        guard !ownWrites.isEmpty else { return ([], nil) }
        let fingerprints = desired.map(ChildValidation.fingerprint(of:))
        var seen: [Int: Int] = [:]
        for fingerprint in fingerprints { seen[fingerprint, default: 0] += 1 }
        var current: Set<ObjectIdentity> = []
        var rest: [(child: KubeObject, fingerprint: Int)] = []
        var byKey: [K8sType: [ObjectKey: CachedObject]] = [:]
        for (child, fingerprint) in zip(desired, fingerprints) {
            guard seen[fingerprint] == 1, let identity = ownWritesByFingerprint[fingerprint],
                let write = ownWrites[identity], write.fingerprint == fingerprint
            else {
                rest.append((child, fingerprint))
                continue
            }
            if byKey[identity.type] == nil {
                byKey[identity.type] = Dictionary(
                    (cached[identity.type] ?? []).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            }
            guard let object = byKey[identity.type]?[identity.key], object.resourceVersion == write.resourceVersion,
                !object.isBeingDeleted
            else {
                rest.append((child, fingerprint))
                continue
            }
            current.insert(identity)
        }
        return (current, rest)
    }

    /// Records (or, with `nil`, forgets) this Applier's last write of `identity`.
    private func remember(_ write: OwnWrite?, for identity: ObjectIdentity) {
        if let old = ownWrites[identity], ownWritesByFingerprint[old.fingerprint] == identity {
            ownWritesByFingerprint[old.fingerprint] = nil
        }
        ownWrites[identity] = write
        if let write { ownWritesByFingerprint[write.fingerprint] = identity }
    }

    private func forgetOwnWrites() {
        ownWrites.removeAll()
        ownWritesByFingerprint.removeAll()
    }

    /// The cached children decoded, but for those in `current`; objects in `earlier` (decoded
    /// for the handler) that the cache still holds in the same version are taken from there.
    private static func decode(
        _ cached: [K8sType: [CachedObject]], leavingOut current: Set<ObjectIdentity>, reusing earlier: [K8sType: [KubeObject]]
    ) -> [K8sType: [KubeObject]] {
        var result: [K8sType: [KubeObject]] = [:]
        for (type, objects) in cached {
            var byKey: [ObjectKey: KubeObject] = [:]
            for object in earlier[type] ?? [] { byKey[ObjectKey(object)] = object }
            var decoded: [KubeObject] = []
            for object in objects where !current.contains(ObjectIdentity(type: type, key: object.key)) {
                if let version = object.resourceVersion, let same = byKey[object.key], same.resourceVersion == version {
                    decoded.append(same)
                } else {
                    decoded.append(object.object)
                }
            }
            if !decoded.isEmpty { result[type] = decoded }
        }
        return result
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
