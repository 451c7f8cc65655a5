public import Logging
public import RoperatorClient
public import ServiceLifecycle
import NIOHTTP1
import Synchronization

/// Several operators in one process sharing one client and one informer (and cache) per
/// watched (type, namespace, label selector). A ServiceLifecycle `Service`.
///
/// Child types are watched through the `roperator.io/parent-uid` tracking label, so operators
/// with the same child type share that cache even when their parents differ. One health and
/// metrics endpoint serves the whole group, on the first ``OperatorConfig/metricsPort`` set.
///
/// ```swift
/// let group = OperatorGroup(client: client)
/// try group.add(echoConfig, handler: EchoHandler())
/// try group.add(tempConfig, handler: TempNamespaceHandler())
/// try await ServiceGroup(services: [group], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public final class OperatorGroup: Service {
    /// The client all operators share.
    public let client: KubeClient
    private let logger: Logger
    private let members = Mutex<[Operator]>([])

    /// Creates an empty group.
    ///
    /// - Parameters:
    ///   - client: The shared client; it is not shut down by the group.
    ///   - logger: The operators' logger.
    public init(client: KubeClient, logger: Logger = Logger(label: "roperator")) {
        self.client = client
        self.logger = logger
    }

    /// Adds an operator; call before ``run()``.
    ///
    /// - Returns: The operator, for its readiness and statistics.
    /// - Throws: ``OperatorConfigError`` when `config` is invalid.
    @discardableResult
    public func add(_ config: OperatorConfig, handler: some Handler) throws(OperatorConfigError) -> Operator {
        let member = try Operator(config: config, handler: handler, client: client, logger: logger)
        members.withLock { $0.append(member) }
        return member
    }

    /// The operators added so far.
    public var operators: [Operator] { members.withLock { $0 } }

    /// The port of the health and metrics endpoint while running, when an operator configured one.
    public var healthPort: Int? { operators.lazy.compactMap(\.healthPort).first }

    /// Whether every operator's caches completed their initial list.
    public var isReady: Bool { operators.allSatisfy(\.isReady) }

    /// Runs every operator until cancelled or gracefully shut down.
    public func run() async throws {
        try await Self.run(operators, client: client, logger: logger)
    }

    /// Runs `operators` over shared informers; returns once every informer and queue task ended.
    static func run(_ operators: [Operator], client: KubeClient, logger: Logger) async throws {
        let factory = InformerFactory(client: client, logger: logger)
        let reconcilers = operators.map { ($0, $0.bind(to: factory)) }
        defer { for member in operators { member.unbind() } }
        let informers = factory.all
        let health = operators.compactMap(\.config.metricsPort).first.map { port in
            HealthServer(port: port, logger: logger) { path in respond(to: path, operators: operators) }
        }
        for member in operators { member.healthServer.withLock { $0 = health } }
        // Graceful shutdown drains: no new syncs start, running ones finish (up to
        // `drainTimeout`), then everything is cancelled. Plain cancellation stops at once.
        await withTaskGroup(of: Void.self) { outer in
            outer.addTask {
                await withDiscardingTaskGroup { group in
                    if let health {
                        group.addTask { await health.run() }
                    }
                    for informer in informers {
                        group.addTask { await informer.run() }
                    }
                    for (member, reconciler) in reconcilers {
                        group.addTask { await member.process(with: reconciler) }
                    }
                }
            }
            outer.addTask {
                // Throws only when cancelled, which stops the other child as well.
                do { try await gracefulShutdown() } catch { return }
                for member in operators { member.draining.withLock { $0 = true } }
                let deadline = ContinuousClock.now + drainTimeout
                while operators.contains(where: { $0.queue.runningCount > 0 }), ContinuousClock.now < deadline {
                    do { try await Task.sleep(for: .milliseconds(10)) } catch { return }
                }
            }
            // Whichever ends first (the drain, or the work on cancellation) ends the other.
            await outer.next()
            outer.cancelAll()
        }
    }

    /// How long a graceful shutdown waits for running syncs.
    static let drainTimeout: Duration = .seconds(30)
}

/// The health server's answers: `/healthz`, `/readyz`, `/metrics`.
private func respond(to path: String, operators: [Operator]) -> (status: HTTPResponseStatus, contentType: String, body: String) {
    switch path {
    case "/healthz", "/livez":
        return (.ok, "text/plain", "ok\n")
    case "/readyz":
        let ready = operators.allSatisfy(\.isReady)
        return (ready ? .ok : .serviceUnavailable, "text/plain", ready ? "ok\n" : "caches not synced\n")
    case "/metrics":
        let text = PrometheusText.render(operators.map { ($0.config.name, $0.isReady, $0.statistics) })
        return (.ok, "text/plain; version=0.0.4", text)
    default:
        return (.notFound, "text/plain", "not found\n")
    }
}
