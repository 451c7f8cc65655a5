import RoperatorClient

/// The in-memory copy of one informer's objects, keyed by namespace/name, with an index from
/// owning parent UID (tracking label, else the controller ownerReference) and from object UID.
final class ObjectStore: Sendable {
    /// A change the store applied; `old` and `new` are both set for modifications.
    struct Change: Sendable {
        var old: KubeObject?
        var new: KubeObject?
        /// Found by a (re)list rather than seen on the watch: background work for the queue.
        var listed = false
    }

    private struct State {
        var objects: [ParentKey: KubeObject] = [:]
        var byOwner: [String: Set<ParentKey>] = [:]
        var byUID: [String: ParentKey] = [:]
        /// Objects removed so far (deleted or gone at a relist).
        var removals: UInt64 = 0
        /// Bumped by every event that changed the contents.
        var version: UInt64 = 0
        /// JSON size of the contents, measured at ``ObjectStore/jsonBytes()`` for `version`.
        var measured: (version: UInt64, bytes: Int)?
    }

    private let state = Lock(State())
    /// Opened when the initial list completed.
    private let synced = Latch()

    /// Whether the initial list completed.
    var hasSynced: Bool { synced.isOpen }

    /// Returns once the initial list completed.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func waitUntilSynced() async throws {
        try await synced.wait()
    }

    var count: Int { state.withLock { $0.objects.count } }

    /// How many objects left the store so far; an Applier compares it to tell "not shown yet"
    /// from "shown and already gone again".
    var removalCount: UInt64 { state.withLock { $0.removals } }

    /// The size of the cached objects as compact JSON (metrics). Measured when asked, and only
    /// again after the contents changed.
    func jsonBytes() -> Int {
        let (version, known, objects) = state.withLock { state -> (UInt64, Int?, [KubeObject]) in
            if let measured = state.measured, measured.version == state.version { return (state.version, measured.bytes, []) }
            return (state.version, nil, Array(state.objects.values))
        }
        if let known { return known }
        let bytes = objects.reduce(0) { $0 + $1.json.serializedBytes(sortedKeys: false).count }
        state.withLock { $0.measured = (version, bytes) }
        return bytes
    }

    func object(namespace: String?, name: String) -> KubeObject? {
        state.withLock { $0.objects[ParentKey(namespace: namespace, name: name)] }
    }

    func key(forUID uid: String) -> ParentKey? {
        state.withLock { $0.byUID[uid] }
    }

    func object(forUID uid: String) -> KubeObject? {
        state.withLock { state in state.byUID[uid].flatMap { state.objects[$0] } }
    }

    /// The objects whose owner (tracking label or controller reference) is `uid`.
    func objects(ownedBy uid: String) -> [KubeObject] {
        state.withLock { state in (state.byOwner[uid] ?? []).compactMap { state.objects[$0] } }
    }

    var all: [KubeObject] { state.withLock { Array($0.objects.values) } }

    /// Applies one watch event. Objects are cached without `metadata.managedFields`, which the
    /// runtime never reads (often a third of a server-side-applied object's size).
    func apply(_ event: WatcherEvent) -> [Change] {
        let event = Self.trimmed(event)
        if case .initialListComplete = event { synced.open() }
        return state.withLock { state in
            state.version &+= 1
            switch event {
            case .added(let object), .modified(let object):
                let old = Self.insert(object, into: &state)
                return [Change(old: old, new: object)]
            case .deleted(let object):
                let old = Self.remove(Self.key(of: object), from: &state)
                return [Change(old: old ?? object, new: nil)]
            case .initialListComplete, .failed:
                return []
            case .relisted(let objects):
                // A relist replaces the contents; report what vanished and everything present so
                // that missed events during the gap are not lost.
                var changes: [Change] = []
                let present = Set(objects.map(Self.key(of:)))
                for key in state.objects.keys where !present.contains(key) {
                    if let old = Self.remove(key, from: &state) { changes.append(Change(old: old, new: nil, listed: true)) }
                }
                for object in objects {
                    let old = Self.insert(object, into: &state)
                    if old != object { changes.append(Change(old: old, new: object, listed: true)) }
                }
                return changes
            }
        }
    }

    /// `event` with its objects as the cache keeps them.
    static func trimmed(_ event: WatcherEvent) -> WatcherEvent {
        switch event {
        case .added(let object): .added(trimmed(object))
        case .modified(let object): .modified(trimmed(object))
        case .deleted(let object): .deleted(trimmed(object))
        case .relisted(let objects): .relisted(objects.map(trimmed))
        case .initialListComplete, .failed: event
        }
    }

    /// `object` without `metadata.managedFields`.
    static func trimmed(_ object: KubeObject) -> KubeObject {
        guard object.json["metadata"]?["managedFields"] != nil else { return object }
        var trimmed = object
        trimmed.json[path: "metadata", "managedFields"] = nil
        return trimmed
    }

    static func key(of object: KubeObject) -> ParentKey {
        ParentKey(object)
    }

    /// The UIDs an object counts as a child of: its tracking label and its controller reference.
    static func owners(of object: KubeObject) -> Set<String> {
        var owners: Set<String> = []
        if let uid = object.labels[TrackingLabels.parentUID], !uid.isEmpty { owners.insert(uid) }
        if let controller = object.controllerReference { owners.insert(controller.uid) }
        return owners
    }

    private static func insert(_ object: KubeObject, into state: inout State) -> KubeObject? {
        let key = key(of: object)
        let old = remove(key, from: &state)
        state.objects[key] = object
        for owner in owners(of: object) { state.byOwner[owner, default: []].insert(key) }
        if let uid = object.uid { state.byUID[uid] = key }
        return old
    }

    private static func remove(_ key: ParentKey, from state: inout State) -> KubeObject? {
        guard let old = state.objects.removeValue(forKey: key) else { return nil }
        state.removals &+= 1
        for owner in owners(of: old) {
            state.byOwner[owner]?.remove(key)
            if state.byOwner[owner]?.isEmpty == true { state.byOwner[owner] = nil }
        }
        if let uid = old.uid, state.byUID[uid] == key { state.byUID[uid] = nil }
        return old
    }
}
