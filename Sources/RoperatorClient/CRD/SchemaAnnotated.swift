/// Descriptions and validation for the fields of a type used in a custom resource, keyed by the
/// field's JSON name.
///
/// ```swift
/// extension EchoServerSpec: SchemaAnnotated {
///     static let schemaAnnotations: [String: FieldSchema] = [
///         "serviceName": FieldSchema("Name of the Service put in front of the echo server.", pattern: "^[a-z0-9-]+$"),
///         "replicas": FieldSchema("How many servers to run.", minimum: 1, maximum: 10),
///     ]
/// }
/// ```
public protocol SchemaAnnotated {
    /// Per-field annotations; fields not listed get only their derived schema.
    static var schemaAnnotations: [String: FieldSchema] { get }
    /// A description of the type itself. Default none.
    static var schemaDescription: String? { get }
}

extension SchemaAnnotated {
    public static var schemaDescription: String? { nil }
}

/// What a ``SchemaAnnotated`` type adds to one field's schema.
public struct FieldSchema: Sendable, Hashable {
    /// `description`.
    public var description: String?
    /// `minimum` (numbers).
    public var minimum: Double?
    /// `maximum` (numbers).
    public var maximum: Double?
    /// `pattern`, an ECMA 262 regular expression (strings).
    public var pattern: String?
    /// `minLength` (strings).
    public var minLength: Int?
    /// `maxLength` (strings).
    public var maxLength: Int?
    /// `minItems` (arrays).
    public var minItems: Int?
    /// `maxItems` (arrays).
    public var maxItems: Int?
    /// `default`, which the API server fills in when the field is absent.
    public var defaultValue: JSONValue?

    /// Annotations for one field; every part is optional.
    public init(
        _ description: String? = nil, minimum: Double? = nil, maximum: Double? = nil, pattern: String? = nil,
        minLength: Int? = nil, maxLength: Int? = nil, minItems: Int? = nil, maxItems: Int? = nil,
        defaultValue: JSONValue? = nil
    ) {
        self.description = description
        self.minimum = minimum
        self.maximum = maximum
        self.pattern = pattern
        self.minLength = minLength
        self.maxLength = maxLength
        self.minItems = minItems
        self.maxItems = maxItems
        self.defaultValue = defaultValue
    }

    /// Adds the annotations to `schema`, an object schema.
    func apply(to schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        func number(_ value: Double) -> JSONValue {
            value.rounded() == value && abs(value) < 1e15 ? .int(Int64(value)) : .double(value)
        }
        if let description { object["description"] = .string(description) }
        if let minimum { object["minimum"] = number(minimum) }
        if let maximum { object["maximum"] = number(maximum) }
        if let pattern { object["pattern"] = .string(pattern) }
        if let minLength { object["minLength"] = .int(Int64(minLength)) }
        if let maxLength { object["maxLength"] = .int(Int64(maxLength)) }
        if let minItems { object["minItems"] = .int(Int64(minItems)) }
        if let maxItems { object["maxItems"] = .int(Int64(maxItems)) }
        if let defaultValue { object["default"] = defaultValue }
        return .object(object)
    }
}
