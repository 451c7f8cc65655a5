package import RoperatorClient

extension BuiltInDefinitions {
    /// The definitions `names` refer to, directly or through others, with `names` themselves, in
    /// OpenAPI v3 form (`#/components/schemas/<name>` references) for an OpenAPI v3 document's
    /// `components.schemas`.
    package func openAPIV3Schemas(closureOf names: [String]) -> [String: JSONValue] {
        let converted = Self.openAPIV3
        var schemas: [String: JSONValue] = [:]
        var pending = names
        while let name = pending.popLast() {
            guard schemas[name] == nil, let definition = converted[name] else { continue }
            schemas[name] = definition.schema
            pending += definition.references.filter { schemas[$0] == nil }
        }
        return schemas
    }

    /// Every definition in OpenAPI v3 form with the names it refers to, converted once per process:
    /// documents are built per server and per change of its CRDs, on the shared event loops.
    private static let openAPIV3: [String: (schema: JSONValue, references: [String])] = {
        var converted: [String: (schema: JSONValue, references: [String])] = [:]
        for (name, definition) in shared.json {
            var references: [String] = []
            let schema = v3(definition, references: &references)
            converted[name] = (schema, references)
        }
        return converted
    }()

    private static let v2Prefix = "#/definitions/"

    /// One schema node with its references rewritten, collecting the names referred to.
    private static func v3(_ node: JSONValue, references: inout [String]) -> JSONValue {
        switch node {
        case .object(var members):
            if let ref = members["$ref"]?.stringValue, ref.hasPrefix(v2Prefix) {
                let name = String(ref.dropFirst(v2Prefix.count))
                references.append(name)
                members["$ref"] = .string("#/components/schemas/" + name)
                return .object(members)
            }
            if members["format"]?.stringValue == "int-or-string" {
                // OpenAPI v3 spells int-or-string as kube-apiserver does.
                return ["x-kubernetes-int-or-string": true, "anyOf": [["type": "integer"], ["type": "string"]]]
            }
            for key in ["properties"] {
                if let properties = members[key]?.objectValue {
                    members[key] = .object(properties.mapValues { v3($0, references: &references) })
                }
            }
            for key in ["items", "additionalProperties"] where members[key]?.objectValue != nil {
                members[key] = v3(members[key]!, references: &references)
            }
            return .object(members)
        default:
            return node
        }
    }
}
