public import Logging
public import RoperatorClient
public import ServiceLifecycle
import NIOHTTP1

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
    /// The process-wide settings.
    public let configuration: Configuration
    private let logger: Logger
    private let clock: SchedulingClock
    private let state = Lock<(phase: LifecyclePhase, members: [Operator])>((.initial, []))

    /// Creates an empty group.
    ///
    /// - Parameters:
    ///   - client: The shared client; it is not shut down by the group.
    ///   - configuration: Process-wide settings (health endpoint, leader election, shutdown timeout).
    ///   - logger: The operators' logger.
    public init(client: KubeClient, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "roperator")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.clock = SchedulingClock(configuration.clock)
    }

    /// Adds an operator; call before ``run()`` (or after it returned).
    ///
    /// - Returns: The operator, for its readiness and statistics.
    /// - Throws: ``LifecycleError`` (``LifecycleError/Code/addWhileRunning``) while the group
    ///   runs; ``OperatorConfigError`` when `config` is invalid, or (code
    ///   ``OperatorConfigError/Code/leaderElection``) when it names the Lease of an operator
    ///   already added with different leader-election settings: one lease has one elector.
    @discardableResult
    public func add(_ config: OperatorConfig, handler: some Handler) throws -> Operator {
        let member = try Operator(
            config: config, handler: handler, client: client, logger: logger, clock: clock,
            metricsRegistry: configuration.metricsRegistry)
        try state.withLock { state in
            if state.phase.isActive {
                throw LifecycleError(.addWhileRunning, "cannot add operator '\(config.name)' while the group runs")
            }
            if let election = config.leaderElection ?? configuration.leaderElection,
                let other = state.members.first(where: {
                    Self.sameLease(Self.election(of: $0, in: configuration), election, client: client)
                }),
                !Self.sameTimingAndIdentity(Self.election(of: other, in: configuration), election)
            {
                throw OperatorConfigError.invalid(
                    .leaderElection,
                    "operators '\(other.config.name)' and '\(config.name)' share lease '\(election.leaseName)' with different settings")
            }
            state.members.append(member)
        }
        return member
    }

    /// The operators added so far.
    public var operators: [Operator] { state.withLock { $0.members } }

    /// Where the group is in its lifecycle.
    public var phase: LifecyclePhase { state.withLock { $0.phase } }

    /// The port of the health and metrics endpoint while running, when one is configured.
    public var healthPort: Int? { operators.lazy.compactMap(\.healthPort).first }

    /// Whether every operator's caches completed their initial list.
    public var isReady: Bool { operators.allSatisfy(\.isReady) }

    /// Runs every operator until cancelled or gracefully shut down. The group may run again
    /// after this returned.
    ///
    /// - Throws: ``LifecycleError`` when the group (or one of its operators) already runs;
    ///   ``LeaderElectionError`` when a replica that led lost one of the leases.
    public func run() async throws {
        let members = try state.withLock { state throws(LifecycleError) in
            guard !state.phase.isActive else { throw LifecycleError(.alreadyRunning, "the operator group is already running") }
            state.phase = .running
            return state.members
        }
        defer { state.withLock { $0.phase = .stopped } }
        try await Self.run(members, configuration: configuration, client: client, logger: logger) {
            self.state.withLock { if $0.phase == .running { $0.phase = .stopping } }
        }
    }

    /// The leader election `member` runs with: its own, else the group's.
    static func election(of member: Operator, in configuration: Configuration) -> LeaderElectionConfig? {
        // A sharded operator's replicas all work: the group's leader election does not apply.
        guard member.config.sharding == nil else { return nil }
        return member.config.leaderElection ?? configuration.leaderElection
    }

    /// Runs `operators` over shared informers; returns once every informer and queue task ended
    /// (and leases held were released).
    static func run(
        _ operators: [Operator], configuration: Configuration, client: KubeClient, logger: Logger,
        onStopping: @escaping @Sendable () -> Void = {}
    ) async throws {
        var claimed: [Operator] = []
        do {
            for member in operators {
                try member.claim()
                claimed.append(member)
            }
        } catch {
            for member in claimed { member.unbind() }
            throw error
        }
        defer { for member in operators { member.unbind() } }
        let factory = InformerFactory(client: client, logger: logger, registry: configuration.metricsRegistry)
        let electors = makeElectors(operators, configuration: configuration, client: client, logger: logger)
        let health = healthServer(for: operators, configuration: configuration, logger: logger)
        let shards = makeShardCoordinators(operators, configuration: configuration, client: client, logger: logger)
        let reconcilers = operators.map { member in
            (
                member,
                member.bind(
                    to: factory, elector: electors[ObjectIdentifier(member)], health: health,
                    shard: shards[ObjectIdentifier(member)])
            )
        }
        let distinctElectors = electors.values.reduce(into: [LeaderElector]()) { list, elector in
            if !list.contains(where: { $0 === elector }) { list.append(elector) }
        }
        let informers = factory.all
        let shutdownClock = SchedulingClock(configuration.clock)
        // Graceful shutdown drains: no new syncs start, running ones finish (up to
        // `shutdownTimeout`), then everything is cancelled. Plain cancellation stops at once. A lost
        // lease throws from its elector, which cancels everything at once, syncs included.
        let outcome: Result<Void, any Error>
        do {
            // With no task executor configured this is the cooperative pool, as for any task.
            try await withTaskExecutorPreference(configuration.taskExecutor) {
                try await withThrowingTaskGroup(of: Void.self) { outer in
                    outer.addTask {
                        try await withThrowingDiscardingTaskGroup { group in
                            if let health {
                                group.addTask { await health.run() }
                            }
                            for elector in distinctElectors {
                                group.addTask { try await elector.run() }
                            }
                            for shard in shards.values {
                                group.addTask { try await shard.run() }
                            }
                            for informer in informers {
                                // The client's watch loop, when it has one; else the configured executor.
                                group.addTask(executorPreference: informer.loopExecutor ?? configuration.taskExecutor) {
                                    await informer.run()
                                }
                            }
                            for (member, reconciler) in reconcilers {
                                // The configured executor; else the loop of the operator's client, when it has one.
                                group.addTask(executorPreference: configuration.taskExecutor ?? member.client.loopExecutor) {
                                    await member.process(with: reconciler)
                                }
                            }
                            if configuration.releasesFreedMemory {
                                group.addTask {
                                    await HeapReclaimer.run {
                                        operators.reduce(0) { $0 + $1.statistics.successfulSyncs + $1.statistics.failedSyncs }
                                    }
                                }
                            }
                        }
                    }
                    outer.addTask {
                        // Throws only when cancelled, which stops the other child as well.
                        do { try await gracefulShutdown() } catch { return }
                        onStopping()
                        for member in operators { member.beginStopping() }
                        await drain(operators, within: configuration.shutdownTimeout, clock: shutdownClock)
                    }
                    // Whichever ends first (the drain, the work on cancellation, or a lost lease) ends the other.
                    defer { outer.cancelAll() }
                    try await outer.next()
                }
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // Every sync has ended: a lease still held can be handed over now.
        await release(distinctElectors, logger: logger)
        await release(Array(shards.values))
        for member in operators where electors[ObjectIdentifier(member)] != nil { member.metrics.leader(false) }
        try outcome.get()
    }

    /// Returns once no sync of `operators` runs, or after `timeout`, or when cancelled.
    private static func drain(_ operators: [Operator], within timeout: Duration, clock: SchedulingClock) async {
        await withTaskGroup(of: Void.self) { race in
            race.addTask {
                for member in operators {
                    do { try await member.queue.waitUntilNothingRuns() } catch { return }
                }
            }
            race.addTask { try? await clock.sleep(for: timeout) }
            await race.next()
            race.cancelAll()
        }
    }

    /// The health server of a run: the group's port, else the first operator's.
    private static func healthServer(
        for operators: [Operator], configuration: Configuration, logger: Logger
    ) -> HealthServer? {
        let first = operators.first { $0.config.metricsPort != nil }
        guard let port = configuration.healthPort ?? first?.config.metricsPort else { return nil }
        let host = configuration.healthHost ?? first?.config.metricsHost ?? "0.0.0.0"
        return HealthServer(
            host: host, port: port, logger: logger,
            readiness: [.ping, .informers(of: operators)]
                + (operators.contains { $0.config.sharding != nil }
                    ? [.sharding(of: operators)] : []),
            metrics: { MetricsScrape.render(operators, registry: configuration.metricsRegistry) })
    }

    /// One elector per distinct Lease, shared by the operators naming it, by operator.
    private static func makeElectors(
        _ operators: [Operator], configuration: Configuration, client: KubeClient, logger: Logger
    ) -> [ObjectIdentifier: LeaderElector] {
        var electors: [ObjectIdentifier: LeaderElector] = [:]
        for member in operators {
            guard let election = election(of: member, in: configuration) else { continue }
            let elector =
                electors.values.first { sameLease($0.config, election, client: client) }
                ?? LeaderElector(config: election, client: client, logger: logger, clock: configuration.clock)
            electors[ObjectIdentifier(member)] = elector
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
                                    logger.warning(
                                        "leader election: could not release the lease",
                                        metadata: [
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

}
