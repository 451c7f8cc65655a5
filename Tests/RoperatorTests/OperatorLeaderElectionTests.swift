@testable import Roperator
import Logging
import RoperatorClient
import RoperatorTesting
import ServiceLifecycle
import Testing

/// Operators with leader election against one embedded API server, over real HTTP.
@Suite("Operator leader election")
struct OperatorLeaderElectionTests {
    static func config(_ identity: String, name: String = "echo-operator") -> OperatorConfig {
        echoConfig(name: name).leaderElection(LeaseTestFixture.settings(identity)).metricsPort(0)
    }

    static func withFixture(_ body: (LeaseTestFixture) async throws -> Void) async throws {
        try await LeaseTestFixture.with(crds: [echoType, OperatorGroupTests.otherType], body)
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
        try await Self.withFixture { fixture in
            let client = fixture.client
            // A 10 s lease: a takeover within a few seconds can only come from the release.
            let a = try Operator(config: Self.config("a"), handler: EchoHandler(), client: client)
            let b = try Operator(config: Self.config("b"), handler: EchoHandler(), client: client)
            let groupA = ServiceGroup(services: [a], logger: Logger(label: "a"))
            fixture.start("a") { try await groupA.run() }
            try await poll("a leads") { a.isLeader }
            fixture.start("b") { try await b.run() }
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
            #expect(try await Self.get("/metrics", port: portA).body.contains("leader_election_master_status{name=\"echo-operator\"} 1"))
            #expect(try await Self.get("/metrics", port: portB).body.contains("leader_election_master_status{name=\"echo-operator\"} 0"))
            #expect(try await Self.get("/readyz", port: portB).status == 200, "a standby with warm caches is ready")

            // The leader stops gracefully: it releases the lease, so b need not wait for expiry.
            await groupA.triggerGracefulShutdown()
            let stopped = ContinuousClock.now
            try await fixture.outcome(of: "a").get()
            #expect(!a.isLeader)
            try await poll("the standby leads", timeout: .seconds(5)) { b.isLeader }
            #expect(
                ContinuousClock.now - stopped < TimeoutScale.scaled(.seconds(5)), "took over after the release, not the expiry")
            let lease = try await fixture.lease()
            #expect(lease.holderIdentity == "b")
            #expect(lease.leaseTransitions == 1)

            _ = try await client.create(echoType, KubeObject(echoParent("p3", ["message": "after"])))
            try await poll("the new leader reconciles a new parent") { await Self.childExists(client, "p3-echo") }
            // The child is written mid-sync; the sync is counted after its status write.
            try await poll("the new leader counts a successful sync") { b.statistics.successfulSyncs > 0 }
            #expect(try await Self.get("/metrics", port: portB).body.contains("leader_election_master_status{name=\"echo-operator\"} 1"))
        }
    }

    @Test("a leader that loses its lease stops syncing at once and run() throws leadershipLost")
    func losingTheLeaseEndsRun() async throws {
        try await Self.withFixture { fixture in
            let client = fixture.client
            let a = try Operator(config: Self.config("a"), handler: EchoHandler(), client: client)
            fixture.start("a") { try await a.run() }
            try await poll("a leads") { a.isLeader }
            _ = try await client.create(echoType, KubeObject(echoParent("p1", ["message": "one"])))
            try await poll("the child exists") { await Self.childExists(client, "p1-echo") }

            try await fixture.takeLease(as: "someone-else")
            #expect(try await fixture.leaderElectionError(of: "a")?.code == .leadershipLost)
            #expect(!a.isLeader)
            let writes = a.statistics.apiWrites
            // Nothing of a runs any more: a new parent gets no sync from it.
            _ = try await client.create(echoType, KubeObject(echoParent("p2", ["message": "two"])))
            #expect(a.queue.runningCount == 0)
            #expect(a.statistics.apiWrites == writes)
            #expect(try await fixture.lease().holderIdentity == "someone-else")
        }
    }

    @Test("operators of a group naming one lease share one elector; other settings on that lease are refused")
    func groupSharesOneElectorPerLease() async throws {
        try await Self.withFixture { fixture in
            let group = OperatorGroup(client: fixture.client)
            let echo = try group.add(Self.config("g", name: "echo"), handler: EchoHandler())
            let shout = try group.add(
                OperatorConfig(name: "shout", parent: OperatorGroupTests.otherType).withChild(.configMap)
                    .leaderElection(LeaseTestFixture.settings("g")),
                handler: EchoHandler())
            let free = try group.add(
                OperatorConfig(name: "free", parent: OperatorGroupTests.otherType).withChild(.configMap)
                    .finalizerName("example.com/free"),
                handler: EchoHandler())
            var conflicting = LeaseTestFixture.settings("g")
            conflicting.leaseDuration = TimeoutScale.scaled(.seconds(20))
            #expect(throws: OperatorConfigError.self) {
                try group.add(echoConfig(name: "other").leaderElection(conflicting), handler: EchoHandler())
            }
            fixture.start("group") { try await group.run() }
            try await poll("both lease operators lead") { echo.isLeader && shout.isLeader }
            #expect(free.isLeader, "an operator without leader election always writes")
            #expect(free.leaderIdentity == nil)
            let echoElector = try #require(echo.elector)
            let shoutElector = try #require(shout.elector)
            #expect(echoElector === shoutElector)
            #expect(try await fixture.client.list(.lease, namespace: "default").items.count == 1)
            try await fixture.stop("group")?.get()
            let released = try await fixture.lease()
            #expect(released.holderIdentity == nil, "the group released the lease on the way out")
            #expect(released.leaseDurationSeconds == 1)
            #expect(released.leaseTransitions == 0, "a release is no transition")
        }
    }
}
