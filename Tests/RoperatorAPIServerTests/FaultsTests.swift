import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

@Suite("Fault injection")
struct FaultsTests {
    @Test func countedErrorsThenRecovery() async throws {
        try await withTestServer { server, client in
            server.faults.add(FaultRule(.serviceUnavailable, verbs: [.list], count: 2))
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps").status == 503)
            // Other verbs are untouched.
            #expect(try await client.request(.GET, "/api/v1/namespaces/default").status == 200)
            let second = try await client.request(.GET, "/api/v1/namespaces/default/configmaps")
            #expect(second.status == 503)
            #expect(try second.json["reason"] == "ServiceUnavailable")
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps").status == 200)
            #expect(server.faults.injectedFailureCount == 2)
        }
    }

    @Test(arguments: [
        (FaultRule.Failure.internalError, 500),
        (.serviceUnavailable, 503),
        (.tooManyRequests(retryAfterSeconds: 3), 429),
        (.conflict, 409),
    ])
    func failureKinds(failure: FaultRule.Failure, code: Int) async throws {
        try await withTestServer { server, client in
            server.faults.add(FaultRule(failure, verbs: [.create]))
            let response = try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("x"))
            #expect(response.status == code)
            #expect(try response.json["code"] == .int(Int64(code)))
            if code == 429 {
                #expect(response.headers.first(name: "retry-after") == "3")
            }
            server.faults.removeAll()
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("x")).status == 201)
        }
    }

    @Test func addedLatency() async throws {
        try await withTestServer { server, client in
            server.faults.setLatency(.milliseconds(300), verbs: [.get])
            let started = ContinuousClock.now
            let response = try await client.request(.GET, "/api/v1/namespaces/default")
            #expect(response.status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test func cutWatchesEndsOpenStreams() async throws {
        try await withTestServer { server, client in
            let (_, _, lines) = try await client.stream(
                "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0&timeoutSeconds=60")
            try await waitUntil("the watch is open") { server.faults.openWatchCount == 1 }
            let started = ContinuousClock.now
            #expect(server.faults.cutWatches() == 1)
            var count = 0
            for try await _ in lines { count += 1 }
            #expect(count == 0)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func pauseAndResumeKeepState() async throws {
        try await withTestServer { server, client in
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("kept")).status == 201)
            let port = server.port
            await server.faults.pauseListener()
            #expect(!server.faults.isListening)
            let impatient = try TestHTTPClient.make(for: server, connectTimeout: .milliseconds(300))
            await #expect(throws: (any Error).self) { _ = try await impatient.request(.GET, "/api/v1/namespaces/default/configmaps/kept") }
            try await impatient.shutdown()
            try await server.faults.resumeListener()
            #expect(server.port == port)
            #expect(try await client.request(.GET, "/api/v1/namespaces/default/configmaps/kept").status == 200)
        }
    }

    @Test func writesOnlyRuleAndStatisticsByStatus() async throws {
        try await withTestServer { server, client in
            server.faults.add(FaultRule(.conflict, verbs: APIVerb.writes))
            let read = try await client.request(.GET, "/api/v1/namespaces/default/configmaps")
            #expect(read.status == 200, "reads are not hit")
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: configMap("w")).status == 409)
            #expect(try await client.request(.DELETE, "/api/v1/namespaces/default/configmaps/w").status == 409)
            server.faults.removeAll()
            server.faults.add(FaultRule(.serviceUnavailable, verbs: [.get], count: 1))
            #expect(try await client.request(.GET, "/api/v1/namespaces/default").status == 503)
            let statistics = server.faults.statistics
            #expect(statistics.failuresByStatus == [409: 2, 503: 1])
            #expect(statistics.injectedFailures == 3)
            #expect(server.faults.injectedFailureCount == 3)
        }
    }

    @Test func periodicWatchCutsUntilStopped() async throws {
        try await withTestServer { server, client in
            let path = "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0&timeoutSeconds="
            server.faults.startPeriodicWatchCuts(every: .milliseconds(100))
            // Every watch opened while the cuts run is ended long before its 60 s timeout.
            let started = ContinuousClock.now
            for _ in 0..<2 {
                let (_, _, lines) = try await client.stream(path + "60")
                for try await _ in lines {}
            }
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(server.faults.statistics.watchesCut >= 2)
            await server.faults.forceCompaction()
            server.faults.stopPeriodicWatchCuts()
            let cuts = server.faults.statistics.watchesCut
            // Stopped: a watch now lasts until its own 1 s timeout, and nothing more is cut.
            let (_, _, lines) = try await client.stream(path + "1")
            for try await _ in lines {}
            #expect(server.faults.statistics.watchesCut == cuts)
            #expect(server.faults.statistics.compactions == 1)
        }
    }
}
