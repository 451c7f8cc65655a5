import RoperatorClient
import Testing

@testable import RoperatorAPIServer

@Suite("Store: watch")
struct StoreWatchTests {
    @Test func startsWithAddedForExistingObjects() async throws {
        let f = StoreFixture()
        try f.createConfigMap("a")
        try f.createConfigMap("b")
        let watch = try f.store.watch(f.configMaps, namespace: "default")
        let c = try f.createConfigMap("c")
        var b = try f.store.get(f.configMaps, namespace: "default", name: "b")
        b["data"] = ["k": "changed"]
        let updated = try f.store.replace(f.configMaps, namespace: "default", name: "b", object: b)
        let deleted = try f.store.delete(f.configMaps, namespace: "default", name: "a")
        let events = await watch.drain()
        #expect(summary(events) == ["ADDED a", "ADDED b", "ADDED c", "MODIFIED b", "DELETED a"])
        // Event resourceVersions equal the ones the writes returned.
        #expect(events[2].object.rv == c.rv)
        #expect(events[3].object.rv == updated.rv)
        #expect(events[4].object.rv == deleted.object.rv)
        #expect(events[4].resourceVersion == Int64(deleted.object.rv ?? "")!)
        let line = String(decoding: events[2].jsonLine, as: UTF8.self)
        #expect(line.hasPrefix(#"{"object":{"#) && line.hasSuffix("\"type\":\"ADDED\"}\n"))
    }

    @Test func eventLineParsesToTheEnvelopeOfTheObject() throws {
        let f = StoreFixture()
        let c = try f.createConfigMap("c", labels: ["app": "web", "tier": "db"], data: ["a": "1", "b": "2", "c": "x\ny"])
        for type in [StoreEvent.Kind.added, .modified, .deleted, .bookmark] {
            let line = StoreEvent(type: type, object: c, resourceVersion: 1).jsonLine
            #expect(line.last == UInt8(ascii: "\n") && line.dropLast().contains(UInt8(ascii: "\n")) == false)
            #expect(try JSONValue(parsing: Array(line.dropLast())) == ["object": c, "type": .string(type.rawValue)])
        }
    }

    @Test func resumesFromResourceVersion() async throws {
        let f = StoreFixture()
        let a = try f.createConfigMap("a")
        try f.createConfigMap("b")
        try f.createConfigMap("c", namespace: "kube-system")
        let watch = try f.store.watch(f.configMaps, namespace: "default", options: WatchOptions(resourceVersion: a.rv))
        #expect(summary(await watch.drain()) == ["ADDED b"])
        let all = try f.store.watch(f.configMaps, namespace: nil, options: WatchOptions(resourceVersion: a.rv))
        #expect(summary(await all.drain()) == ["ADDED b", "ADDED c"])
    }

    @Test func tooOldResourceVersionIsExpired() async throws {
        let f = StoreFixture()
        let a = try f.createConfigMap("a")
        try f.createConfigMap("b")
        f.store.compact()
        let watch = try f.store.watch(f.configMaps, namespace: "default", options: WatchOptions(resourceVersion: a.rv))
        let events = await watch.drain()
        #expect(events.count == 1)
        #expect(events.first?.type == .error)
        #expect(events.first?.object["code"] == 410)
        #expect(events.first?.object["reason"] == "Expired")
        // From the current version after compaction it works.
        let fresh = try f.store.watch(
            f.configMaps, namespace: "default", options: WatchOptions(resourceVersion: String(f.store.resourceVersion)))
        try f.createConfigMap("c")
        #expect(summary(await fresh.drain()) == ["ADDED c"])
    }

    @Test func resourceVersionNewerThanTheServerIsExpired() async throws {
        // What a client holds after a killed server came back from an older snapshot: resuming
        // from it would skip every change in between, so the watch ends with 410 and it relists.
        let f = StoreFixture()
        try f.createConfigMap("a")
        let future = String(f.store.resourceVersion + 5)
        let watch = try f.store.watch(f.configMaps, namespace: "default", options: WatchOptions(resourceVersion: future))
        let events = await watch.drain()
        #expect(events.count == 1)
        #expect(events.first?.type == .error)
        #expect(events.first?.object["code"] == 410)
        #expect(events.first?.object["message"]?.stringValue?.contains("newer than the server's") == true)
        // The current version itself is fine.
        let current = try f.store.watch(
            f.configMaps, namespace: "default", options: WatchOptions(resourceVersion: String(f.store.resourceVersion)))
        try f.createConfigMap("b")
        #expect(summary(await current.drain()) == ["ADDED b"])
    }

    @Test func eventWindowIsBounded() async throws {
        let f = StoreFixture(configuration: ObjectStore.Configuration(eventWindow: 3))
        let first = try f.createConfigMap("a0")
        for i in 1..<6 { try f.createConfigMap("a\(i)") }
        let old = try f.store.watch(f.configMaps, namespace: "default", options: WatchOptions(resourceVersion: first.rv))
        #expect(await old.drain().first?.type == .error)
        let recent = try f.store.watch(
            f.configMaps, namespace: "default", options: WatchOptions(resourceVersion: String(f.store.resourceVersion - 2)))
        #expect(summary(await recent.drain()) == ["ADDED a4", "ADDED a5"])
    }

    @Test func labelSelectorTransitions() async throws {
        let f = StoreFixture()
        try f.createConfigMap("x", labels: ["app": "web"])
        let watch = try f.store.watch(f.configMaps, namespace: "default", options: WatchOptions(labelSelector: "app=web"))
        func relabel(_ value: String?) throws {
            let body: String = value.map { #"{"metadata":{"labels":{"app":"\#($0)"}}}"# } ?? #"{"metadata":{"labels":null}}"#
            _ = try f.store.patch(f.configMaps, namespace: "default", name: "x", type: .merge, body: f.bytes(body))
        }
        try relabel("db") // leaves the selection: DELETED
        try relabel("cache") // outside: nothing
        try relabel("web") // enters: ADDED
        try f.createConfigMap("y", labels: ["app": "db"]) // never matches
        let events = await watch.drain()
        #expect(summary(events) == ["ADDED x", "DELETED x", "ADDED x"])
    }

    @Test func fieldSelectorWatch() async throws {
        let f = StoreFixture()
        let watch = try f.store.watch(f.configMaps, namespace: "default", options: WatchOptions(fieldSelector: "metadata.name=b"))
        try f.createConfigMap("a")
        try f.createConfigMap("b")
        _ = try f.store.delete(f.configMaps, namespace: "default", name: "b")
        #expect(summary(await watch.drain()) == ["ADDED b", "DELETED b"])
    }

    @Test func bookmarks() async throws {
        let f = StoreFixture()
        let with = try f.store.watch(f.configMaps, namespace: "default", options: WatchOptions(allowBookmarks: true))
        let without = try f.store.watch(f.configMaps, namespace: "default")
        try f.createConfigMap("a")
        f.store.sendBookmarks()
        with.sendBookmark()
        let events = await with.drain()
        #expect(events.map(\.type) == [.added, .bookmark, .bookmark])
        #expect(events[1].object.rv == String(f.store.resourceVersion))
        #expect(events[1].object["kind"] == "ConfigMap")
        #expect(await without.drain().map(\.type) == [.added])
    }

    @Test func sendInitialEventsEndsWithBookmark() async throws {
        let f = StoreFixture()
        try f.createConfigMap("a")
        let watch = try f.store.watch(
            f.configMaps, namespace: "default",
            options: WatchOptions(resourceVersionMatch: "NotOlderThan", allowBookmarks: true, sendInitialEvents: true))
        let events = await watch.drain()
        #expect(events.map(\.type) == [.added, .bookmark])
        #expect(events.last?.object[path: "metadata", "annotations", "k8s.io/initial-events-end"] == "true")
    }

    @Test func slowWatcherIsCutOffWithoutBlockingWriters() async throws {
        let f = StoreFixture(configuration: ObjectStore.Configuration(watchBuffer: 5))
        let slow = try f.store.watch(f.configMaps, namespace: "default")
        for i in 0..<20 { try f.createConfigMap("c\(i)") }
        #expect(f.store.watcherCount == 0)
        var received = 0
        for await _ in slow { received += 1 } // ends by itself: the store cut it off
        #expect(received == 5)
        #expect(try f.store.list(f.configMaps, namespace: "default")["items"]?.arrayValue?.count == 20)
    }

    @Test func cancelledWatchIsUnregistered() async throws {
        let f = StoreFixture()
        let watch = try f.store.watch(f.configMaps, namespace: nil)
        #expect(f.store.watcherCount == 1)
        let consumer = Task {
            var n = 0
            for await _ in watch { n += 1 }
            return n
        }
        consumer.cancel()
        _ = await consumer.value
        let deadline = ContinuousClock.now + TimeoutScale.scaled(.seconds(5))
        while f.store.watcherCount != 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(f.store.watcherCount == 0)
    }

    @Test func manyWatchersSeeEveryEventInOrder() async throws {
        let f = StoreFixture()
        let watches = try (0..<10).map { _ in try f.store.watch(f.configMaps, namespace: "default") }
        for i in 0..<200 { try f.createConfigMap("c\(i)") }
        for w in watches {
            let events = await w.drain()
            #expect(events.count == 200)
            let rvs = events.map(\.resourceVersion)
            #expect(rvs == rvs.sorted())
        }
    }
}

@Suite("Store: concurrency")
struct StoreConcurrencyTests {
    @Test func concurrentWritersAndReadersSeeAStrictOrder() async throws {
        let f = StoreFixture()
        let store = f.store
        let info = f.configMaps
        let watches = try (0..<3).map { _ in try store.watch(info, namespace: nil) }
        let readers = watches.map { w in
            Task {
                var rvs: [Int64] = []
                for await e in w {
                    rvs.append(e.resourceVersion)
                    if rvs.count == 2000 { break }
                }
                return rvs
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for i in 0..<500 {
                        _ = try store.create(info, namespace: "default", object: ["metadata": ["name": .string("w\(writer)-\(i)")]])
                    }
                }
            }
            try await group.waitForAll()
        }
        for reader in readers {
            let rvs = await reader.value
            #expect(rvs.count == 2000)
            #expect(zip(rvs, rvs.dropFirst()).allSatisfy { $0 < $1 })
        }
        #expect(try store.list(info, namespace: "default")["items"]?.arrayValue?.count == 2000)
    }
}
