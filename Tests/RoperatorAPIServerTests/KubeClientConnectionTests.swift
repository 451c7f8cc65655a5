import RoperatorClient
import RoperatorAPIServer
import Testing

/// KubeClient against the embedded server: many open watches do not starve other requests.
@Suite("KubeClient connections against the embedded server")
struct KubeClientConnectionTests {
    @Test func requestsStillRunWhileMoreWatchesThanTheHTTPDefaultPoolAreOpen() async throws {
        try await withEmbeddedAPIServer { server in
            let client = try KubeClient(configuration: server.clientConfiguration)
            // AsyncHTTPClient allows 8 connections per host by default; each watch holds one.
            var streams: [WatchEventStream] = []
            for _ in 0..<12 {
                streams.append(try await client.watch(.configMap, namespace: "default", allowBookmarks: false))
            }
            let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = try await client.create(.configMap, KubeObject(["metadata": ["name": "while-watching", "namespace": "default"]]))
                    return try await client.get(.namespace, name: "default").name == "default"
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    return false
                }
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            }
            #expect(answered, "a request waited behind the open watches")
            // Every watch sees the create made while all of them were open.
            for stream in streams {
                var iterator = stream.makeAsyncIterator()
                let event = try await iterator.next()
                #expect(event.map { if case .added(let object) = $0 { object.name == "while-watching" } else { false } } == true)
            }
            try await client.shutdown()
        }
    }
}
