import RoperatorClient

/// The client-side load: ConfigMaps created, read and listed through `KubeClient` over real HTTP by
/// concurrent tasks, while watchers count the events they receive.
struct ClientLoad: Sendable {
    let configuration: ClientConfiguration
    let options: BenchmarkOptions
    let namespace = "default"

    func run() async throws -> Figures {
        // Every open watch holds a connection for itself; the request tasks need theirs besides.
        let clientOptions = KubeClient.Options(
            retry: .none, fieldManager: "benchmark",
            maxConnectionsPerHost: options.concurrency + 2 * options.watchers + 4)
        let client = try KubeClient(configuration: configuration, options: clientOptions)
        do {
            let figures = try await measure(client)
            try await client.shutdown()
            return figures
        } catch {
            try? await client.shutdown() // the measurement's failure is the one to report
            throw error
        }
    }

    private func measure(_ client: KubeClient) async throws -> Figures {
        var figures = Figures()
        let objects = options.objects
        let clock = ContinuousClock()
        let namespace = self.namespace

        // Creates with nobody watching, in a namespace of their own: the write path alone.
        let quiet = "bench-unwatched"
        _ = try await client.create(
            .namespace, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(quiet)]]))
        let unwatchedStart = clock.now
        try await forEachConcurrently(objects, workers: options.concurrency) { index in
            let object = benchmarkConfigMap(index, namespace: quiet)
            _ = try await client.create(.configMap, KubeObject(object))
        }
        figures.unwatchedCreatesPerSecond = Double(objects) / seconds(clock.now - unwatchedStart)

        // Creates, with watchers from the current resourceVersion counting the ADDED events.
        let before = try await client.list(.configMap, namespace: namespace, pageSize: 1)
        var streams: [WatchEventStream] = []
        for _ in 0..<options.watchers {
            streams.append(
                try await client.watch(
                    .configMap, namespace: namespace, resourceVersion: before.resourceVersion, allowBookmarks: false))
        }
        let createStart = clock.now
        let live = Task { await Self.count(streams, expecting: objects, start: createStart) }
        try await forEachConcurrently(objects, workers: options.concurrency) { index in
            let object = benchmarkConfigMap(index, namespace: namespace)
            _ = try await client.create(.configMap, KubeObject(object))
        }
        figures.createsPerSecond = Double(objects) / seconds(clock.now - createStart)
        let liveOutcome = await live.value
        figures.liveWatchEventsPerSecond = Double(liveOutcome.delivered) / seconds(liveOutcome.finished - createStart)
        figures.watchersCut = liveOutcome.cut

        // Gets.
        let getStart = clock.now
        try await forEachConcurrently(objects, workers: options.concurrency) { index in
            _ = try await client.get(.configMap, namespace: namespace, name: objectName(index))
        }
        figures.getsPerSecond = Double(objects) / seconds(clock.now - getStart)

        // Complete paginated lists.
        let pageSize = options.pageSize
        let listed = ListTally()
        let listStart = clock.now
        try await forEachConcurrently(options.fullLists, workers: options.concurrency) { _ in
            let list = try await client.list(.configMap, namespace: namespace, pageSize: pageSize)
            listed.add(objects: list.items.count, calls: (list.items.count + pageSize - 1) / pageSize)
        }
        let listSeconds = seconds(clock.now - listStart)
        figures.listCallsPerSecond = Double(listed.calls) / listSeconds
        figures.objectsListedPerSecond = Double(listed.objects) / listSeconds

        // Watchers that start from scratch: an ADDED event for every object, as fast as delivery goes.
        let replayStart = clock.now
        var replayStreams: [WatchEventStream] = []
        for _ in 0..<options.watchers {
            replayStreams.append(try await client.watch(.configMap, namespace: namespace, allowBookmarks: false))
        }
        let replay = await Self.count(replayStreams, expecting: objects, start: replayStart)
        figures.replayWatchEventsPerSecond = Double(replay.delivered) / seconds(replay.finished - replayStart)
        figures.watchersCut += replay.cut
        return figures
    }

    /// Reads every stream until it has delivered `expecting` ADDED events (or ended early), each on its own task.
    static func count(_ streams: [WatchEventStream], expecting: Int, start: ContinuousClock.Instant) async -> WatchOutcome {
        await WatchOutcome.gather(streams, expecting: expecting, start: start) { stream in
            var delivered = 0
            do {
                for try await event in stream {
                    if case .added = event { delivered += 1 }
                    if delivered == expecting { break }
                }
            } catch {
                print("  watcher failed after \(delivered) events: \(error)")
            }
            return delivered
        }
    }
}
