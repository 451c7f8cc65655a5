import NIOCore
import NIOHTTP1
import RoperatorClient
import Testing

/// A server that answers with broken bytes: every case ends in a `KubeClientError` that says what
/// was wrong, nothing crashes, and what the server did send intact reaches the caller unchanged.
@Suite("Bad responses", .timeLimit(.minutes(1)))
struct BadResponseTests {
    /// (body, what the error must say)
    static let malformedBodies: [(String, String)] = [
        (#"{"kind":"ConfigMap","metadata":{"name""#, "response body is not valid JSON"),
        ("<html>bad gateway</html>", "response body is not valid JSON"),
        ("", "response body is not valid JSON"),
        (#"{"data":{"x":1E400}}"#, "number out of range"),
        (#"{"a":"\#u{FFFD}"} trailing"#, "response body is not valid JSON"),
        ("[1,2]", "is not a JSON object but an array"),
        (#""ConfigMap""#, #"is not a JSON object but string "ConfigMap""#),
        ("null", "is not a JSON object but null"),
    ]

    @Test(arguments: malformedBodies)
    func malformedObjectBodyIsAnInvalidResponse(body: String, expected: String) async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        } _: { server in
            let error = try await withClient(server) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(error.code == .invalidResponse)
            #expect(error.description.contains(expected), "\(error)")
            #expect(server.requests.count == 1, "a malformed answer is not retried")
        }
    }

    /// Invalid UTF-8 inside a string becomes U+FFFD, as Go's JSON decoder (and so the API server) does.
    @Test func invalidUTF8InAStringBecomesReplacementCharacters() async throws {
        try await TestHTTPServer.withServer { _, writer in
            let body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","data":{"a":""#.utf8) + [0xFF, 0xFE] + Array(#""}}"#.utf8)
            try await writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: body)
        } _: { server in
            let object = try await withClient(server) { client in try await client.get(.configMap, name: "a") }
            #expect(object.json[path: "data", "a"] == "\u{FFFD}\u{FFFD}")
        }
    }

    @Test func listItemThatIsNotAnObjectIsNamed() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(json: [
                "kind": "ConfigMapList", "metadata": ["resourceVersion": "5"], "items": [configMap("a", resourceVersion: "4"), 42],
            ])
        } _: { server in
            let error = try await withClient(server) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.list(.configMap, namespace: "default") }
            }
            #expect(error.code == .invalidResponse)
            #expect(error.message == "item 1 of the list of v1/ConfigMap is not a JSON object but number 42", "\(error)")
        }
    }

    @Test func bodyCutShortIsATransportError() async throws {
        try await TestHTTPServer.withServer { _, writer in
            // Promises 10 000 bytes, sends 40, then closes the connection.
            let head = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "10000")])
            try await writer.outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: head)))
            try await writer.write(Array(#"{"apiVersion":"v1","kind":"ConfigMap","#.utf8))
            throw DropConnection()
        } _: { server in
            let error = try await withClient(server, options: .init(retry: .none)) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(error.code == .transport, "\(error)")
        }
    }

    /// (line the server sends after one good event, what the error must say)
    static let malformedWatchLines: [(String, String)] = [
        ("garbage", "sent an event that is not JSON"),
        (#"{"type":"ADDED","object":{"metadata":{"name":"b"}"#, "sent an event that is not JSON"),
        (#"{"type":"ADDED"}"#, "sent an event without type or object"),
        (#"{"type":"RENAMED","object":{}}"#, "sent unknown event type RENAMED"),
        (
            #"{"type":"MODIFIED","object":[1]}"#,
            "the object of a MODIFIED event of the watch of v1/ConfigMap is not a JSON object but an array"
        ),
        (#"{"type":"ADDED","object":{"data":{"n":-1e999}}}"#, "number out of range"),
    ]

    @Test(arguments: malformedWatchLines)
    func malformedWatchLineEndsTheStreamWithAClearError(line: String, expected: String) async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            try await writer.writeEvent("ADDED", configMap("a", resourceVersion: "11"))
            try await writer.write(Array(line.utf8) + [UInt8(ascii: "\n")])
            try await writer.writeEvent("ADDED", configMap("c", resourceVersion: "13"))
            try await writer.end()
        } _: { server in
            try await withClient(server) { client in
                var names: [String] = []
                let error = try await #require(throws: KubeClientError.self) {
                    for try await event in try await client.watch(.configMap, resourceVersion: "10") {
                        if case .added(let object) = event { names.append(object.name ?? "") }
                    }
                }
                #expect(names == ["a"], "the event before the bad line arrives intact")
                #expect(error.code == .invalidResponse)
                #expect(error.description.contains(expected), "\(error)")
            }
        }
    }

    /// A bad line costs nothing: the watcher resumes from the last version it saw, and the server
    /// sends what followed again.
    @Test func watcherResumesAfterAMalformedLineWithoutLosingEvents() async throws {
        let script = Script()
        try await TestHTTPServer.withServer { request, writer in
            if request.query["watch"] != "true" {
                try await writer.respond(json: WatcherTests.list(["a"], resourceVersion: "10"))
                return
            }
            try await writer.startStream()
            if script.next("watch") == 1 {
                try await writer.writeEvent("ADDED", configMap("b", resourceVersion: "11"))
                try await writer.write(Array("{not json\n".utf8))
                try await writer.writeEvent("ADDED", configMap("c", resourceVersion: "12"))
                try await writer.end()
            } else {
                try await writer.writeEvent("ADDED", configMap("c", resourceVersion: "12"))
                try await Signal().wait()
            }
        } _: { server in
            try await withClient(server) { client in
                var seen: [String] = []
                for try await event in Watcher(client: client, type: .configMap, configuration: WatcherTests.fast) {
                    seen.append(WatcherTests.names(event))
                    if seen.last == "added:c" { break }
                }
                #expect(seen == ["relisted:a", "synced", "added:b", "added:c"])
            }
            let watches = server.requests.filter { $0.query["watch"] == "true" }
            #expect(watches.map { $0.query["resourceVersion"] } == ["10", "11"])
        }
    }

    /// Fields the client has never heard of, at every level, and a 3 MiB value survive a read,
    /// a watch and a write back byte for byte.
    @Test func unknownFieldsAndHugeObjectsRoundTrip() async throws {
        let stored = configMap("big", resourceVersion: "7", data: ["blob": .string(String(repeating: "x", count: 3 << 20))])
            .applyingMergePatch([
                "futureTopLevel": ["nested": [1, 2.5, "three", ["deep": true]]],
                "metadata": ["futureMetadata": "kept", "annotations": ["example.com/unknown": "yes"]],
                "spec": ["unknownSpecField": ["a": ["b": 1]]],
            ])
        try await TestHTTPServer.withServer { request, writer in
            switch request.method {
            case "PUT": try await writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: request.body)
            case _ where request.query["watch"] == "true":
                try await writer.startStream()
                try await writer.writeEvent("MODIFIED", stored)
                try await writer.end()
            default: try await writer.respond(json: stored)
            }
        } _: { server in
            try await withClient(server) { client in
                let object = try await client.get(.configMap, name: "big")
                #expect(object.json == stored)
                var watched: KubeObject?
                for try await event in try await client.watch(.configMap, resourceVersion: "6") {
                    if case .modified(let object) = event { watched = object }
                }
                #expect(watched?.json == stored)
                let written = try await client.replace(.configMap, object)
                #expect(written.json == stored)
            }
            let put = try #require(server.requests.first { $0.method == "PUT" })
            #expect(try put.json == stored, "the write sent every unknown field back")
        }
    }
}
