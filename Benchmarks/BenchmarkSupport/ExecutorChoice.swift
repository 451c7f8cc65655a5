public import Roperator
public import RoperatorClient
import NIOPosix

/// Where a benchmark runs its operator's tasks (`--executor`).
public enum ExecutorChoice: String, CaseIterable, Sendable {
    /// The library's default: syncs on the client's request event loop, watches read into the
    /// caches on its watch event loop.
    case `default`
    /// Syncs on Swift's cooperative pool (`OperatorGroup.Configuration.taskExecutor =
    /// globalConcurrentExecutor`), as for handlers that compute a lot.
    case pool
    /// Everything on one event loop: requests, watches, syncs.
    case loop

    /// The choices as the usage line names them.
    public static let names = allCases.map(\.rawValue).joined(separator: "|")

    /// A client for `configuration` placed as this choice needs, and the executor the operator's
    /// group is then configured with.
    public func makeClient(_ configuration: ClientConfiguration) throws -> (client: KubeClient, executor: (any TaskExecutor)?) {
        switch self {
        case .default:
            return (try KubeClient(configuration: configuration), nil)
        case .pool:
            return (try KubeClient(configuration: configuration), globalConcurrentExecutor)
        case .loop:
            let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
            return (try KubeClient(configuration: configuration, options: .init(eventLoopGroup: loop)), EventLoopExecutor(loop))
        }
    }

    /// Starts `config` with `handler` in a group of one on `client`, whose tasks prefer
    /// `executor` (both from ``makeClient(_:)``).
    ///
    /// - Returns: the operator, and the task running it (cancel it to stop).
    public static func start(
        _ config: OperatorConfig, handler: some Handler, client: KubeClient, executor: (any TaskExecutor)?
    ) throws -> (op: Operator, running: Task<Void, any Error>) {
        var settings = OperatorGroup.Configuration()
        settings.taskExecutor = executor
        let group = OperatorGroup(client: client, configuration: settings)
        let op = try group.add(config, handler: handler)
        return (op, Task { try await group.run() })
    }
}
