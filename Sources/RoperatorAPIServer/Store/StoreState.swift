import DequeModule
import RoperatorClient

/// Everything the store holds, mutated only under `ObjectStore`'s lock.
///
/// One lock for all resources because the resourceVersion counter is global: every write takes the
/// next number and publishes its event in that order, so watchers see strictly increasing versions.
struct StoreState {
    /// What a watcher wants to see.
    struct WatchFilter {
        let info: ResourceInfo
        let namespace: String?
        let labels: LabelSelector?
        let fields: FieldSelector?
        /// KEP-5866 shard selector; a UID or namespace never changes, so it only drops events.
        var shard: ShardSelector? = nil
    }

    struct Watcher {
        let queue: WatchQueue
        let filter: WatchFilter
        let allowBookmarks: Bool
        var info: ResourceInfo { filter.info }
    }

    struct HistoryEntry {
        let event: StoreEvent
        /// The previous state, for MODIFIED: selector watchers need it to turn a modification into
        /// ADDED or DELETED.
        let old: JSONValue?
    }

    /// One write as lists at older versions see it.
    struct Change {
        let resourceVersion: Int64
        let key: ObjectKey
        let before: JSONValue?
    }

    struct Bucket {
        /// Changed only through `set` and `removeObject`, which keep `order` in step.
        private(set) var objects: [ObjectKey: JSONValue] = [:]
        /// The keys of `objects` in list order, for lists and watches that start with every object.
        private(set) var order = ObjectKeyIndex()
        var history: Deque<HistoryEntry> = []
        /// Events at or below this version are no longer retained: watching from older versions is a 410.
        var compactedThrough: Int64 = 0
        /// Every change since the last compaction with the object's state before it (`nil`: it did
        /// not exist), oldest first: lists at older versions undo them.
        var changes: Deque<Change> = []
        var watchers: [Int: Watcher] = [:]

        mutating func set(_ object: JSONValue, for key: ObjectKey) {
            if objects.updateValue(object, forKey: key) == nil { order.insert(key) }
        }

        mutating func removeObject(for key: ObjectKey) -> JSONValue? {
            guard let old = objects.removeValue(forKey: key) else { return nil }
            order.remove(key)
            return old
        }
    }

    let configuration: ObjectStore.Configuration
    let registry: ResourceRegistry
    var resourceVersion: Int64 = 0
    /// Lists at this version or older (and their continue tokens) get 410: compaction dropped
    /// what they need.
    var listCompactedThrough: Int64 = 0
    /// The version at the previous compaction tick, which the next tick compacts to.
    var nextCompactionPoint: Int64 = 0
    var buckets: [GroupResource: Bucket] = [:]
    /// uid → where the object lives, for garbage collection.
    var uids: [String: ObjectRef] = [:]
    /// owner uid → objects naming it in `ownerReferences`.
    var dependents: [String: Set<ObjectRef>] = [:]
    /// namespace → how many namespaced objects it holds, to finish namespace deletion.
    var namespaceCounts: [String: Int] = [:]
    var nextWatcherID = 0
    /// Watch streams to finish once the lock is released (finishing runs `onTermination`, which locks).
    var pendingFinish: [WatchQueue] = []
    /// The event of the last write published, so that a write's answer can share its serialization.
    var lastPublished: StoreEvent?

    static let namespaces = GroupResource(group: "", resource: "namespaces")
    static let crds = GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")

    /// Bumped on every write to an RBAC object.
    let policyChanges: PolicyChangeCounter

    init(configuration: ObjectStore.Configuration, registry: ResourceRegistry, policyChanges: PolicyChangeCounter = PolicyChangeCounter()) {
        self.configuration = configuration
        self.registry = registry
        self.policyChanges = policyChanges
    }

    // MARK: Reading

    func object(_ ref: ObjectRef) -> JSONValue? {
        buckets[ref.resource]?.objects[ref.key]
    }

    /// The key of a request, checking the namespace against the resource's scope.
    func key(_ info: ResourceInfo, namespace: String?, name: String) throws(APIError) -> ObjectKey {
        if info.namespaced {
            guard let namespace, !namespace.isEmpty else {
                throw .badRequest("the server could not find the requested resource: a namespace is required for \(info.plural)")
            }
            return ObjectKey(storeNamespace: namespace, name: name)
        }
        return ObjectKey(storeNamespace: "", name: name)
    }

    func existing(_ info: ResourceInfo, _ key: ObjectKey) throws(APIError) -> JSONValue {
        guard let obj = buckets[info.groupResource]?.objects[key] else {
            throw .notFound(group: info.group, plural: info.plural, name: key.name)
        }
        return obj
    }

    /// The object as served at `info`'s version.
    static func present(_ object: JSONValue, as info: ResourceInfo) -> JSONValue {
        if object["apiVersion"]?.stringValue == info.apiVersion { return object }
        var copy = object
        copy["apiVersion"] = .string(info.apiVersion)
        return copy
    }

    // MARK: Committing writes

    /// Stores a new or changed object under the next resourceVersion and publishes its event.
    ///
    /// - Returns: the stored object.
    @discardableResult
    mutating func put(_ ref: ObjectRef, _ object: JSONValue, old: JSONValue?) -> JSONValue {
        resourceVersion += 1
        var stored = object
        stored[path: "metadata", "resourceVersion"] = .string(String(resourceVersion))
        buckets[ref.resource, default: Bucket()].set(stored, for: ref.key)
        buckets[ref.resource, default: Bucket()].changes.append(
            Change(resourceVersion: resourceVersion, key: ref.key, before: old))
        reindex(ref, old: old, new: stored)
        let event = StoreEvent(type: old == nil ? .added : .modified, object: stored, resourceVersion: resourceVersion)
        publish(ref.resource, HistoryEntry(event: event, old: old))
        return stored
    }

    /// Removes an object under the next resourceVersion and publishes DELETED with its final state.
    @discardableResult
    mutating func remove(_ ref: ObjectRef, finalState: JSONValue? = nil) -> JSONValue? {
        guard let old = buckets[ref.resource]?.removeObject(for: ref.key) else { return nil }
        resourceVersion += 1
        buckets[ref.resource, default: Bucket()].changes.append(
            Change(resourceVersion: resourceVersion, key: ref.key, before: old))
        var final = finalState ?? old
        final[path: "metadata", "resourceVersion"] = .string(String(resourceVersion))
        reindex(ref, old: old, new: nil)
        publish(ref.resource, HistoryEntry(event: StoreEvent(type: .deleted, object: final, resourceVersion: resourceVersion), old: nil))
        return final
    }

    mutating func reindexForLoad(_ ref: ObjectRef, old: JSONValue?, new: JSONValue?) { reindex(ref, old: old, new: new) }

    private mutating func reindex(_ ref: ObjectRef, old: JSONValue?, new: JSONValue?) {
        if old == nil, new != nil, !ref.key.storeNamespace.isEmpty { namespaceCounts[ref.key.storeNamespace, default: 0] += 1 }
        if old != nil, new == nil, !ref.key.storeNamespace.isEmpty {
            namespaceCounts[ref.key.storeNamespace, default: 1] -= 1
            if namespaceCounts[ref.key.storeNamespace] == 0 { namespaceCounts[ref.key.storeNamespace] = nil }
        }
        if let uid = old?[path: "metadata", "uid"]?.stringValue, new == nil { uids[uid] = nil }
        if let uid = new?[path: "metadata", "uid"]?.stringValue { uids[uid] = ref }
        let before = Self.ownerUIDs(old)
        let after = Self.ownerUIDs(new)
        if before != after {
            for uid in before where !after.contains(uid) {
                dependents[uid]?.remove(ref)
                if dependents[uid]?.isEmpty == true { dependents[uid] = nil }
            }
            for uid in after where !before.contains(uid) { dependents[uid, default: []].insert(ref) }
        }
    }

    static func ownerUIDs(_ object: JSONValue?) -> [String] {
        object?[path: "metadata", "ownerReferences"]?.arrayValue?.compactMap { $0["uid"]?.stringValue } ?? []
    }

    // MARK: Watch fan-out

    mutating func publish(_ resource: GroupResource, _ entry: HistoryEntry) {
        lastPublished = entry.event
        if resource.group == Authorizer.rbacGroup { policyChanges.bump() }
        var bucket = buckets[resource, default: Bucket()]
        buckets[resource] = nil // keep the bucket uniquely referenced while we mutate it
        bucket.history.append(entry)
        if bucket.history.count > configuration.eventWindow {
            let dropped = bucket.history.removeFirst()
            bucket.compactedThrough = dropped.event.resourceVersion
        }
        if !bucket.watchers.isEmpty {
            var cut: [Int] = []
            for (id, watcher) in bucket.watchers {
                guard let event = Self.filter(entry, for: watcher.filter) else { continue }
                if !Self.send(event, to: watcher) { cut.append(id) }
            }
            for id in cut {
                if let w = bucket.watchers.removeValue(forKey: id) { pendingFinish.append(w.queue) }
            }
        }
        buckets[resource] = bucket
    }

    /// Yields without ever waiting; `false` when the watcher's buffer is full (it is cut off) or gone.
    static func send(_ event: StoreEvent, to watcher: Watcher) -> Bool {
        switch watcher.queue.append(event) {
        case .enqueued: return true
        case .full, .finished: return false
        }
    }

    /// What one watcher sees of an event: namespace and selectors applied, a modification that
    /// enters or leaves a selector turned into ADDED or DELETED, the object at the watcher's version.
    static func filter(_ entry: HistoryEntry, for watcher: WatchFilter) -> StoreEvent? {
        let event = entry.event
        let object = event.object
        if let ns = watcher.namespace, object[path: "metadata", "namespace"]?.stringValue != ns { return nil }
        if let shard = watcher.shard, !shard.matches(object) { return nil }
        var type = event.type
        if watcher.labels != nil || watcher.fields != nil {
            func matches(_ o: JSONValue) -> Bool {
                (watcher.labels?.matches(KubeObject(o)) ?? true) && (watcher.fields?.matches(o) ?? true)
            }
            let now = matches(object)
            if type == .modified {
                let was = entry.old.map(matches) ?? false
                switch (was, now) {
                case (true, true): break
                case (false, true): type = .added
                case (true, false): type = .deleted
                case (false, false): return nil
                }
            } else if !now {
                return nil
            }
        }
        if type == event.type, object["apiVersion"]?.stringValue == watcher.info.apiVersion { return event }
        return StoreEvent(type: type, object: present(object, as: watcher.info), resourceVersion: event.resourceVersion)
    }

    /// The BOOKMARK event carrying the current resourceVersion.
    func bookmarkEvent(for info: ResourceInfo, annotations: [String: JSONValue]? = nil) -> StoreEvent {
        var metadata: JSONValue = ["resourceVersion": .string(String(resourceVersion))]
        if let annotations { metadata["annotations"] = .object(annotations) }
        return StoreEvent(
            type: .bookmark, object: ["kind": .string(info.kind), "apiVersion": .string(info.apiVersion), "metadata": metadata],
            resourceVersion: resourceVersion)
    }

    /// The event last published if it carries exactly `object` (an answer in another version than
    /// the stored one, or a write that published nothing, has none), and forgets it.
    mutating func publishedEvent(carrying object: JSONValue) -> StoreEvent? {
        defer { lastPublished = nil }
        // Usually the very value stored (equal at once); a deep comparison otherwise.
        guard let event = lastPublished, event.object == object else { return nil }
        return event
    }

    /// Sends a BOOKMARK to the watchers that asked for them (`id` `nil`: all of them).
    mutating func sendBookmarks(resource: GroupResource? = nil, id: Int? = nil) {
        for gr in resource.map({ [$0] }) ?? Array(buckets.keys) {
            guard let bucket = buckets[gr], !bucket.watchers.isEmpty else { continue }
            var cut: [Int] = []
            for (wid, watcher) in bucket.watchers where watcher.allowBookmarks && (id == nil || id == wid) {
                if !Self.send(bookmarkEvent(for: watcher.info), to: watcher) { cut.append(wid) }
            }
            for wid in cut {
                if let w = buckets[gr]?.watchers.removeValue(forKey: wid) { pendingFinish.append(w.queue) }
            }
        }
    }

    /// Ends watch streams: all of them, or those of one resource, or one.
    mutating func cutWatches(resource: GroupResource? = nil, id: Int? = nil) {
        for gr in resource.map({ [$0] }) ?? Array(buckets.keys) {
            guard let bucket = buckets[gr] else { continue }
            for (wid, watcher) in bucket.watchers where id == nil || id == wid {
                buckets[gr]?.watchers[wid] = nil
                pendingFinish.append(watcher.queue)
            }
        }
    }

    /// Forgets every retained event: a watch or continue token from any earlier version gets 410.
    mutating func compact() {
        for gr in buckets.keys {
            buckets[gr]?.history.removeAll()
            buckets[gr]?.compactedThrough = resourceVersion
        }
        compactLists(through: resourceVersion)
    }

    /// One tick of periodic compaction: lists and continue tokens from before the previous tick
    /// get 410 from now on; watches are not affected (their window is ``ObjectStore/Configuration/eventWindow``).
    mutating func compactListHistory() {
        compactLists(through: nextCompactionPoint)
        nextCompactionPoint = resourceVersion
    }

    private mutating func compactLists(through version: Int64) {
        guard version > listCompactedThrough else { return }
        listCompactedThrough = version
        for gr in buckets.keys {
            while let first = buckets[gr]?.changes.first, first.resourceVersion <= version {
                buckets[gr]?.changes.removeFirst()
            }
        }
    }
}
