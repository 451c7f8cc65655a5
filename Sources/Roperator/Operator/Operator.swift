public import Logging
public import RoperatorClient
public import ServiceLifecycle
import Synchronization

/// One operator: watches its parent type and child types, and reconciles every parent with a
/// ``Handler``. A ServiceLifecycle `Service`: ``run()`` works until its task is cancelled or a
/// graceful shutdown is requested, and returns with no task left running.
///
/// ```swift
/// let config = OperatorConfig(name: "echo", parent: echoType).withChild(.configMap)
/// let op = try Operator(config: config, handler: EchoHandler(), client: client)
/// let group = ServiceGroup(services: [op], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// For the common case, ``runOperator(_:_:logger:)`` does all of this. To run several operators
/// over one client and one set of caches, put them in an ``OperatorGroup``.
public final class Operator: Service {
    /// The configuration it was made with.
    public let config: OperatorConfig
    /// The client every read and write goes through.
    public let client: KubeClient
    let handler: any Handler
    let logger: Logger
    let queue: WorkQueue
    let metrics: OperatorMetrics
    let recorder: EventRecorder
    private let bound = Mutex<[Informer]?>(nil)
    let healthServer = Mutex<HealthServer?>(nil)
    /// Set on graceful shutdown: no new sync starts.
    let draining = Mutex(false)
    /// The elector of this operator's lease while running with leader election (shared with the
    /// operators of its group that name the same lease).
    let elector = Mutex<LeaderElector?>(nil)

    /// Creates an operator; nothing happens until ``run()``.
    ///
    /// - Parameters:
    ///   - config: What to watch and how to write.
    ///   - handler: The sync (and finalize) logic.
    ///   - client: The API client; it is not shut down by the operator.
    ///   - logger: Receives sync failures (with the parent key as `parent` metadata) and lifecycle lines.
    /// - Throws: ``OperatorConfigError`` when `config` is invalid.
    public init(
        config: OperatorConfig, handler: some Handler, client: KubeClient,
        logger: Logger = Logger(label: "roperator")
    ) throws(OperatorConfigError) {
        try config.validate()
        self.config = config
        self.handler = handler
        self.client = client
        var logger = logger
        logger[metadataKey: "operator"] = "\(config.name)"
        self.logger = logger
        self.queue = WorkQueue(concurrency: config.concurrency, backoff: config.backoff)
        self.metrics = OperatorMetrics(operatorName: config.name)
        self.recorder = EventRecorder(client: client, component: config.name, logger: logger)
    }

    /// Runs the operator until its task is cancelled or a graceful shutdown is requested; then
    /// stops its watches and queue and returns once no task of it is left.
    ///
    /// A failing sync never ends the operator: it is logged, counted and retried with backoff.
    /// Watches that fail are resumed or relisted by the client's `Watcher`.
    ///
    /// On a graceful shutdown no new sync starts and the running ones may finish (up to 30 s);
    /// on cancellation everything stops at once (an interrupted sync is redone on the next start).
    ///
    /// With ``OperatorConfig/leaderElection`` the caches fill at once but no sync starts until this
    /// replica holds the lease (events meanwhile wait in the queue). After stopping, the leader
    /// releases the lease so that a standby takes over without waiting for it to expire.
    ///
    /// - Throws: ``LeaderElectionError`` (``LeaderElectionError/Code/leadershipLost``) when this
    ///   replica led and lost its lease: it stopped writing at once (running syncs are cancelled)
    ///   and the process should exit, to come back as a standby.
    public func run() async throws {
        try await OperatorGroup.run([self], client: client, logger: logger)
    }

    /// Whether every cache this operator reads completed its initial list (false when not running).
    ///
    /// A standby replica (leader election on, lease held elsewhere) is ready once its caches are:
    /// it can take over at once, and a readiness probe must not restart or hide it.
    public var isReady: Bool {
        bound.withLock { informers in informers.map { $0.allSatisfy(\.store.hasSynced) } ?? false }
    }

    /// Whether ``run()`` is running (bound to its caches).
    var isRunning: Bool { bound.withLock { $0 != nil } }

    /// The port of the health and metrics endpoint (``OperatorConfig/metricsPort``) while it listens.
    public var healthPort: Int? { healthServer.withLock { $0 }?.listeningPort }

    /// Totals since creation: syncs, failures, API writes, conflicts.
    public var statistics: OperatorStatistics { metrics.statistics }

    /// Syncs `parent` as soon as possible, bypassing any backoff or delay.
    public func syncNow(_ parent: ParentKey) {
        queue.syncNow(parent)
    }

    /// Informer keys: the parents as configured, each child type as every object carrying the
    /// parent-UID tracking label (so that operators of one group share child caches).
    var informerKeys: (parent: InformerKey, children: [K8sType: InformerKey]) {
        let parent = InformerKey(type: config.parent, namespace: config.namespace, labelSelector: config.parentSelector)
        var children: [K8sType: InformerKey] = [:]
        for (type, _) in config.children {
            children[type] = InformerKey(type: type, namespace: config.namespace, labelSelector: TrackingLabels.parentUID)
        }
        return (parent, children)
    }

    /// Subscribes to the factory's informers and builds the reconciler.
    func bind(to factory: InformerFactory) -> Reconciler {
        let keys = informerKeys
        let parents = factory.informer(for: keys.parent)
        let children = keys.children.mapValues { factory.informer(for: $0) }
        let reconciler = Reconciler(
            config: config, handler: handler, client: client, parents: parents, children: children,
            recorder: recorder, metrics: metrics, logger: logger)
        let queue = self.queue
        parents.subscribe { changes in
            for change in changes {
                guard let object = change.new ?? change.old else { continue }
                if change.new == nil, let uid = object.uid { reconciler.forget(uid: uid) }
                let key = ObjectStore.key(of: object)
                if let old = change.old, let new = change.new,
                    old.generation != new.generation || old.isBeingDeleted != new.isBeingDeleted
                {
                    // A new spec or a deletion request is the user acting on the parent: sync it now
                    // rather than after the rest of a backoff that an earlier spec may have caused.
                    queue.syncNow(key)
                } else {
                    queue.add(key)
                }
            }
        }
        for informer in children.values {
            informer.subscribe { changes in
                for change in changes {
                    var owners: Set<String> = []
                    if let old = change.old { owners.formUnion(ObjectStore.owners(of: old)) }
                    if let new = change.new { owners.formUnion(ObjectStore.owners(of: new)) }
                    for uid in owners {
                        if let key = parents.store.key(forUID: uid) { queue.add(key) }
                    }
                }
            }
        }
        bound.withLock { $0 = [parents] + Array(children.values) }
        return reconciler
    }

    /// Waits for the caches, then processes the queue until cancelled.
    func process(with reconciler: Reconciler) async {
        do {
            try await reconciler.parents.waitUntilSynced()
            for informer in reconciler.children.values { try await informer.waitUntilSynced() }
        } catch {
            return
        }
        guard await waitForLeadership() else { return }
        let target = await StatusTarget.detect(for: config.parent, client: client)
        reconciler.statusTarget.withLock { $0 = target }
        logger.info("caches synced, reconciling", metadata: ["statusTarget": "\(target)"])
        await queue.run { key in
            if self.draining.withLock({ $0 }) { return nil }
            if let retry = self.notLeadingRetry { return retry }
            return try await reconciler.reconcile(key)
        }
    }

    func unbind() {
        draining.withLock { $0 = false }
        bound.withLock { $0 = nil }
        elector.withLock { $0 = nil }
        healthServer.withLock { $0 = nil }
    }
}
