import Synchronization

/// Hands out indices 0..<count to whichever worker asks next.
final class IndexDispenser: Sendable {
    private let next = Atomic<Int>(0)
    let count: Int

    init(count: Int) { self.count = count }

    /// The next index, or `nil` when all are taken.
    func take() -> Int? {
        let index = next.add(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }
}

/// Runs `body` for every index in 0..<count on `workers` concurrent tasks.
///
/// - Throws: the first error of `body` (the other tasks are then cancelled).
func forEachConcurrently(
    _ count: Int, workers: Int, _ body: @escaping @Sendable (Int) async throws -> Void
) async throws {
    let dispenser = IndexDispenser(count: count)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<min(workers, count) {
            group.addTask {
                while let index = dispenser.take() {
                    try await body(index)
                }
            }
        }
        try await group.waitForAll()
    }
}

/// How a group of watchers fared: events delivered, watchers whose stream ended early, and when
/// the last one had everything it expected.
struct WatchOutcome: Sendable {
    var delivered = 0
    var cut = 0
    var finished: ContinuousClock.Instant

    /// Drains every stream on its own task with `drain` (which returns how many ADDED events it
    /// read, stopping at `expecting`) and combines the watchers' outcomes.
    static func gather<Stream: Sendable>(
        _ streams: [Stream], expecting: Int, start: ContinuousClock.Instant,
        drain: @escaping @Sendable (Stream) async -> Int
    ) async -> WatchOutcome {
        await withTaskGroup(of: WatchOutcome.self) { group in
            for stream in streams {
                group.addTask {
                    let delivered = await drain(stream)
                    return WatchOutcome(delivered: delivered, cut: delivered < expecting ? 1 : 0, finished: ContinuousClock.now)
                }
            }
            var total = WatchOutcome(finished: start)
            for await outcome in group {
                total.delivered += outcome.delivered
                total.cut += outcome.cut
                total.finished = max(total.finished, outcome.finished)
            }
            return total
        }
    }
}
