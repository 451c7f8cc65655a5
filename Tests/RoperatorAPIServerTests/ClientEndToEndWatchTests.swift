import RoperatorClient
import RoperatorAPIServer
import Synchronization
import Testing

/// Watch streams and the ``Watcher`` against the embedded server, including its fault controls.
@Suite("Client end to end: watch", .timeLimit(.minutes(1)))
struct ClientEndToEndWatchTests {
    static let fast = Watcher.Configuration(initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(200), watchTimeoutSeconds: 60)
    /// Bookmarks an hour apart, so the watcher's resume point is always the last object event.
    static let noBookmarks = EmbeddedAPIServer.Configuration(bookmarkInterval: .seconds(3600))

    @Test func watchDeliversEventsInOrderWithTheWritesResourceVersions() async throws {
        try await withServerAndClient { _, client in
            let start = try await client.list(.configMap, namespace: "default")
            let stream = try await client.watch(.configMap, namespace: "default", resourceVersion: start.resourceVersion)
            var iterator = stream.makeAsyncIterator()

            let a = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            let a2 = try await client.patch(.configMap, name: "a", patch: ["data": ["k": "v"]], as: .merge)
            let b = try await client.create(.configMap, KubeObject(configMap("b", namespace: "default")))
            let deleted = try await client.delete(.configMap, name: "a")
            var expected = [("ADDED", "a", a.resourceVersion), ("MODIFIED", "a", a2.resourceVersion), ("ADDED", "b", b.resourceVersion)]
            expected.append(("DELETED", "a", deleted?.resourceVersion))

            var seen: [(String, String, String?)] = []
            while seen.count < expected.count {
                guard let event = try await iterator.next() else { break }
                switch event {
                case .added(let o): seen.append(("ADDED", o.name ?? "", o.resourceVersion))
                case .modified(let o): seen.append(("MODIFIED", o.name ?? "", o.resourceVersion))
                case .deleted(let o): seen.append(("DELETED", o.name ?? "", o.resourceVersion))
                case .bookmark: continue
                }
            }
            #expect(seen.map(\.0) == expected.map(\.0))
            #expect(seen.map(\.1) == expected.map(\.1))
            #expect(Array(seen.prefix(3).map(\.2)) == Array(expected.prefix(3).map(\.2)))
            if let deletedVersion = expected[3].2 {
                #expect(seen[3].2 == deletedVersion)
            } else {
                let versions = try seen.map { try #require(Int($0.2 ?? "")) }
                #expect(versions == versions.sorted())
                #expect(Set(versions).count == versions.count)
            }
        }
    }

    @Test func watchWithTypedSelectorsAndWithoutResourceVersion() async throws {
        try await withServerAndClient { _, client in
            _ = try await client.create(.configMap, KubeObject(configMap("old-web", namespace: "default", labels: ["app": "web"])))
            _ = try await client.create(.configMap, KubeObject(configMap("old-db", namespace: "default", labels: ["app": "db"])))
            // Without a resourceVersion the current matching objects come first, as ADDED.
            let stream = try await client.watch(.configMap, namespace: "default", labelSelector: LabelSelector(parsing: "app=web"))
            var iterator = stream.makeAsyncIterator()
            _ = try await client.create(.configMap, KubeObject(configMap("new-db", namespace: "default", labels: ["app": "db"])))
            _ = try await client.create(.configMap, KubeObject(configMap("new-web", namespace: "default", labels: ["app": "web"])))
            var names: [String] = []
            while names.count < 2, let event = try await iterator.next() {
                if case .added(let o) = event { names.append(o.name ?? "") }
            }
            #expect(names == ["old-web", "new-web"])

            let byName = try await client.watch(
                .configMap, namespace: "default", fieldSelector: FieldSelector(parsing: "metadata.name=new-db"))
            var named = byName.makeAsyncIterator()
            let first = try await named.next()
            guard case .added(let object)? = first else {
                Issue.record("expected ADDED new-db, got \(String(describing: first))")
                return
            }
            #expect(object.name == "new-db")
        }
    }

    @Test func largeObjectsArriveWholeOverTheStream() async throws {
        try await withServerAndClient { _, client in
            let start = try await client.list(.configMap, namespace: "default")
            let stream = try await client.watch(.configMap, namespace: "default", resourceVersion: start.resourceVersion)
            var iterator = stream.makeAsyncIterator()
            // Far larger than one network read, so the event line spans many chunks.
            let big = String(repeating: "0123456789abcdef", count: 48 * 1024)
            _ = try await client.create(.configMap, KubeObject(configMap("big", namespace: "default", data: ["blob": big])))
            _ = try await client.create(.configMap, KubeObject(configMap("small", namespace: "default")))
            // Periodic bookmarks may interleave; only the object events matter here.
            func nextObjectEvent() async throws -> WatchEvent? {
                while let event = try await iterator.next() {
                    if case .bookmark = event { continue }
                    return event
                }
                return nil
            }
            let first = try await nextObjectEvent()
            let second = try await nextObjectEvent()
            guard case .added(let bigObject)? = first, case .added(let smallObject)? = second else {
                Issue.record("expected two ADDED events, got \(String(describing: first)), \(String(describing: second))")
                return
            }
            #expect(bigObject.json[path: "data", "blob"]?.stringValue == big)
            #expect(smallObject.name == "small")
        }
    }

    @Test func watcherFollowsAClusterScopedCustomResource() async throws {
        try await withServerAndClient(EmbeddedAPIServer.Configuration(customResourceDefinitions: [gadgetCRD()])) { server, client in
            var gadget = KubeObject(type: .gadget, name: "g1")
            gadget.labels = ["team": "a"]
            _ = try await client.create(.gadget, gadget)
            let recorder = WatcherRecorder(
                Watcher(
                    client: client, type: .gadget, labelSelector: try LabelSelector(parsing: "team=a"), configuration: Self.fast))
            try await recorder.waitFor(2, "the initial list")
            #expect(recorder.summary() == ["relisted:g1", "synced"])
            try await eventually("the watch is open") { server.faults.openWatchCount >= 1 }
            var other = KubeObject(type: .gadget, name: "g2")
            other.labels = ["team": "b"]
            _ = try await client.create(.gadget, other)
            _ = try await client.patch(.gadget, name: "g2", patch: ["metadata": ["labels": ["team": "a"]]], as: .merge)
            try await client.delete(.gadget, name: "g1")
            try await recorder.waitFor(2, from: 2, "two events")
            // g2 enters the selection through its label change: as on a real server (the watch cache
            // compares old and new object against the selector), that is an ADDED event.
            #expect(recorder.summary(from: 2) == ["added:g2", "deleted:g1"])
            await recorder.stop()
        }
    }

    @Test func watchFromACompactedVersionIsGone() async throws {
        try await withServerAndClient { server, client in
            let old = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            _ = try await client.create(.configMap, KubeObject(configMap("b", namespace: "default")))
            await server.faults.forceCompaction()
            let error = await #expect(throws: KubeAPIError.self) {
                let stream = try await client.watch(.configMap, namespace: "default", resourceVersion: old.resourceVersion)
                for try await _ in stream {}
            }
            #expect(error?.isGone == true)
        }
    }

    @Test func watcherListsThenFollowsEvents() async throws {
        try await withServerAndClient(Self.noBookmarks) { server, client in
            _ = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default", labels: ["app": "web"])))
            _ = try await client.create(.configMap, KubeObject(configMap("b", namespace: "default", labels: ["app": "web"])))
            _ = try await client.create(.configMap, KubeObject(configMap("other", namespace: "default", labels: ["app": "db"])))
            let recorder = WatcherRecorder(
                Watcher(
                    client: client, type: .configMap, namespace: "default", labelSelector: try LabelSelector(parsing: "app=web"),
                    configuration: Self.fast))
            try await recorder.waitFor(2, "the initial list")
            #expect(recorder.summary() == ["relisted:a,b", "synced"])
            try await eventually("the watch is open") { server.faults.openWatchCount >= 1 }

            _ = try await client.create(.configMap, KubeObject(configMap("c", namespace: "default", labels: ["app": "web"])))
            _ = try await client.create(.configMap, KubeObject(configMap("d", namespace: "default", labels: ["app": "db"])))
            _ = try await client.patch(.configMap, name: "a", patch: ["data": ["k": "v"]], as: .merge)
            try await client.delete(.configMap, name: "b")
            try await recorder.waitFor(3, from: 2, "three events")
            #expect(recorder.summary(from: 2) == ["added:c", "modified:a", "deleted:b"])
            await recorder.stop()
        }
    }

    @Test("listsInPages: a (re)list comes page by page, the first marked, then synced; events follow")
    func watcherListsInPages() async throws {
        try await withServerAndClient(Self.noBookmarks) { server, client in
            for name in ["a", "b", "c", "d", "e"] {
                _ = try await client.create(.configMap, KubeObject(configMap(name, namespace: "default")))
            }
            var configuration = Self.fast
            configuration.pageSize = 2
            configuration.listsInPages = true
            let recorder = WatcherRecorder(Watcher(client: client, type: .configMap, namespace: "default", configuration: configuration))
            try await recorder.waitFor(4, "the initial list in pages")
            #expect(recorder.summary() == ["page(first):a,b", "page:c,d", "page:e", "synced"])
            try await eventually("the watch is open") { server.faults.openWatchCount >= 1 }

            // After a compaction the relist comes in pages again, starting with a first page.
            _ = try await client.create(
                .secret, KubeObject(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s", "namespace": "default"]]))
            await server.faults.forceCompaction()
            server.faults.cutWatches()
            try await recorder.waitFor(4, from: 4, "a relist in pages")
            #expect(recorder.summary(from: 4) == ["page(first):a,b", "page:c,d", "page:e", "synced"])
            await recorder.stop()
        }
    }

    @Test func watcherResumesAfterCutWatchesWithoutRelistingOrLosingEvents() async throws {
        try await withServerAndClient(Self.noBookmarks) { server, client in
            _ = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            let recorder = WatcherRecorder(Watcher(client: client, type: .configMap, namespace: "default", configuration: Self.fast))
            try await recorder.waitFor(2, "the initial list")
            try await eventually("the watch is open") { server.faults.openWatchCount >= 1 }

            for round in 1...3 {
                #expect(server.faults.cutWatches() >= 1)
                // Written while the watcher reconnects: it must still see them, from its last resourceVersion.
                _ = try await client.create(.configMap, KubeObject(configMap("cut-\(round)", namespace: "default")))
                _ = try await client.patch(.configMap, name: "a", patch: ["data": ["round": .string("\(round)")]], as: .merge)
                try await recorder.waitFor(2 * round, from: 2, "events of round \(round)")
                try await eventually("the watch is open again") { server.faults.openWatchCount >= 1 }
            }
            #expect(
                recorder.summary(from: 2) == [
                    "added:cut-1", "modified:a", "added:cut-2", "modified:a", "added:cut-3", "modified:a",
                ])
            #expect(!recorder.all.dropFirst(2).contains { if case .relisted = $0 { true } else { false } })
            await recorder.stop()
        }
    }

    @Test func watcherRelistsAfterCompaction() async throws {
        try await withServerAndClient(Self.noBookmarks) { server, client in
            _ = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            let recorder = WatcherRecorder(Watcher(client: client, type: .configMap, namespace: "default", configuration: Self.fast))
            try await recorder.waitFor(2, "the initial list")
            try await eventually("the watch is open") { server.faults.openWatchCount >= 1 }

            // A write the watcher does not follow moves the server past the watcher's resourceVersion.
            _ = try await client.create(
                .secret, KubeObject(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s", "namespace": "default"]]))
            await server.faults.forceCompaction()
            server.faults.cutWatches()
            _ = try await client.create(.configMap, KubeObject(configMap("after", namespace: "default")))

            try await recorder.waitFor(2, from: 2, "a relist")
            let afterCut = recorder.summary(from: 2)
            // The new object shows up in the relist, or (if it came after the relist) as an event.
            #expect(afterCut.first?.hasPrefix("relisted:a") == true)
            #expect(afterCut[1] == "synced")
            if afterCut.first != "relisted:a,after" {
                try await recorder.waitFor(3, from: 2, "the event after the relist")
                #expect(recorder.summary(from: 2)[2] == "added:after")
            }
            await recorder.stop()
        }
    }

    @Test func watcherRetriesFailingListsAndWatches() async throws {
        try await withServerAndClient(Self.noBookmarks, options: KubeClient.Options(retry: .none)) { server, client in
            _ = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            server.faults.add(FaultRule(.serviceUnavailable, verbs: [.list], count: 3))
            server.faults.add(FaultRule(.internalError, verbs: [.watch], count: 2))
            let recorder = WatcherRecorder(Watcher(client: client, type: .configMap, namespace: "default", configuration: Self.fast))
            try await recorder.waitFor(2, "the initial list after three failed ones")
            #expect(recorder.summary() == ["relisted:a", "synced"])
            try await eventually("the watch is open after two refusals") { server.faults.openWatchCount >= 1 }
            #expect(server.faults.injectedFailureCount == 5)
            _ = try await client.create(.configMap, KubeObject(configMap("b", namespace: "default")))
            try await recorder.waitFor(1, from: 2, "the event")
            #expect(recorder.summary(from: 2) == ["added:b"])
            await recorder.stop()
        }
    }

    @Test func watcherRecoversAfterTheListenerComesBack() async throws {
        try await withServerAndClient(Self.noBookmarks) { server, client in
            _ = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            let recorder = WatcherRecorder(Watcher(client: client, type: .configMap, namespace: "default", configuration: Self.fast))
            try await recorder.waitFor(2, "the initial list")
            try await eventually("the watch is open") { server.faults.openWatchCount >= 1 }

            await server.faults.pauseListener()
            #expect(!server.faults.isListening)
            try await eventually("the paused server's watches are closed") { server.faults.openWatchCount == 0 }
            try await server.faults.resumeListener()
            _ = try await client.create(.configMap, KubeObject(configMap("b", namespace: "default")))
            try await recorder.waitFor(1, from: 2, "the event after the pause")
            #expect(recorder.summary(from: 2) == ["added:b"])
            try await eventually("the watch is open again") { server.faults.openWatchCount >= 1 }
            await recorder.stop()
        }
    }
}

@Suite("Watcher typed selectors")
struct WatcherTypedSelectorTests {
    @Test func typedSelectorsAreStoredInCanonicalForm() throws {
        let client = try KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:1"))
        let both = Watcher(
            client: client, type: .pod, labelSelector: try LabelSelector(parsing: "tier in (b,a),app=web"),
            fieldSelector: try FieldSelector(parsing: "spec.nodeName=n1"))
        #expect(both.labelSelector == "app=web,tier in (a,b)")
        #expect(both.fieldSelector == "spec.nodeName=n1")
        let fieldOnly = Watcher(client: client, type: .pod, fieldSelector: try FieldSelector(parsing: "status.phase!=Failed"))
        #expect(fieldOnly.labelSelector == nil)
        #expect(fieldOnly.fieldSelector == "status.phase!=Failed")
        let everything = Watcher(client: client, type: .pod, labelSelector: .everything)
        #expect(everything.labelSelector == nil)
        #expect(everything.fieldSelector == nil)
    }
}
