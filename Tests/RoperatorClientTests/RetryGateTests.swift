import RoperatorClient
import Testing

/// `KubeClient.withRetryGate`: the client asks the gate before every retry and fails with the
/// last answer once it says no (a leader's renewal stops retrying at its renew deadline).
@Suite("Retry gate")
struct RetryGateTests {
    @Test func aClosedGateStopsRetriesWithTheLastError() async throws {
        try await TestHTTPServer.withServer(handler: RetryTests.failingThenOK(10, status: 500)) { server in
            try await withClient(server) { client in
                let allowed = Lock(1)
                // Open for one retry, then closed.
                let mayRetry: @Sendable () -> Bool = {
                    allowed.withLock { count in
                        count -= 1
                        return count >= 0
                    }
                }
                let error = await #expect(throws: KubeAPIError.self) {
                    try await KubeClient.withRetryGate(mayRetry) {
                        try await client.replace(.configMap, KubeObject(type: .configMap, name: "a"))
                    }
                }
                #expect(error?.code == 500)
                // The first attempt, one retry the gate allowed, none after it closed.
                #expect(allowed.withLock { $0 } == -1)
            }
            #expect(server.requests.map(\.method) == ["PUT", "PUT"])
        }
    }

    @Test func anOpenGateLeavesThePolicyInCharge() async throws {
        try await TestHTTPServer.withServer(handler: RetryTests.failingThenOK(2, status: 500)) { server in
            try await withClient(server) { client in
                let object = try await KubeClient.withRetryGate({ true }) { try await client.get(.configMap, name: "a") }
                #expect(object.resourceVersion == "3")
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test func transportFailuresAreGatedToo() async throws {
        // Every connection is dropped before an answer: a transport failure, retried for a GET.
        let drop: TestHTTPServer.Handler = { _, _ in throw DropConnection() }
        try await TestHTTPServer.withServer(handler: drop) { server in
            try await withClient(server) { client in
                let asked = Lock(0)
                let closed: @Sendable () -> Bool = {
                    asked.withLock { $0 += 1 }
                    return false
                }
                let error = await #expect(throws: KubeClientError.self) {
                    try await KubeClient.withRetryGate(closed) {
                        try await client.get(.configMap, name: "a")
                    }
                }
                #expect(error?.code == .transport)
                #expect(asked.withLock { $0 } == 1)
            }
            #expect(server.requests.count == 1)
        }
    }
}
