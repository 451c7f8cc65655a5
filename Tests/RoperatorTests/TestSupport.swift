import RoperatorClient
import Synchronization

/// Always returns the same value, for jitter at a known point.
struct ConstantRandom: RandomNumberGenerator, Sendable {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

struct TimedOut: Error, CustomStringConvertible {
    let description: String
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes.
///
/// The default deadline is long on purpose: it only matters when the condition never holds, and
/// in the first seconds of a full `swift test` run some 400 tests start at once on two cores, which
/// once held every WorkQueue test back for more than 5 s.
func waitUntil(
    _ what: String, timeout: Duration = .seconds(20), _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + TimeoutScale.scaled(timeout)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(description: "timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(2))
    }
}
