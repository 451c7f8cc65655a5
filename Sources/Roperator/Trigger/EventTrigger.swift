import RoperatorClient

/// The stage between the caches and the queue: turns what changed in a cache into work for the
/// queue, on the informer's task (no actor hop per event).
///
/// - A parent added or changed is queued. A new `metadata.generation` or a deletion request syncs
///   it now, skipping the rest of a backoff an earlier spec may have caused.
/// - A parent gone from the cache is forgotten: its `ParentReconciler` (and the state it owns)
///   is dropped and the queue clears its failure count, so a parent recreated under the same
///   name syncs at once instead of waiting out the old backoff.
/// - A child added, changed or deleted queues the parents it names (tracking label or
///   controller owner reference) that are in the parent cache.
/// - What a (re)list found is queued as ``SyncPriority/background`` work; what the watch brought
///   is an ``SyncPriority/event`` and goes first.
package struct EventTrigger: Sendable {
    /// What one cache change asks of the queue.
    package enum Action: Sendable, Hashable {
        /// Queue a sync (de-duplicated, backoff respected).
        case enqueue(ParentKey)
        /// Sync as soon as a slot is free, skipping any delay or backoff.
        case syncNow(ParentKey)
        /// The parent is gone: drop its per-parent state and its failure count.
        case forget(ParentKey)
    }

    let queue: WorkQueue
    let reconciler: Reconciler
    let parents: ObjectStore

    /// Acts on changes of the parent cache.
    func parentsChanged(_ changes: [ObjectStore.Change]) {
        for change in changes {
            for action in Self.actions(forParent: change) {
                switch action {
                case .enqueue(let key): queue.add(key, priority: change.listed ? .background : .event)
                case .syncNow(let key): queue.syncNow(key)
                case .forget(let key):
                    reconciler.forget(key)
                    queue.forget(key)
                }
            }
        }
    }

    /// Acts on changes of a child cache.
    func childrenChanged(_ changes: [ObjectStore.Change]) {
        for change in changes {
            for uid in Self.owners(ofChild: change) {
                if let key = parents.key(forUID: uid) { queue.add(key, priority: change.listed ? .background : .event) }
            }
        }
    }

    /// The actions for one change of a parent.
    package static func actions(forParent change: ObjectStore.Change) -> [Action] {
        guard let object = change.new ?? change.old else { return [] }
        let key = object.key
        guard let new = change.new else { return [.forget(key)] }
        if let old = change.old, old.generation != new.generation || old.isBeingDeleted != new.isBeingDeleted {
            // A new spec or a deletion request is the user acting on the parent.
            return [.syncNow(key)]
        }
        return [.enqueue(key)]
    }

    /// The parent UIDs one change of a child names, before and after.
    static func owners(ofChild change: ObjectStore.Change) -> Set<String> {
        var owners: Set<String> = []
        if let old = change.old { owners.formUnion(old.owners) }
        if let new = change.new { owners.formUnion(new.owners) }
        return owners
    }
}
