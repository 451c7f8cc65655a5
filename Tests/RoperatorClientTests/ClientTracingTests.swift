@testable import RoperatorClient
import RoperatorAPIServer
import Testing
import Tracing

@Suite("Client tracing")
struct ClientTracingTests {
    /// Runs `body` with an embedded API server and a client of it whose request spans go to a
    /// fresh tracer; shuts both down afterwards.
    private static func withTracedClient(
        _ body: (EmbeddedAPIServer, KubeClient, RecordingTracer) async throws -> Void
    ) async throws {
        try await withEmbeddedAPIServer { server in
            let tracer = RecordingTracer()
            var options = KubeClient.Options(retry: fastRetry)
            options.tracer = tracer
            let client = try KubeClient(configuration: server.clientConfiguration, options: options)
            do {
                try await body(server, client, tracer)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    private static func newConfigMap(_ name: String) -> KubeObject {
        KubeObject(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"]])
    }

    private static func only(_ name: String, in tracer: RecordingTracer) throws -> RecordedSpan {
        let spans = tracer.spans(named: name)
        try #require(spans.count == 1, "spans named \(name): \(tracer.finishedSpans.map(\.operationName))")
        return spans[0]
    }

    @Test("a request is a client span named after its verb and resource, with HTTP and Kubernetes attributes")
    func successfulRequests() async throws {
        try await Self.withTracedClient { server, client, tracer in
            _ = try await client.create(.configMap, Self.newConfigMap("traced"))
            _ = try await client.get(.configMap, namespace: "default", name: "traced")
            _ = try await client.list(.configMap, namespace: "default")
            _ = try await client.patch(.configMap, namespace: "default", name: "traced", patch: ["data": ["a": "b"]], as: .merge)

            #expect(
                tracer.finishedSpans.map(\.operationName) == [
                    "POST configmaps", "GET configmaps", "GET configmaps", "PATCH configmaps",
                ])
            let get = tracer.finishedSpans[1]
            #expect(get.kind == .client)
            #expect(get.status == nil)
            #expect(get[attribute: "http.request.method"] == .string("GET"))
            #expect(get[attribute: "http.response.status_code"] == .int64(200))
            #expect(get[attribute: "server.address"] == .string("127.0.0.1"))
            #expect(get[attribute: "server.port"] == .int64(Int64(server.port)))
            #expect(get[attribute: "url.full"] == .string("\(server.url)/api/v1/namespaces/default/configmaps/traced"))
            #expect(get[attribute: "k8s.verb"] == .string("get"))
            #expect(get[attribute: "k8s.resource"] == .string("configmaps"))
            #expect(get[attribute: "k8s.namespace.name"] == .string("default"))
            #expect(get[attribute: "k8s.object.name"] == .string("traced"))
            #expect(get[attribute: "http.request.resend_count"] == nil)
            #expect(tracer.finishedSpans[0][attribute: "http.response.status_code"] == .int64(201))
            #expect(tracer.finishedSpans[0][attribute: "k8s.verb"] == .string("create"))
            #expect(tracer.finishedSpans[2][attribute: "k8s.verb"] == .string("list"))
            #expect(tracer.finishedSpans[2][attribute: "k8s.object.name"] == nil)
            #expect(tracer.finishedSpans[3][attribute: "k8s.verb"] == .string("patch"))
            #expect(tracer.finishedSpans.allSatisfy { $0.errors.isEmpty && !$0.isError })
        }
    }

    @Test("a 404 marks the client span failed with error.type")
    func notFound() async throws {
        try await Self.withTracedClient { _, client, tracer in
            await #expect(throws: KubeAPIError.self) {
                _ = try await client.get(.configMap, namespace: "default", name: "missing")
            }
            let span = try Self.only("GET configmaps", in: tracer)
            #expect(span.isError)
            #expect(span[attribute: "http.response.status_code"] == .int64(404))
            #expect(span[attribute: "error.type"] == .string("404"))
        }
    }

    @Test("a 409 marks the client span failed; the first create stays fine")
    func conflict() async throws {
        try await Self.withTracedClient { _, client, tracer in
            let object = Self.newConfigMap("twice")
            _ = try await client.create(.configMap, object)
            await #expect(throws: KubeAPIError.self) {
                _ = try await client.create(.configMap, object)
            }
            let spans = tracer.spans(named: "POST configmaps")
            try #require(spans.count == 2)
            #expect(!spans[0].isError)
            #expect(spans[1].isError)
            #expect(spans[1][attribute: "http.response.status_code"] == .int64(409))
            #expect(spans[1][attribute: "error.type"] == .string("409"))
        }
    }

    @Test("request spans nest under the caller's span")
    func nestsUnderCaller() async throws {
        try await Self.withTracedClient { _, client, tracer in
            try await tracer.withSpan("caller") { _ in
                _ = try await client.list(.namespace)
            }
            let caller = try Self.only("caller", in: tracer)
            let request = try Self.only("GET namespaces", in: tracer)
            #expect(request.parentSpanID == caller.spanID)
            #expect(request.traceID == caller.traceID)
        }
    }

    @Test("a watch's span ends once the watch is established")
    func watchSpanEndsEarly() async throws {
        try await Self.withTracedClient { _, client, tracer in
            _ = try await client.watch(.configMap, namespace: "default")
            // The stream is open and no event was read, yet the span has ended.
            let span = try Self.only("GET configmaps", in: tracer)
            #expect(span[attribute: "k8s.verb"] == .string("watch"))
            #expect(span[attribute: "http.response.status_code"] == .int64(200))
        }
    }

    @Test("the span's context reaches the server as a W3C traceparent header, one per attempt")
    func traceparentIsSent() async throws {
        try await TestHTTPServer.withServer(handler: RetryTests.failingThenOK(1, status: 503)) { server in
            let tracer = RecordingTracer()
            var options = KubeClient.Options(retry: fastRetry)
            options.tracer = tracer
            try await withClient(server, options: options) { client in
                _ = try await client.get(.configMap, namespace: "default", name: "a")
            }
            let spans = tracer.spans(named: "GET configmaps")
            try #require(spans.count == 2 && server.requests.count == 2)
            for (span, request) in zip(spans, server.requests) {
                #expect(request.header("traceparent") == "00-\(span.traceID)-\(span.spanID)-01")
            }
            #expect(spans[0].isError)
            #expect(spans[0][attribute: "http.response.status_code"] == .int64(503))
            #expect(!spans[1].isError)
            #expect(spans[1][attribute: "http.request.resend_count"] == .int64(1))
        }
    }

    @Test("without a tracer no traceparent is sent")
    func noTracerNoHeader() async throws {
        try await TestHTTPServer.withServer(handler: RetryTests.failingThenOK(0, status: 500)) { server in
            try await withClient(server) { client in
                _ = try await client.get(.configMap, namespace: "default", name: "a")
            }
            let request = try #require(server.requests.first)
            #expect(request.header("traceparent") == nil)
        }
    }

    @Test(
        "span names and resources come from the request path",
        arguments: [
            ("/api/v1/namespaces/team/pods/web/status", "pods/status", "team", "web"),
            ("/api/v1/namespaces/team", "namespaces", nil, "team"),
            ("/api/v1/namespaces/team/status", "namespaces/status", nil, "team"),
            ("/api/v1/namespaces", "namespaces", nil, nil),
            ("/apis/apps/v1/namespaces/x/deployments/web/scale", "deployments/scale", "x", "web"),
            ("/apis/example.com/v1/echoes", "echoes", nil, nil),
            ("/api/v1/nodes/n1", "nodes", nil, "n1"),
        ] as [(String, String, String?, String?)]
    )
    func resourcePaths(path: String, resource: String, namespace: String?, name: String?) throws {
        let parsed = try #require(ResourcePath(path: path))
        #expect(parsed.qualifiedResource == resource)
        #expect(parsed.namespace == namespace)
        #expect(parsed.name == name)
    }

    @Test("paths that name no resource have none", arguments: ["/version", "/api", "/apis", "/apis/apps/v1", "/api/v1", "/openapi/v2"])
    func nonResourcePaths(path: String) {
        #expect(ResourcePath(path: path) == nil)
    }
}
