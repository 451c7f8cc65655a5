import RoperatorClient

/// The tasks a listener's connections started (delayed answers, streamed bodies), so that closing
/// the listener can cancel them and wait for them before its event loops go away: a task that
/// finishes later must still find its loop to write the end of its response.
final class ConnectionTasks: Sendable {
    private struct State {
        var tasks: [Int: Task<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = Lock(State())

    /// Starts `work` in a task that is tracked until it ends; on `executor` when one is given (a
    /// watch stream runs on its connection's event loop), else on the cooperative pool.
    func spawn(on executor: (any TaskExecutor)? = nil, _ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.tasks[id] = Task(executorPreference: executor) { [weak self] in
                await work()
                _ = self?.state.withLock { $0.tasks.removeValue(forKey: id) }
            }
        }
    }

    /// Cancels every tracked task and waits until all have ended.
    func cancelAndWait() async {
        while true {
            let tasks = state.withLock { Array($0.tasks.values) }
            if tasks.isEmpty { return }
            for task in tasks { task.cancel() }
            for task in tasks { await task.value }
        }
    }
}
