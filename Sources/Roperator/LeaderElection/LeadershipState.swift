import RoperatorClient
/// Whether a ``LeaderElector`` leads, readable without an actor hop (every sync checks it), and
/// the tasks waiting for leadership. Kept in a `Lock` by the elector.
struct LeadershipState: Sendable {
    typealias Waiter = CheckedContinuation<Void, any Error>

    enum Phase: Sendable, Equatable {
        /// Not running.
        case idle
        /// Running, trying to acquire the lease.
        case candidate
        /// Holds the lease: writes are allowed.
        case leading
        /// Led, then lost the lease; stays so until the next run.
        case lost(LeaderElectionError)
    }

    private(set) var phase: Phase = .idle
    private var waiters: [Int: Waiter] = [:]
    /// Waiters cancelled before they registered their continuation.
    private var cancelledEarly: Set<Int> = []
    private var lastWaiterID = 0

    var isLeading: Bool { phase == .leading }

    /// Moves to `phase`; returns the waiters to resume and the outcome to resume them with (the
    /// caller resumes them outside the lock).
    mutating func enter(_ phase: Phase) -> (waiters: [Waiter], outcome: Result<Void, any Error>) {
        self.phase = phase
        let outcome: Result<Void, any Error>
        switch phase {
        case .idle, .candidate: return ([], .success(()))
        case .leading: outcome = .success(())
        case .lost(let error): outcome = .failure(error)
        }
        defer { waiters = [:] }
        return (Array(waiters.values), outcome)
    }

    /// A fresh waiter id, taken before the continuation exists so that cancellation can name it.
    mutating func reserveWaiter() -> Int {
        lastWaiterID += 1
        return lastWaiterID
    }

    /// Registers `waiter`, or returns the outcome to resume it with at once.
    mutating func register(_ id: Int, _ waiter: Waiter) -> Result<Void, any Error>? {
        if cancelledEarly.remove(id) != nil { return .failure(CancellationError()) }
        switch phase {
        case .leading: return .success(())
        case .lost(let error): return .failure(error)
        case .idle, .candidate:
            waiters[id] = waiter
            return nil
        }
    }

    /// Removes a cancelled waiter; returns it when it was registered (to be resumed by the caller).
    mutating func cancel(_ id: Int) -> Waiter? {
        if let waiter = waiters.removeValue(forKey: id) { return waiter }
        cancelledEarly.insert(id)
        return nil
    }
}
