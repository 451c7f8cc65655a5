import Logging
import Prometheus
import RoperatorClient

/// Hands out one ``Informer`` per ``InformerKey`` so that operators sharing a client share caches.
final class InformerFactory: Sendable {
    let client: KubeClient
    private let logger: Logger
    private let informers = Lock<[InformerKey: Informer]>([:])
    private let registry: PrometheusCollectorRegistry
    private let dedicated = Lock<[Informer]>([])

    init(client: KubeClient, logger: Logger, registry: PrometheusCollectorRegistry) {
        self.client = client
        self.logger = logger
        self.registry = registry
    }

    /// The informer for `key`, made on first request.
    func informer(for key: InformerKey) -> Informer {
        informers.withLock { informers in
            if let existing = informers[key] { return existing }
            let informer = Informer(key: key, client: client, logger: logger, registry: registry)
            informers[key] = informer
            return informer
        }
    }

    /// A parent informer of its own that follows a sharded operator's share (not shared).
    func informer(for key: InformerKey, following shares: AsyncStream<ShardSelector>) -> Informer {
        let informer = Informer(key: key, client: client, logger: logger, registry: registry, shares: shares)
        dedicated.withLock { $0.append(informer) }
        return informer
    }

    /// Every informer made so far.
    var all: [Informer] { informers.withLock { Array($0.values) } + dedicated.withLock { $0 } }

    /// Whether every informer completed its initial list.
    var allSynced: Bool { all.allSatisfy(\.store.hasSynced) }
}
