import RoperatorClient
import Testing

/// A one-shot flag a test raises and a server handler waits for.
final class Signal: Sendable {
    private let raised = Lock(false)
    func raise() { raised.withLock { $0 = true } }
    func wait() async throws {
        let ok = try await waitUntil { raised.withLock { $0 } }
        if !ok { throw CancellationError() }
    }
}

/// Counts calls per kind of request so a handler can script its answers.
final class Script: Sendable {
    private let counts = Lock<[String: Int]>([:])
    func next(_ key: String) -> Int {
        counts.withLock {
            $0[key, default: 0] += 1; return $0[key]!
        }
    }
}

@Suite("Watcher", .timeLimit(.minutes(1)))
struct WatcherTests {
    static let fast = Watcher.Configuration(initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(20), watchTimeoutSeconds: 60)

    static func list(_ names: [String], resourceVersion: String) -> JSONValue {
        [
            "kind": "ConfigMapList", "apiVersion": "v1", "metadata": ["resourceVersion": .string(resourceVersion)],
            "items": .array(names.map { ["metadata": ["name": .string($0), "namespace": "default", "resourceVersion": "1"]] }),
        ]
    }

    static func names(_ event: WatcherEvent) -> String {
        switch event {
        case .relisted(let objects): "relisted:" + objects.compactMap(\.name).joined(separator: ",")
        case .listedPage(let objects, let first): "page\(first ? "(first)" : ""):" + objects.compactMap(\.name).joined(separator: ",")
        case .initialListComplete: "synced"
        case .added(let o): "added:\(o.name ?? "")"
        case .modified(let o): "modified:\(o.name ?? "")"
        case .deleted(let o): "deleted:\(o.name ?? "")"
        case .failed(let failure): "failed:\(failure.reason)"
        }
    }

    @Test func listsWatchesResumesAndRelistsAfterGone() async throws {
        let script = Script()
        let cut = Signal()
        try await TestHTTPServer.withServer { request, writer in
            if request.query["watch"] != "true" {
                switch script.next("list") {
                case 1: try await writer.respond(json: Self.list(["a"], resourceVersion: "10"))
                default: try await writer.respond(json: Self.list(["a", "b", "c"], resourceVersion: "20"))
                }
                return
            }
            try await writer.startStream()
            switch script.next("watch") {
            case 1:
                // Ends normally after a bookmark: resume from the bookmark's version.
                try await writer.writeEvent("ADDED", configMap("b", resourceVersion: "11"))
                try await writer.writeEvent("BOOKMARK", ["kind": "ConfigMap", "apiVersion": "v1", "metadata": ["resourceVersion": "15"]])
                try await writer.end()
            case 2:
                // The connection is cut once the client has the event: resume from its version.
                try await writer.writeEvent("ADDED", configMap("c", resourceVersion: "16"))
                try await cut.wait()
                throw DropConnection()
            case 3:
                try await writer.writeEvent(
                    "ERROR",
                    [
                        "kind": "Status", "apiVersion": "v1", "code": 410, "reason": "Expired", "message": "too old resource version",
                    ])
                try await writer.end()
            default:
                try await writer.writeEvent("MODIFIED", configMap("c", resourceVersion: "21"))
                // Stay open until the test is done.
                try await Signal().wait()
            }
        } _: { server in
            try await withClient(server) { client in
                var seen: [String] = []
                for try await event in Watcher(client: client, type: .configMap, namespace: "default", configuration: Self.fast) {
                    seen.append(Self.names(event))
                    if seen.last == "added:c" { cut.raise() }
                    if seen.last == "modified:c" { break }
                }
                #expect(
                    seen == [
                        "relisted:a", "synced", "added:b", "added:c", "relisted:a,b,c", "synced", "modified:c",
                    ])
            }
            let requests = server.requests
            let watches = requests.filter { $0.query["watch"] == "true" }
            #expect(watches.map { $0.query["resourceVersion"] } == ["10", "15", "16", "20"])
            #expect(watches.allSatisfy { $0.query["allowWatchBookmarks"] == "true" && $0.query["timeoutSeconds"] == "60" })
            #expect(requests.filter { $0.query["watch"] == nil }.count == 2)
        }
    }

    @Test func relistsWhenTheWatchIsRefusedWithGone() async throws {
        let script = Script()
        try await TestHTTPServer.withServer { request, writer in
            if request.query["watch"] != "true" {
                let n = script.next("list")
                try await writer.respond(json: Self.list(["x\(n)"], resourceVersion: "\(n * 100)"))
                return
            }
            if script.next("watch") == 1 {
                try await writer.respondStatus(code: 410, reason: "Gone", message: "too old")
            } else {
                try await writer.startStream()
                try await writer.writeEvent("DELETED", configMap("x2", resourceVersion: "201"))
                try await Signal().wait()
            }
        } _: { server in
            try await withClient(server) { client in
                var seen: [String] = []
                for try await event in Watcher(client: client, type: .configMap, configuration: Self.fast) {
                    seen.append(Self.names(event))
                    if seen.last?.hasPrefix("deleted") == true { break }
                }
                #expect(seen == ["relisted:x1", "synced", "relisted:x2", "synced", "deleted:x2"])
            }
            let watches = server.requests.filter { $0.query["watch"] == "true" }
            #expect(watches.map { $0.query["resourceVersion"] } == ["100", "200"])
            #expect(server.requests.first?.path == "/api/v1/configmaps")
        }
    }

    @Test func backsOffAndRecoversFromFailingLists() async throws {
        let script = Script()
        try await TestHTTPServer.withServer { request, writer in
            if request.query["watch"] != "true" {
                if script.next("list") <= 3 {
                    try await writer.respondStatus(code: 500, reason: "InternalError", message: "etcd unavailable")
                } else {
                    try await writer.respond(json: Self.list(["a"], resourceVersion: "5"))
                }
                return
            }
            try await writer.startStream()
            try await Signal().wait()
        } _: { server in
            try await withClient(server, options: .init(retry: .none)) { client in
                var iterator = Watcher(client: client, type: .configMap, configuration: Self.fast).makeAsyncIterator()
                let first = try await iterator.next()
                #expect(
                    first
                        == .relisted([
                            KubeObject([
                                "apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": ["name": "a", "namespace": "default", "resourceVersion": "1"],
                            ])
                        ]))
                #expect(try await iterator.next() == .initialListComplete)
            }
            #expect(server.requests.filter { $0.query["watch"] == nil }.count == 4)
        }
    }

    @Test("with reportsFailures, list errors and 410s are handed out as values before the retry")
    func reportsFailuresAsValues() async throws {
        let script = Script()
        try await TestHTTPServer.withServer { request, writer in
            if request.query["watch"] != "true" {
                let n = script.next("list")
                if n <= 2 {
                    try await writer.respondStatus(code: 500, reason: "InternalError", message: "etcd unavailable")
                } else {
                    try await writer.respond(json: Self.list(["x\(n)"], resourceVersion: "\(n * 100)"))
                }
                return
            }
            if script.next("watch") == 1 {
                try await writer.respondStatus(code: 410, reason: "Gone", message: "too old")
            } else {
                try await writer.startStream()
                try await Signal().wait()
            }
        } _: { server in
            try await withClient(server, options: .init(retry: .none)) { client in
                var configuration = Self.fast
                configuration.reportsFailures = true
                var seen: [WatcherEvent] = []
                for try await event in Watcher(client: client, type: .configMap, configuration: configuration) {
                    seen.append(event)
                    if seen.count == 7 { break }
                }
                #expect(
                    seen.map(Self.names) == [
                        "failed:error", "failed:error", "relisted:x3", "synced", "failed:expired", "relisted:x4", "synced",
                    ])
                guard case .failed(let first) = seen[0], case .failed(let second) = seen[1], case .failed(let gone) = seen[4] else {
                    Issue.record("expected failures at 0, 1 and 4")
                    return
                }
                #expect(first.statusCode == 500 && first.message.contains("etcd unavailable"))
                #expect(first.retryAfter > .zero && first.retryAfter <= .milliseconds(20))
                #expect(second.retryAfter > .zero)
                #expect(gone.statusCode == 410 && gone.retryAfter == .zero)
            }
        }
    }

    @Test func cancellationStopsPromptly() async throws {
        let watching = Signal()
        try await TestHTTPServer.withServer { request, writer in
            if request.query["watch"] != "true" {
                try await writer.respond(json: Self.list([], resourceVersion: "1"))
                return
            }
            try await writer.startStream()
            watching.raise()
            try await Signal().wait()
        } _: { server in
            try await withClient(server) { client in
                let task = Task {
                    var count = 0
                    for try await _ in Watcher(client: client, type: .configMap, configuration: Self.fast) { count += 1 }
                    return count
                }
                try await watching.wait()
                let start = ContinuousClock.now
                task.cancel()
                let result = await task.result
                #expect(ContinuousClock.now - start < .seconds(2))
                #expect(throws: CancellationError.self) { try result.get() }
            }
        }
    }
}
