import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

@Suite("Embedded API server watches")
struct APIServerWatchTests {
    @Test func watchStreamsEventsWithTheWritesResourceVersion() async throws {
        try await withTestServer { _, client in
            let list = try await client.request(.GET, "/api/v1/namespaces/default/configmaps").json
            let listRV = try #require(list[path: "metadata", "resourceVersion"]?.stringValue)
            let (status, headers, lines) = try await client.stream(
                "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(listRV)&timeoutSeconds=5")
            #expect(status == 200)
            #expect(headers.first(name: "transfer-encoding")?.lowercased() == "chunked")
            let created = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("watched")).json
            _ = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/watched", json: ["data": ["k": "v"]],
                contentType: "application/merge-patch+json")
            _ = try await client.request(.DELETE, "/api/v1/namespaces/default/configmaps/watched")
            var types: [String] = []
            var firstRV: String?
            for try await event in lines {
                if types.isEmpty { firstRV = event[path: "object", "metadata", "resourceVersion"]?.stringValue }
                types.append(event["type"]?.stringValue ?? "?")
                if types.count == 3 { break }
            }
            #expect(types == ["ADDED", "MODIFIED", "DELETED"])
            #expect(firstRV == created[path: "metadata", "resourceVersion"]?.stringValue)
        }
    }

    @Test func watchWithoutResourceVersionStartsWithExistingObjects() async throws {
        try await withTestServer { _, client in
            _ = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("existing"))
            let (_, _, lines) = try await client.stream("/api/v1/configmaps?watch=1&timeoutSeconds=5")
            var iterator = lines.makeAsyncIterator()
            let first = try #require(try await iterator.next())
            #expect(first["type"] == "ADDED")
            #expect(first[path: "object", "metadata", "name"] == "existing")
        }
    }

    @Test func legacyWatchPathFollowsOneObject() async throws {
        try await withTestServer { _, client in
            _ = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("a"))
            _ = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("b"))
            let (status, _, lines) = try await client.stream("/api/v1/watch/namespaces/default/configmaps/b?timeoutSeconds=2")
            #expect(status == 200)
            var names: [String] = []
            for try await event in lines {
                names.append(event[path: "object", "metadata", "name"]?.stringValue ?? "?")
            }
            #expect(names == ["b"])
        }
    }

    @Test func aClientThatGoesAwayReleasesItsWatch() async throws {
        try await withEmbeddedAPIServer { server in
            let client = try TestHTTPClient.make(for: server)
            // The stream is held until the client goes away: a response body dropped unread
            // closes its connection by itself.
            let opened: Result<JSONLines, any Error>
            do {
                let (status, _, lines) = try await client.stream(
                    "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=600")
                #expect(status == 200)
                try await waitUntil("the watch is open") { server.faults.openWatchCount == 1 }
                opened = .success(lines)
            } catch {
                opened = .failure(error)
            }
            try await client.shutdown()
            withExtendedLifetime(opened) {}
            _ = try opened.get()
            try await waitUntil("the watch is released") { server.faults.openWatchCount == 0 }
        }
    }

    @Test func timeoutSecondsEndsTheStreamCleanly() async throws {
        try await withTestServer { _, client in
            let started = ContinuousClock.now
            let (_, _, lines) = try await client.stream(
                "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0&timeoutSeconds=1")
            var count = 0
            for try await _ in lines { count += 1 }
            let elapsed = ContinuousClock.now - started
            #expect(count == 0)
            #expect(elapsed >= .milliseconds(900))
            #expect(elapsed < .seconds(10))
        }
    }

    @Test func bookmarksArriveWhenAllowed() async throws {
        var configuration = EmbeddedAPIServer.Configuration()
        configuration.bookmarkInterval = .milliseconds(100)
        try await withTestServer(configuration) { _, client in
            let (_, _, lines) = try await client.stream(
                "/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=10")
            var bookmark: JSONValue?
            for try await event in lines where event["type"] == "BOOKMARK" {
                bookmark = event
                break
            }
            let found = try #require(bookmark)
            #expect(found[path: "object", "metadata", "resourceVersion"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func expiredResourceVersionGivesAnErrorEvent() async throws {
        try await withTestServer { server, client in
            let created = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("old")).json
            let rv = try #require(created[path: "metadata", "resourceVersion"]?.stringValue)
            _ = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/old", json: ["data": ["x": "y"]], contentType: "application/merge-patch+json"
            )
            await server.faults.forceCompaction()
            let (_, _, lines) = try await client.stream(
                "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(rv)&timeoutSeconds=5")
            var iterator = lines.makeAsyncIterator()
            let event = try #require(try await iterator.next())
            #expect(event["type"] == "ERROR")
            #expect(event[path: "object", "code"] == 410)
            #expect(event[path: "object", "kind"] == "Status")
        }
    }
}
