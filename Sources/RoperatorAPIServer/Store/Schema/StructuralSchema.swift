package import RoperatorClient

/// A CustomResourceDefinition version's `openAPIV3Schema`, parsed once when the CRD is registered,
/// in the form the store needs to prune unknown fields, apply defaults and validate writes as a real
/// API server does.
///
/// Parsing is lenient: keywords it does not know (`format`, `x-kubernetes-validations`, `description`
/// ...) are ignored, so a schema a real server accepts never makes a CRD unservable here.
///
/// ```swift
/// let schema = StructuralSchema(parsing: ["type": "object", "properties": ["spec": ["type": "object"]]])
/// let pruned = schema.pruned(object, isRoot: true, defaulting: true)
/// let problems = schema.validationCauses(pruned, old: nil)
/// ```
package struct StructuralSchema: Sendable, Hashable {
    /// The allowed JSON types (`type`); empty means any.
    package var types: [String] = []
    /// `nullable: true`.
    package var nullable = false
    /// `properties`.
    package var properties: [String: StructuralSchema] = [:]
    /// `additionalProperties: true`: every key is kept as is.
    package var allowsAdditionalProperties = false
    /// `x-kubernetes-preserve-unknown-fields: true`.
    package var preservesUnknownFields = false
    /// `x-kubernetes-embedded-resource: true`: `apiVersion`, `kind` and `metadata` are implied.
    package var isEmbeddedResource = false
    /// `x-kubernetes-int-or-string: true`.
    package var isIntOrString = false
    /// `required`.
    package var required: [String] = []
    /// `enum`.
    package var enumValues: [JSONValue]?
    /// `default`.
    package var defaultValue: JSONValue?
    package var minimum: Double?
    package var maximum: Double?
    package var exclusiveMinimum = false
    package var exclusiveMaximum = false
    package var multipleOf: Double?
    package var minLength: Int?
    package var maxLength: Int?
    package var pattern: String?
    package var minItems: Int?
    package var maxItems: Int?
    package var minProperties: Int?
    package var maxProperties: Int?
    /// `allOf`, `anyOf`, `oneOf`: value validations only (structural schemas may not add fields there).
    package var allOf: [StructuralSchema] = []
    package var anyOf: [StructuralSchema] = []
    package var oneOf: [StructuralSchema] = []
    // A struct cannot hold itself directly; zero or one element each.
    private var itemsStorage: [StructuralSchema] = []
    private var additionalStorage: [StructuralSchema] = []
    private var notStorage: [StructuralSchema] = []

    /// `items`.
    package var items: StructuralSchema? {
        get { itemsStorage.first }
        set { itemsStorage = newValue.map { [$0] } ?? [] }
    }

    /// `additionalProperties` when it is a schema.
    package var additionalProperties: StructuralSchema? {
        get { additionalStorage.first }
        set { additionalStorage = newValue.map { [$0] } ?? [] }
    }

    /// `not`.
    package var not: StructuralSchema? {
        get { notStorage.first }
        set { notStorage = newValue.map { [$0] } ?? [] }
    }

    /// A schema that allows anything and prunes nothing.
    package init() {}

    /// Parses an OpenAPI v3 schema object as a CRD carries it.
    ///
    /// - Parameter json: the `openAPIV3Schema` (or any node below it).
    package init(parsing json: JSONValue) {
        guard let node = json.objectValue else { return }
        switch node["type"] {
        case .string(let t)?: types = t.isEmpty ? [] : [t]
        case .array(let ts)?: types = ts.compactMap(\.stringValue)
        default: break
        }
        nullable = node["nullable"]?.boolValue ?? false
        if let props = node["properties"]?.objectValue {
            properties = props.mapValues(StructuralSchema.init(parsing:))
        }
        switch node["additionalProperties"] {
        case .bool(let allowed)?: allowsAdditionalProperties = allowed
        case .object(let o)?: additionalProperties = StructuralSchema(parsing: .object(o))
        default: break
        }
        if let itemsJSON = node["items"] {
            // A list of schemas (tuple form) is not structural; its first entry is the closest meaning.
            items = StructuralSchema(parsing: itemsJSON.arrayValue?.first ?? itemsJSON)
        }
        preservesUnknownFields = node["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        isEmbeddedResource = node["x-kubernetes-embedded-resource"]?.boolValue ?? false
        isIntOrString = node["x-kubernetes-int-or-string"]?.boolValue ?? false
        required = node["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        enumValues = node["enum"]?.arrayValue
        defaultValue = node["default"]
        minimum = node["minimum"]?.doubleValue
        maximum = node["maximum"]?.doubleValue
        exclusiveMinimum = node["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = node["exclusiveMaximum"]?.boolValue ?? false
        multipleOf = node["multipleOf"]?.doubleValue
        minLength = node["minLength"]?.intValue.map(Int.init)
        maxLength = node["maxLength"]?.intValue.map(Int.init)
        pattern = node["pattern"]?.stringValue
        minItems = node["minItems"]?.intValue.map(Int.init)
        maxItems = node["maxItems"]?.intValue.map(Int.init)
        minProperties = node["minProperties"]?.intValue.map(Int.init)
        maxProperties = node["maxProperties"]?.intValue.map(Int.init)
        allOf = node["allOf"]?.arrayValue?.map(StructuralSchema.init(parsing:)) ?? []
        anyOf = node["anyOf"]?.arrayValue?.map(StructuralSchema.init(parsing:)) ?? []
        oneOf = node["oneOf"]?.arrayValue?.map(StructuralSchema.init(parsing:)) ?? []
        not = node["not"].map(StructuralSchema.init(parsing:))
    }

    /// Whether nothing below this node is ever pruned.
    var prunesNothing: Bool {
        preservesUnknownFields && properties.isEmpty && additionalProperties == nil && items == nil
    }
}

extension StructuralSchema {
    /// `{type: object, x-kubernetes-preserve-unknown-fields: true}`: the permissive root the
    /// TestKit's CRDs use, which neither prunes nor rejects anything.
    static let preserveEverything: StructuralSchema = {
        var s = StructuralSchema()
        s.types = ["object"]
        s.preservesUnknownFields = true
        return s
    }()
}
