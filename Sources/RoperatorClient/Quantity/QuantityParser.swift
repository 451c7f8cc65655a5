/// The quantity grammar of Kubernetes:
/// `[+-]digits[.digits](Ki|Mi|Gi|Ti|Pi|Ei | n|u|m||k|M|G|T|P|E | (e|E)[+-]digits)`.
enum QuantityParser {
    struct Parsed {
        var coefficient: Int128
        var exponent: Int
        var format: Quantity.Format
    }

    static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    static let binarySuffixes: [String: Int] = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]

    static func parse(_ text: String) throws(QuantityError) -> Parsed {
        func fail(_ reason: String) -> QuantityError { QuantityError(text: text, reason: reason) }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw fail("is empty") }
        var i = 0
        var negative = false
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var coefficient: Int128 = 0
        var exponent = 0
        var digits = 0
        var significant = 0
        var seenPoint = false
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: ".") {
                guard !seenPoint else { throw fail("has two decimal points") }
                seenPoint = true
            } else if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                digits += 1
                if coefficient != 0 || b != UInt8(ascii: "0") { significant += 1 }
                guard significant <= 38 else { throw fail("has more than 38 significant digits") }
                coefficient = coefficient * 10 + Int128(b - UInt8(ascii: "0"))
                if seenPoint { exponent -= 1 }
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { throw fail("has no digits") }
        if negative { coefficient = -coefficient }
        let suffix = String(decoding: bytes[i...], as: UTF8.self)
        if let power = decimalSuffixes[suffix] {
            return Parsed(coefficient: coefficient, exponent: exponent + power, format: .decimalSI)
        }
        if let power = binarySuffixes[suffix] {
            guard let scaled = QuantityArithmetic.multiply(coefficient, byPowerOf1024: power) else {
                throw fail("is too large")
            }
            return Parsed(coefficient: scaled, exponent: exponent, format: .binarySI)
        }
        if suffix.first == "e" || suffix.first == "E", let power = Int(suffix.dropFirst()), abs(power) < 1000,
            suffix.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") })
        {
            return Parsed(coefficient: coefficient, exponent: exponent + power, format: .decimalExponent)
        }
        throw fail("has an unknown suffix \"\(suffix)\"")
    }
}
