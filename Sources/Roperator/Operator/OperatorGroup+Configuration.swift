public import Prometheus
public import RoperatorClient

extension OperatorGroup {
    /// Settings that belong to the whole process rather than to one operator: the health and
    /// metrics endpoint, leader election, how long a graceful shutdown waits, and the clock.
    ///
    /// ```swift
    /// var configuration = OperatorGroup.Configuration()
    /// configuration.healthPort = 8080
    /// configuration.leaderElection = LeaderElectionConfig(leaseName: "my-operators")
    /// configuration.shutdownTimeout = .seconds(10)
    /// let group = OperatorGroup(client: client, configuration: configuration)
    /// ```
    public struct Configuration: Sendable {
        /// Port of the HTTP server for `/metrics`, `/healthz` and `/readyz`; `nil` (the default)
        /// falls back to the first operator's ``OperatorConfig/metricsPort``, and without one
        /// there is no server. `0` picks a free port (see ``OperatorGroup/healthPort``).
        public var healthPort: Int?
        /// Address the health server binds to; `nil` (the default) uses the first operator's
        /// ``OperatorConfig/metricsHost`` (`0.0.0.0` unless set).
        public var healthHost: String?
        /// Leader election for every operator of the group that does not set its own
        /// ``OperatorConfig/leaderElection``; `nil` (the default): those always run.
        public var leaderElection: LeaderElectionConfig?
        /// How long a graceful shutdown lets running syncs finish before cancelling them.
        /// Default 30 s.
        public var shutdownTimeout: Duration
        /// The clock the work queues (delays, backoff), the per-sync timeout, leader election and
        /// the shutdown timeout are measured on. Default `ContinuousClock()`; tests pass a manual clock.
        public var clock: any Clock<Duration>
        /// The Prometheus registry the group's operators record their metrics into (see
        /// ``MetricNames``) and `/metrics` serves. Default: a new registry. Register your own
        /// metrics in it, or pass it to the client so that `/metrics` also serves the request
        /// metrics: `KubeClient.Options(metricsFactory: PrometheusMetricsFactory(registry: registry))`.
        public var metricsRegistry: PrometheusCollectorRegistry
        /// Where the group's tasks run (informers, queues, syncs, handlers, the Applier): `nil`
        /// (the default) runs them on Swift's cooperative pool, except the informers, which read
        /// their watches on the client's event loop when the client has one (its own, by default),
        /// so that a watch chunk is decoded on the thread that read it. Pass an ``EventLoopExecutor`` on
        /// the event loop the client's connections use (``KubeClient/Options/eventLoopGroup``) to
        /// run the whole operator on that one thread: every request and its answer, every watch
        /// event and every sync stay on it, with no hand-over between threads, which spends about
        /// a fifth less CPU per child (see `docs/benchmarks.md`) but uses one core at most, for the
        /// handlers too. Suits operators whose handlers compute little and wait on I/O.
        ///
        /// ```swift
        /// let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
        /// let client = try KubeClient(configuration: config, options: .init(eventLoopGroup: loop))
        /// var configuration = OperatorGroup.Configuration()
        /// configuration.taskExecutor = EventLoopExecutor(loop)
        /// ```
        public var taskExecutor: (any TaskExecutor)?
        /// Whether the memory a burst of syncs freed is given back to the system once the burst is
        /// over (glibc's `malloc_trim`, when at least 256 syncs ended since the last time and none in
        /// the last second). Default `true`: after a cold start of 10,000 parents × 3 ConfigMaps
        /// the heaps held 105 MB for 67 MB in use. Set `false` if the process manages its heap
        /// itself (an ``Operator`` run on its own keeps the default; run it in a group of one to
        /// change it). Nothing happens outside glibc.
        public var releasesFreedMemory: Bool

        /// Settings; every argument has a default.
        public init(
            healthPort: Int? = nil, healthHost: String? = nil, leaderElection: LeaderElectionConfig? = nil,
            shutdownTimeout: Duration = .seconds(30), clock: any Clock<Duration> = ContinuousClock(),
            metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
            taskExecutor: (any TaskExecutor)? = nil, releasesFreedMemory: Bool = true
        ) {
            self.healthPort = healthPort
            self.healthHost = healthHost
            self.leaderElection = leaderElection
            self.shutdownTimeout = shutdownTimeout
            self.clock = clock
            self.metricsRegistry = metricsRegistry
            self.taskExecutor = taskExecutor
            self.releasesFreedMemory = releasesFreedMemory
        }

        /// The settings of a single ``Operator`` run on its own: its own endpoint, election and registry.
        init(single config: OperatorConfig, metricsRegistry: PrometheusCollectorRegistry) {
            self.init(
                healthPort: config.metricsPort, healthHost: config.metricsHost, leaderElection: config.leaderElection,
                metricsRegistry: metricsRegistry)
        }
    }
}
