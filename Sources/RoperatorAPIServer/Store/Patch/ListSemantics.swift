import RoperatorClient

/// How a list field merges: replaced whole, as a set of values, or as a map of items by key fields.
/// Shared by strategic merge patch and server-side apply.
enum ListSemantics: Hashable {
    case atomic
    case set
    case map(keys: [String])

    /// The semantics of the list at `path` (field names only, list positions omitted) of a resource.
    ///
    /// Built-in kinds use the merge keys of the Kubernetes API; custom resources read
    /// `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` from their schema (metadata lists
    /// follow the built-in rules everywhere).
    static func of(path: [String], info: ResourceInfo) -> ListSemantics {
        if info.isCustom, path.first != "metadata" {
            return fromSchema(info.schema, path: path)
        }
        return builtIn(path: path)
    }

    static func builtIn(path: [String]) -> ListSemantics {
        guard let field = path.last else { return .atomic }
        let inContainer = path.contains { ["containers", "initContainers", "ephemeralContainers"].contains($0) }
        switch field {
        case "finalizers": return .set
        case "ownerReferences": return .map(keys: ["uid"])
        case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets",
            "resourceClaims":
            return .map(keys: ["name"])
        case "volumeMounts": return .map(keys: ["mountPath"])
        case "volumeDevices": return .map(keys: ["devicePath"])
        case "ports": return inContainer ? .map(keys: ["containerPort"]) : .map(keys: ["port"])
        case "conditions": return .map(keys: ["type"])
        case "hostAliases": return .map(keys: ["ip"])
        case "topologySpreadConstraints": return .map(keys: ["topologyKey"])
        default: return .atomic
        }
    }

    private static func fromSchema(_ schema: JSONValue?, path: [String]) -> ListSemantics {
        var node = schema
        for step in path {
            guard var current = node else { return .atomic }
            // Items of a list are described by `items`; the path leaves list positions out.
            while current["type"]?.stringValue == "array", let items = current["items"] { current = items }
            node = current[path: "properties", step] ?? current["additionalProperties"]
        }
        guard let list = node else { return .atomic }
        switch list["x-kubernetes-list-type"]?.stringValue {
        case "set": return .set
        case "map":
            let keys = list["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return keys.isEmpty ? .atomic : .map(keys: keys)
        default: return .atomic
        }
    }

    /// The key of a map-list item: its key fields as an object.
    static func itemKey(_ item: JSONValue, keys: [String]) -> JSONValue {
        var key: [String: JSONValue] = [:]
        for k in keys { if let v = item[k] { key[k] = v } }
        return .object(key)
    }
}
