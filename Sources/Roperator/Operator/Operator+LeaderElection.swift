import Logging

extension Operator {
    /// Whether this operator may write now. While ``run()`` runs: always without
    /// ``OperatorConfig/leaderElection``; with it, only while this replica holds the lease.
    /// False when not running, and false from the moment the lease is lost.
    public var isLeader: Bool {
        guard isRunning else { return false }
        return elector?.isLeader ?? true
    }

    /// The identity this replica campaigns with while running with leader election (the
    /// ``LeaderElectionConfig/identity`` set, or hostname plus a random suffix); `nil` otherwise.
    public var leaderIdentity: String? { elector?.identity }

    /// While leader election is on and this replica does not lead (leadership just lost, or a
    /// renewal running past its deadline): how long a key waits before it is tried again, so
    /// that no event is dropped. `nil` when a sync may start.
    var notLeadingRetry: Duration? {
        guard let elector, !elector.isLeader else { return nil }
        return elector.config.retryPeriod
    }

    /// A standby waits here, caches warm and events queued, until its replica leads.
    ///
    /// - Returns: false when cancelled or when leadership was lost before it began.
    func waitForLeadership() async -> Bool {
        guard let elector else { return true }
        metrics.leader(false)
        if !elector.isLeader {
            logger.info(
                "caches synced; standing by until this replica holds the lease",
                metadata: [
                    "lease": "\(elector.leaseDescription)", "identity": "\(elector.identity)",
                ])
        }
        do {
            try await elector.waitUntilLeading()
        } catch {
            return false
        }
        metrics.leader(true)
        return true
    }
}
