import RoperatorTesting
import Testing
@testable import Roperator

@Suite struct BackoffTests {
    @Test func growsByMultiplierUntilCap() {
        let backoff = Backoff(initial: .milliseconds(100), max: .seconds(1), multiplier: 2, jitter: 0)
        let delays = (1...6).map { backoff.baseDelay(attempt: $0) }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
    }

    @Test func hugeAttemptIsCapped() {
        let backoff = Backoff(initial: .milliseconds(1), max: .seconds(30), multiplier: 10, jitter: 0)
        #expect(backoff.baseDelay(attempt: 10_000) == .seconds(30))
        #expect(backoff.baseDelay(attempt: 0) == .milliseconds(1))
    }

    @Test func jitterOnlyShortensWithinFraction() {
        let backoff = Backoff(initial: .seconds(1), max: .seconds(10), multiplier: 2, jitter: 0.5)
        var random = SeededRandomNumberGenerator(seed: 42)
        var seen = Set<Duration>()
        for attempt in 1...5 {
            let base = backoff.baseDelay(attempt: attempt)
            for _ in 0..<200 {
                let delay = backoff.delay(attempt: attempt, using: &random)
                #expect(delay <= base)
                #expect(delay >= base * 0.5)
                seen.insert(delay)
            }
        }
        #expect(seen.count > 100, "jitter should spread delays")
    }

    @Test func jitterIsReproducibleWithSeededGenerator() {
        let backoff = Backoff(initial: .seconds(1), max: .seconds(10), multiplier: 2, jitter: 0.2)
        var a = SeededRandomNumberGenerator(seed: 7)
        var b = SeededRandomNumberGenerator(seed: 7)
        #expect(backoff.delay(attempt: 3, using: &a) == backoff.delay(attempt: 3, using: &b))
    }
}
