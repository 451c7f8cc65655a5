@testable import RoperatorClient
import Testing

@Suite struct LockTests {
    final class Counter: Sendable {
        let state = Lock<[String: Int]>([:])
    }

    @Test func contendedUpdatesAreAllKept() async {
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<2_000 { counter.state.withLock { $0["k\(i % 16)", default: 0] += task } }
                }
            }
        }
        let total = counter.state.withLock { $0.values.reduce(0, +) }
        #expect(total == 2_000 * (0..<8).reduce(0, +))
    }

    @Test func returnsAndThrowsWhatTheBodyDoes() {
        struct Refused: Error {}
        let lock = Lock(41)
        #expect(
            lock.withLock { value -> Int in
                value += 1; return value
            } == 42)
        #expect(throws: Refused.self) { try lock.withLock { _ throws(Refused) in throw Refused() } }
        #expect(lock.withLockIfAvailable { $0 } == 42)
    }

    @Test func heldLockIsNotAvailable() {
        let lock = Lock(0)
        let inner = lock.withLock { _ in lock.withLockIfAvailable { $0 } }
        #expect(inner == nil)
    }

    /// Both entry points or neither: a half-annotated lock would report its own releases.
    @Test func annotationsComeInPairs() {
        #expect((ThreadSanitizer.acquire == nil) == (ThreadSanitizer.release == nil))
    }
}
