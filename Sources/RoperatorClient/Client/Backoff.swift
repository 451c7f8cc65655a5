/// Exponential backoff with a cap and downward jitter: the one backoff of the package, used by the
/// runtime for failed syncs and by the client for retried requests and reconnecting watches.
///
/// The delay for attempt `n` (1-based) is `initial * multiplier^(n-1)`, capped at `max`, then
/// reduced by a random fraction of up to `jitter`. Jitter only ever shortens the delay, so `max`
/// is a true upper bound and many parents failing together spread out instead of retrying in
/// lock-step.
///
/// ```swift
/// let backoff = Backoff(initial: .milliseconds(200), max: .seconds(60), multiplier: 2, jitter: 0.2)
/// backoff.delay(attempt: 3)   // between 640 ms and 800 ms
/// ```
public struct Backoff: Sendable, Hashable {
    /// Delay before the first retry. Default 500 ms.
    public var initial: Duration
    /// Largest delay ever returned. Default 5 minutes.
    public var max: Duration
    /// Growth factor per failed attempt, at least 1. Default 2.
    public var multiplier: Double
    /// Fraction (0...1) by which a delay may be randomly shortened. Default 0.2.
    public var jitter: Double

    /// - Parameters:
    ///   - initial: Delay before the first retry; default 500 ms.
    ///   - max: Cap on any delay; default 5 minutes.
    ///   - multiplier: Growth per attempt; values below 1 are treated as 1. Default 2.
    ///   - jitter: Random reduction fraction, clamped to 0...1. Default 0.2.
    public init(
        initial: Duration = .milliseconds(500),
        max: Duration = .seconds(300),
        multiplier: Double = 2,
        jitter: Double = 0.2
    ) {
        self.initial = initial
        self.max = max
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The defaults: 500 ms, doubling, capped at 5 minutes, 20 % jitter.
    public static let `default` = Backoff()

    /// The delay for `attempt` before jitter is applied. Attempts below 1 count as 1.
    public func baseDelay(attempt: Int) -> Duration {
        let initialSeconds = initial.secondsDouble
        let maxSeconds = Swift.max(max.secondsDouble, 0)
        let factor = Swift.max(multiplier.isFinite ? multiplier : 1, 1)
        let exponent = Double(Swift.max(attempt, 1) - 1)
        // pow overflows to +inf for large attempts; min() then picks the cap, which is what we want.
        let seconds = Swift.min(initialSeconds * integerPower(factor, exponent), maxSeconds)
        return .seconds(Swift.max(seconds, 0))
    }

    /// The jittered delay for `attempt`, drawing randomness from `generator` (inject a seeded
    /// generator in tests).
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let base = baseDelay(attempt: attempt).secondsDouble
        let spread = Swift.min(Swift.max(jitter.isFinite ? jitter : 0, 0), 1)
        guard spread > 0 else { return .seconds(base) }
        let fraction = Double.random(in: 0..<1, using: &generator)
        return .seconds(base * (1 - spread * fraction))
    }

    /// The jittered delay for `attempt`, using the system random number generator.
    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }
}

extension Duration {
    /// The duration in seconds as a `Double` (loses precision below about a nanosecond for long spans).
    var secondsDouble: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// `base^exponent` for whole exponents by repeated squaring; avoids pulling Foundation (for `pow`)
/// into this file, keeping the module's Foundation use behind the Codable bridge.
private func integerPower(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var b = base
    var e = Int(Swift.min(exponent, 4096))
    while e > 0 {
        if e & 1 == 1 { result *= b }
        b *= b
        e >>= 1
        if result.isInfinite { return .infinity }
    }
    return result
}
