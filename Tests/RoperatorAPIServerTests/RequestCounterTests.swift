import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

@Suite("Request counter")
struct RequestCounterTests {
    @Test func countsWritesInProcessAndAtMetrics() async throws {
        try await withTestServer { server, client in
            let before = server.requests.writes
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("counted")).status == 201)
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps/counted").status == 200)
            #expect(try await client.request(.DELETE, "/api/v1/namespaces/default/configmaps/counted").status == 200)
            #expect(server.requests.writes == before + 2)
            #expect(server.requests.count(of: .get) >= 1)
            let metrics = try await client.request(.GET, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains("apiserver_request_total{verb=\"create\"} \(server.requests.count(of: .create))\n"))
            #expect(metrics.text.contains("apiserver_request_total{verb=\"delete\"} 1\n"))
        }
    }

    @Test func injectedFailuresAreNotCounted() async throws {
        try await withTestServer { server, client in
            server.faults.add(FaultRule(.internalError, verbs: [.create], count: 1))
            let before = server.requests.count(of: .create)
            let response = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("x"))
            #expect(response.status == 500)
            #expect(server.requests.count(of: .create) == before)
        }
    }
}
