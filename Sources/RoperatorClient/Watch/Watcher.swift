import Logging

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
///     }
/// }
/// ```
///
/// Errors are not thrown to the consumer (they are retried forever); the sequence only ends by
/// cancellation, which throws `CancellationError`.
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

        /// Retry and timing settings; every argument has a default.
        public init(
            initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(30),
            watchTimeoutSeconds: Int = 300, pageSize: Int? = nil
        ) {
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.watchTimeoutSeconds = watchTimeoutSeconds
            self.pageSize = pageSize
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

    /// Pulls from the list or the current watch on demand, so no task runs ahead of the consumer.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let watcher: Watcher
        var pending: [WatcherEvent] = []
        var stream: WatchEventStream.AsyncIterator?
        var resourceVersion: String?
        var needsList = true
        var failures = 0
        /// Whether the current watch delivered anything; an empty watch that ends counts as a failure
        /// so a server that closes at once is not hammered.
        var streamDelivered = false

        init(watcher: Watcher) {
            self.watcher = watcher
        }

        /// The next event, listing or (re)watching as needed.
        ///
        /// - Throws: `CancellationError` when the task is cancelled; other failures are retried.
        public mutating func next() async throws -> WatcherEvent? {
            while true {
                try Task.checkCancellation()
                if !pending.isEmpty { return pending.removeFirst() }
                if needsList {
                    await attempt { iterator in try await iterator.relist() }
                    continue
                }
                if stream == nil {
                    await attempt { iterator in try await iterator.startWatch() }
                    continue
                }
                do {
                    guard let event = try await stream!.next() else {
                        stream = nil
                        if streamDelivered { failures = 0 } else { try await backOff() }
                        continue
                    }
                    streamDelivered = true
                    failures = 0
                    if let version = event.resourceVersion, !version.isEmpty { resourceVersion = version }
                    switch event {
                    case .added(let object): return .added(object)
                    case .modified(let object): return .modified(object)
                    case .deleted(let object): return .deleted(object)
                    case .bookmark: continue
                    }
                } catch let error as KubeAPIError where error.isGone {
                    stream = nil
                    needsList = true
                    log(error, "watch expired, relisting", level: .debug)
                } catch {
                    stream = nil
                    if Task.isCancelled || error is CancellationError { throw CancellationError() }
                    log(error, "watch failed, resuming")
                    try await backOff()
                }
            }
        }

        private mutating func relist() async throws {
            let list = try await watcher.client.list(
                watcher.type, namespace: watcher.namespace, labelSelector: watcher.labelSelector,
                fieldSelector: watcher.fieldSelector, pageSize: watcher.configuration.pageSize)
            resourceVersion = list.resourceVersion
            needsList = false
            failures = 0
            pending.append(.relisted(list.items))
            pending.append(.initialListComplete)
        }

        private mutating func startWatch() async throws {
            do {
                let events = try await watcher.client.watch(
                    watcher.type, namespace: watcher.namespace, labelSelector: watcher.labelSelector,
                    fieldSelector: watcher.fieldSelector, resourceVersion: resourceVersion, allowBookmarks: true,
                    timeoutSeconds: watcher.configuration.watchTimeoutSeconds)
                stream = events.makeAsyncIterator()
                streamDelivered = false
            } catch let error as KubeAPIError where error.isGone {
                needsList = true
                log(error, "watch start expired, relisting", level: .debug)
            }
        }

        /// Runs one list or watch start; on failure, logs and waits the backoff (cancellation ends the wait).
        private mutating func attempt(_ step: (inout AsyncIterator) async throws -> Void) async {
            do {
                try await step(&self)
            } catch {
                if Task.isCancelled { return }
                log(error, "list or watch failed")
                do { try await backOff() } catch { return }
            }
        }

        private mutating func backOff() async throws {
            failures += 1
            let config = watcher.configuration
            // Half the wait is random, to spread the reconnects of many watchers after a server restart.
            let policy = KubeClient.RetryPolicy(initialBackoff: config.initialBackoff, maxBackoff: config.maxBackoff, jitter: 0.5)
            try await Task.sleep(for: policy.backoff(forRetry: failures))
        }

        /// Expected interruptions (410, a watch that ended) are debug; failures are warnings, so a
        /// permanent one (RBAC forbids the list) is visible while it is retried.
        private func log(_ error: any Error, _ message: Logger.Message, level: Logger.Level = .warning) {
            watcher.client.logger.log(level: level, message, metadata: [
                "type": "\(watcher.type)", "error": "\(error)", "failures": "\(failures)",
                "resourceVersion": "\(resourceVersion ?? "")",
            ])
        }
    }
}
