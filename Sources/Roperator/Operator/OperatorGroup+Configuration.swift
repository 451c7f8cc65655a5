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
        /// Where each operator's queue and syncs run (handlers and the Applier included).
        ///
        /// `nil` (the default) runs them on the event loop of the operator's client when that
        /// client has one loop for requests (a client made with default options does): a sync
        /// writes each request and takes its answer on that one thread, with no hand-over to
        /// another. The informers read their watches into the caches on the client's watch loop
        /// (its second thread by default) whatever this says, so a burst of watch events and the
        /// syncs it causes use two cores. Against the cooperative pool this spent about 30 % less
        /// CPU per child in the 10,000 × 3 cold start and left less memory held at rest (see
        /// `docs/benchmarks.md`). A client on a group of several loops has no such loop: its
        /// syncs run on the cooperative pool.
        ///
        /// On the loop, handlers share one thread with the requests: a handler that computes for
        /// long delays every other sync's requests, and one that blocks the thread (a lock held
        /// long, synchronous I/O) stops them. For such handlers pass `globalConcurrentExecutor`,
        /// which runs the syncs on Swift's cooperative pool, on every core, at the cost of a
        /// hand-over per request. Pass an ``EventLoopExecutor`` to run them on a loop of your own.
        ///
        /// ```swift
        /// var configuration = OperatorGroup.Configuration()
        /// configuration.taskExecutor = globalConcurrentExecutor // handlers that compute a lot
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
