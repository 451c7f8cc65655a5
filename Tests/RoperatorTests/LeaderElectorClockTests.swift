@testable import Roperator
import Foundation
import RoperatorClient
import RoperatorTesting
import Testing

/// `LeaderElector` timing on a manual clock, against the embedded API server over real HTTP: the
/// lease duration, the renew deadline and the retry period are measured exactly, and no test
/// sleeps. Each step advances the clock by a retry period and waits until every elector has done
/// its work for that step and sleeps again.
@Suite("LeaderElector on a manual clock")
struct LeaderElectorClockTests {
    static let retry: Duration = .milliseconds(200)

    /// Lease 3 s, renew deadline 2.5 s, retry 0.2 s: on a manual clock, short timings are exact.
    static func timings(_ identity: String) -> LeaderElectionConfig {
        LeaseTestFixture.settings(
            identity, leaseDuration: .seconds(3), renewDeadline: .milliseconds(2500), realTime: false)
    }

    /// Waits until `sleepers` tasks sleep on `clock` until at most a (jittered) retry period
    /// ahead: the electors finished this step's requests. A renewal's deadline timer lies further
    /// ahead, so an attempt still in flight does not look settled.
    static func settle(_ clock: ManualClock, sleepers: Int) async throws {
        try await waitUntil("the electors sleep again", timeout: .seconds(20)) {
            let now = clock.now
            let deadlines = clock.deadlines
            return deadlines.count == sleepers
                && deadlines.allSatisfy { $0 > now && now.duration(to: $0) <= retry * 1.2 }
        }
    }

    static func step(_ clock: ManualClock, sleepers: Int) async throws {
        clock.advance(by: retry)
        try await settle(clock, sleepers: sleepers)
    }

    @Test("a standby never takes a lease that is renewed, and takes it exactly one lease duration after the renewals stop")
    func takeoverAfterExpiry() async throws {
        try await LeaseTestFixture.with { fixture in
            let clock = ManualClock()
            let a = LeaderElector(config: Self.timings("a"), client: fixture.client, clock: clock)
            let b = LeaderElector(config: Self.timings("b"), client: fixture.client, clock: clock)
            fixture.start(a)
            try await waitUntil("a leads", timeout: .seconds(30)) { a.isLeader }
            fixture.start(b)
            try await poll("b has read the lease") { await b.hasObservedLease }
            try await Self.settle(clock, sleepers: 2)
            // Two lease durations of renewals: b must stand by throughout.
            for _ in 0..<30 {
                try await Self.step(clock, sleepers: 2)
                #expect(a.isLeader)
                #expect(!b.isLeader)
            }
            #expect(try await fixture.lease().holderIdentity == "a")

            // a stops renewing without releasing (a hung or killed process).
            await fixture.stop(a)
            let stopped = clock.now
            var steps = 0
            while !b.isLeader {
                steps += 1
                try #require(steps <= 30, "b never took over")
                try await Self.step(clock, sleepers: 1)
            }
            // b judges the lease by its own clock: expired 3 s after it last saw a renewal, which
            // was at most one (jittered) retry period before a stopped.
            let waited = stopped.duration(to: clock.now)
            #expect(waited >= .seconds(3) - Self.retry * 1.2, "took over after \(waited)")
            #expect(waited <= .seconds(3) + Self.retry * 2, "took over after \(waited)")
            let record = try await fixture.lease()
            #expect(record.holderIdentity == "b")
            #expect(record.leaseTransitions == 1)
        }
    }

    @Test("a leader whose renewals fail stops leading when the renew deadline passes, not before")
    func renewDeadline() async throws {
        try await LeaseTestFixture.with { fixture in
            let clock = ManualClock()
            let a = LeaderElector(config: Self.timings("a"), client: fixture.client, clock: clock)
            fixture.start(a)
            try await waitUntil("a leads", timeout: .seconds(30)) { a.isLeader }
            try await Self.settle(clock, sleepers: 1)
            for _ in 0..<3 { try await Self.step(clock, sleepers: 1) }
            fixture.server.faults.add(FaultRule(.internalError, verbs: [.update, .get], resources: ["leases"]))
            let failing = clock.now
            // Every attempt fails from here; a leads until 2.5 s after its last renewal.
            while a.isLeader {
                let elapsed = failing.duration(to: clock.now)
                try #require(elapsed <= .seconds(4), "a still leads after \(elapsed)")
                clock.advance(by: Self.retry)
                try await waitUntil("a's attempt ended", timeout: .seconds(20)) {
                    !a.isLeader || clock.deadlines.contains { $0 > clock.now && clock.now.duration(to: $0) <= Self.retry }
                }
            }
            let elapsed = failing.duration(to: clock.now)
            #expect(elapsed >= .seconds(2.5) - Self.retry, "stopped after \(elapsed)")
            #expect(elapsed <= .seconds(2.5) + Self.retry, "stopped after \(elapsed)")
            #expect(try await fixture.leaderElectionError(of: "a")?.code == .leadershipLost)
            fixture.server.faults.removeAll()
            #expect(!a.isLeader)
        }
    }

    @Test("candidates racing for a missing lease: exactly one wins and keeps it, step after step")
    func racingCreate() async throws {
        try await LeaseTestFixture.with { fixture in
            let clock = ManualClock()
            let electors = (0..<4).map {
                LeaderElector(config: Self.timings("c\($0)"), client: fixture.client, clock: clock)
            }
            for elector in electors { fixture.start(elector) }
            try await waitUntil("one leads", timeout: .seconds(30)) { electors.contains { $0.isLeader } }
            try await Self.settle(clock, sleepers: 4)
            let leader = try #require(electors.first { $0.isLeader })
            for _ in 0..<20 {
                try await Self.step(clock, sleepers: 4)
                #expect(electors.filter(\.isLeader).map(\.identity) == [leader.identity])
            }
            #expect(try await fixture.lease().holderIdentity == leader.identity)
            #expect(try await fixture.lease().leaseTransitions == 0)
        }
    }
}
