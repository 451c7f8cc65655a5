/// Sharding: the replicas of an operator split its parents among themselves instead of one
/// leading and the others standing by. Set it with ``OperatorConfig/sharding(_:)``; see the
/// "Sharding" guide page for the design and its guarantees.
///
/// ```swift
/// let config = OperatorConfig(name: "echo", parent: echoType)
///     .withChild(.configMap)
///     .sharding(ShardingConfig())
/// ```
///
/// Each replica holds a Lease of its own (named `<operator>-<identity>`, labelled
/// `roperator.io/shard-of: <operator>`), renewed like the leader-election lease. The live members
/// are the unexpired Leases; a consistent-hash ring over them assigns each parent (by UID) to one
/// replica, and the parent's children go with it.
public struct ShardingConfig: Sendable, Hashable {
    /// How a replica keeps only its share of the parents in its cache.
    public enum Selection: Sendable, Hashable {
        /// Lists and watches carry KEP-5866's `shardSelector`, so the API server sends each
        /// replica only its share (the embedded API server implements it; Kubernetes 1.36+ with
        /// the `ShardedListAndWatch` feature gate). A server without the feature ignores the
        /// parameter: every replica then caches every parent, and ownership is still enforced
        /// before each sync.
        case server
        /// Every replica caches every parent and skips those it does not own: for servers that
        /// refuse the parameter.
        case client
    }

    /// Namespace of the member Leases; `nil` uses the client's namespace.
    public var leaseNamespace: String?
    /// How long a member's Lease is valid after its last renewal, as other replicas measure it.
    /// Default 15 s.
    public var leaseDuration: Duration
    /// How long a replica keeps trying to renew before it stops all syncs. Shorter than
    /// ``leaseDuration``. Default 10 s.
    public var renewDeadline: Duration
    /// How often a replica renews its Lease and reads the others'. Default 2 s.
    public var retryPeriod: Duration
    /// This replica's identity; `nil` uses the hostname plus a random suffix.
    public var identity: String?
    /// Points per member on the ring; more points spread the parents more evenly. Default 128.
    public var virtualNodes: Int
    /// Server-side (default) or client-side selection of the parents.
    public var selection: Selection

    /// Settings; every argument has a default.
    public init(
        leaseNamespace: String? = nil, leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
        retryPeriod: Duration = .seconds(2), identity: String? = nil, virtualNodes: Int = 128,
        selection: Selection = .server
    ) {
        self.leaseNamespace = leaseNamespace
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.identity = identity
        self.virtualNodes = virtualNodes
        self.selection = selection
    }

    /// The label every member Lease carries, with the operator's name as value.
    public static let memberLabel = "roperator.io/shard-of"
    /// The annotation in which a member records the ring version it follows.
    public static let ringAnnotation = "roperator.io/shard-ring"
    /// The annotation listing the members of the ring a member follows (for people and tools).
    public static let membersAnnotation = "roperator.io/shard-members"
}

extension OperatorConfig {
    /// Shards the parents across the replicas running this operator (or, with `nil`, turns
    /// sharding off). Sharding and ``leaderElection`` exclude each other.
    public func sharding(_ settings: ShardingConfig? = ShardingConfig()) -> OperatorConfig {
        var copy = self
        copy.sharding = settings
        return copy
    }
}

extension ShardingConfig {
    /// Checks the timings, as for leader election, and that leader election is off.
    func validate(leaderElection: LeaderElectionConfig?) throws(OperatorConfigError) {
        if leaderElection != nil {
            throw .invalid(.sharding, "sharding and leader election exclude each other: every sharded replica works")
        }
        guard retryPeriod > .zero, retryPeriod < renewDeadline, renewDeadline < leaseDuration else {
            throw .invalid(.sharding, "sharding needs 0 < retryPeriod < renewDeadline < leaseDuration")
        }
        if leaseDuration < .seconds(1) { throw .invalid(.sharding, "sharding needs leaseDuration >= 1 s") }
        if virtualNodes < 1 { throw .invalid(.sharding, "sharding needs at least 1 virtual node per member") }
    }

    /// The leader-election settings of this replica's own member Lease: the same timing, a
    /// Lease named for the operator and the identity.
    func memberLease(operatorName: String, identity: String) -> LeaderElectionConfig {
        LeaderElectionConfig(
            leaseName: Self.leaseName(operatorName: operatorName, identity: identity), leaseNamespace: leaseNamespace,
            leaseDuration: leaseDuration, renewDeadline: renewDeadline, retryPeriod: retryPeriod, identity: identity)
    }

    /// `<operator>-<identity>` as a DNS subdomain: lower case, other characters as `-`.
    static func leaseName(operatorName: String, identity: String) -> String {
        let raw = "\(operatorName)-\(identity)".lowercased()
        let cleaned = String(raw.unicodeScalars.map { $0.isASCIILowerAlphanumeric || $0 == "." ? Character($0) : "-" })
        return String(cleaned.prefix(253))
    }
}
