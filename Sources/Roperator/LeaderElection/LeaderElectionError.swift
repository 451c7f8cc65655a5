/// Why leader election ended a run or could not read its Lease.
///
/// A struct with static codes rather than an enum so that new cases are not breaking changes.
///
/// ```swift
/// do {
///     try await op.run()
/// } catch let error as LeaderElectionError where error.code == .leadershipLost {
///     // another replica leads now; exit so that the pod restarts as a standby
/// }
/// ```
public struct LeaderElectionError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum _Code: Sendable, Hashable {
        case leadershipLost, invalidLease, alreadyRunning
    }

    /// What went wrong.
    public struct Code: Sendable, Hashable {
        fileprivate let code: _Code
        /// This replica led but could not renew its lease within `renewDeadline`, or saw another
        /// holder in it. It stopped writing; ``Operator/run()`` ends with this error.
        public static let leadershipLost = Code(code: .leadershipLost)
        /// The Lease exists but its `spec` cannot be read (a field of the wrong type, a time that
        /// is not RFC 3339). The elector keeps retrying; this error is only logged.
        public static let invalidLease = Code(code: .invalidLease)
        /// ``LeaderElector/run()`` was called while a run of the same elector was in progress.
        public static let alreadyRunning = Code(code: .alreadyRunning)
    }

    /// What went wrong.
    public let code: Code
    /// The Lease, as `namespace/name` or just the name.
    public let lease: String
    /// Details, including this replica's identity where it matters.
    public let message: String

    static func leadershipLost(_ lease: String, _ message: String) -> LeaderElectionError {
        LeaderElectionError(code: .leadershipLost, lease: lease, message: message)
    }

    static func invalidLease(_ lease: String, _ message: String) -> LeaderElectionError {
        LeaderElectionError(code: .invalidLease, lease: lease, message: message)
    }

    static func alreadyRunning(_ lease: String) -> LeaderElectionError {
        LeaderElectionError(code: .alreadyRunning, lease: lease, message: "the elector is already running")
    }

    /// A readable message naming the lease.
    public var description: String {
        switch code.code {
        case .leadershipLost: "lost leadership of lease \(lease): \(message)"
        case .invalidLease: "cannot read lease \(lease): \(message)"
        case .alreadyRunning: "leader election on lease \(lease): \(message)"
        }
    }
}
