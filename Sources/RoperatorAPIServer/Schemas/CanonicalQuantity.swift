/// Kubernetes resource quantities (`"500m"`, `"1Gi"`, `"1e3"`) in the canonical form the API server
/// stores: the largest suffix that keeps the number whole, in the notation the value was written
/// in (binary suffixes stay binary when the value is a whole number of at least 1024).
///
/// ```swift
/// try CanonicalQuantity.canonical("0.5")     // "500m"
/// try CanonicalQuantity.canonical("1.5Gi")   // "1536Mi"
/// try CanonicalQuantity.canonical("1000Mi")  // "1000Mi"
/// ```
package enum CanonicalQuantity {
    /// The error Kubernetes gives for a string that is not a quantity.
    package static let formatMessage =
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    private enum Notation { case decimalSI, binarySI, decimalExponent }

    private static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    private static let binarySuffixes = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]

    /// The canonical spelling of `text`.
    ///
    /// - Throws: ``CanonicalQuantityError`` when `text` is not a quantity.
    package static func canonical(_ text: String) throws(CanonicalQuantityError) -> String {
        var rest = Substring(text)
        var negative = false
        if let first = rest.first, first == "+" || first == "-" {
            negative = first == "-"
            rest = rest.dropFirst()
        }
        let numberEnd = rest.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? rest.endIndex
        let number = rest[..<numberEnd]
        let suffix = String(rest[numberEnd...])
        guard !number.isEmpty, number.contains(where: \.isNumber), number.filter({ $0 == "." }).count <= 1 else {
            throw CanonicalQuantityError()
        }
        // Value = digits × 10^exponent10 × 1024^binaryPower.
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        var exponent10 = -fraction.count
        var binaryPower = 0
        let notation: Notation
        if let e = decimalSuffixes[suffix] {
            exponent10 += e
            notation = .decimalSI
        } else if let p = binarySuffixes[suffix] {
            binaryPower = p
            notation = .binarySI
        } else if let first = suffix.first, first == "e" || first == "E", let e = Int(suffix.dropFirst()),
            suffix.dropFirst().allSatisfy({ $0.isNumber || $0 == "+" || $0 == "-" }), abs(e) < 1000
        {
            exponent10 += e
            notation = .decimalExponent
        } else {
            throw CanonicalQuantityError()
        }
        // In units of 10^-9, rounded up as the API server rounds values finer than a nano.
        var nanos = BigUInt(decimalDigits: whole + fraction)
        for _ in 0..<binaryPower { nanos.multiply(by: 1024) }
        let shift = exponent10 + 9
        if shift >= 0 {
            for _ in 0..<shift { nanos.multiply(by: 10) }
        } else {
            var dropped = false
            for _ in 0..<(-shift) where !nanos.isZero {
                if nanos.divide(by: 10) != 0 { dropped = true }
            }
            if dropped { nanos.add(1) }
        }
        if nanos.isZero { return "0" }
        let sign = negative ? "-" : ""
        if notation == .binarySI {
            var units = nanos
            let remainder = units.divide(by: 1_000_000_000)
            if remainder == 0, !units.isLess(than: 1024) {
                var power = 0
                while power < 6, units.remainder(dividingBy: 1024) == 0 {
                    _ = units.divide(by: 1024)
                    power += 1
                }
                let names = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                return sign + units.description + names[power]
            }
        }
        var exponent = -9
        while exponent < 18, nanos.remainder(dividingBy: 1000) == 0 {
            _ = nanos.divide(by: 1000)
            exponent += 3
        }
        if notation == .decimalExponent {
            return sign + nanos.description + (exponent == 0 ? "" : "e\(exponent)")
        }
        let name = decimalSuffixes.first { $0.value == exponent }?.key ?? ""
        return sign + nanos.description + name
    }
}

/// A string that is not a Kubernetes quantity.
package struct CanonicalQuantityError: Error, Sendable, CustomStringConvertible {
    package var description: String { CanonicalQuantity.formatMessage }
}

/// A non-negative integer of any size, just enough arithmetic for quantities.
struct BigUInt: Sendable, CustomStringConvertible {
    /// Base 2^32, least significant first.
    private var limbs: [UInt32] = []

    init(decimalDigits: some StringProtocol) {
        for c in decimalDigits.utf8 {
            multiply(by: 10)
            add(UInt32(c &- UInt8(ascii: "0")))
        }
    }

    var isZero: Bool { limbs.allSatisfy { $0 == 0 } }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    mutating func add(_ value: UInt32) {
        var carry = UInt64(value)
        var i = 0
        while carry != 0 {
            if i == limbs.count { limbs.append(0) }
            let sum = UInt64(limbs[i]) + carry
            limbs[i] = UInt32(truncatingIfNeeded: sum)
            carry = sum >> 32
            i += 1
        }
    }

    /// Divides in place and returns the remainder.
    @discardableResult
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        while limbs.last == 0 { limbs.removeLast() }
        return UInt32(remainder)
    }

    func remainder(dividingBy divisor: UInt32) -> UInt32 {
        var copy = self
        return copy.divide(by: divisor)
    }

    func isLess(than value: UInt32) -> Bool {
        let significant = limbs.reversed().drop { $0 == 0 }
        return significant.count == 0 || (significant.count == 1 && significant.first! < value)
    }

    var description: String {
        if isZero { return "0" }
        var copy = self
        var groups: [UInt32] = []
        while !copy.isZero { groups.append(copy.divide(by: 1_000_000_000)) }
        var text = String(groups.removeLast())
        for group in groups.reversed() {
            let digits = String(group)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }
}
