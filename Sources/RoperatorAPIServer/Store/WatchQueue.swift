import RoperatorClient
import DequeModule

/// The bounded queue between the store and one watcher.
///
/// Writers append under the store's lock and never wait: when the queue is full the append fails
/// and the store cuts the watcher off. The consumer takes everything queued at once
/// (``nextBatch(limit:)``), so a watcher that falls behind catches up with one wake-up and one
/// socket write per batch instead of one per event.
final class WatchQueue: Sendable {
    enum AppendResult {
        case enqueued
        /// The queue holds `capacity` events already: the watcher is too slow.
        case full
        /// The queue was finished or its consumer went away.
        case finished
    }

    private struct State {
        var events: Deque<StoreEvent> = []
        var capacity: Int
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
        var onTermination: (@Sendable () -> Void)?
    }

    private let state: Lock<State>

    /// - Parameter capacity: How many events may wait for the consumer before appends fail.
    init(capacity: Int) {
        state = Lock(State(capacity: max(capacity, 1)))
    }

    /// Sets what runs once when the queue is finished by either side; ignored when it is already
    /// finished (the store then has nothing to clean up).
    func setOnTermination(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { state in
            if !state.finished { state.onTermination = handler }
        }
    }

    /// Appends without waiting.
    func append(_ event: StoreEvent) -> AppendResult {
        let (result, waiter) = state.withLock { state -> (AppendResult, CheckedContinuation<Void, Never>?) in
            if state.finished { return (.finished, nil) }
            if state.events.count >= state.capacity { return (.full, nil) }
            state.events.append(event)
            defer { state.waiter = nil }
            return (.enqueued, state.waiter)
        }
        waiter?.resume()
        return result
    }

    /// Ends the queue: the consumer gets what is queued, then the end. Runs the termination handler.
    func finish() {
        let (waiter, handler) = state.withLock { state -> (CheckedContinuation<Void, Never>?, (@Sendable () -> Void)?) in
            if state.finished { return (nil, nil) }
            state.finished = true
            defer {
                state.waiter = nil
                state.onTermination = nil
            }
            return (state.waiter, state.onTermination)
        }
        waiter?.resume()
        handler?()
    }

    /// Waits for events and takes up to `limit` of them, oldest first; an empty array means the
    /// queue is finished and drained. Cancelling the waiting task finishes the queue.
    func nextBatch(limit: Int = .max) async -> [StoreEvent] {
        while true {
            let taken = state.withLock { state -> [StoreEvent]? in
                if state.events.isEmpty { return state.finished ? [] : nil }
                let count = min(limit, state.events.count)
                let batch = Array(state.events.prefix(count))
                state.events.removeFirst(count)
                return batch
            }
            if let taken { return taken }
            if Task.isCancelled {
                finish()
                continue
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.events.isEmpty || state.finished { return true }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                finish()
            }
        }
    }
}
