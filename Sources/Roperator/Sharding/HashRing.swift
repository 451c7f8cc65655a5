public import RoperatorClient

/// A consistent-hash ring over the live members of a sharded operator: which member owns each
/// parent, by the 64-bit FNV-1a hash of the parent's UID (the hash KEP-5866's server-side shard
/// selector uses, so a member's share is a ``ShardSelector`` the API server can apply).
///
/// Every member is placed at `virtualNodes` points (the mixed hash of `"<identity>#<i>"`); a point owns
/// the hashes from itself up to the next point, and the last point also owns the hashes below the
/// first. Adding a member moves only hashes to it; removing one moves only its hashes. Every
/// replica computes the same ring from the same member set: it is a pure function of the set.
public struct HashRing: Sendable, Hashable {
    /// The members, sorted.
    public let members: [String]
    /// Points per member.
    public let virtualNodes: Int
    /// The points, sorted by hash: (hash, index into ``members``).
    private let points: [Point]

    struct Point: Sendable, Hashable {
        var hash: UInt64
        var member: Int
    }

    /// The ring over `members` (duplicates ignored) with `virtualNodes` points each (at least 1).
    public init(members: some Sequence<String>, virtualNodes: Int = 128) {
        let sorted = Array(Set(members)).sorted()
        self.members = sorted
        self.virtualNodes = max(1, virtualNodes)
        var points: [Point] = []
        points.reserveCapacity(sorted.count * self.virtualNodes)
        for (index, member) in sorted.enumerated() {
            for node in 0..<self.virtualNodes {
                points.append(Point(hash: Self.mix(ShardSelector.hash("\(member)#\(node)")), member: index))
            }
        }
        // Ties (practically impossible) are broken by member so every replica sorts alike.
        self.points = points.sorted { ($0.hash, $0.member) < ($1.hash, $1.member) }
    }

    /// MurmurHash3's 64-bit finalizer: FNV-1a of names that differ only in their last characters
    /// (`a#1`, `a#2`) lands in a narrow band of the space; mixed, the points spread evenly.
    /// (Parents are hashed with plain FNV-1a, as the API server hashes them; UIDs are random.)
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// A short digest of the member set (16 hex digits): equal on every replica that sees the
    /// same members. Replicas record the version they follow in their Lease.
    public var version: String {
        let digest = ShardSelector.hash(members.joined(separator: "\n") + "/\(virtualNodes)")
        let digits = String(digest, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The member owning `hash`; `nil` when the ring is empty.
    public func owner(ofHash hash: UInt64) -> String? {
        guard !points.isEmpty else { return nil }
        // The last point at or below `hash`; below the first point, the last point wraps around.
        var low = 0
        var high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].hash <= hash { low = mid + 1 } else { high = mid }
        }
        let index = low == 0 ? points.count - 1 : low - 1
        return members[points[index].member]
    }

    /// The member owning the parent with this UID; `nil` when the ring is empty.
    public func owner(ofUID uid: String) -> String? {
        owner(ofHash: ShardSelector.hash(uid))
    }

    /// The hash ranges `member` owns, adjacent ranges merged; empty when it is not a member.
    public func ranges(of member: String) -> [ShardSelector.Range] {
        guard let index = members.firstIndex(of: member), !points.isEmpty else { return [] }
        var ranges: [ShardSelector.Range] = []
        func add(_ lower: UInt64, _ upper: UInt64?) {
            if let upper, upper <= lower { return }
            if let last = ranges.last, last.upper == lower {
                ranges[ranges.count - 1].upper = upper
            } else {
                ranges.append(ShardSelector.Range(lower: lower, upper: upper))
            }
        }
        let wraps = points[points.count - 1].member == index
        if wraps { add(0, points[0].hash) }
        for (position, point) in points.enumerated() where point.member == index {
            add(point.hash, position + 1 < points.count ? points[position + 1].hash : nil)
        }
        return ranges
    }

    /// The server-side selector of `member`'s share (an empty selector selects nothing).
    public func selector(of member: String) -> ShardSelector {
        ShardSelector(field: .uid, ranges: ranges(of: member))
    }

    /// The fraction of the hash space `member` owns (0 when not a member).
    public func share(of member: String) -> Double {
        ranges(of: member).reduce(0.0) { total, range in
            let upper = range.upper.map { Double($0) } ?? 18_446_744_073_709_551_616.0
            return total + (upper - Double(range.lower)) / 18_446_744_073_709_551_616.0
        }
    }
}
