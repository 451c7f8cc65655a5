import RoperatorClient

/// Writes OpenAPI v2 schema nodes (JSON, `#/definitions/<name>` references) as gnostic's
/// `openapi.v2.Schema` messages, keeping what clients read from `/openapi/v2`: `$ref`, `type`,
/// `format`, `description`, `required`, `properties`, `items`, `additionalProperties` and the
/// `x-` vendor extensions (group-version-kind, list and patch semantics).
///
/// Nodes kube-openapi's parser refuses are written as it accepts them: an `array` without
/// `items`, several types or an int-or-string node lose their `type` (any value), as
/// kube-apiserver publishes custom resource schemas in v2.
enum OpenAPIV2Schema {
    // Field numbers of gnostic's OpenAPIv2.proto.
    enum Field {
        static let ref = 1, format = 2, description = 4, required = 19, additionalProperties = 21, type = 22, items = 23
        static let properties = 25, vendorExtension = 31
        static let additionalPropertiesSchema = 1, additionalPropertiesBoolean = 2
        static let typeValue = 1, itemsSchema = 1, propertiesNamed = 1
        static let namedName = 1, namedValue = 2
        static let anyYAML = 2
    }

    static let definitionsPrefix = "#/definitions/"

    /// One `Schema` message.
    ///
    /// - Parameters:
    ///   - description: replaces the node's own `description` (the built-in definitions keep theirs apart).
    ///   - propertyDescriptions: descriptions of the node's direct properties, by name.
    ///   - references: receives the names of the definitions referred to.
    static func write(
        _ node: JSONValue, description: String? = nil, propertyDescriptions: [String: String] = [:], to writer: inout ProtobufWriter,
        references: inout [String]
    ) {
        guard case .object(let members) = node else { return }
        if let ref = members["$ref"]?.stringValue {
            if ref.hasPrefix(definitionsPrefix) { references.append(String(ref.dropFirst(definitionsPrefix.count))) }
            writer.string(Field.ref, ref)
            writer.string(Field.description, description ?? members["description"]?.stringValue ?? "")
            return
        }
        writer.string(Field.format, members["format"]?.stringValue ?? "")
        writer.string(Field.description, description ?? members["description"]?.stringValue ?? "")
        for name in members["required"]?.arrayValue ?? [] {
            if let name = name.stringValue { writer.string(Field.required, name) }
        }
        switch members["additionalProperties"] {
        case .object?:
            writer.message(Field.additionalProperties) { item in
                item.message(Field.additionalPropertiesSchema) { write(members["additionalProperties"]!, to: &$0, references: &references) }
            }
        case .bool(true)?:
            writer.message(Field.additionalProperties) { $0.bool(Field.additionalPropertiesBoolean, true) }
        default:
            break
        }
        if let type = schemaType(members) {
            writer.message(Field.type) { $0.string(Field.typeValue, type) }
        }
        if type(members) == "array", let items = members["items"], items.objectValue != nil {
            writer.message(Field.items) { item in
                item.message(Field.itemsSchema) { write(items, to: &$0, references: &references) }
            }
        }
        if let properties = members["properties"]?.objectValue {
            writer.message(Field.properties) { named in
                for name in properties.keys.sorted() {
                    named.message(Field.propertiesNamed) { property in
                        property.string(Field.namedName, name)
                        property.message(Field.namedValue) {
                            write(properties[name]!, description: propertyDescriptions[name], to: &$0, references: &references)
                        }
                    }
                }
            }
        }
        for key in members.keys.sorted() where key.hasPrefix("x-") {
            vendorExtension(key, members[key]!, to: &writer, field: Field.vendorExtension)
        }
    }

    /// A `NamedAny` vendor extension; the value is written as YAML (in JSON's flow form, which is YAML).
    static func vendorExtension(_ name: String, _ value: JSONValue, to writer: inout ProtobufWriter, field: Int) {
        writer.message(field) { named in
            named.string(Field.namedName, name)
            named.message(Field.namedValue) { $0.string(Field.anyYAML, value.serialized() + "\n") }
        }
    }

    private static func type(_ members: [String: JSONValue]) -> String? {
        members["type"]?.stringValue
    }

    /// The type to publish, `nil` where kube-openapi would refuse the node's own.
    private static func schemaType(_ members: [String: JSONValue]) -> String? {
        guard let type = type(members) else { return nil }
        if members["x-kubernetes-int-or-string"]?.boolValue == true { return nil }
        if type == "array", members["items"]?.objectValue == nil { return nil }
        return type
    }
}
