/// A list-then-watch loop that keeps going: the building block of caches.
///
/// It lists, reports the objects, then watches from the list's resourceVersion. When the connection
/// drops or the server ends the watch it resumes from the last resourceVersion it saw (bookmarks
/// included); when the server answers 410 Gone it lists again. Repeated failures back off
/// exponentially; any success resets the backoff. Cancelling the iterating task stops it at once.
///
/// ```swift
/// let watcher = Watcher(client: client, type: .configMap, namespace: "default")
/// for try await event in watcher {
///     switch event {
///     case .relisted(let objects): cache.replaceAll(objects)
///     case .initialListComplete: cache.markSynced()
///     case .added(let o), .modified(let o): cache.upsert(o)
///     case .deleted(let o): cache.remove(o)
///     case .failed: break    // only with `reportsFailures`
///     case .listedPage: break    // only with `listsInPages`
///     }
/// }
/// ```
///
/// Errors are not thrown to the consumer (they are retried forever); with
/// ``Configuration/reportsFailures`` each one is handed out as a ``WatcherEvent/failed(_:)`` value
/// before the watcher waits its backoff and retries. The sequence only ends by cancellation,
/// which throws `CancellationError`.
public struct Watcher: AsyncSequence, Sendable {
    public typealias Element = WatcherEvent

    /// Retry and timing settings.
    public struct Configuration: Sendable, Hashable {
        /// First wait after a failure. Default 200 ms.
        public var initialBackoff: Duration
        /// Longest wait between attempts. Default 30 s.
        public var maxBackoff: Duration
        /// Server-side length of each watch request; the watch is renewed from the last resourceVersion
        /// afterwards. Default 300 s.
        public var watchTimeoutSeconds: Int
        /// Page size of the lists; `nil` uses the client's default.
        public var pageSize: Int?
        /// Whether list and watch failures are handed out as ``WatcherEvent/failed(_:)`` (for
        /// metrics and status); default `false`: they are only logged.
        public var reportsFailures: Bool
        /// Whether a (re)list is handed out page by page as ``WatcherEvent/listedPage(_:first:)``
        /// rather than as one ``WatcherEvent/relisted(_:)``; default `false`. A cache that keeps
        /// objects in less memory than decoded ones then never holds a whole list decoded.
        public var listsInPages: Bool

        /// Retry and timing settings; every argument has a default.
        public init(
            initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(30),
            watchTimeoutSeconds: Int = 300, pageSize: Int? = nil, reportsFailures: Bool = false,
            listsInPages: Bool = false
        ) {
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.watchTimeoutSeconds = watchTimeoutSeconds
            self.pageSize = pageSize
            self.reportsFailures = reportsFailures
            self.listsInPages = listsInPages
        }

        /// The waits between failed attempts: exponential from ``initialBackoff`` to
        /// ``maxBackoff``, half of each wait random, to spread the reconnects of many watchers
        /// after a server restart.
        public var backoff: Backoff {
            Backoff(initial: initialBackoff, max: maxBackoff, multiplier: 2, jitter: 0.5)
        }
    }

    /// The client used for lists and watches.
    public let client: KubeClient
    /// The type followed.
    public let type: K8sType
    /// The namespace followed; `nil` for all.
    public let namespace: String?
    /// Label selector applied to lists and watches.
    public let labelSelector: String?
    /// Field selector applied to lists and watches.
    public let fieldSelector: String?
    /// Backoff and timing.
    public let configuration: Configuration
    /// Server-side shard selector (KEP-5866) applied to lists and watches; `nil` for none.
    public var shardSelector: String?

    /// - Parameters:
    ///   - client: The client to list and watch with.
    ///   - type: The type to follow.
    ///   - namespace: Namespace for namespaced types; `nil` follows all namespaces.
    ///   - labelSelector: Only objects matching this label selector.
    ///   - fieldSelector: Only objects matching this field selector.
    ///   - configuration: Backoff and timing.
    public init(
        client: KubeClient, type: K8sType, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil, configuration: Configuration = Configuration()
    ) {
        self.client = client
        self.type = type
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.configuration = configuration
    }

    /// An iterator that starts with a list; each iterator is independent.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(watcher: self)
    }

    /// Pulls from the list or the current watch on demand, so no task runs ahead of the consumer
    /// (the state machine is ``WatchLoop``, shared with the runtime's caches).
    public struct AsyncIterator: AsyncIteratorProtocol {
        var loop: WatchLoop<KubeObject>

        init(watcher: Watcher) {
            loop = WatchLoop(watcher: watcher)
        }

        /// The next event, listing or (re)watching as needed.
        ///
        /// - Throws: `CancellationError` when the task is cancelled; other failures are retried.
        public mutating func next() async throws -> WatcherEvent? {
            try await loop.next().map(WatcherEvent.init)
        }
    }
}
