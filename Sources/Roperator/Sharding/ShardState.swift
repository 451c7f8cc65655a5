import RoperatorClient
/// What one replica of a sharded operator knows and may do: the ring it computes from the live
/// members, the ring version its Lease records, whether every other live member records the same
/// version, and until when its own Lease is valid. Kept in a `Lock` by ``ShardCoordinator``;
/// pure (time is passed in), so the hand-over rules are unit-tested with a manual clock.
///
/// A sync of a parent may start only when all of these hold:
/// 1. this replica's Lease was renewed less than `renewDeadline` ago (by the start of the renewal);
/// 2. the ring over the live members gives the parent to this replica;
/// 3. this replica's Lease (as stored) records that ring's version; and
/// 4. a list of the member Leases that started after that record was stored showed every other
///    live member recording the same version.
///
/// A replica records a new version only once none of its running syncs is of a parent the new
/// ring moves away, and stops starting syncs from the moment it computes a different ring. So a
/// parent changes hands only after its old owner acknowledged (or its Lease expired).
struct ShardState: Sendable {
    /// What the gate says about one parent.
    enum Decision: Sendable, Hashable {
        /// Start the sync.
        case start
        /// The parent is (or may soon be) this replica's, but not yet: try again shortly.
        case wait
        /// Another replica owns the parent: drop it.
        case notMine
    }

    /// This replica's identity (its member name on the ring).
    let identity: String
    let virtualNodes: Int
    let renewDeadline: Duration

    /// The ring over the members seen live in the last list (this replica always included).
    private(set) var ring: HashRing
    /// The ring version this replica's Lease records as stored; `nil` before the first write and
    /// while a write of another version is on its way.
    private(set) var published: String?
    /// When ``published`` took its current value.
    private(set) var publishedAt: SchedulingClock.Instant?
    /// The ring the next write of the Lease records (set once acknowledging it is safe).
    private(set) var acknowledging: HashRing?
    /// Whether the last list, started after ``publishedAt``, showed every other live member
    /// recording ``ring``'s version.
    private(set) var othersAgree = false
    /// Whether at least one list of the member Leases succeeded.
    private(set) var listed = false
    /// Start of the last successful renewal plus `renewDeadline`: no sync starts afterwards.
    private(set) var validUntil: SchedulingClock.Instant?
    /// Running syncs by parent UID.
    private var running: [String: Int] = [:]
    /// Ring versions this replica's Lease recorded since the start (the first included).
    private(set) var handovers = 0
    /// The other live members and the versions they record, as last listed.
    private(set) var others: [String: String] = [:]

    init(identity: String, virtualNodes: Int, renewDeadline: Duration) {
        self.identity = identity
        self.virtualNodes = virtualNodes
        self.renewDeadline = renewDeadline
        self.ring = HashRing(members: [identity], virtualNodes: virtualNodes)
    }

    /// Whether this replica is a full member now: Lease valid, ring acknowledged by everyone.
    func isSettled(at now: SchedulingClock.Instant) -> Bool {
        guard let validUntil, now < validUntil else { return false }
        return listed && published == ring.version && othersAgree
    }

    /// The decision for the parent with `uid` at `now`.
    func decide(uid: String, at now: SchedulingClock.Instant) -> Decision {
        guard ring.owner(ofUID: uid) == identity else { return .notMine }
        return isSettled(at: now) ? .start : .wait
    }

    /// Decides and, when the sync may start, records it as running (until ``end(uid:)``).
    mutating func begin(uid: String, at now: SchedulingClock.Instant) -> Decision {
        let decision = decide(uid: uid, at: now)
        if decision == .start { running[uid, default: 0] += 1 }
        return decision
    }

    /// A sync started by ``begin(uid:at:)`` ended.
    mutating func end(uid: String) {
        if let count = running[uid] { running[uid] = count > 1 ? count - 1 : nil }
        prepareAcknowledgement()
    }

    /// The parents (UIDs) being synced now.
    var runningUIDs: [String] { Array(running.keys) }

    /// Takes in a list of the member Leases that started at `listStarted`: the other live
    /// members (identity → recorded version, `""` for none).
    ///
    /// - Returns: Whether the ring changed.
    @discardableResult
    mutating func update(others: [String: String], listStarted: SchedulingClock.Instant) -> Bool {
        let next = HashRing(members: Array(others.keys) + [identity], virtualNodes: virtualNodes)
        let changed = next.version != ring.version
        ring = next
        self.others = others
        listed = true
        let fresh = publishedAt.map { listStarted > $0 } ?? false
        othersAgree = fresh && published == next.version && others.values.allSatisfy { $0 == next.version }
        prepareAcknowledgement()
        return changed
    }

    /// Chooses the ring to record next: the current one, once no running sync is of a parent it
    /// gives to another member.
    private mutating func prepareAcknowledgement() {
        guard published != ring.version else {
            acknowledging = nil
            return
        }
        let busyElsewhere = running.keys.contains { ring.owner(ofUID: $0) != identity }
        acknowledging = busyElsewhere ? nil : ring
    }

    /// The version and members to write into the Lease now; marks ``published`` unknown while a
    /// different version is being written.
    mutating func versionToWrite() -> (version: String, members: [String])? {
        if let acknowledging {
            if published != acknowledging.version {
                published = nil
                publishedAt = nil
                othersAgree = false
            }
            return (acknowledging.version, acknowledging.members)
        }
        guard let published else { return nil }
        return (published, ring.version == published ? ring.members : [])
    }

    /// The Lease was stored recording `version`, by a write that started at `started`.
    mutating func written(version: String?, started: SchedulingClock.Instant, now: SchedulingClock.Instant) {
        validUntil = started + renewDeadline
        guard let version, !version.isEmpty else { return }
        if published != version {
            published = version
            publishedAt = now
            othersAgree = false
            handovers += 1
        }
        prepareAcknowledgement()
    }

    /// The Lease can no longer be renewed (or the run stops): no sync starts any more.
    mutating func stop() {
        validUntil = nil
        published = nil
        publishedAt = nil
        othersAgree = false
        acknowledging = nil
    }
}
