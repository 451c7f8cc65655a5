import RoperatorClient

/// The built-in definitions of `/openapi/v2`, each encoded once per process as a gnostic
/// `NamedSchema` message with its description and its fields' descriptions, so that a document is
/// put together by concatenating bytes: the set of served kinds changes with every CRD, the
/// Kubernetes schemas never do.
enum OpenAPIV2Definitions {
    /// One encoded definition and the names of the definitions it refers to.
    struct Encoded: Sendable {
        var namedSchema: [UInt8]
        var references: [String]
    }

    /// Every built-in definition, encoded on first use (the first `/openapi/v2` request), not
    /// when a server starts.
    static let builtIn: [String: Encoded] = {
        let descriptions = BuiltInDefinitions.shared.descriptions
        var encoded: [String: Encoded] = [:]
        var definitions = BuiltInDefinitions.shared.json
        definitions[patchName] = patchSchema
        for (name, definition) in definitions {
            let own = descriptions[name] ?? [:]
            var references: [String] = []
            var named = ProtobufWriter()
            named.string(OpenAPIV2Schema.Field.namedName, name)
            named.message(OpenAPIV2Schema.Field.namedValue) {
                OpenAPIV2Schema.write(
                    definition, description: own[""], propertyDescriptions: own, to: &$0, references: &references)
            }
            encoded[name] = Encoded(namedSchema: named.bytes, references: references)
        }
        return encoded
    }()

    /// `names` and every built-in definition they refer to, directly or through others.
    static func closure(of names: [String]) -> [String: Encoded] {
        let all = builtIn
        var found: [String: Encoded] = [:]
        var pending = names
        while let name = pending.popLast() {
            guard found[name] == nil, let definition = all[name] else { continue }
            found[name] = definition
            pending += definition.references.filter { found[$0] == nil }
        }
        return found
    }

    /// The request body of a patch, which has no schema of its own.
    static let patchName = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"
    private static let patchSchema: JSONValue = [
        "type": "object",
        "description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
    ]
}

extension BuiltInDefinitions {
    /// The descriptions of the built-in definitions: per definition name, its own under `""` and
    /// each property's under the property's name. Parsed on first use: only `/openapi/v2` serves them.
    var descriptions: [String: [String: String]] { Self.parsedDescriptions }

    private static let parsedDescriptions: [String: [String: String]] = {
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: descriptionsJSON)
        } catch {
            preconditionFailure("the generated built-in descriptions are not JSON: \(error)")
        }
        return (parsed.objectValue ?? [:]).mapValues { entry in
            (entry.objectValue ?? [:]).compactMapValues(\.stringValue)
        }
    }()
}
