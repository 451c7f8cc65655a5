package import RoperatorClient

/// The Kubernetes 1.33 schemas of every built-in type, parsed once from the generated data in
/// `BuiltInDefinitions+Data.swift` (see `Scripts/generate-builtin-schemas.py`).
///
/// The store walks them on writes (decoding checks, unknown fields, quantities), strategic merge
/// patch and server-side apply read list semantics from them, and the OpenAPI documents serve them.
///
/// ```swift
/// let definitions = BuiltInDefinitions.shared
/// let deployment = definitions.rootType(group: "apps", version: "v1", kind: "Deployment")
/// ```
package struct BuiltInDefinitions: Sendable {
    /// Parsed on first use: the server pays for it once per process.
    package static let shared = BuiltInDefinitions()

    /// The definitions as served in OpenAPI v2 (`#/definitions/<name>` references).
    package let json: [String: JSONValue]
    /// Every definition by name.
    package let types: [String: SchemaType]
    /// The definition name of each group-version-kind.
    package let names: [GroupVersionKind: String]

    /// A group, version and kind.
    package struct GroupVersionKind: Sendable, Hashable {
        package var group: String
        package var version: String
        package var kind: String

        package init(group: String, version: String, kind: String) {
            self.group = group
            self.version = version
            self.kind = kind
        }
    }

    private init() {
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: Self.definitionsJSON)
        } catch {
            preconditionFailure("the generated built-in definitions are not JSON: \(error)")
        }
        let definitions = parsed.objectValue ?? [:]
        json = definitions
        var types: [String: SchemaType] = [:]
        var names: [GroupVersionKind: String] = [:]
        for (name, definition) in definitions {
            types[name] = Self.parse(definition, name: name)
            for gvk in definition["x-kubernetes-group-version-kind"]?.arrayValue ?? [] {
                guard let kind = gvk["kind"]?.stringValue, let version = gvk["version"]?.stringValue else { continue }
                names[GroupVersionKind(group: gvk["group"]?.stringValue ?? "", version: version, kind: kind)] = name
            }
        }
        self.types = types
        self.names = names
    }

    /// The schema of a kind's objects, `nil` for kinds without a built-in definition.
    package func rootType(group: String, version: String, kind: String) -> SchemaType? {
        guard let name = names[GroupVersionKind(group: group, version: version, kind: kind)] else { return nil }
        return types[name]
    }

    /// Follows references until a concrete node.
    package func resolve(_ type: SchemaType) -> SchemaType {
        var current = type
        while case .ref(let name) = current {
            guard let next = types[name] else { return .any }
            current = next
        }
        return current
    }

    /// The node at a path of field names (list positions left out) below `root`.
    package func type(at path: some Collection<String>, from root: SchemaType) -> SchemaType? {
        var node = resolve(root)
        for step in path {
            while case .array(let list) = node { node = resolve(list.items) }
            switch node {
            case .object(let object):
                guard let next = object.properties[step] else { return nil }
                node = resolve(next)
            case .map(let values, _):
                node = resolve(values)
            default:
                return nil
            }
        }
        return node
    }

    private static let quantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity"
    private static let intOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"

    private static func parse(_ node: JSONValue, name: String? = nil) -> SchemaType {
        if name == quantityName { return .quantity }
        if name == intOrStringName { return .intOrString }
        if let ref = node["$ref"]?.stringValue {
            let target = String(ref.dropFirst("#/definitions/".count))
            switch target {
            case quantityName: return .quantity
            case intOrStringName: return .intOrString
            default: return .ref(target)
            }
        }
        switch node["type"]?.stringValue {
        case "object":
            if let properties = node["properties"]?.objectValue {
                return .object(
                    ObjectSchema(
                        goName: name.map { String($0.split(separator: ".").last ?? "") } ?? "",
                        properties: properties.mapValues { parse($0) },
                        required: node["required"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        isAtomic: node["x-kubernetes-map-type"]?.stringValue == "atomic",
                        preservesUnknownFields: node["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false))
            }
            if let values = node["additionalProperties"], values.objectValue != nil {
                return .map(parse(values), mapType: node["x-kubernetes-map-type"]?.stringValue)
            }
            return .any
        case "array":
            return .array(
                ArraySchema(
                    items: node["items"].map { parse($0) } ?? .any,
                    listType: node["x-kubernetes-list-type"]?.stringValue,
                    listMapKeys: node["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    patchStrategy: node["x-kubernetes-patch-strategy"]?.stringValue,
                    patchMergeKey: node["x-kubernetes-patch-merge-key"]?.stringValue))
        case "string":
            return node["format"]?.stringValue == "int-or-string" ? .intOrString : .string(format: node["format"]?.stringValue)
        case "integer":
            return .integer(bits: node["format"]?.stringValue == "int32" ? 32 : 64)
        case "number":
            return .number
        case "boolean":
            return .boolean
        default:
            return .any
        }
    }
}

extension BuiltInDefinitions {
    /// `ObjectMeta`, the metadata of every kind.
    package static let objectMeta = SchemaType.ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
}

extension ResourceInfo {
    /// The built-in schema of this kind's objects; `nil` for custom resources and kinds the
    /// Kubernetes 1.33 definitions do not have.
    package var builtInRootType: SchemaType? {
        guard !isCustom else { return nil }
        return BuiltInDefinitions.shared.rootType(group: group, version: version, kind: kind)
    }
}
