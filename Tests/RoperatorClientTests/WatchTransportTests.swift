@testable import RoperatorClient
import Testing

/// The client's own streaming of watch bodies: each watch on a connection of its own, read only as
/// fast as its consumer takes events, closed when the consumer stops or the client shuts down.
@Suite("Watch transport", .timeLimit(.minutes(1)))
struct WatchTransportTests {
    /// Far more events than the stream keeps waiting (its high watermark), to a consumer that takes
    /// them one at a time: reading stops and must resume each time, or the watch hangs.
    @Test func aSlowConsumerGetsEveryEventInOrder() async throws {
        // About 3 MB: many more reads than the stream lets wait.
        let count = 3_000
        let padding = String(repeating: "x", count: 1_000)
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            for index in 0..<count {
                try await writer.writeEvent(
                    "ADDED", configMap("c\(index)", resourceVersion: String(index + 1), data: ["padding": .string(padding)]))
            }
            try await writer.end()
        } _: { server in
            try await withClient(server) { client in
                var versions: [String] = []
                for try await event in try await client.watch(.configMap, resourceVersion: "0") {
                    versions.append(event.resourceVersion ?? "")
                    if versions.count % 100 == 0 { await Task.yield() }
                }
                #expect(versions == (1...count).map(String.init))
            }
        }
    }

    /// A watch and a request at once use two connections: the watch never holds one the pool lends.
    @Test func aWatchHasAConnectionOfItsOwn() async throws {
        let release = Signal()
        try await TestHTTPServer.withServer { request, writer in
            if request.query["watch"] == "true" {
                try await writer.startStream()
                try await writer.writeEvent("ADDED", configMap("a", resourceVersion: "2"))
                try await release.wait()
                try await writer.end()
            } else {
                try await writer.respond(json: configMap("b", resourceVersion: "3"))
            }
        } _: { server in
            try await withClient(server, options: .init(maxConnectionsPerHost: 1)) { client in
                var events = try await client.watch(.configMap, resourceVersion: "1").makeAsyncIterator()
                #expect(try await events.next()?.resourceVersion == "2")
                #expect(try await client.get(.configMap, name: "b").resourceVersion == "3")
                #expect(server.connectionCount == 2)
                release.raise()
                #expect(try await events.next() == nil)
            }
        }
    }

    /// A consumer that stops reading (its task cancelled) closes the watch's connection: the
    /// server's next write fails.
    @Test func cancellingTheConsumerClosesTheConnection() async throws {
        let writeFailed = Signal()
        let firstRead = Signal()
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            try await writer.writeEvent("ADDED", configMap("a", resourceVersion: "2"))
            try await firstRead.wait()
            // Writes go on until one fails: the client closed the connection.
            do {
                for index in 3..<1_000_000 {
                    try await writer.writeEvent("BOOKMARK", ["kind": "ConfigMap", "metadata": ["resourceVersion": .string(String(index))]])
                    await Task.yield()
                }
            } catch {
                writeFailed.raise()
                throw error
            }
        } _: { server in
            try await withClient(server) { client in
                let consumer = Task {
                    for try await event in try await client.watch(.configMap, resourceVersion: "1") {
                        if event.resourceVersion == "2" { firstRead.raise() }
                    }
                }
                try await firstRead.wait()
                consumer.cancel()
                _ = await consumer.result
                try await writeFailed.wait()
            }
        }
    }

    /// Shutting the client down ends an open watch with an error, not a silent end.
    @Test func shutdownEndsAnOpenWatchWithAnError() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.startStream()
            try await writer.writeEvent("ADDED", configMap("a", resourceVersion: "2"))
            try await Signal().wait()
        } _: { server in
            let client = try KubeClient(configuration: ClientConfiguration(server: server.url), options: .init(retry: .none))
            var events = try await client.watch(.configMap, resourceVersion: "1").makeAsyncIterator()
            #expect(try await events.next()?.resourceVersion == "2")
            try await client.shutdown()
            let error = await #expect(throws: KubeClientError.self) { _ = try await events.next() }
            #expect(error?.code == .transport)
        }
    }
}
