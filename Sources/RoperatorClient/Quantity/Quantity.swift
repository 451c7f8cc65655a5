/// `resource.Quantity`: an exact decimal amount with a suffix, as in `500m`, `1.5Gi`, `2e3`.
///
/// Parsing follows Kubernetes: a signed decimal number followed by a binary SI suffix (`Ki` to
/// `Ei`), a decimal SI suffix (`n`, `u`, `m`, none, `k`, `M`, `G`, `T`, `P`, `E`) or a decimal
/// exponent (`e3`, `E-2`). Amounts finer than `1n` are rounded away from zero to whole nanos. Two quantities are equal
/// when their amounts are (`"0.5" == "500m"`), and they compare by amount (`"1Gi" > "1G"`).
///
/// ``description`` and the JSON encoding keep the text as written, so a typed round trip is exact;
/// ``canonical`` is the form the API server stores: the suffix family of the input, the largest
/// suffix that leaves an integer (`"0.5"` → `"500m"`, `"1536Mi"` stays, `"1.5Gi"` → `"1536Mi"`,
/// `"1000"` → `"1k"`), and decimal SI for binary amounts that are fractional or below 1024.
///
/// ```swift
/// let cpu = try Quantity("0.5")
/// cpu == (try Quantity("500m"))   // true
/// cpu.canonical                   // "500m"
/// let memory: Quantity = "1Gi"    // a literal traps on a malformed quantity, like MustParse
/// ```
public struct Quantity: Codable, Sendable, Hashable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The suffix family of a quantity, which its canonical form keeps.
    public enum Format: String, Sendable, Hashable {
        /// `Ki`, `Mi`, ... powers of 1024.
        case binarySI = "BinarySI"
        /// `m`, `k`, `M`, ... powers of 1000.
        case decimalSI = "DecimalSI"
        /// `e3`, `E-6`: powers of ten written out.
        case decimalExponent = "DecimalExponent"
    }

    /// The text as parsed (or as built by ``init(_:format:)``).
    public let text: String
    /// The suffix family of ``text``.
    public let format: Format
    /// The amount is `coefficient × 10^exponent`, normalized (no trailing zeros in the coefficient,
    /// zero has exponent 0), rounded to nano units.
    let coefficient: Int128
    let exponent: Int

    /// Parses a quantity.
    ///
    /// - Throws: ``QuantityError`` saying what is malformed, or that the amount has more than 38
    ///   significant digits.
    public init(_ text: String) throws(QuantityError) {
        let parsed = try QuantityParser.parse(text)
        self.text = text
        self.format = parsed.format
        (coefficient, exponent) = Self.normalize(parsed.coefficient, parsed.exponent)
    }

    /// Parses a literal; a malformed literal is a programming error and traps.
    public init(stringLiteral value: String) {
        do {
            try self.init(value)
        } catch {
            preconditionFailure("invalid quantity literal \"\(value)\": \(error)")
        }
    }

    /// An integer amount in the given format, written canonically (`Quantity(1024, format: .binarySI)`
    /// is `1Ki`).
    public init(_ value: Int64, format: Format = .decimalSI) {
        (coefficient, exponent) = Self.normalize(Int128(value), 0)
        self.format = format
        self.text = Self.canonicalText(coefficient: coefficient, exponent: exponent, format: format)
    }

    /// An amount given as `milli / 1000`, written canonically in decimal SI (`Quantity(milli: 500)` is `500m`).
    public init(milli: Int64) {
        (coefficient, exponent) = Self.normalize(Int128(milli), -3)
        self.format = .decimalSI
        self.text = Self.canonicalText(coefficient: coefficient, exponent: exponent, format: .decimalSI)
    }

    /// Decodes a JSON string, or a JSON number (which the schema also allows).
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(JSONValue.self)
        let text: String
        switch value {
        case .string(let string): text = string
        case .int(let int): text = String(int)
        case .double(let double): text = String(double)
        default:
            throw DecodingError.typeMismatch(
                Quantity.self,
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected a quantity string, found \(value.serialized())"))
        }
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    /// Encodes ``text``, exactly as it was written.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// The text as written.
    public var description: String { text }

    /// The form Kubernetes stores and returns (see the type's documentation).
    public var canonical: String {
        Self.canonicalText(coefficient: coefficient, exponent: exponent, format: format)
    }

    /// The same amount with ``text`` set to the canonical form.
    public func canonicalized() -> Quantity {
        Quantity(coefficient: coefficient, exponent: exponent, format: format)
    }

    /// The amount as a `Double` (approximate for amounts a `Double` cannot hold exactly).
    public var doubleValue: Double {
        Double(coefficient) * pow10(exponent)
    }

    /// The amount in thousandths, rounded away from zero, as Kubernetes' `MilliValue()`; `nil` when it does not fit 64 bits.
    public var milliValue: Int64? { scaledValue(exponent: -3) }

    /// The amount rounded away from zero to an integer, as Kubernetes' `Value()`; `nil` when it does not fit 64 bits.
    public var value: Int64? { scaledValue(exponent: 0) }

    public static func == (lhs: Quantity, rhs: Quantity) -> Bool {
        lhs.coefficient == rhs.coefficient && lhs.exponent == rhs.exponent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(coefficient)
        hasher.combine(exponent)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool {
        QuantityArithmetic.compare(lhs.coefficient, lhs.exponent, rhs.coefficient, rhs.exponent) < 0
    }

    init(coefficient: Int128, exponent: Int, format: Format) {
        self.coefficient = coefficient
        self.exponent = exponent
        self.format = format
        self.text = Self.canonicalText(coefficient: coefficient, exponent: exponent, format: format)
    }

    /// Removes trailing zeros and rounds to nano units (Kubernetes keeps no finer precision).
    static func normalize(_ coefficient: Int128, _ exponent: Int) -> (Int128, Int) {
        var c = coefficient
        var e = exponent
        if e < -9 {
            c = QuantityArithmetic.divideRoundingUp(c, byPowerOfTen: -9 - e)
            e = -9
        }
        if c == 0 { return (0, 0) }
        while c % 10 == 0 {
            c /= 10
            e += 1
        }
        return (c, e)
    }

    private func scaledValue(exponent target: Int) -> Int64? {
        if exponent >= target {
            guard let scaled = QuantityArithmetic.multiply(coefficient, byPowerOfTen: exponent - target) else { return nil }
            return Int64(exactly: scaled)
        }
        return Int64(exactly: QuantityArithmetic.divideRoundingUp(coefficient, byPowerOfTen: target - exponent))
    }

    private func pow10(_ e: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(e) { result *= 10 }
        return e < 0 ? 1 / result : result
    }
}
