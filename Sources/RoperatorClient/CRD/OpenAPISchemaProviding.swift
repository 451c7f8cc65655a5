/// A type that states its own OpenAPI v3 schema instead of having it derived from its
/// `Decodable` conformance: `Quantity`, `IntOrString`, times, and ``JSONValue`` (any JSON).
public protocol OpenAPISchemaProviding: Decodable {
    /// The type's schema, e.g. `{"type": "string", "format": "date-time"}`.
    static var openAPISchema: JSONValue { get }
    /// Any valid value, handed to the containing type's decoder while its schema is derived.
    static var schemaExample: Self { get }
}

extension JSONValue: OpenAPISchemaProviding {
    /// Any JSON value: `x-kubernetes-preserve-unknown-fields` keeps whatever is stored.
    public static var openAPISchema: JSONValue { ["x-kubernetes-preserve-unknown-fields": true] }
    public static var schemaExample: JSONValue { .null }
}
