@testable import RoperatorClient
import Testing

@Suite("Watch")
struct WatchTests {
    @Test func framesEventsSplitAcrossManyChunks() async throws {
        // ~400 KB of data: far more than one network read, written in 1000-byte pieces.
        let big = String(repeating: "0123456789abcdef", count: 25_000)
        let bigObject = configMap("big", resourceVersion: "12", data: ["blob": .string(big)])
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            try await writer.writeEvent("ADDED", configMap("a", resourceVersion: "11"))
            let line = JSONValue.object(["type": "MODIFIED", "object": bigObject]).serializedBytes() + [UInt8(ascii: "\n")]
            var offset = 0
            while offset < line.count {
                try await writer.write(line[offset..<min(offset + 1000, line.count)])
                offset += 1000
            }
            try await writer.writeEvent("BOOKMARK", ["kind": "ConfigMap", "apiVersion": "v1", "metadata": ["resourceVersion": "13"]])
            // One event cut in the middle of its JSON, finished together with the next line, CRLF terminated.
            let deleted = JSONValue.object(["type": "DELETED", "object": configMap("a", resourceVersion: "14")]).serializedBytes()
            try await writer.write(deleted[..<7])
            try await writer.write(
                Array(deleted[7...]) + Array("\r\n".utf8)
                    + JSONValue.object(["type": "ADDED", "object": configMap("c", resourceVersion: "15")]).serializedBytes())
            try await writer.end()
        } _: { server in
            try await withClient(server) { client in
                var events: [WatchEvent] = []
                for try await event in try await client.watch(.configMap, namespace: "default", resourceVersion: "10") {
                    events.append(event)
                }
                #expect(events.count == 5)
                #expect(events[0] == .added(KubeObject(configMap("a", resourceVersion: "11"))))
                guard case .modified(let modified) = events[1] else {
                    Issue.record("expected MODIFIED, got \(events[1])")
                    return
                }
                #expect(modified.json[path: "data", "blob"]?.stringValue == big)
                #expect(events[2] == .bookmark(resourceVersion: "13"))
                #expect(events[3] == .deleted(KubeObject(configMap("a", resourceVersion: "14"))))
                // The final event had no newline before the stream ended; it is still whole.
                #expect(events[4].resourceVersion == "15")
            }
            let request = try #require(server.requests.first)
            #expect(request.path == "/api/v1/namespaces/default/configmaps")
            #expect(request.query["watch"] == "true")
            #expect(request.query["resourceVersion"] == "10")
            #expect(request.query["allowWatchBookmarks"] == "true")
        }
    }

    @Test func errorEvent410IsGone() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            try await writer.writeEvent("ADDED", configMap("a", resourceVersion: "11"))
            try await writer.writeEvent(
                "ERROR",
                [
                    "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 410, "reason": "Expired",
                    "message": "too old resource version: 5 (11)",
                ])
            try await writer.end()
        } _: { server in
            try await withClient(server) { client in
                var seen: [WatchEvent] = []
                let error = try await #require(throws: KubeAPIError.self) {
                    for try await event in try await client.watch(.configMap, resourceVersion: "5", timeoutSeconds: 30) {
                        seen.append(event)
                    }
                }
                #expect(error.isGone)
                #expect(error.code == 410)
                #expect(seen.count == 1)
            }
            #expect(server.requests.first?.query["timeoutSeconds"] == "30")
        }
    }

    @Test func refusedWatchThrowsAtStart() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respondStatus(code: 410, reason: "Gone", message: "too old")
        } _: { server in
            try await withClient(server) { client in
                let error = try await #require(throws: KubeAPIError.self) {
                    _ = try await client.watch(.configMap, resourceVersion: "1")
                }
                #expect(error.isGone)
            }
        }
    }

    @Test func overlongLineIsAnError() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            try await writer.write(Array(repeating: UInt8(ascii: "x"), count: 8192))
            try await writer.end()
        } _: { server in
            try await withClient(server, options: .init(retry: fastRetry, maxWatchLineLength: 1024)) { client in
                let error = try await #require(throws: KubeClientError.self) {
                    for try await _ in try await client.watch(.configMap) {}
                }
                #expect(error.code == .lineTooLong)
            }
        }
    }

    @Test func silentStreamHitsTheIdleReadTimeout() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            try await writer.writeEvent("ADDED", configMap("a", resourceVersion: "11"))
            try await Signal().wait()
        } _: { server in
            // 3 s without a byte, stretched by TimeoutScale: the first event must arrive before the
            // timeout, also while the rest of the suite keeps both cores busy (the test server
            // writes it from a task that can wait its turn for a second or more) and in a
            // sanitizer build, which runs several times slower.
            let idle = TimeoutScale.scaled(.seconds(3))
            try await withClient(server, options: .init(idleReadTimeout: idle, retry: fastRetry)) { client in
                var seen = 0
                let start = ContinuousClock.now
                let error = try await #require(throws: KubeClientError.self) {
                    for try await _ in try await client.watch(.configMap) { seen += 1 }
                }
                #expect(error.code == .transport)
                #expect(seen == 1)
                #expect(ContinuousClock.now - start < idle * 10)
            }
        }
    }

    @Test func cutOffEventIsAnError() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            try await writer.write(Array(#"{"type":"ADDED","object":{"metadata""#.utf8))
            try await writer.end()
        } _: { server in
            try await withClient(server) { client in
                let error = try await #require(throws: KubeClientError.self) {
                    for try await _ in try await client.watch(.configMap) {}
                }
                #expect(error.code == .invalidResponse)
            }
        }
    }

    // MARK: - Line framing without I/O

    @Test func framerYieldsTheSameLinesForEverySplit() throws {
        let text = Array("{\"a\":1}\n\n{\"b\":[1,2,3]}\r\n{\"c\":\"x\"}\n".utf8)
        for split in 0...text.count {
            var framer = LineFramer(maxLineLength: 100)
            var lines: [String] = []
            framer.append(text[..<split])
            while let line = try framer.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
            framer.append(text[split...])
            while let line = try framer.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
            #expect(lines == [#"{"a":1}"#, #"{"b":[1,2,3]}"#, #"{"c":"x"}"#], "split at \(split)")
            #expect(framer.remainder.isEmpty)
        }
    }

    @Test func framerByteAtATime() throws {
        let text = Array("first line\nsecond\n".utf8)
        var framer = LineFramer(maxLineLength: 100)
        var lines: [String] = []
        for byte in text {
            framer.append(CollectionOfOne(byte))
            while let line = try framer.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
        }
        #expect(lines == ["first line", "second"])
    }

    @Test func framerRejectsLongLineBeforeItsNewline() throws {
        var framer = LineFramer(maxLineLength: 10)
        framer.append(Array("short\n".utf8))
        #expect(try framer.nextLine().map { Array($0) } == Array("short".utf8))
        framer.append(Array(repeating: UInt8(ascii: "y"), count: 11))
        let error = try #require(throws: KubeClientError.self) { _ = try framer.nextLine() }
        #expect(error.code == .lineTooLong)
    }
}
