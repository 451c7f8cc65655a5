@testable import Roperator
import Foundation
import RoperatorClient
import Testing

/// The pure parts of sharding: the ring, the KEP-5866 selector, the membership view and the
/// hand-over rules of the shard gate, with instants driven by hand.
@Suite("Sharding: ring, selector and hand-over rules")
struct ShardingTests {
    /// Deterministic UIDs shaped like the API server's (random version-4 UUIDs).
    static let uids: [String] = {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            return HashRing.mix(state)
        }
        return (0..<6000).map { _ in
            let high = next()
            let low = next()
            let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
            let c = Array(hex)
            return "\(String(c[0..<8]))-\(String(c[8..<12]))-4\(String(c[13..<16]))-a\(String(c[17..<20]))-\(String(c[20..<32]))"
        }
    }()

    static func owners(_ ring: HashRing) -> [String: String] {
        Dictionary(uniqueKeysWithValues: uids.map { ($0, ring.owner(ofUID: $0)!) })
    }

    @Test("3 members each own between 25 % and 42 % of the parents; the shares of the hash space add up to 1")
    func balance() {
        let ring = HashRing(members: ["replica-a", "replica-b", "replica-c"])
        let owners = Self.owners(ring)
        for member in ring.members {
            let fraction = Double(owners.values.count(where: { $0 == member })) / Double(Self.uids.count)
            #expect(fraction > 0.25 && fraction < 0.42, "\(member) owns \(fraction)")
        }
        let total = ring.members.map(ring.share(of:)).reduce(0, +)
        #expect(abs(total - 1) < 1e-9)
    }

    @Test("A joining member takes parents only for itself; a leaving one gives only its own away")
    func minimalMovement() {
        let three = HashRing(members: ["replica-a", "replica-b", "replica-c"])
        let four = HashRing(members: ["replica-a", "replica-b", "replica-c", "replica-d"])
        let before = Self.owners(three)
        let after = Self.owners(four)
        var moved = 0
        for uid in Self.uids where before[uid] != after[uid] {
            moved += 1
            #expect(after[uid] == "replica-d")
        }
        #expect(moved > Self.uids.count / 8 && moved < Self.uids.count * 3 / 8)
        let two = Self.owners(HashRing(members: ["replica-a", "replica-c"]))
        for uid in Self.uids where before[uid] != two[uid] {
            #expect(before[uid] == "replica-b")
        }
    }

    @Test("The ring and its version depend on the member set only")
    func deterministic() {
        let one = HashRing(members: ["b", "a", "c"])
        let two = HashRing(members: ["c", "b", "a", "a"])
        #expect(one == two)
        #expect(one.version == two.version)
        #expect(one.version.count == 16)
        #expect(HashRing(members: ["a", "b"]).version != one.version)
        #expect(HashRing(members: []).owner(ofUID: "x") == nil)
    }

    @Test("Each member's selector matches exactly the UIDs the ring gives it, through the wire form")
    func selectorsPartitionTheSpace() throws {
        let ring = HashRing(members: ["replica-a", "replica-b", "replica-c"], virtualNodes: 32)
        let selectors = try ring.members.map { member in
            (member, try ShardSelector(parsing: ring.selector(of: member).expression))
        }
        for uid in Self.uids.prefix(2000) {
            let matching = selectors.filter { $0.1.matches(uid: uid, namespace: nil) }.map(\.0)
            #expect(matching == [ring.owner(ofUID: uid)!])
        }
        // The ends of the space: hash 0 and 2^64 - 1 have exactly one owner each.
        for hash in [UInt64.min, UInt64.max] {
            let matching = selectors.filter { $0.1.ranges.contains { $0.contains(hash) } }.map(\.0)
            #expect(matching == [ring.owner(ofHash: hash)!])
        }
    }

    @Test("The KEP-5866 wire form: FNV-1a, bounds with 0x, 2^64 as the end, clear errors")
    func selectorWireForm() throws {
        // FNV-1a 64 of "a" (published test vector).
        #expect(ShardSelector.hash("a") == 0xaf63_dc4c_8601_ec8c)
        let half = try ShardSelector(
            parsing:
                "shardRange(object.metadata.uid, '0x0', '0x8000000000000000') || shardRange(object.metadata.uid, '0x8000000000000000', '0x10000000000000000')"
        )
        #expect(half.ranges == [.init(lower: 0, upper: 1 << 63), .init(lower: 1 << 63, upper: nil)])
        #expect(try ShardSelector(parsing: half.expression) == half)
        let namespaces = try ShardSelector(parsing: "shardRange(object.metadata.namespace, '0x0', '0x10000000000000000')")
        #expect(namespaces.field == .namespace)
        #expect(namespaces.matches(uid: "", namespace: "default"))
        for bad in [
            "", "shardRange(object.metadata.name, '0x0', '0x1')", "shardRange(object.metadata.uid, '0', '0x1')",
            "shardRange(object.metadata.uid, '0x2', '0x1')", "shardRange(object.metadata.uid, '0x0', '0x20000000000000000')",
            "shardRange(object.metadata.uid, '0x0')", "other(object.metadata.uid, '0x0', '0x1')",
        ] {
            #expect(throws: ShardSelectorError.self, "\(bad)") { try ShardSelector(parsing: bad) }
        }
    }

    // MARK: Membership

    static func lease(_ name: String, holder: String?, renew: Int, duration: Int64 = 3, version: String = "") -> KubeObject {
        var lease = KubeObject(type: .lease, namespace: "default", name: name)
        let record = LeaseRecord(
            holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: Date(timeIntervalSince1970: 0),
            renewTime: Date(timeIntervalSince1970: TimeInterval(renew)), leaseTransitions: 0)
        lease.json["spec"] = record.spec
        lease.annotations[ShardingConfig.ringAnnotation] = version
        return lease
    }

    static func at(_ seconds: Double) -> SchedulingClock.Instant {
        SchedulingClock.Instant(offset: .milliseconds(Int(seconds * 1000)))
    }

    @Test("A member is live while its record keeps changing, measured on our clock; a released Lease is gone at once")
    func membershipExpiry() {
        var view = ShardMembership()
        view.observe([Self.lease("a", holder: "a", renew: 1), Self.lease("me", holder: "me", renew: 1)], at: Self.at(0))
        #expect(view.liveOthers(excluding: "me", at: Self.at(2.9)) == ["a": ""])
        // Unchanged record: expires 3 s after we first saw it.
        view.observe([Self.lease("a", holder: "a", renew: 1)], at: Self.at(2.5))
        #expect(view.liveOthers(excluding: "me", at: Self.at(3.1)).isEmpty)
        // Renewed: live again from the moment we saw the change.
        view.observe([Self.lease("a", holder: "a", renew: 5, version: "v1")], at: Self.at(4))
        #expect(view.liveOthers(excluding: "me", at: Self.at(6.9)) == ["a": "v1"])
        // Released (no holder): not a member.
        view.observe([Self.lease("a", holder: nil, renew: 6)], at: Self.at(5))
        #expect(view.liveOthers(excluding: "me", at: Self.at(5)).isEmpty)
    }

    // MARK: Hand-over

    /// One replica's gate with its Lease written (recording what it chose to record) at `at`.
    static func renew(_ state: inout ShardState, at time: Double) {
        let version = state.versionToWrite()?.version
        state.written(version: version, started: at(time), now: at(time))
    }

    @Test("A joining replica takes a parent only after the old owner recorded the new ring")
    func handOverWaitsForTheOldOwner() throws {
        var a = ShardState(identity: "a", virtualNodes: 64, renewDeadline: .seconds(2))
        let ringA = HashRing(members: ["a"], virtualNodes: 64)
        let ringAB = HashRing(members: ["a", "b"], virtualNodes: 64)
        let moving = try #require(Self.uids.first { ringAB.owner(ofUID: $0) == "b" })
        let staying = try #require(Self.uids.first { ringAB.owner(ofUID: $0) == "a" })

        // a alone: records its ring, lists after that, and syncs everything.
        a.update(others: [:], listStarted: Self.at(0))
        Self.renew(&a, at: 0.1)
        a.update(others: [:], listStarted: Self.at(0.2))
        #expect(a.ring == ringA)
        #expect(a.begin(uid: moving, at: Self.at(0.3)) == .start)

        // b joins; b's first list shows a recording ring {a}.
        var b = ShardState(identity: "b", virtualNodes: 64, renewDeadline: .seconds(2))
        b.update(others: ["a": ringA.version], listStarted: Self.at(0.4))
        Self.renew(&b, at: 0.5)
        b.update(others: ["a": ringA.version], listStarted: Self.at(0.6))
        #expect(b.ring == ringAB)
        #expect(b.decide(uid: moving, at: Self.at(0.7)) == .wait, "a has not acknowledged")
        #expect(b.decide(uid: staying, at: Self.at(0.7)) == .notMine)

        // a sees b: stops starting syncs at once, but waits for its running sync of `moving`.
        a.update(others: ["b": ringAB.version], listStarted: Self.at(0.8))
        #expect(a.decide(uid: staying, at: Self.at(0.8)) == .wait)
        #expect(a.decide(uid: moving, at: Self.at(0.8)) == .notMine)
        #expect(a.versionToWrite()?.version == ringA.version, "still busy with a parent that moves")
        Self.renew(&a, at: 0.9)
        b.update(others: ["a": ringA.version], listStarted: Self.at(1.0))
        #expect(b.decide(uid: moving, at: Self.at(1.0)) == .wait)

        // The running sync ends; a records the new ring at its next renewal.
        a.end(uid: moving)
        Self.renew(&a, at: 1.1)
        #expect(a.published == ringAB.version)
        // A list that started before the record was stored does not count.
        a.update(others: ["b": ringAB.version], listStarted: Self.at(1.05))
        #expect(a.decide(uid: staying, at: Self.at(1.2)) == .wait)
        a.update(others: ["b": ringAB.version], listStarted: Self.at(1.2))
        #expect(a.begin(uid: staying, at: Self.at(1.3)) == .start)
        b.update(others: ["a": ringAB.version], listStarted: Self.at(1.3))
        #expect(b.begin(uid: moving, at: Self.at(1.4)) == .start)
        #expect(b.handovers == 1 && a.handovers == 2)
    }

    @Test("No sync starts once the Lease was not renewed for renewDeadline")
    func renewDeadline() {
        var a = ShardState(identity: "a", virtualNodes: 8, renewDeadline: .seconds(2))
        a.update(others: [:], listStarted: Self.at(0))
        Self.renew(&a, at: 0.1)
        a.update(others: [:], listStarted: Self.at(0.2))
        #expect(a.decide(uid: "p", at: Self.at(2.0)) == .start)
        #expect(a.decide(uid: "p", at: Self.at(2.1)) == .wait)
        #expect(!a.isSettled(at: Self.at(2.1)))
        a.stop()
        #expect(a.decide(uid: "p", at: Self.at(0.5)) == .wait)
    }

    @Test("While a different ring version is being written the gate stays shut, even if the ring comes back")
    func writeInFlight() {
        var a = ShardState(identity: "a", virtualNodes: 8, renewDeadline: .seconds(5))
        a.update(others: [:], listStarted: Self.at(0))
        Self.renew(&a, at: 0.1)
        a.update(others: [:], listStarted: Self.at(0.2))
        let alone = a.ring.version
        a.update(others: ["b": ""], listStarted: Self.at(0.3))
        #expect(a.versionToWrite()?.version != alone, "the write of {a, b} begins")
        // b vanishes before that write is stored: the ring is {a} again, but the Lease may say {a, b}.
        a.update(others: [:], listStarted: Self.at(0.4))
        #expect(a.decide(uid: "p", at: Self.at(0.4)) == .wait)
    }

    @Test("A member that records another ring blocks everyone: no two rings are followed at once")
    func disagreementBlocks() {
        var a = ShardState(identity: "a", virtualNodes: 8, renewDeadline: .seconds(5))
        a.update(others: ["b": "something-else"], listStarted: Self.at(0))
        Self.renew(&a, at: 0.1)
        a.update(others: ["b": "something-else"], listStarted: Self.at(0.2))
        for uid in Self.uids.prefix(50) { #expect(a.decide(uid: uid, at: Self.at(0.3)) != .start) }
        #expect(!a.isSettled(at: Self.at(0.3)))
    }

    @Test("OperatorConfig.sharding validates its timings and refuses leader election")
    func validation() {
        let base = OperatorConfig(name: "x", parent: .configMap)
        #expect(throws: Never.self) { try base.sharding().validate() }
        #expect(throws: OperatorConfigError.self) {
            try base.sharding(ShardingConfig(renewDeadline: .seconds(20))).validate()
        }
        #expect(throws: OperatorConfigError.self) { try base.sharding().leaderElection(leaseName: "l").validate() }
        #expect(ShardingConfig.leaseName(operatorName: "Echo", identity: "host_01ab") == "echo-host-01ab")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
