/// Token bucket behind ``KubeClient/RateLimit``. Each caller reserves a token, possibly in the future,
/// and sleeps until then; reservations are granted in call order so waiting callers are served fairly.
final class RateLimiter: Sendable {
    private struct State {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let limit: KubeClient.RateLimit
    private let state: Lock<State>

    init(_ limit: KubeClient.RateLimit) {
        self.limit = limit
        self.state = Lock(State(tokens: Double(limit.burst), updated: .now))
    }

    /// Waits until the caller may send one request.
    func acquire() async throws {
        let wait: Duration = state.withLock { state in
            let now = ContinuousClock.now
            let elapsed = now - state.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(Double(limit.burst), state.tokens + seconds * limit.qps)
            state.updated = now
            state.tokens -= 1
            // A negative balance is a reservation in the future: wait until it is paid back.
            return state.tokens >= 0 ? .zero : .seconds(-state.tokens / limit.qps)
        }
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}
