/// A deterministic random number generator (SplitMix64) for tests: the same seed gives the same
/// sequence on every run and platform, so a failure found with random inputs can be replayed.
///
/// ```swift
/// var random = SeededRandomNumberGenerator(seed: 42)
/// let jitter = Double.random(in: 0..<1, using: &random)
/// ```
public struct SeededRandomNumberGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// - Parameter seed: Where the sequence starts.
    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
