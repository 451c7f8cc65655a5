import RoperatorClient
import RoperatorAPIServer

/// The same load as ``ClientLoad`` on the storage engine directly, without HTTP or JSON on the
/// wire: what the HTTP layer and the client add shows as the difference.
struct StoreLoad: Sendable {
    let options: BenchmarkOptions
    let namespace = "default"

    func run() async throws -> Figures {
        var figures = Figures()
        let store = ObjectStore()
        let info = store.registry.lookup(group: "", version: "v1", plural: "configmaps")!
        let objects = options.objects
        let namespace = self.namespace
        let clock = ContinuousClock()

        let quiet = "bench-unwatched"
        let namespaces = store.registry.lookup(group: "", version: "v1", plural: "namespaces")!
        _ = try store.create(
            namespaces, namespace: nil, object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(quiet)]])
        let unwatchedStart = clock.now
        try await forEachConcurrently(objects, workers: options.concurrency) { index in
            let object = benchmarkConfigMap(index, namespace: quiet)
            _ = try store.create(info, namespace: quiet, object: object)
        }
        figures.unwatchedCreatesPerSecond = Double(objects) / seconds(clock.now - unwatchedStart)

        let from = String(store.resourceVersion)
        var streams: [WatchStream] = []
        for _ in 0..<options.watchers {
            streams.append(try store.watch(info, namespace: namespace, options: WatchOptions(resourceVersion: from)))
        }
        let createStart = clock.now
        let live = Task { await Self.count(streams, expecting: objects, start: createStart) }
        try await forEachConcurrently(objects, workers: options.concurrency) { index in
            let object = benchmarkConfigMap(index, namespace: namespace)
            _ = try store.create(info, namespace: namespace, object: object)
        }
        figures.createsPerSecond = Double(objects) / seconds(clock.now - createStart)
        let liveOutcome = await live.value
        figures.liveWatchEventsPerSecond = Double(liveOutcome.delivered) / seconds(liveOutcome.finished - createStart)
        figures.watchersCut = liveOutcome.cut

        let getStart = clock.now
        try await forEachConcurrently(objects, workers: options.concurrency) { index in
            _ = try store.get(info, namespace: namespace, name: objectName(index))
        }
        figures.getsPerSecond = Double(objects) / seconds(clock.now - getStart)

        let pageSize = options.pageSize
        let listed = ListTally()
        let listStart = clock.now
        try await forEachConcurrently(options.fullLists, workers: options.concurrency) { _ in
            var token: String?
            repeat {
                let page = try store.list(info, namespace: namespace, options: ListOptions(limit: pageSize, continueToken: token))
                listed.add(objects: page["items"]?.arrayValue?.count ?? 0, calls: 1)
                token = page[path: "metadata", "continue"]?.stringValue
                if token?.isEmpty == true { token = nil }
            } while token != nil
        }
        let listSeconds = seconds(clock.now - listStart)
        figures.listCallsPerSecond = Double(listed.calls) / listSeconds
        figures.objectsListedPerSecond = Double(listed.objects) / listSeconds

        let replayStart = clock.now
        var replayStreams: [WatchStream] = []
        for _ in 0..<options.watchers {
            replayStreams.append(try store.watch(info, namespace: namespace, options: WatchOptions()))
        }
        let replay = await Self.count(replayStreams, expecting: objects, start: replayStart)
        figures.replayWatchEventsPerSecond = Double(replay.delivered) / seconds(replay.finished - replayStart)
        figures.watchersCut += replay.cut
        for stream in streams + replayStreams { stream.cancel() }
        return figures
    }

    /// Drains every stream until it has `expecting` ADDED events, each on its own task. The JSON
    /// line is produced as the HTTP layer would (once per event, shared by the watchers).
    static func count(_ streams: [WatchStream], expecting: Int, start: ContinuousClock.Instant) async -> WatchOutcome {
        await WatchOutcome.gather(streams, expecting: expecting, start: start) { stream in
            var delivered = 0
            for await event in stream where event.type == .added {
                _ = event.jsonLine.count
                delivered += 1
                if delivered == expecting { break }
            }
            return delivered
        }
    }
}
