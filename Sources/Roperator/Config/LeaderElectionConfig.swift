/// Leader election through a `coordination.k8s.io/v1` Lease, so that only one replica writes.
///
/// The timing follows client-go: a leader renews every `retryPeriod`; it gives up leadership
/// (and stops writing at once) if it could not renew for `renewDeadline`; a candidate takes an
/// unrenewed lease after `leaseDuration`. A standby keeps its caches warm and is ready, but syncs
/// nothing until it holds the lease; a leader that loses it ends ``Operator/run()`` with
/// ``LeaderElectionError``; a leader that stops releases the lease for an immediate takeover.
/// ``LeaderElector`` implements it.
///
/// ```swift
/// let config = OperatorConfig(name: "echo", parent: echoType)
///     .withChild(.configMap)
///     .leaderElection(LeaderElectionConfig(leaseName: "echo-operator"))
/// ```
public struct LeaderElectionConfig: Sendable, Hashable {
    /// Name of the Lease object.
    public var leaseName: String
    /// Namespace of the Lease; `nil` means the client's default namespace.
    public var leaseNamespace: String?
    /// How long a lease is valid without renewal. Default 15 s; at least 1 s. The Lease stores
    /// whole seconds (`leaseDurationSeconds`), so a fraction is rounded up.
    public var leaseDuration: Duration
    /// How long the leader keeps trying to renew before giving up. Default 10 s.
    public var renewDeadline: Duration
    /// Interval between acquire or renew attempts. Default 2 s.
    public var retryPeriod: Duration
    /// Identity written into the lease; `nil` means hostname plus a random suffix, chosen at start.
    /// Two replicas must never share one: each would think it leads.
    public var identity: String?

    /// - Parameters:
    ///   - leaseName: Name of the Lease object.
    ///   - leaseNamespace: Namespace of the Lease; default `nil` (the client's namespace).
    ///   - leaseDuration: Default 15 s.
    ///   - renewDeadline: Default 10 s; must be shorter than `leaseDuration`.
    ///   - retryPeriod: Default 2 s; must be shorter than `renewDeadline`.
    ///   - identity: Default `nil` (hostname plus a random suffix).
    public init(
        leaseName: String,
        leaseNamespace: String? = nil,
        leaseDuration: Duration = .seconds(15),
        renewDeadline: Duration = .seconds(10),
        retryPeriod: Duration = .seconds(2),
        identity: String? = nil
    ) {
        self.leaseName = leaseName
        self.leaseNamespace = leaseNamespace
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.identity = identity
    }
}
