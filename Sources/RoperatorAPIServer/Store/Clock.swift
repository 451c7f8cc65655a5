import Foundation
import RoperatorClient

/// Server-side timestamps and identifiers.
enum Clock {
    /// Now as RFC 3339 with second precision in UTC, the format of `creationTimestamp`.
    static func now() -> String {
        let t = time(nil)
        if let cached = lastFormatted.withLock({ $0.second == t ? $0.text : nil }) { return cached }
        let text = format(t)
        lastFormatted.withLock { $0 = (t, text) }
        return text
    }

    /// Writes happen thousands of times per second; the timestamp changes once.
    private static let lastFormatted = Lock<(second: time_t, text: String)>((0, ""))

    private static func format(_ seconds: time_t) -> String {
        RFC3339.format(Date(timeIntervalSince1970: Double(seconds)))
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
