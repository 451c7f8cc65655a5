import RoperatorClient

/// How a list field merges: replaced whole, as a set of values, or as a map of items by key fields.
/// Strategic merge patch and server-side apply read it from different schema extensions.
enum ListSemantics: Hashable {
    case atomic
    case set
    case map(keys: [String])

    /// How server-side apply merges the list at `path` (field names only, list positions omitted)
    /// of a resource.
    ///
    /// Built-in kinds read `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` from the
    /// Kubernetes schemas; custom resources from their CRD's schema (their metadata lists from
    /// the built-in `ObjectMeta`).
    static func of(path: [String], info: ResourceInfo) -> ListSemantics {
        if info.isCustom, path.first != "metadata" {
            return fromSchema(info.schema, path: path)
        }
        guard case .array(let list)? = builtInNode(path: path, info: info) else { return .atomic }
        switch list.listType {
        case "set": return .set
        case "map": return list.listMapKeys.isEmpty ? .atomic : .map(keys: list.listMapKeys)
        default: return .atomic
        }
    }

    /// How strategic merge patch merges the list at `path` of a built-in kind: by its
    /// `x-kubernetes-patch-merge-key` when the strategy is `merge`, as a set of values when it is
    /// `merge` without a key, else replaced whole.
    static func strategic(path: [String], info: ResourceInfo) -> ListSemantics {
        guard case .array(let list)? = builtInNode(path: path, info: info),
            let strategy = list.patchStrategy, strategy.split(separator: ",").contains("merge")
        else { return .atomic }
        if let key = list.patchMergeKey { return .map(keys: [key]) }
        return .set
    }

    /// The built-in schema node at `path`: the kind's own definition, or `ObjectMeta` for the
    /// metadata of kinds without one.
    static func builtInNode(path: [String], info: ResourceInfo) -> SchemaType? {
        let definitions = BuiltInDefinitions.shared
        if let root = info.builtInRootType { return definitions.type(at: path, from: root) }
        guard path.first == "metadata" else { return nil }
        return definitions.type(at: path.dropFirst(), from: BuiltInDefinitions.objectMeta)
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

    /// The key of a map-list item: its key fields as an object. A `protocol` key the item leaves
    /// out counts as its default, `TCP`, as the server defaults it: an applied port without a
    /// protocol is the stored port with `protocol: TCP`.
    static func itemKey(_ item: JSONValue, keys: [String]) -> JSONValue {
        var key: [String: JSONValue] = [:]
        for k in keys { if let v = item[k] { key[k] = v } }
        if keys.count > 1, keys.contains("protocol"), key["protocol"] == nil { key["protocol"] = "TCP" }
        return .object(key)
    }
}
