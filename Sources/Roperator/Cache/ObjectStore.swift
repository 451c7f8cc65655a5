package import RoperatorClient

/// The in-memory copy of one informer's objects, keyed by namespace/name, with an index from
/// owning parent UID (tracking label, else the controller ownerReference) and from object UID.
///
/// Objects are kept compact (``CachedObject``: JSON bytes and a few indexed fields), about their
/// JSON size each instead of four to five times it decoded; reading an object decodes it.
package final class ObjectStore: Sendable {
    /// A change the store applied; `old` and `new` are both set for modifications.
    package struct Change: Sendable {
        var old: CachedObject?
        var new: CachedObject?
        /// Found by a (re)list rather than seen on the watch: background work for the queue.
        var listed = false
    }

    private struct State {
        var objects: [ParentKey: CachedObject] = [:]
        var byOwner: [String: Set<ParentKey>] = [:]
        var byUID: [String: ParentKey] = [:]
        /// Objects removed so far (deleted or gone at a relist).
        var removals: UInt64 = 0
        /// Complete lists applied so far (the initial list and every relist).
        var lists: UInt64 = 0
        /// The JSON size of the contents.
        var bytes = 0
        /// The keys a list in pages has shown so far; `nil` when no such list is in progress.
        var listing: Set<ParentKey>?
    }

    private let state = Lock(State())
    /// Opened when the initial list completed.
    private let synced = Latch()

    /// An empty store.
    package init() {}

    /// Whether the initial list completed.
    var hasSynced: Bool { synced.isOpen }

    /// Returns once the initial list completed.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func waitUntilSynced() async throws {
        try await synced.wait()
    }

    var count: Int { state.withLock { $0.objects.count } }

    /// How many objects left the store and how many complete lists replaced its contents so far:
    /// what an Applier's expectations compare with (``ChildExpectations``), to tell "not shown
    /// yet" from "shown and already gone again" or "listed since".
    var generation: CacheGeneration { state.withLock { CacheGeneration(removals: $0.removals, lists: $0.lists) } }

    /// The size of the cached objects as compact JSON (metrics).
    func jsonBytes() -> Int { state.withLock { $0.bytes } }

    /// The object under `namespace`/`name`, decoded.
    func object(namespace: String?, name: String) -> KubeObject? {
        cached(namespace: namespace, name: name)?.object
    }

    /// The object under `namespace`/`name` as cached (not decoded).
    func cached(namespace: String?, name: String) -> CachedObject? {
        state.withLock { $0.objects[ParentKey(namespace: namespace, name: name)] }
    }

    func key(forUID uid: String) -> ParentKey? {
        state.withLock { $0.byUID[uid] }
    }

    /// Whether an object with this UID is cached.
    func contains(uid: String) -> Bool {
        state.withLock { $0.byUID[uid] != nil }
    }

    /// The objects whose owner (tracking label or controller reference) is `uid`, decoded.
    func objects(ownedBy uid: String) -> [KubeObject] {
        cachedObjects(ownedBy: uid).map(\.object)
    }

    /// The objects whose owner (tracking label or controller reference) is `uid`, as cached.
    func cachedObjects(ownedBy uid: String) -> [CachedObject] {
        state.withLock { state in (state.byOwner[uid] ?? []).compactMap { state.objects[$0] } }
    }

    /// Every cached object, not decoded.
    var all: [CachedObject] { state.withLock { Array($0.objects.values) } }

    /// Applies one watch event of decoded objects (tests, benchmarks). Objects are cached without
    /// `metadata.managedFields`, which the runtime never reads (often a third of a
    /// server-side-applied object's size).
    package func apply(_ event: WatcherEvent) -> [Change] {
        switch event {
        case .relisted(let objects): apply(cached: .relisted(objects.map { CachedObject($0) }))
        case .listedPage(let objects, let first): apply(cached: .listedPage(objects.map { CachedObject($0) }, first: first))
        case .initialListComplete: apply(cached: .initialListComplete)
        case .added(let object): apply(cached: .added(CachedObject(object)))
        case .modified(let object): apply(cached: .modified(CachedObject(object)))
        case .deleted(let object): apply(cached: .deleted(CachedObject(object)))
        case .failed(let failure): apply(cached: .failed(failure))
        }
    }

    /// Applies one event of an informer's watch, whose objects are already in the cached form.
    func apply(cached event: WatchLoop<CachedObject>.Event) -> [Change] {
        switch event {
        case .added(let new), .modified(let new):
            return state.withLock { state in
                let old = Self.insert(new, into: &state)
                return [Change(old: old, new: new)]
            }
        case .deleted(let last):
            let old = state.withLock { state in Self.remove(last.key, from: &state) }
            return [Change(old: old ?? last, new: nil)]
        case .failed:
            return []
        case .initialListComplete:
            // After a list in pages, what no page showed is gone.
            let changes = state.withLock { state -> [Change] in
                guard let seen = state.listing else { return [] }
                state.listing = nil
                state.lists += 1
                let gone = state.objects.keys.filter { !seen.contains($0) }
                return gone.compactMap { key in Self.remove(key, from: &state).map { Change(old: $0, new: nil, listed: true) } }
            }
            synced.open()
            return changes
        case .listedPage(let listed, let first):
            return state.withLock { state in
                if first || state.listing == nil { state.listing = [] }
                for new in listed { state.listing?.insert(new.key) }
                return Self.insertListed(listed, into: &state)
            }
        case .relisted(let listed):
            // A relist replaces the contents; report what vanished and everything present so
            // that missed events during the gap are not lost.
            return state.withLock { state in
                state.listing = nil
                state.lists += 1
                var changes: [Change] = []
                let present = Set(listed.map(\.key))
                for key in state.objects.keys where !present.contains(key) {
                    if let old = Self.remove(key, from: &state) { changes.append(Change(old: old, new: nil, listed: true)) }
                }
                return changes + Self.insertListed(listed, into: &state)
            }
        }
    }

    /// Inserts what a list found; reports the objects that are new or at a new version.
    private static func insertListed(_ listed: [CachedObject], into state: inout State) -> [Change] {
        var changes: [Change] = []
        for new in listed {
            let old = insert(new, into: &state)
            if let old, old.isSameVersion(as: new) { continue }
            changes.append(Change(old: old, new: new, listed: true))
        }
        return changes
    }

    /// Puts `object` in place of any object under its key; returns the one it replaced. A
    /// replacement is not a removal, and the indexes change only where the owners or UID did.
    private static func insert(_ object: CachedObject, into state: inout State) -> CachedObject? {
        let key = object.key
        guard let old = state.objects.updateValue(object, forKey: key) else {
            state.bytes += object.compact.byteCount
            for owner in object.owners { state.byOwner[owner, default: []].insert(key) }
            if let uid = object.uid { state.byUID[uid] = key }
            return nil
        }
        state.bytes += object.compact.byteCount - old.compact.byteCount
        if old.owners != object.owners {
            unindex(key, owners: old.owners, from: &state)
            for owner in object.owners { state.byOwner[owner, default: []].insert(key) }
        }
        if old.uid != object.uid {
            if let uid = old.uid, state.byUID[uid] == key { state.byUID[uid] = nil }
            if let uid = object.uid { state.byUID[uid] = key }
        }
        return old
    }

    private static func unindex(_ key: ParentKey, owners: [String], from state: inout State) {
        for owner in owners {
            state.byOwner[owner]?.remove(key)
            if state.byOwner[owner]?.isEmpty == true { state.byOwner[owner] = nil }
        }
    }

    private static func remove(_ key: ParentKey, from state: inout State) -> CachedObject? {
        guard let old = state.objects.removeValue(forKey: key) else { return nil }
        state.removals &+= 1
        state.bytes -= old.compact.byteCount
        unindex(key, owners: old.owners, from: &state)
        if let uid = old.uid, state.byUID[uid] == key { state.byUID[uid] = nil }
        return old
    }
}
