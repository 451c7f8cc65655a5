import RoperatorClient

/// The watch streams currently open, so that they can all be ended at once.
final class ActiveWatches: Sendable {
    private let state = Lock<(next: Int, enders: [Int: @Sendable () -> Void])>((0, [:]))

    /// Registers a watch; `end` is called when watches are cut. Returns the key for ``remove(_:)``.
    func add(_ end: @escaping @Sendable () -> Void) -> Int {
        state.withLock { state in
            state.next += 1
            state.enders[state.next] = end
            return state.next
        }
    }

    func remove(_ key: Int) {
        _ = state.withLock { $0.enders.removeValue(forKey: key) }
    }

    /// The number of open watch streams.
    var count: Int { state.withLock { $0.enders.count } }

    /// Ends every open watch stream; returns how many there were.
    @discardableResult
    func endAll() -> Int {
        let enders = state.withLock { state in
            defer { state.enders.removeAll() }
            return Array(state.enders.values)
        }
        for end in enders { end() }
        return enders.count
    }
}
