import Foundation

/// Server-side timestamps and identifiers.
enum Clock {
    /// Now as RFC 3339 with second precision in UTC, the format of `creationTimestamp`.
    static func now() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// A new object uid.
    static func uid() -> String { UUID().uuidString.lowercased() }

    /// The alphabet of `generateName` suffixes: no vowels, no look-alike characters.
    private static let suffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// A random 5-character suffix for `generateName`.
    static func randomSuffix() -> String {
        String((0..<5).map { _ in suffixAlphabet.randomElement()! })
    }
}
