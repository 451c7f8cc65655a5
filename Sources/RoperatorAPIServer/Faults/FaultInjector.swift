import RoperatorClient

/// Makes the embedded server misbehave on purpose, for reliability tests: failed requests, slow
/// answers, dropped watch streams, forced `410 Gone` and a listener that goes away and comes back.
///
/// Reached through ``EmbeddedAPIServer/faults``; rules can also be given up front in
/// ``EmbeddedAPIServer/Configuration/faultRules``.
///
/// ```swift
/// server.faults.add(FaultRule(.serviceUnavailable, verbs: [.list], count: 2))
/// server.faults.setLatency(.milliseconds(50))
/// server.faults.add(FaultRule(.conflict, verbs: APIVerb.writes, probability: 0.01))
/// server.faults.cutWatches()
/// server.faults.startPeriodicWatchCuts(every: .seconds(3))
/// try await server.faults.pauseListener()
/// try await server.faults.resumeListener()
/// ```
public final class FaultInjector: Sendable {
    private let state: Lock<State>
    private let control = Lock<Control?>(nil)
    private let periodicCuts = Lock<Task<Void, Never>?>(nil)
    let watches = ActiveWatches()

    private struct State {
        var rules: [FaultRule]
        var latency: Duration = .zero
        var latencyVerbs: Set<APIVerb> = []
        var statistics = FaultStatistics()
    }

    /// What the injector drives outside itself; set once the server is running.
    struct Control: Sendable {
        var listener: HTTPListener
        var compact: @Sendable () async -> Void
    }

    init(rules: [FaultRule] = [], latency: Duration = .zero) {
        state = Lock(State(rules: rules, latency: latency))
    }

    func attach(_ control: Control?) {
        self.control.withLock { $0 = control }
    }

    // MARK: Errors and latency

    /// Adds a failure rule; rules are checked in the order added and the first that fires wins.
    public func add(_ rule: FaultRule) {
        state.withLock { $0.rules.append(rule) }
    }

    /// The rules in force (rules with a count drop out once used up).
    public var rules: [FaultRule] {
        state.withLock { $0.rules }
    }

    /// Removes every failure rule and the added latency, and stops periodic watch cuts.
    public func removeAll() {
        state.withLock { state in
            state.rules.removeAll()
            state.latency = .zero
            state.latencyVerbs = []
        }
        stopPeriodicWatchCuts()
    }

    /// Delays every answer (to the verbs given, or all when empty) by `latency` before it is computed.
    ///
    /// - Parameters:
    ///   - latency: the added delay; `.zero` turns it off.
    ///   - verbs: the verbs slowed down; empty (the default) for all.
    public func setLatency(_ latency: Duration, verbs: Set<APIVerb> = []) {
        state.withLock { state in
            state.latency = latency
            state.latencyVerbs = verbs
        }
    }

    /// How many requests have been failed on purpose so far.
    public var injectedFailureCount: Int {
        state.withLock { $0.statistics.injectedFailures }
    }

    /// What the injector did so far: failures by HTTP status, watch streams cut, compactions
    /// forced and listener pauses.
    public var statistics: FaultStatistics {
        state.withLock { $0.statistics }
    }

    /// The delay and the failure, if any, for one request.
    func evaluate(verb: APIVerb, resource: String, name: String?) -> (latency: Duration, failure: APIError?) {
        state.withLock { state in
            let latency = state.latencyVerbs.isEmpty || state.latencyVerbs.contains(verb) ? state.latency : .zero
            for index in state.rules.indices where state.rules[index].matches(verb: verb, resource: resource) {
                let rule = state.rules[index]
                guard rule.probability >= 1 || Double.random(in: 0..<1) < rule.probability else { continue }
                if let count = rule.count {
                    if count <= 1 {
                        state.rules.remove(at: index)
                    } else {
                        state.rules[index].count = count - 1
                    }
                }
                let error = rule.failure.error(resource: resource, name: name)
                state.statistics.failuresByStatus[Int(error.code), default: 0] += 1
                return (latency, error)
            }
            return (latency, nil)
        }
    }

    // MARK: Watches, compaction, listener

    /// The number of watch streams open right now.
    public var openWatchCount: Int { watches.count }

    /// Ends every open watch stream now (cleanly, as a server-side timeout would); clients must
    /// watch again from their last resourceVersion.
    ///
    /// - Returns: how many streams were ended.
    @discardableResult
    public func cutWatches() -> Int {
        let cut = watches.endAll()
        state.withLock { $0.statistics.watchesCut += cut }
        return cut
    }

    /// Cuts every open watch stream every `interval` (as ``cutWatches()``) until
    /// ``stopPeriodicWatchCuts()`` or ``removeAll()``; calling it again changes the interval.
    ///
    /// ```swift
    /// server.faults.startPeriodicWatchCuts(every: .seconds(3))
    /// // ... clients must resume their watches again and again ...
    /// server.faults.stopPeriodicWatchCuts()
    /// ```
    public func startPeriodicWatchCuts(every interval: Duration) {
        let task = Task { [weak self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                guard let self else { return }
                self.cutWatches()
            }
        }
        periodicCuts.withLock { current in
            current?.cancel()
            current = task
        }
    }

    /// Stops the cuts started by ``startPeriodicWatchCuts(every:)``.
    public func stopPeriodicWatchCuts() {
        periodicCuts.withLock { current in
            current?.cancel()
            current = nil
        }
    }

    /// Forgets all retained watch events and list snapshots, as an etcd compaction does: every
    /// resourceVersion older than now gets `410 Gone` (in a watch, an ERROR event with 410).
    public func forceCompaction() async {
        guard let compact = control.withLock({ $0?.compact }) else { return }
        await compact()
        state.withLock { $0.statistics.compactions += 1 }
    }

    /// Closes the listening socket and every open connection while keeping all state; requests
    /// fail with connection refused until ``resumeListener()``.
    public func pauseListener() async {
        guard let listener = control.withLock({ $0?.listener }) else { return }
        await listener.stop()
        state.withLock { $0.statistics.pauses += 1 }
    }

    /// Opens the listening socket again on the same port.
    ///
    /// - Throws: when the port cannot be bound again (another process took it).
    public func resumeListener() async throws {
        guard let listener = control.withLock({ $0?.listener }), !listener.isListening else { return }
        try await listener.start()
    }

    /// Whether the listener is accepting connections.
    public var isListening: Bool {
        control.withLock { $0?.listener.isListening } ?? false
    }
}
