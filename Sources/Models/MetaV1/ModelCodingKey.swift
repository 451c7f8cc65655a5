/// The coding key of every generated model: a JSON member name written as a string literal.
///
/// One shared key type instead of a `CodingKeys` enum per model keeps the generated code small and
/// quick to compile.
public struct ModelCodingKey: CodingKey, ExpressibleByStringLiteral, Sendable {
    public let stringValue: String

    public init(stringValue: String) { self.stringValue = stringValue }

    public init(stringLiteral value: String) { self.stringValue = value }

    /// Models have no integer keys.
    public var intValue: Int? { nil }

    /// Models have no integer keys.
    public init?(intValue: Int) { nil }
}
