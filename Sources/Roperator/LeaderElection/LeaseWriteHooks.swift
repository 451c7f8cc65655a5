import RoperatorClient

/// What a ``LeaderElector`` does around each write of its Lease, for Leases that carry more than
/// the leader-election record (a shard member's label and acknowledged ring).
struct LeaseWriteHooks: Sendable {
    /// Adjusts the Lease (labels, annotations) just before it is created or replaced.
    var decorate: @Sendable (inout KubeObject) -> Void
    /// Receives the Lease as stored after a successful create or replace, with the instant the
    /// attempt started (the renewal counts from then, as for leadership).
    var written: @Sendable (KubeObject, SchedulingClock.Instant) -> Void
}
