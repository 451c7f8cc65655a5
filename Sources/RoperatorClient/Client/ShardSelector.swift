import Foundation

/// A server-side shard selector (KEP-5866, `shardSelector` on lists and watches): objects whose
/// 64-bit FNV-1a hash of a field falls in one of some half-open ranges.
///
/// The wire form is `shardRange(object.metadata.uid, '0x0', '0x8000000000000000') || shardRange(…)`:
/// only `shardRange` and `||`, bounds in single quotes with a `0x` prefix, lower bound inclusive,
/// upper bound exclusive, the whole space being `[0x0, 0x10000000000000000)`. The supported fields
/// are `object.metadata.uid` and `object.metadata.namespace`.
///
/// ```swift
/// let half = ShardSelector(ranges: [ShardSelector.Range(lower: 0, upper: 1 << 63)])
/// let mine = try await client.list(.configMap, shardSelector: half.expression)
/// ```
public struct ShardSelector: Sendable, Hashable, CustomStringConvertible {
    /// The hashed field.
    public enum Field: String, Sendable, Hashable {
        case uid = "object.metadata.uid"
        case namespace = "object.metadata.namespace"
    }

    /// `[lower, upper)` over the hash space; `upper == nil` means 2^64 (the end of the space).
    public struct Range: Sendable, Hashable {
        public var lower: UInt64
        /// Exclusive; `nil` for 2^64.
        public var upper: UInt64?

        /// A range `[lower, upper)`; `upper` `nil` is 2^64.
        public init(lower: UInt64, upper: UInt64?) {
            self.lower = lower
            self.upper = upper
        }

        /// Whether `hash` is in the range.
        public func contains(_ hash: UInt64) -> Bool {
            hash >= lower && (upper.map { hash < $0 } ?? true)
        }
    }

    /// The hashed field.
    public var field: Field
    /// The ranges, any of which selects an object; empty selects nothing.
    public var ranges: [Range]

    /// A selector over `field` (the UID unless told).
    public init(field: Field = .uid, ranges: [Range]) {
        self.field = field
        self.ranges = ranges
    }

    /// The 64-bit FNV-1a hash of `text`'s UTF-8 bytes, as the API server computes it.
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// Whether an object with this UID and namespace is selected.
    public func matches(uid: String, namespace: String?) -> Bool {
        let value = field == .uid ? uid : (namespace ?? "")
        let hash = Self.hash(value)
        return ranges.contains { $0.contains(hash) }
    }

    /// The wire form (`shardRange(…) || shardRange(…)`).
    public var expression: String {
        ranges.map { range in
            let upper = range.upper.map(Self.hex) ?? "0x10000000000000000"
            return "shardRange(\(field.rawValue), '\(Self.hex(range.lower))', '\(upper)')"
        }.joined(separator: " || ")
    }

    public var description: String { expression }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Parses the wire form.
    ///
    /// - Throws: ``ShardSelectorError`` naming what is wrong: an unknown function or field, a bound
    ///   without `0x` or not hexadecimal, above 2^64, or a lower bound not below the upper one.
    public init(parsing text: String) throws(ShardSelectorError) {
        var field: Field?
        var ranges: [Range] = []
        let terms = text.components(separatedBy: "||")
        for raw in terms {
            let term = raw.trimmingCharacters(in: .whitespaces)
            guard term.hasPrefix("shardRange("), term.hasSuffix(")") else {
                throw ShardSelectorError("expected shardRange(field, 'start', 'end'), got '\(term)'")
            }
            let inner = term.dropFirst("shardRange(".count).dropLast()
            let arguments = inner.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard arguments.count == 3 else { throw ShardSelectorError("shardRange takes 3 arguments, got \(arguments.count)") }
            guard let termField = Field(rawValue: arguments[0]) else {
                throw ShardSelectorError("unsupported field '\(arguments[0])': use object.metadata.uid or object.metadata.namespace")
            }
            if let field, field != termField { throw ShardSelectorError("all shardRange terms must hash the same field") }
            field = termField
            let lower = try Self.bound(arguments[1])
            let upper = try Self.bound(arguments[2])
            guard let lowerValue = lower else { throw ShardSelectorError("start \(arguments[1]) is beyond 2^64 - 1") }
            if let upper, upper <= lowerValue { throw ShardSelectorError("start must be below end in \(term)") }
            ranges.append(Range(lower: lowerValue, upper: upper))
        }
        self.init(field: field ?? .uid, ranges: ranges)
    }

    /// A bound: `nil` for exactly 2^64.
    private static func bound(_ text: String) throws(ShardSelectorError) -> UInt64? {
        var literal = Substring(text)
        if literal.count >= 2, let quote = literal.first, quote == "'" || quote == "\"", literal.last == quote {
            literal = literal.dropFirst().dropLast()
        }
        guard literal.hasPrefix("0x") || literal.hasPrefix("0X") else {
            throw ShardSelectorError("bound '\(text)' needs a 0x prefix")
        }
        var digits = literal.dropFirst(2).drop { $0 == "0" }
        if digits.isEmpty { digits = "0" }
        if digits.count == 17, digits.first == "1", digits.dropFirst().allSatisfy({ $0 == "0" }) { return nil }
        guard digits.count <= 16, let value = UInt64(digits, radix: 16) else {
            throw ShardSelectorError("bound '\(text)' is not a hexadecimal number up to 0x10000000000000000")
        }
        return value
    }
}

/// A shard selector that cannot be parsed.
public struct ShardSelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { "invalid shardSelector: \(message)" }
}
