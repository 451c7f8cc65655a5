/// `metav1.Duration`'s JSON form, Go's `time.Duration` text (`"1h2m3.5s"`, `"300ms"`, `"0s"`).
enum GoDuration {
    /// Go's `Duration.String()`.
    static func format(nanoseconds: Int64) -> String {
        guard nanoseconds != 0 else { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let total = nanoseconds.magnitude
        func fraction(_ value: UInt64, _ unit: UInt64) -> String {
            var digits = String(value % unit)
            digits = String(repeating: "0", count: String(unit).count - 1 - digits.count) + digits
            while digits.last == "0" { digits.removeLast() }
            return String(value / unit) + (digits.isEmpty ? "" : "." + digits)
        }
        if total < 1_000 { return sign + "\(total)ns" }
        if total < 1_000_000 { return sign + fraction(total, 1_000) + "µs" }
        if total < 1_000_000_000 { return sign + fraction(total, 1_000_000) + "ms" }
        let hours = total / 3_600_000_000_000
        let minutes = total / 60_000_000_000 % 60
        let seconds = fraction(total % 60_000_000_000, 1_000_000_000) + "s"
        if hours > 0 { return sign + "\(hours)h\(minutes)m" + seconds }
        if minutes > 0 { return sign + "\(minutes)m" + seconds }
        return sign + seconds
    }

    /// Go's `time.ParseDuration`; `nil` when the text is not a duration.
    static func parse(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 6e10), ("h", 3.6e12),
        ]
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !$0.isNumber && $0 != "." }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total <= Double(Int64.max) else { return nil }
        return Int64((negative ? -total : total).rounded())
    }
}
