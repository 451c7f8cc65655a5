import RoperatorClient
import Testing

@Suite("Transport")
struct TransportTests {
    /// Rejects the first token with 401 and accepts the one fetched with `refresh: true`.
    static let acceptsOnlyRefreshedToken: TestHTTPServer.Handler = { request, writer in
        if request.header("Authorization") == "Bearer token-1" {
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } else {
            try await writer.respondStatus(code: 401, reason: "Unauthorized", message: "Unauthorized")
        }
    }

    @Test func sendsBearerTokenUserAgentAndImpersonation() async throws {
        let credentials = CountingCredentials()
        try await TestHTTPServer.withServer { request, writer in
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            try await withClient(
                server, credentials: credentials,
                impersonation: .init(user: "alice", uid: "u-1", groups: ["devs", "ops"], extra: ["scopes": ["view"]]),
                options: .init(retry: fastRetry, userAgent: "roperator-test/1")
            ) { client in
                let object = try await client.get(.configMap, name: "a")
                #expect(object.name == "a")
            }
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(request.path == "/api/v1/namespaces/default/configmaps/a")
            #expect(request.header("Authorization") == "Bearer token-0")
            #expect(request.header("User-Agent") == "roperator-test/1")
            #expect(request.header("Impersonate-User") == "alice")
            #expect(request.header("Impersonate-Uid") == "u-1")
            #expect(request.headers.filter { $0.name == "Impersonate-Group" }.map(\.value) == ["devs", "ops"])
            #expect(request.header("Impersonate-Extra-scopes") == "view")
        }
    }

    @Test func refreshesCredentialsOnceAfter401() async throws {
        let credentials = CountingCredentials()
        try await TestHTTPServer.withServer(handler: Self.acceptsOnlyRefreshedToken) { server in
            try await withClient(server, credentials: credentials) { client in
                let object = try await client.get(.configMap, name: "a")
                #expect(object.resourceVersion == "1")
            }
            #expect(credentials.refreshCount == 1)
            #expect(server.requests.map { $0.header("Authorization") } == ["Bearer token-0", "Bearer token-1"])
        }
    }

    @Test func persistent401IsThrownAfterOneRefreshWithoutLeakingTheToken() async throws {
        let credentials = CountingCredentials()
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respondStatus(code: 401, reason: "Unauthorized", message: "Unauthorized")
        } _: { server in
            let error = try await withClient(server, credentials: credentials) { client in
                try await #require(throws: KubeAPIError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(error.isUnauthorized)
            #expect(server.requests.count == 2)
            #expect(!"\(error)".contains("token-"))
        }
    }

    @Test func debugLogsNameRequestsButNeverCredentials() async throws {
        let capture = LogCapture()
        let credentials = CountingCredentials()
        try await TestHTTPServer.withServer(handler: Self.acceptsOnlyRefreshedToken) { server in
            try await withClient(server, credentials: credentials, logger: capture.logger) { client in
                _ = try await client.get(.configMap, name: "a")
            }
        }
        let lines = capture.all
        #expect(lines.contains { $0.contains("/api/v1/namespaces/default/configmaps/a") && $0.contains("code=401") })
        #expect(lines.contains { $0.contains("code=200") })
        #expect(!lines.contains { $0.contains("token-") || $0.contains("Bearer") || $0.contains("Authorization") })
    }

    @Test func nonStatusErrorBodyIsTruncated() async throws {
        let page = Array(repeating: UInt8(ascii: "x"), count: 10_000)
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(status: 502, headers: [("Content-Type", "text/html")], body: page)
        } _: { server in
            let error = try await withClient(server, options: .init(retry: .none)) { client in
                try await #require(throws: KubeAPIError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(error.code == 502)
            #expect(error.message.count < 1_000)
            #expect(error.message.hasSuffix("(10000 bytes)"))
        }
    }

    @Test func rawRequestEscapeHatch() async throws {
        try await TestHTTPServer.withServer { request, writer in
            try await writer.respond(json: ["gitVersion": "v1.31.0", "echo": .string(request.query["q"] ?? "")])
        } _: { server in
            try await withClient(server) { client in
                let response = try await client.request(method: "GET", path: "/version", query: [("q", "a b&c=d")])
                #expect(response.status == 200)
                let json = try response.json()
                #expect(json["gitVersion"] == "v1.31.0")
                #expect(json["echo"] == "a b&c=d")
            }
        }
    }

    @Test func connectionFailureIsATransportError() async throws {
        // A port nothing listens on: take one from a server that has stopped.
        let url = try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(status: 200)
        } _: {
            $0.url
        }
        let client = try KubeClient(
            configuration: ClientConfiguration(server: url), options: .init(connectTimeout: .milliseconds(300), retry: fastRetry))
        let error = try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
        #expect(error.code == .transport)
        try await client.shutdown()
    }

    @Test func requestTimeoutCoversABodyThatStalls() async throws {
        try await TestHTTPServer.withServer { _, writer in
            // The head and part of the body arrive, then nothing until the client gives up.
            try await writer.startStream()
            try await writer.write(Array(#"{"kind":"ConfigMap","#.utf8))
            // Stall: the request must end by its own timeout; stopping the server cancels this.
            try await Task.sleep(for: .seconds(30))
        } _: { server in
            let started = ContinuousClock.now
            let error = try await withClient(server, options: .init(requestTimeout: .milliseconds(300), retry: .none)) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(error.code == .transport)
            #expect(ContinuousClock.now - started < .seconds(10), "the timeout, not the server, ended the request")
        }
    }

    @Test func responseBodyOverTheLimitIsRefused() async throws {
        let big = JSONValue.object(["kind": "ConfigMap", "data": ["x": .string(String(repeating: "y", count: 20_000))]])
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(json: big)
        } _: { server in
            var options = KubeClient.Options(retry: .none)
            options.maxResponseBodySize = 10_000
            let error = try await withClient(server, options: options) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(error.code == .transport)
            options.maxResponseBodySize = 100_000
            let object = try await withClient(server, options: options) { client in try await client.get(.configMap, name: "a") }
            #expect(object.json == big)
        }
    }

    @Test func reusesOneConnection() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            try await withClient(server) { client in
                for _ in 0..<5 { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(server.requests.count == 5)
            #expect(server.connectionCount == 1)
        }
    }

    @Test func rateLimitSpacesRequests() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            try await withClient(server, options: .init(retry: fastRetry, rateLimit: .init(qps: 20, burst: 1))) { client in
                let start = ContinuousClock.now
                for _ in 0..<4 { _ = try await client.get(.configMap, name: "a") }
                // Burst 1 at 20/s: the 2nd, 3rd and 4th requests each wait about 50 ms.
                #expect(ContinuousClock.now - start >= .milliseconds(140))
            }
        }
    }
}
