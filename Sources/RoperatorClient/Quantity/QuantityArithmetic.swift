/// Exact integer helpers for ``Quantity`` amounts (`coefficient × 10^exponent` in `Int128`).
enum QuantityArithmetic {
    /// `value × 10^power`, or `nil` on overflow.
    static func multiply(_ value: Int128, byPowerOfTen power: Int) -> Int128? {
        var result = value
        for _ in 0..<max(power, 0) {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }

    /// `value × 1024^power`, or `nil` on overflow.
    static func multiply(_ value: Int128, byPowerOf1024 power: Int) -> Int128? {
        var result = value
        for _ in 0..<power {
            let (product, overflow) = result.multipliedReportingOverflow(by: 1024)
            if overflow { return nil }
            result = product
        }
        return result
    }

    /// `value / 10^power` rounded away from zero, as Kubernetes rounds (`inf.RoundUp`).
    static func divideRoundingUp(_ value: Int128, byPowerOfTen power: Int) -> Int128 {
        guard power > 0 else { return value }
        if power > 38 { return value.signum() }
        var divisor: Int128 = 1
        for _ in 0..<power { divisor *= 10 }
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder == 0 ? quotient : quotient + value.signum()
    }

    /// Number of decimal digits of `|value|`; 0 for zero.
    static func digitCount(_ value: Int128) -> Int {
        var v = value.magnitude
        var count = 0
        while v > 0 {
            v /= 10
            count += 1
        }
        return count
    }

    /// The sign of `a×10^ea − b×10^eb`, for normalized amounts.
    static func compare(_ a: Int128, _ ea: Int, _ b: Int128, _ eb: Int) -> Int {
        if a.signum() != b.signum() { return a.signum() < b.signum() ? -1 : 1 }
        if a == 0 { return 0 }
        let sign = Int(a.signum())
        // Orders of magnitude first; equal magnitudes have aligned values within 38 digits.
        let magnitudeA = digitCount(a) + ea
        let magnitudeB = digitCount(b) + eb
        if magnitudeA != magnitudeB { return magnitudeA < magnitudeB ? -sign : sign }
        let low = min(ea, eb)
        guard let x = multiply(a, byPowerOfTen: ea - low), let y = multiply(b, byPowerOfTen: eb - low) else {
            return 0
        }
        return x < y ? -1 : (x == y ? 0 : 1)
    }
}
