import RoperatorClient

/// The member Leases of a sharded operator as one replica has seen them, and which are live.
///
/// Expiry is judged as the leader election judges it: a Lease is live while its holder is set
/// and its record changed less than `leaseDurationSeconds` ago, measured by this replica's clock
/// from the moment it saw the change; no two clocks are compared. A Lease seen for the first
/// time counts as just renewed.
struct ShardMembership: Sendable {
    struct Observed: Sendable, Hashable {
        var record: LeaseRecord
        /// The ring version the member records (`""` for none).
        var version: String
        var changedAt: SchedulingClock.Instant
    }

    /// By Lease name.
    private(set) var leases: [String: Observed] = [:]

    /// Takes in a complete list of the member Leases at `now` (Leases gone from it are forgotten).
    ///
    /// - Returns: The names of Leases that could not be read (they count as absent).
    @discardableResult
    mutating func observe(_ objects: [KubeObject], at now: SchedulingClock.Instant) -> [String] {
        var next: [String: Observed] = [:]
        var invalid: [String] = []
        for object in objects {
            guard let name = object.name else { continue }
            guard let record = try? LeaseRecord(lease: object) else {
                invalid.append(name)
                continue
            }
            let version = object.annotations[ShardingConfig.ringAnnotation] ?? ""
            if let old = leases[name], old.record == record {
                next[name] = Observed(record: record, version: version, changedAt: old.changedAt)
            } else {
                next[name] = Observed(record: record, version: version, changedAt: now)
            }
        }
        leases = next
        return invalid
    }

    /// The live members other than `identity`, each with the ring version it records.
    func liveOthers(excluding identity: String, at now: SchedulingClock.Instant) -> [String: String] {
        var live: [String: String] = [:]
        for observed in leases.values {
            guard let holder = observed.record.holderIdentity, holder != identity else { continue }
            guard now < observed.changedAt + .seconds(observed.record.leaseDurationSeconds) else { continue }
            live[holder] = observed.version
        }
        return live
    }
}
