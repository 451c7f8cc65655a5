import RoperatorClient

extension StoreState {
    /// Registers a watcher and queues its initial events (synthetic ADDED or the replayed window)
    /// under the same lock as writes, so nothing falls between the start and the live events.
    mutating func watch(
        _ info: ResourceInfo, namespace: String?, options: WatchOptions, onTermination: @escaping @Sendable (Int) -> Void
    ) throws(APIError) -> (id: Int, queue: WatchQueue) {
        let (labels, fields) = try Self.selectors(label: options.labelSelector, field: options.fieldSelector, info: info)
        let gr = info.groupResource
        let bucket = buckets[gr] ?? Bucket()
        let rvText = options.resourceVersion ?? ""
        let fromStart = rvText.isEmpty || rvText == "0" || options.sendInitialEvents == true
        var initial: [StoreEvent] = []
        var expired = false
        let ns = info.namespaced ? namespace : nil
        var filter = WatchFilter(info: info, namespace: ns, labels: labels, fields: fields)
        filter.shard = try Self.shardSelector(options.shardSelector)
        if fromStart {
            let keys = ns.map { bucket.order[bucket.order.range(inNamespace: $0)] } ?? bucket.order[...]
            for key in keys {
                let obj = bucket.objects[key]!
                let rv = Int64(obj[path: "metadata", "resourceVersion"]?.stringValue ?? "") ?? 0
                let entry = HistoryEntry(event: StoreEvent(type: .added, object: obj, resourceVersion: rv), old: nil)
                if let e = Self.filter(entry, for: filter) { initial.append(e) }
            }
            if options.sendInitialEvents == true {
                initial.append(bookmarkEvent(for: info, annotations: ["k8s.io/initial-events-end": "true"]))
            }
        } else {
            guard let rv = Int64(rvText) else {
                throw .badRequest("resourceVersion: Invalid value: \"\(rvText)\": must be a number")
            }
            // A version newer than any written was never issued by this store (a restore from a
            // periodic snapshot skips past the versions it may have lost, see `restore`). Resuming
            // there would skip every change between, so the client must relist, as from a
            // compacted version.
            if rv < bucket.compactedThrough || rv > resourceVersion {
                expired = true
            } else {
                for entry in bucket.history where entry.event.resourceVersion > rv {
                    if let e = Self.filter(entry, for: filter) { initial.append(e) }
                }
            }
        }
        let id = nextWatcherID
        nextWatcherID += 1
        let queue = WatchQueue(capacity: configuration.watchBuffer + initial.count)
        if expired {
            let status = APIError.gone(
                (Int64(rvText) ?? 0) > resourceVersion
                    ? "resource version \(rvText) is newer than the server's \(resourceVersion): relist"
                    : "too old resource version: \(rvText) (\(bucket.compactedThrough))")
            _ = queue.append(StoreEvent(type: .error, object: status.statusJSON, resourceVersion: 0))
            queue.finish()
            return (id, queue)
        }
        for e in initial { _ = queue.append(e) }
        queue.setOnTermination { onTermination(id) }
        buckets[gr, default: Bucket()].watchers[id] = Watcher(
            queue: queue, filter: filter, allowBookmarks: options.allowBookmarks)
        return (id, queue)
    }

    mutating func removeWatcher(_ resource: GroupResource, id: Int) {
        buckets[resource]?.watchers[id] = nil
    }
}
