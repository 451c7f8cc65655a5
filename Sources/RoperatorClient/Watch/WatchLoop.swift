import Logging

/// The list-then-watch loop of a ``Watcher``, generic over the form of the objects it hands out
/// (``WatchedObject``): decoded for ``Watcher``, a cache's compact form for the runtime's informers.
///
/// Pulls from the list or the current watch on demand, so no task runs ahead of the consumer.
///
/// An explicit state machine: ``State`` says what the next step does, each step returns a
/// ``Step`` (events, a new state, or a failure as a value), and ``next()`` alone decides what
/// a failure costs: a log line and a wait from the shared ``Backoff``.
package struct WatchLoop<Object: WatchedObject> {
    /// What the loop reports: ``WatcherEvent`` with objects in the form `Object`.
    package enum Event: Sendable {
        case relisted([Object])
        case listedPage([Object], first: Bool)
        case initialListComplete
        case added(Object)
        case modified(Object)
        case deleted(Object)
        case failed(WatchFailure)
    }

    /// Where the loop is.
    enum State: Sendable, Equatable {
        /// Nothing usable: the next step lists (at the start, and after 410 Gone).
        case empty
        /// Listing in pages (``Watcher/Configuration/listsInPages``): the next step fetches the page
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
        case events([Event], State)
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
    var stream: WatchEventReader<Object>?
    /// The last resourceVersion seen (list, events, bookmarks).
    var resourceVersion: String?
    var pending: [Event] = []
    /// Consecutive failures, for the backoff; any success resets it.
    var failures = 0
    /// The wait a reported failure announced, taken on the next call.
    var pendingWait: Duration?

    package init(watcher: Watcher) {
        self.watcher = watcher
    }

    /// The next event, listing or (re)watching as needed.
    ///
    /// - Throws: `CancellationError` when the task is cancelled; other failures are retried.
    package mutating func next() async throws -> Event? {
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
            let event = Event.listedPage(page.items.map(Object.init(listed:)), first: token == nil)
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
            return .events([.relisted(list.items.map(Object.init(listed:))), .initialListComplete], .listed)
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
            stream = events.reader(of: Object.self)
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
