import Foundation

/// Percentiles of a set of latencies (nearest-rank method).
public struct LatencySummary: Sendable {
    /// How many latencies were measured.
    public var count: Int
    /// Median, seconds.
    public var p50: Double
    /// 99th percentile, seconds.
    public var p99: Double
    /// Largest, seconds.
    public var max: Double

    /// Summarizes `seconds`; all zero when it is empty.
    public init(_ seconds: [Double]) {
        let sorted = seconds.sorted()
        count = sorted.count
        func rank(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        p50 = rank(0.5)
        p99 = rank(0.99)
        max = sorted.last ?? 0
    }

    /// `p50 1.2 ms, p99 3.4 ms, max 5.6 ms (n = 1000)`.
    public var description: String {
        "p50 \(milliseconds(p50)) ms, p99 \(milliseconds(p99)) ms, max \(milliseconds(max)) ms (n = \(count))"
    }
}

/// The median of `values` (0 when empty).
public func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// `seconds` in milliseconds with two decimals.
public func milliseconds(_ seconds: Double) -> String {
    formatted(seconds * 1000)
}

/// `value` with `digits` decimals.
public func formatted(_ value: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}
