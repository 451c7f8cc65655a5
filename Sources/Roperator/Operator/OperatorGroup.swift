public import Logging
public import RoperatorClient
public import ServiceLifecycle
import Synchronization

/// Several operators in one process sharing one client and one informer (and cache) per
/// watched (type, namespace, label selector). A ServiceLifecycle `Service`.
///
/// Child types are watched through the `roperator.io/parent-uid` tracking label, so operators
/// with the same child type share that cache even when their parents differ. One health and
/// metrics endpoint serves the whole group, on the first ``OperatorConfig/metricsPort`` set.
///
/// Leader election: operators that name the same Lease (name and namespace) share one
/// ``LeaderElector``, so they lead or stand by together under one identity; operators with
/// different Leases campaign independently (so replicas can spread leadership), and operators
/// without ``OperatorConfig/leaderElection`` always run. Losing any lease ends the whole group's
/// ``run()`` with ``LeaderElectionError``: the process restarts as a standby for every lease.
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
    /// - Throws: ``OperatorConfigError`` when `config` is invalid, or (code
    ///   ``OperatorConfigError/Code/leaderElection``) when it names the Lease of an operator
    ///   already added with different leader-election settings: one lease has one elector.
    @discardableResult
    public func add(_ config: OperatorConfig, handler: some Handler) throws(OperatorConfigError) -> Operator {
        let member = try Operator(config: config, handler: handler, client: client, logger: logger)
        try members.withLock { (members: inout [Operator]) throws(OperatorConfigError) in
            if let election = config.leaderElection,
                let other = members.first(where: { Self.sameLease($0.config.leaderElection, election, client: client) }),
                !Self.sameTimingAndIdentity(other.config.leaderElection, election)
            {
                throw .invalid(
                    .leaderElection,
                    "operators '\(other.config.name)' and '\(config.name)' share lease '\(election.leaseName)' with different settings")
            }
            members.append(member)
        }
        return member
    }

    /// The operators added so far.
    public var operators: [Operator] { members.withLock { $0 } }

    /// The port of the health and metrics endpoint while running, when an operator configured one.
    public var healthPort: Int? { operators.lazy.compactMap(\.healthPort).first }

    /// Whether every operator's caches completed their initial list.
    public var isReady: Bool { operators.allSatisfy(\.isReady) }

    /// Runs every operator until cancelled or gracefully shut down.
    ///
    /// - Throws: ``LeaderElectionError`` when a replica that led lost one of the leases.
    public func run() async throws {
        try await Self.run(operators, client: client, logger: logger)
    }

    /// Runs `operators` over shared informers; returns once every informer and queue task ended
    /// (and leases held were released).
    static func run(_ operators: [Operator], client: KubeClient, logger: Logger) async throws {
        let factory = InformerFactory(client: client, logger: logger)
        let reconcilers = operators.map { ($0, $0.bind(to: factory)) }
        defer { for member in operators { member.unbind() } }
        let electors = bindElectors(operators, client: client, logger: logger)
        let informers = factory.all
        let health = operators.first { $0.config.metricsPort != nil }.map { first in
            HealthServer(
                host: first.config.metricsHost, port: first.config.metricsPort ?? 0, logger: logger,
                readiness: [.ping, .informers(of: operators)], metrics: { PrometheusText.render(operators) })
        }
        for member in operators { member.healthServer.withLock { $0 = health } }
        // Graceful shutdown drains: no new syncs start, running ones finish (up to
        // `drainTimeout`), then everything is cancelled. Plain cancellation stops at once. A lost
        // lease throws from its elector, which cancels everything at once, syncs included.
        let outcome: Result<Void, any Error>
        do {
            try await withThrowingTaskGroup(of: Void.self) { outer in
                outer.addTask {
                    try await withThrowingDiscardingTaskGroup { group in
                        if let health {
                            group.addTask { await health.run() }
                        }
                        for elector in electors {
                            group.addTask { try await elector.run() }
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
                // Whichever ends first (the drain, the work on cancellation, or a lost lease) ends the other.
                defer { outer.cancelAll() }
                try await outer.next()
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // Every sync has ended: a lease still held can be handed over now.
        await release(electors, logger: logger)
        for member in operators where member.config.leaderElection != nil { member.metrics.leader(false) }
        try outcome.get()
    }

    /// One elector per distinct Lease, shared by the operators naming it; bound to each operator.
    private static func bindElectors(_ operators: [Operator], client: KubeClient, logger: Logger) -> [LeaderElector] {
        var electors: [LeaderElector] = []
        for member in operators {
            guard let election = member.config.leaderElection else { continue }
            let elector = electors.first { sameLease($0.config, election, client: client) }
                ?? LeaderElector(config: election, client: client, logger: logger)
            if !electors.contains(where: { $0 === elector }) { electors.append(elector) }
            member.elector.withLock { $0 = elector }
            member.metrics.leader(false)
        }
        return electors
    }

    /// Whether two settings of one Lease agree on everything but how the namespace is spelled.
    static func sameTimingAndIdentity(_ a: LeaderElectionConfig?, _ b: LeaderElectionConfig) -> Bool {
        guard var a else { return false }
        var b = b
        a.leaseNamespace = nil
        b.leaseNamespace = nil
        return a == b
    }

    /// Whether two settings name the same Lease (a `nil` namespace is the client's).
    static func sameLease(_ a: LeaderElectionConfig?, _ b: LeaderElectionConfig, client: KubeClient) -> Bool {
        guard let a else { return false }
        let namespace = client.configuration.namespace
        return a.leaseName == b.leaseName && (a.leaseNamespace ?? namespace) == (b.leaseNamespace ?? namespace)
    }

    /// Releases the leases still held, each bounded by its `renewDeadline`. Runs in a task of its
    /// own so that it also happens after this task was cancelled.
    private static func release(_ electors: [LeaderElector], logger: Logger) async {
        guard !electors.isEmpty else { return }
        await Task {
            await withDiscardingTaskGroup { group in
                for elector in electors {
                    group.addTask {
                        await withTaskGroup(of: Void.self) { race in
                            race.addTask {
                                do {
                                    try await elector.release()
                                } catch {
                                    logger.warning("leader election: could not release the lease", metadata: [
                                        "lease": "\(elector.leaseDescription)", "error": "\(error)",
                                    ])
                                }
                            }
                            race.addTask { try? await Task.sleep(for: elector.config.renewDeadline) }
                            await race.next()
                            race.cancelAll()
                        }
                    }
                }
            }
        }.value
    }

    /// How long a graceful shutdown waits for running syncs.
    static let drainTimeout: Duration = .seconds(30)
}
