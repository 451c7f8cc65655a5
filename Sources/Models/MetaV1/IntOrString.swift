import RoperatorClient

/// `intstr.IntOrString`: a field that holds either a 32-bit integer or a string (e.g. a port
/// number or a port name, a count or a percentage).
///
/// ```swift
/// let port: IntOrString = 8080
/// let named: IntOrString = "http"
/// let surge: IntOrString = "25%"
/// ```
public enum IntOrString: Codable, Sendable, Hashable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByStringLiteral
{
    /// An integer value; JSON number.
    case int(Int32)
    /// A string value; JSON string.
    case string(String)

    public init(integerLiteral value: Int32) { self = .int(value) }

    public init(stringLiteral value: String) { self = .string(value) }

    /// Decodes a JSON number (which must fit 32 bits) or a JSON string.
    ///
    /// - Throws: `DecodingError.typeMismatch` for anything else.
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(JSONValue.self)
        if let text = value.stringValue {
            self = .string(text)
        } else if let number = value.intValue, let int32 = Int32(exactly: number) {
            self = .int(int32)
        } else {
            throw DecodingError.typeMismatch(
                IntOrString.self,
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected a 32-bit integer or a string, found \(value.serialized())"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let value): try c.encode(value)
        case .string(let value): try c.encode(value)
        }
    }

    /// The integer, or `nil` for a string.
    public var intValue: Int32? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The string, or `nil` for an integer.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as written in JSON, without quotes.
    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .string(let value): return value
        }
    }
}
