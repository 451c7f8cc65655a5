package import RoperatorClient

extension StructuralSchema {
    /// Fields a resource root (and an embedded resource) always keeps: the server, not the schema,
    /// decides about them.
    static let resourceFields: Set<String> = ["apiVersion", "kind", "metadata"]

    /// The value with every field the schema does not describe removed, as a real server does before
    /// storing a custom resource.
    ///
    /// - Parameters:
    ///   - value: the object (or any value below it).
    ///   - isRoot: whether `value` is a whole resource: `apiVersion`, `kind` and `metadata` are kept.
    ///   - defaulting: also drop `null` from non-nullable fields and fill in `default`s of absent
    ///     properties (request bodies); `false` for a server-side apply configuration, whose fields
    ///     are exactly what the manager owns.
    /// The paths (`spec.foo`, `spec.items[2].bar`) of the fields ``pruned(_:isRoot:defaulting:)``
    /// would drop as unknown, for `fieldValidation=Strict`.
    package func unknownFields(_ value: JSONValue, isRoot: Bool = false, path: String = "") -> [String] {
        switch value {
        case .object(let members):
            if prunesNothing { return [] }
            let keepsResourceFields = isRoot || isEmbeddedResource
            var unknown: [String] = []
            for (key, child) in members.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if keepsResourceFields, Self.resourceFields.contains(key) { continue }
                if let schema = properties[key] ?? additionalProperties {
                    unknown += schema.unknownFields(child, path: childPath)
                } else if !(allowsAdditionalProperties || preservesUnknownFields) {
                    unknown.append(childPath)
                }
            }
            return unknown
        case .array(let elements):
            guard let items else { return [] }
            return elements.enumerated().flatMap { items.unknownFields($1, path: "\(path)[\($0)]") }
        default:
            return []
        }
    }

    package func pruned(_ value: JSONValue, isRoot: Bool = false, defaulting: Bool) -> JSONValue {
        switch value {
        case .object(let members):
            if prunesNothing { return value }
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(members.count)
            let keepsResourceFields = isRoot || isEmbeddedResource
            for (key, child) in members {
                if keepsResourceFields, Self.resourceFields.contains(key) {
                    out[key] = child
                } else if let schema = properties[key] ?? additionalProperties {
                    // A null in a non-nullable field is dropped (and then defaulted), not rejected.
                    if defaulting, child.isNull, !schema.nullable { continue }
                    out[key] = schema.pruned(child, defaulting: defaulting)
                } else if allowsAdditionalProperties || preservesUnknownFields {
                    out[key] = child
                }
            }
            if defaulting {
                for (key, schema) in properties where out[key] == nil {
                    if let defaultValue = schema.defaultValue, !(keepsResourceFields && Self.resourceFields.contains(key)) {
                        out[key] = schema.pruned(defaultValue, defaulting: true)
                    }
                }
            }
            return .object(out)
        case .array(let elements):
            guard let items else { return value }
            return .array(elements.map { items.pruned($0, defaulting: defaulting) })
        default:
            return value
        }
    }
}
