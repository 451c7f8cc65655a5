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

    /// Pulls from the list or the current watch on demand, so no task runs ahead of the consumer.
    ///
    /// An explicit state machine: ``State`` says what the next step does, each step returns a
    /// ``Step`` (events, a new state, or a failure as a value), and ``next()`` alone decides what
    /// a failure costs: a log line and a wait from the shared ``Backoff``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// Where the loop is.
        enum State: Sendable, Equatable {
            /// Nothing usable: the next step lists (at the start, and after 410 Gone).
            case empty
            /// Listing in pages (``Configuration/listsInPages``): the next step fetches the page
            /// after this continue token.
            case listing(continueToken: String)
            /// Listed, or a watch ended: the next step watches from ``resourceVersion``.
            case listed
            /// A watch is open (``stream``); `delivered` says whether it produced an event yet.
            case watching(delivered: Bool)
        }

        /// What one step came to.
        enum Step {
            /// Events to hand out, and the state after them.
            case events([WatcherEvent], State)
            /// Nothing to hand out; continue from this state.
            case moved(State)
            /// The step failed; continue from `state` after a backoff (`expected`: a 410 or a
            /// watch that ended at once, logged at debug level and retried without waiting).
            case failed(any Error, State, expected: Bool)
            /// A watch ended without delivering anything: back off before watching again, so a
            /// server that closes at once is not hammered.
            case endedEmpty
        }

        let watcher: Watcher
        var state = State.empty
        /// The open watch, set exactly while ``state`` is ``State/watching(delivered:)``.
        var stream: WatchEventStream.AsyncIterator?
        /// The last resourceVersion seen (list, events, bookmarks).
        var resourceVersion: String?
        var pending: [WatcherEvent] = []
        /// Consecutive failures, for the backoff; any success resets it.
        var failures = 0
        /// The wait a reported failure announced, taken on the next call.
        var pendingWait: Duration?

        init(watcher: Watcher) {
            self.watcher = watcher
        }

        /// The next event, listing or (re)watching as needed.
        ///
        /// - Throws: `CancellationError` when the task is cancelled; other failures are retried.
        public mutating func next() async throws -> WatcherEvent? {
            while true {
                try Task.checkCancellation()
                if !pending.isEmpty {
                    let event = pending.removeFirst()
                    // The consumer has taken what it keeps of the list; give the rest back.
                    if case .initialListComplete = event { FreedMemory.release() }
                    return event
                }
                if let wait = pendingWait {
                    pendingWait = nil
                    try await Task.sleep(for: wait)
                }
                let step: Step
                switch state {
                case .empty:
                    step = await watcher.configuration.listsInPages ? listPage(after: nil) : list()
                case .listing(let token): step = await listPage(after: token)
                case .listed: step = await startWatch()
                case .watching(let delivered): step = await read(delivered: delivered)
                }
                switch step {
                case .events(let events, let next):
                    failures = 0
                    state = next
                    pending = events
                case .moved(let next):
                    state = next
                case .endedEmpty:
                    stream = nil
                    state = .listed
                    try await backOff()
                case .failed(let error, let next, let expected):
                    state = next
                    if Task.isCancelled || error is CancellationError { throw CancellationError() }
                    let wait: Duration
                    if expected {
                        log(error, "watch expired, relisting", level: .debug)
                        wait = .zero
                    } else {
                        failures += 1
                        log(error, "list or watch failed")
                        wait = watcher.configuration.backoff.delay(attempt: failures)
                    }
                    guard watcher.configuration.reportsFailures else {
                        try await Task.sleep(for: wait)
                        continue
                    }
                    pendingWait = wait
                    return .failed(
                        WatchFailure(
                            reason: expected ? .expired : .error, statusCode: (error as? KubeAPIError)?.code,
                            message: "\(error)", retryAfter: wait))
                }
            }
        }

        /// Lists one page (the first when `token` is `nil`); after the last, the list is complete.
        /// A failure starts the list over (a continue token may have expired).
        private mutating func listPage(after token: String?) async -> Step {
            do {
                let page = try await watcher.client.listPage(
                    watcher.type, namespace: watcher.namespace, labelSelector: watcher.labelSelector,
                    fieldSelector: watcher.fieldSelector, limit: watcher.configuration.pageSize ?? watcher.client.options.pageSize,
                    continue: token, shardSelector: watcher.shardSelector)
                let event = WatcherEvent.listedPage(page.items, first: token == nil)
                if let next = page.continueToken { return .events([event], .listing(continueToken: next)) }
                resourceVersion = page.resourceVersion
                return .events([event, .initialListComplete], .listed)
            } catch {
                return .failed(error, .empty, expected: false)
            }
        }

        /// Lists everything: the cache is replaced, then complete.
        private mutating func list() async -> Step {
            do {
                let list = try await watcher.client.list(
                    watcher.type, namespace: watcher.namespace, labelSelector: watcher.labelSelector,
                    fieldSelector: watcher.fieldSelector, pageSize: watcher.configuration.pageSize,
                    shardSelector: watcher.shardSelector)
                resourceVersion = list.resourceVersion
                return .events([.relisted(list.items), .initialListComplete], .listed)
            } catch {
                return .failed(error, .empty, expected: false)
            }
        }

        /// Opens a watch from the last resourceVersion.
        private mutating func startWatch() async -> Step {
            do {
                let events = try await watcher.client.watch(
                    watcher.type, namespace: watcher.namespace, labelSelector: watcher.labelSelector,
                    fieldSelector: watcher.fieldSelector, resourceVersion: resourceVersion, allowBookmarks: true,
                    timeoutSeconds: watcher.configuration.watchTimeoutSeconds, shardSelector: watcher.shardSelector)
                stream = events.makeAsyncIterator()
                return .moved(.watching(delivered: false))
            } catch let error as KubeAPIError where error.isGone {
                return .failed(error, .empty, expected: true)
            } catch {
                return .failed(error, .listed, expected: false)
            }
        }

        /// Reads the open watch until it yields an object event or ends.
        private mutating func read(delivered: Bool) async -> Step {
            do {
                guard let event = try await stream!.next() else {
                    stream = nil
                    return delivered ? .moved(.listed) : .endedEmpty
                }
                if let version = event.resourceVersion, !version.isEmpty { resourceVersion = version }
                switch event {
                case .added(let object): return .events([.added(object)], .watching(delivered: true))
                case .modified(let object): return .events([.modified(object)], .watching(delivered: true))
                case .deleted(let object): return .events([.deleted(object)], .watching(delivered: true))
                case .bookmark: return .events([], .watching(delivered: true))
                }
            } catch let error as KubeAPIError where error.isGone {
                stream = nil
                return .failed(error, .empty, expected: true)
            } catch {
                stream = nil
                return .failed(error, .listed, expected: false)
            }
        }

        /// Waits the backoff for the current failure count (cancellation ends the wait).
        private mutating func backOff() async throws {
            failures += 1
            try await Task.sleep(for: watcher.configuration.backoff.delay(attempt: failures))
        }

        /// Expected interruptions (410, a watch that ended) are debug; failures are warnings, so a
        /// permanent one (RBAC forbids the list) is visible while it is retried.
        private func log(_ error: any Error, _ message: Logger.Message, level: Logger.Level = .warning) {
            watcher.client.logger.log(
                level: level, message,
                metadata: [
                    "type": "\(watcher.type)", "error": "\(error)", "failures": "\(failures)",
                    "resourceVersion": "\(resourceVersion ?? "")",
                ])
        }
    }
}
