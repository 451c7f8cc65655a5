public import Foundation

/// `spec.deleteAfter`: an absolute RFC 3339 time, or a duration counted from the TempNamespace's
/// creation.
///
/// Durations are a sequence of numbers with units `d`, `h`, `m`, `s` or `ms`, like Go's
/// `time.ParseDuration` plus days: `90s`, `15m`, `1h30m`, `7d`.
///
/// ```swift
/// let deadline = try DeleteAfter("1h30m").deadline(createdAt: created)
/// ```
public enum DeleteAfter: Sendable, Hashable {
    /// At this moment.
    case at(Date)
    /// This long after creation.
    case after(Duration)

    /// Parses an RFC 3339 time or a duration.
    ///
    /// - Throws: ``DeleteAfterError`` naming the text when it is neither.
    public init(_ text: String) throws(DeleteAfterError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = Self.parseTime(trimmed) {
            self = .at(date)
        } else if let duration = Self.parseDuration(trimmed) {
            self = .after(duration)
        } else {
            throw DeleteAfterError(text: text)
        }
    }

    /// The moment the namespace goes, for a TempNamespace created at `createdAt`.
    public func deadline(createdAt: Date) -> Date {
        switch self {
        case .at(let date):
            return date
        case .after(let duration):
            let (seconds, attoseconds) = duration.components
            return createdAt.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
        }
    }

    /// Parses `2030-01-02T15:04:05Z`, with or without fractional seconds, any offset.
    static func parseTime(_ text: String) -> Date? {
        guard text.count >= 20, text.contains("T") || text.contains("t") else { return nil }
        let upper = text.uppercased()
        if let date = try? Date(upper, strategy: Date.ISO8601FormatStyle()) { return date }
        // Not a plain time: try once more with fractional seconds; nil means not a time at all.
        return try? Date(upper, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Parses `1h30m`, `90s`, `500ms`, `7d`; `nil` when the text is not such a duration.
    static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, milliseconds: Int64)] = [
            ("ms", 1), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000),
        ]
        var rest = Substring(text)
        var total: Int64 = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            total += product
        }
        return .milliseconds(total)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
