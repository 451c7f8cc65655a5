@testable import Roperator
import Logging
import RoperatorClient
import RoperatorTesting
import ServiceLifecycle
import Testing

/// Operators with leader election against one embedded API server, over real HTTP.
@Suite("Operator leader election")
struct OperatorLeaderElectionTests {
    static func config(_ identity: String, name: String = "echo-operator", leaseDuration: Duration = .seconds(2)) -> OperatorConfig {
        echoConfig(name: name).leaderElection(LeaderElectorTests.settings(identity, leaseDuration: leaseDuration)).metricsPort(0)
    }

    /// Writes `holder` into the lease as another replica would, re-reading on a conflict with the
    /// holder's own renewals.
    static func takeLease(_ client: KubeClient, as holder: String) async throws {
        try await poll("the lease is overwritten") {
            var lease = try await client.get(.lease, namespace: "default", name: "test-lease")
            lease.json[path: "spec", "holderIdentity"] = .string(holder)
            do {
                _ = try await client.replace(.lease, lease)
                return true
            } catch let error as KubeAPIError where error.isConflict {
                return false
            }
        }
    }

    static func startServer() async throws -> (EmbeddedAPIServer, KubeClient) {
        let server = try await EmbeddedAPIServer.start(EmbeddedAPIServer.Configuration(customResourceDefinitions: [
            CustomResourceDefinitions.make(for: echoType), CustomResourceDefinitions.make(for: OperatorGroupTests.otherType),
        ]))
        return (server, try KubeClient(configuration: server.clientConfiguration))
    }

    static func get(_ path: String, port: Int) async throws -> (status: Int, body: String) {
        let probe = try KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:\(port)"))
        let response = try await probe.request(method: "GET", path: path)
        try await probe.shutdown()
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    static func childExists(_ client: KubeClient, _ name: String) async -> Bool {
        (try? await client.get(.configMap, namespace: "default", name: name)) != nil
    }

    @Test("only the leader syncs; a graceful stop hands the lease to the standby, which reconciles what follows")
    func standbyTakesOver() async throws {
        let (server, client) = try await Self.startServer()
        // A 10 s lease: a takeover within a few seconds can only come from the release.
        let a = try Operator(config: Self.config("a", leaseDuration: .seconds(10)), handler: EchoHandler(), client: client)
        let b = try Operator(config: Self.config("b", leaseDuration: .seconds(10)), handler: EchoHandler(), client: client)
        let groupA = ServiceGroup(services: [a], logger: Logger(label: "a"))
        let runA = Task { try await groupA.run() }
        var runB: Task<Void, any Error>?
        do {
            try await poll("a leads") { a.isLeader }
            runB = Task { try await b.run() }
            try await poll("the standby's caches are warm") { b.isReady }
            #expect(b.leaderIdentity == "b")
            #expect(!b.isLeader)

            for name in ["p1", "p2"] {
                _ = try await client.create(echoType, KubeObject(echoParent(name, ["message": .string(name)])))
            }
            try await poll("the leader made both children") {
                let p1 = await Self.childExists(client, "p1-echo")
                let p2 = await Self.childExists(client, "p2-echo")
                return p1 && p2
            }
            try await poll("the leader wrote both statuses") {
                let p2 = try await client.get(echoType, namespace: "default", name: "p2")
                return p2.status?["message"]?.stringValue == "p2"
            }
            #expect(b.statistics == OperatorStatistics(), "the standby neither synced nor wrote")

            let portA = try #require(a.healthPort)
            let portB = try #require(b.healthPort)
            #expect(try await Self.get("/metrics", port: portA).body.contains("roperator_leader{operator=\"echo-operator\"} 1"))
            #expect(try await Self.get("/metrics", port: portB).body.contains("roperator_leader{operator=\"echo-operator\"} 0"))
            #expect(try await Self.get("/readyz", port: portB).status == 200, "a standby with warm caches is ready")

            // The leader stops gracefully: it releases the lease, so b need not wait 2 s for expiry.
            await groupA.triggerGracefulShutdown()
            let stopped = ContinuousClock.now
            try await runA.value
            #expect(!a.isLeader)
            try await poll("the standby leads", timeout: .seconds(5)) { b.isLeader }
            #expect(ContinuousClock.now - stopped < .seconds(5), "took over after the release, not the expiry")
            let lease = try LeaseRecord(lease: try await client.get(.lease, namespace: "default", name: "test-lease"))
            #expect(lease.holderIdentity == "b")
            #expect(lease.leaseTransitions == 1)

            _ = try await client.create(echoType, KubeObject(echoParent("p3", ["message": "after"])))
            try await poll("the new leader reconciles a new parent") { await Self.childExists(client, "p3-echo") }
            #expect(b.statistics.successfulSyncs > 0)
            #expect(try await Self.get("/metrics", port: portB).body.contains("roperator_leader{operator=\"echo-operator\"} 1"))
        } catch {
            runA.cancel()
            runB?.cancel()
            _ = await (runA.result, runB?.result)
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        runB?.cancel()
        _ = await runB?.result
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test("a leader that loses its lease stops syncing at once and run() throws leadershipLost")
    func losingTheLeaseEndsRun() async throws {
        let (server, client) = try await Self.startServer()
        let a = try Operator(config: Self.config("a"), handler: EchoHandler(), client: client)
        let run = Task { try await a.run() }
        do {
            try await poll("a leads") { a.isLeader }
            _ = try await client.create(echoType, KubeObject(echoParent("p1", ["message": "one"])))
            try await poll("the child exists") { await Self.childExists(client, "p1-echo") }

            try await Self.takeLease(client, as: "someone-else")
            let outcome = await run.result
            guard case .failure(let error as LeaderElectionError) = outcome else {
                Issue.record("run ended with \(outcome)")
                throw CancellationError()
            }
            #expect(error.code == .leadershipLost)
            #expect(!a.isLeader)
            let writes = a.statistics.apiWrites
            // Nothing of a runs any more: a new parent gets no child from it.
            _ = try await client.create(echoType, KubeObject(echoParent("p2", ["message": "two"])))
            #expect(a.queue.runningCount == 0)
            #expect(a.statistics.apiWrites == writes)
            #expect(try await client.get(.lease, namespace: "default", name: "test-lease").spec?["holderIdentity"] == "someone-else")
        } catch {
            run.cancel()
            _ = await run.result
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test("operators of a group naming one lease share one elector; other settings on that lease are refused")
    func groupSharesOneElectorPerLease() async throws {
        let (server, client) = try await Self.startServer()
        let group = OperatorGroup(client: client)
        let echo = try group.add(Self.config("g", name: "echo"), handler: EchoHandler())
        let shout = try group.add(
            OperatorConfig(name: "shout", parent: OperatorGroupTests.otherType).withChild(.configMap)
                .leaderElection(LeaderElectorTests.settings("g")),
            handler: EchoHandler())
        let free = try group.add(
            OperatorConfig(name: "free", parent: OperatorGroupTests.otherType).withChild(.configMap).finalizerName("example.com/free"),
            handler: EchoHandler())
        var conflicting = LeaderElectorTests.settings("g")
        conflicting.leaseDuration = .seconds(20)
        #expect(throws: OperatorConfigError.self) {
            try group.add(echoConfig(name: "other").leaderElection(conflicting), handler: EchoHandler())
        }
        let run = Task { try await group.run() }
        do {
            try await poll("both lease operators lead") { echo.isLeader && shout.isLeader }
            #expect(free.isLeader, "an operator without leader election always writes")
            #expect(free.leaderIdentity == nil)
            let echoElector = try #require(echo.elector.withLock { $0 })
            let shoutElector = try #require(shout.elector.withLock { $0 })
            #expect(echoElector === shoutElector)
            let leases = try await client.list(.lease, namespace: "default")
            #expect(leases.items.count == 1)
            run.cancel()
            try await run.value
            let lease = try LeaseRecord(lease: try await client.get(.lease, namespace: "default", name: "test-lease"))
            #expect(lease.holderIdentity == nil, "the group released the lease on the way out")
        } catch {
            run.cancel()
            _ = await run.result
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }
}
