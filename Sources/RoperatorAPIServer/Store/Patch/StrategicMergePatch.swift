import RoperatorClient

/// Kubernetes strategic merge patch for built-in kinds: merge patch semantics, except that lists
/// with a merge key merge item by item, `finalizers` merge as a set, and the `$patch`,
/// `$deleteFromPrimitiveList/…`, `$setElementOrder/…` and `$retainKeys` directives are understood.
enum StrategicMergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue, info: ResourceInfo) throws(APIError) -> JSONValue {
        try merge(patch, into: target, path: [], info: info)
    }

    private static func merge(_ patch: JSONValue, into target: JSONValue, path: [String], info: ResourceInfo)
        throws(APIError) -> JSONValue
    {
        guard case .object(let members) = patch else { return patch }
        if let directive = members["$patch"]?.stringValue {
            switch directive {
            case "replace":
                var replaced = members
                replaced["$patch"] = nil
                return try stripDirectives(.object(replaced))
            case "delete":
                return .null
            case "merge":
                break
            default:
                throw .badRequest("Unknown patch type: \(directive)")
            }
        }
        var result = target.objectValue ?? [:]
        for (key, value) in members {
            if key == "$patch" || key == "$retainKeys" || key.hasPrefix("$setElementOrder/") { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                guard let drop = value.arrayValue else {
                    throw .badRequest("invalid patch: $deleteFromPrimitiveList/\(field) must be a list")
                }
                if let current = result[field]?.arrayValue {
                    let kept = current.filter { !drop.contains($0) }
                    result[field] = kept.isEmpty ? JSONValue?.none : .array(kept)
                }
                continue
            }
            if value.isNull {
                result[key] = nil
                continue
            }
            if value["$patch"]?.stringValue == "delete" {
                result[key] = nil
                continue
            }
            let childPath = path + [key]
            switch value {
            case .object:
                let merged = try merge(value, into: result[key] ?? .null, path: childPath, info: info)
                result[key] = merged.isNull ? JSONValue?.none : merged
            case .array(let items):
                result[key] = try mergeList(items, into: result[key]?.arrayValue ?? [], path: childPath, info: info)
            default:
                result[key] = value
            }
        }
        if let retain = members["$retainKeys"]?.arrayValue?.compactMap(\.stringValue) {
            let keep = Set(retain)
            for key in result.keys where !keep.contains(key) && members[key] == nil { result[key] = nil }
        }
        return .object(result)
    }

    private static func mergeList(_ patch: [JSONValue], into current: [JSONValue], path: [String], info: ResourceInfo)
        throws(APIError) -> JSONValue
    {
        // A list item `{"$patch": "replace"}` replaces the whole list with the other items.
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return try stripDirectives(.array(patch.filter { $0["$patch"]?.stringValue != "replace" }))
        }
        switch ListSemantics.builtIn(path: path) {
        case .atomic:
            return try stripDirectives(.array(patch))
        case .set:
            var result = current
            for item in patch where !result.contains(item) { result.append(item) }
            return .array(result)
        case .map(let keys):
            var result = current
            for item in patch {
                guard item.objectValue != nil else {
                    throw .badRequest("invalid patch: list \(path.joined(separator: ".")) items must be objects")
                }
                let key = ListSemantics.itemKey(item, keys: keys)
                let index = result.firstIndex { ListSemantics.itemKey($0, keys: keys) == key }
                if item["$patch"]?.stringValue == "delete" {
                    if let index { result.remove(at: index) }
                    continue
                }
                if let index {
                    result[index] = try merge(item, into: result[index], path: path, info: info)
                } else {
                    result.append(try merge(item, into: .null, path: path, info: info))
                }
            }
            return .array(result)
        }
    }

    /// Removes directive keys from a value that replaces rather than merges.
    private static func stripDirectives(_ value: JSONValue) throws(APIError) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (k, v) in members where !k.hasPrefix("$") { out[k] = try stripDirectives(v) }
            return .object(out)
        case .array(let items):
            var out: [JSONValue] = []
            for item in items { out.append(try stripDirectives(item)) }
            return .array(out)
        default:
            return value
        }
    }
}
