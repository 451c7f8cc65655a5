@testable import Roperator
import Foundation
import RoperatorClient
import RoperatorTesting
import Synchronization
import Testing

/// `LeaderElector` against the embedded API server over real HTTP, with a 0.2 s retry period.
/// Expiry, the renew deadline and racing candidates are measured on a manual clock in
/// `LeaderElectorClockTests`.
@Suite("LeaderElector")
struct LeaderElectorTests {
    static func settings(_ identity: String) -> LeaderElectionConfig { LeaseTestFixture.settings(identity) }

    static func withFixture(_ body: (LeaseTestFixture) async throws -> Void) async throws {
        try await LeaseTestFixture.with(body)
    }

    /// Checks for `window` that exactly one of `electors` leads, and that the lease names it.
    static func expectOneLeader(_ electors: [LeaderElector], _ fixture: LeaseTestFixture, for window: Duration = .seconds(1)) async throws {
        try await waitUntil("one leads", timeout: .seconds(10)) { electors.contains { $0.isLeader } }
        let end = ContinuousClock.now + window
        while ContinuousClock.now < end {
            #expect(electors.filter { $0.isLeader }.count == 1)
            try await Task.sleep(for: .milliseconds(20))
        }
        let leader = try #require(electors.first { $0.isLeader })
        #expect(try await fixture.lease().holderIdentity == leader.identity)
    }

    @Test("acquires a missing lease: creates it with its identity and keeps renewing it")
    func acquiresOnEmpty() async throws {
        try await Self.withFixture { fixture in
            let a = LeaderElector(config: Self.settings("a"), client: fixture.client)
            #expect(!a.isLeader)
            fixture.start(a)
            try await waitUntil("a leads", timeout: .seconds(10)) { a.isLeader }
            let lease = try await fixture.client.get(.lease, namespace: "default", name: "test-lease")
            let record = try LeaseRecord(lease: lease)
            #expect(record.holderIdentity == "a")
            #expect(record.leaseDurationSeconds == Self.settings("a").leaseDuration.components.seconds)
            #expect(record.leaseTransitions == 0)
            #expect(record.acquireTime != nil)
            // MicroTime on the wire: six fractional digits.
            let renewText = try #require(lease.spec?["renewTime"]?.stringValue)
            #expect(renewText.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil, "\(renewText)")
            let firstRenew = try #require(record.renewTime)
            try await poll("the lease is renewed") { try await fixture.lease().renewTime.map { $0 > firstRenew } ?? false }
            #expect(a.isLeader)
            #expect(try await fixture.lease().acquireTime == record.acquireTime, "a renewal keeps acquireTime")
        }
    }

    @Test("releasing on shutdown lets a standby take over at once, long before the lease would expire")
    func releaseGivesImmediateTakeover() async throws {
        try await Self.withFixture { fixture in
            let a = LeaderElector(config: LeaseTestFixture.settings("a", leaseDuration: .seconds(30)), client: fixture.client)
            let b = LeaderElector(config: LeaseTestFixture.settings("b", leaseDuration: .seconds(30)), client: fixture.client)
            fixture.start(a)
            try await waitUntil("a leads", timeout: .seconds(10)) { a.isLeader }
            fixture.start(b)
            try await poll("b has read the lease") { await b.hasObservedLease }
            await #expect(throws: LeaderElectionError.self, "release is refused while running") { try await a.release() }
            await fixture.stop(a)
            let released = ContinuousClock.now
            #expect(try await a.release())
            // What a wrote (b may already have taken over by the time the lease is read again).
            let releasedRecord = try #require(await a.lastObservedRecord)
            #expect(releasedRecord.holderIdentity == nil)
            #expect(releasedRecord.leaseDurationSeconds == 1)
            try await waitUntil("b takes over", timeout: .seconds(10)) { b.isLeader }
            let waited = ContinuousClock.now - released
            // Far below the 30 s the lease would need to expire; generous for a busy machine.
            #expect(waited < TimeoutScale.scaled(.seconds(10)), "a 30 s lease was taken over after \(waited)")
            let after = try await fixture.lease()
            #expect(after.holderIdentity == "b")
            #expect(after.leaseTransitions == 1)
            #expect(try await a.release() == false, "nothing left to release")
        }
    }

    @Test("candidates racing for an expired lease: the PUTs conflict and exactly one wins, one transition")
    func racingTakeover() async throws {
        try await Self.withFixture { fixture in
            var stale = KubeObject(type: .lease, namespace: "default", name: "test-lease")
            stale.json["spec"] =
                LeaseRecord(
                    holderIdentity: "gone", leaseDurationSeconds: 1, acquireTime: Date(timeIntervalSinceNow: -60),
                    renewTime: Date(timeIntervalSinceNow: -60), leaseTransitions: 4
                ).spec
            _ = try await fixture.client.create(.lease, stale)
            let electors = (0..<3).map { LeaderElector(config: Self.settings("c\($0)"), client: fixture.client) }
            for elector in electors { fixture.start(elector) }
            // The old holder's record is judged by each candidate's own clock: 1 s after first seeing it.
            try await Self.expectOneLeader(electors, fixture)
            #expect(try await fixture.lease().leaseTransitions == 5)
        }
    }

    @Test("a leader whose lease is taken by someone else stops leading at its next renewal and run throws")
    func losesToAnotherHolder() async throws {
        try await Self.withFixture { fixture in
            let a = LeaderElector(config: Self.settings("a"), client: fixture.client)
            fixture.start(a)
            try await waitUntil("a leads", timeout: .seconds(10)) { a.isLeader }
            // An intruder overwrites the lease: a's next PUT conflicts; the re-read shows the new holder.
            try await fixture.takeLease(as: "intruder")
            try await waitUntil("a stops leading", timeout: .seconds(5)) { !a.isLeader }
            let error = try #require(try await fixture.leaderElectionError(of: "a"))
            #expect(error.code == .leadershipLost)
            #expect(error.description.contains("intruder"))
            #expect(try await fixture.lease().holderIdentity == "intruder", "a lost leader writes nothing")
            await #expect(throws: LeaderElectionError.self) { try await a.waitUntilLeading() }
        }
    }

    @Test("waitUntilLeading returns when leadership comes and throws when its task is cancelled")
    func waiting() async throws {
        try await Self.withFixture { fixture in
            let a = LeaderElector(config: Self.settings("a"), client: fixture.client)
            let cancelled = Task { try await a.waitUntilLeading() }
            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            let waiter = Task { try await a.waitUntilLeading() }
            fixture.start(a)
            try await waiter.value
            #expect(a.isLeader)
            try await a.waitUntilLeading()
        }
    }

    @Test("a lease record reads what client-go writes and refuses what it cannot read")
    func leaseRecordParsing() throws {
        var lease = KubeObject(type: .lease, namespace: "default", name: "l")
        lease.json["spec"] = [
            "holderIdentity": "", "leaseDurationSeconds": 1, "leaseTransitions": 3,
            "acquireTime": "2026-01-02T03:04:05.000001Z", "renewTime": "2026-01-02T03:04:05.5Z",
        ]
        let released = try LeaseRecord(lease: lease)
        #expect(released.holderIdentity == nil, "an empty holder (a release) is no holder")
        #expect(released.leaseTransitions == 3)
        #expect(released.spec["renewTime"] == "2026-01-02T03:04:05.500000Z")
        #expect(released.spec["acquireTime"] == "2026-01-02T03:04:05.000001Z")

        lease.json[path: "spec", "renewTime"] = "soon"
        #expect { try LeaseRecord(lease: lease) } throws: { error in
            (error as? LeaderElectionError)?.code == .invalidLease && "\(error)".contains("renewTime")
        }
        lease.json[path: "spec", "renewTime"] = nil
        lease.json[path: "spec", "leaseDurationSeconds"] = "15"
        #expect(throws: LeaderElectionError.self) { try LeaseRecord(lease: lease) }
    }
}
