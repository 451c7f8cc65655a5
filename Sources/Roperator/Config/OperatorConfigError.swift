/// An ``OperatorConfig`` setting that cannot work.
///
/// A struct with static codes rather than an enum so that new checks are not breaking changes.
public struct OperatorConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum _Code: Sendable, Hashable {
        case emptyName, concurrency, finalizerName, backoff, resyncPeriod, metricsPort, leaderElection, childType, syncTimeout, sharding
    }

    /// Which setting is wrong.
    public struct Code: Sendable, Hashable {
        fileprivate let code: _Code
        /// The operator name is empty.
        public static let emptyName = Code(code: .emptyName)
        /// Concurrency below 1.
        public static let concurrency = Code(code: .concurrency)
        /// The finalizer is not a qualified name.
        public static let finalizerName = Code(code: .finalizerName)
        /// Backoff bounds are inconsistent.
        public static let backoff = Code(code: .backoff)
        /// The resync period is not positive.
        public static let resyncPeriod = Code(code: .resyncPeriod)
        /// The metrics port is out of range.
        public static let metricsPort = Code(code: .metricsPort)
        /// Leader election timings or lease name are invalid.
        public static let leaderElection = Code(code: .leaderElection)
        /// A child type is invalid (for example the parent type itself).
        public static let childType = Code(code: .childType)
        /// The sync timeout is not positive.
        public static let syncTimeout = Code(code: .syncTimeout)
        /// Sharding timings are invalid, or sharding is combined with leader election.
        public static let sharding = Code(code: .sharding)
    }

    /// Which setting is wrong.
    public let code: Code
    /// What is wrong with it.
    public let message: String

    static func invalid(_ code: Code, _ message: String) -> OperatorConfigError {
        OperatorConfigError(code: code, message: message)
    }

    /// A readable message.
    public var description: String { "invalid operator configuration: \(message)" }
}
