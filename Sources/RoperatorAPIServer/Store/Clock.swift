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

    /// A new object uid: a random (version 4) UUID in lower case, as kube-apiserver makes them.
    ///
    /// Built from the system generator (`getrandom`), not Foundation's `UUID()`, which opens
    /// `/dev/urandom` on every call on Linux: a system call pair on every create.
    static func uid() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = (generator.next() as UInt64) & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let low = (generator.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return formatUUID(high: high, low: low)
    }

    /// The 8-4-4-4-12 lower-case hex form of a 128-bit value.
    static func formatUUID(high: UInt64, low: UInt64) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func put(_ value: UInt64, nibbles: Int) {
                var shift = (nibbles - 1) * 4
                while shift >= 0 {
                    buffer[index] = digits.utf8Start[Int((value >> UInt64(shift)) & 0xF)]
                    index += 1
                    shift -= 4
                }
            }
            func dash() {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put(high >> 16, nibbles: 4)
            dash()
            put(high, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low, nibbles: 12)
            return 36
        }
    }

    /// The alphabet of `generateName` suffixes: no vowels, no look-alike characters.
    private static let suffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// A random 5-character suffix for `generateName`.
    static func randomSuffix() -> String {
        String((0..<5).map { _ in suffixAlphabet.randomElement()! })
    }
}
