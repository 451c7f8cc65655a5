import MetricsTestKit
import RoperatorClient
import Testing

@Suite("Retry")
struct RetryTests {
    /// Fails the first `failures` requests with `status`, then answers with a ConfigMap.
    static func failingThenOK(_ failures: Int, status: Int, retryAfter: String? = nil) -> TestHTTPServer.Handler {
        let count = Lock(0)
        return { _, writer in
            let n = count.withLock {
                $0 += 1; return $0
            }
            if n <= failures {
                let reason = status == 429 ? "TooManyRequests" : "InternalError"
                try await writer.respondStatus(
                    code: status, reason: reason, message: "try again", headers: retryAfter.map { [("Retry-After", $0)] } ?? [])
            } else {
                try await writer.respond(json: configMap("a", resourceVersion: "\(n)"))
            }
        }
    }

    @Test func retries500ForGetAndCountsEveryAttempt() async throws {
        let metrics = TestMetrics()
        let host = try await TestHTTPServer.withServer(handler: Self.failingThenOK(2, status: 500)) { server in
            try await withClient(server, options: .init(retry: fastRetry, metricsFactory: metrics)) { client in
                let object = try await client.get(.configMap, name: "a")
                #expect(object.resourceVersion == "3")
            }
            #expect(server.requests.count == 3)
            return "127.0.0.1:\(server.port)"
        }
        let failed = try metrics.expectCounter("rest_client_requests_total", [("code", "500"), ("method", "GET"), ("host", host)])
        let succeeded = try metrics.expectCounter("rest_client_requests_total", [("code", "200"), ("method", "GET"), ("host", host)])
        #expect(failed.totalValue == 2)
        #expect(succeeded.totalValue == 1)
        let timer = try metrics.expectTimer("rest_client_request_duration_seconds", [("verb", "GET"), ("host", host)])
        #expect(timer.values.count == 3)
    }

    @Test func retriesPostAndPatchOn429() async throws {
        try await TestHTTPServer.withServer(handler: Self.failingThenOK(1, status: 429)) { server in
            try await withClient(server) { client in
                _ = try await client.create(.configMap, KubeObject(type: .configMap, name: "a"))
            }
            #expect(server.requests.map(\.method) == ["POST", "POST"])
        }
        try await TestHTTPServer.withServer(handler: Self.failingThenOK(1, status: 429)) { server in
            try await withClient(server) { client in
                _ = try await client.patch(.configMap, name: "a", patch: ["data": ["k": "v"]], as: .merge)
            }
            #expect(server.requests.map(\.method) == ["PATCH", "PATCH"])
        }
    }
}
