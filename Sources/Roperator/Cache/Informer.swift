import Logging
import Prometheus
import RoperatorClient

/// Lists and watches one ``InformerKey`` through the client's `Watcher`, keeps an ``ObjectStore``
/// current and tells its subscribers what changed.
///
/// An informer does nothing until ``run()``; it may be shared by several operators, which
/// subscribe before it runs.
final class Informer: Sendable {
    typealias Subscriber = @Sendable ([ObjectStore.Change]) -> Void

    let key: InformerKey
    let store = ObjectStore()
    private let client: KubeClient
    private let logger: Logger
    private let subscribers = Lock<[Subscriber]>([])
    let metrics: InformerMetrics

    /// The shares to watch, newest last, for the parent informer of a sharded operator with
    /// server-side selection; `nil` for a plain informer.
    private let shares: AsyncStream<ShardSelector>?

    init(
        key: InformerKey, client: KubeClient, logger: Logger, registry: PrometheusCollectorRegistry,
        shares: AsyncStream<ShardSelector>? = nil
    ) {
        self.key = key
        self.client = client
        self.logger = logger
        self.metrics = InformerMetrics(resource: key.metricsLabel, registry: registry)
        self.shares = shares
    }

    /// Watches the newest share: a new share restarts the list and watch, and the relist drops the
    /// objects no longer selected. An empty share selects nothing (no request is made).
    private func follow(_ shares: AsyncStream<ShardSelector>) async {
        var current: Task<Void, Never>?
        for await share in shares {
            current?.cancel()
            await current?.value
            if share.ranges.isEmpty {
                let changes = store.apply(cached: .relisted([])) + store.apply(cached: .initialListComplete)
                if !changes.isEmpty { for subscriber in subscribers.withLock({ $0 }) { subscriber(changes) } }
                current = nil
            } else {
                current = Task(executorPreference: loopExecutor) { await self.watch(shardSelector: share) }
            }
        }
        current?.cancel()
        await current?.value
    }

    /// Where ``run()`` should run: the client's watch event loop when it has one loop (see
    /// `KubeClient.watchLoopExecutor`), so watch chunks are read, decoded and cached on the thread
    /// that took them from the socket.
    var loopExecutor: (any TaskExecutor)? { client.watchLoopExecutor }

    /// Adds a subscriber; it is called on the informer's task, so it must be quick.
    func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.withLock { $0.append(subscriber) }
    }

    /// Keeps the cache current until the task is cancelled.
    func run() async {
        if let shares {
            await follow(shares)
            return
        }
        await watch(shardSelector: nil)
    }

    /// Lists and watches (with `shardSelector` when given) until the task is cancelled.
    private func watch(shardSelector: ShardSelector?) async {
        var watcher = Watcher(
            client: client, type: key.type, namespace: key.namespace, labelSelector: key.labelSelector,
            configuration: Watcher.Configuration(reportsFailures: true, listsInPages: true))
        watcher.shardSelector = shardSelector?.expression
        // Watched straight into the cached form (``CachedObject``), never decoded whole.
        var loop = WatchLoop<CachedObject>(watcher: watcher)
        do {
            while let event = try await loop.next() {
                switch event {
                case .failed(let failure):
                    metrics.failed(failure)
                    continue
                case .relisted, .listedPage(_, first: true):
                    metrics.relists.increment()
                default:
                    break
                }
                let changes = store.apply(cached: event)
                if case .initialListComplete = event {
                    logger.debug("cache synced", metadata: ["informer": "\(key)", "objects": "\(store.count)"])
                }
                guard !changes.isEmpty else { continue }
                for subscriber in subscribers.withLock({ $0 }) { subscriber(changes) }
            }
        } catch {
            // The watcher retries by itself; it only ends with cancellation.
            if !(error is CancellationError) && !Task.isCancelled {
                logger.error("informer stopped", metadata: ["informer": "\(key)", "error": "\(error)"])
            }
        }
    }

    /// Returns once the initial list completed, or throws `CancellationError`.
    func waitUntilSynced() async throws {
        try await store.waitUntilSynced()
    }
}
