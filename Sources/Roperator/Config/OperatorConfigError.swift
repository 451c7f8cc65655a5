/// An ``OperatorConfig`` setting that cannot work.
///
/// A struct with static codes rather than an enum so that new checks are not breaking changes.
public struct OperatorConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum _Code: Sendable, Hashable {
        case emptyName, concurrency, finalizerName, backoff, resyncPeriod, metricsPort, leaderElection, childType
    }

    /// Which setting is wrong.
    public struct Code: Sendable, Hashable {
        fileprivate let code: _Code
        public static let emptyName = Code(code: .emptyName)
        public static let concurrency = Code(code: .concurrency)
        public static let finalizerName = Code(code: .finalizerName)
        public static let backoff = Code(code: .backoff)
        public static let resyncPeriod = Code(code: .resyncPeriod)
        public static let metricsPort = Code(code: .metricsPort)
        public static let leaderElection = Code(code: .leaderElection)
        public static let childType = Code(code: .childType)
    }

    /// Which setting is wrong.
    public let code: Code
    /// What is wrong with it.
    public let message: String

    static func invalid(_ code: Code, _ message: String) -> OperatorConfigError {
        OperatorConfigError(code: code, message: message)
    }

    public var description: String { "invalid operator configuration: \(message)" }
}
