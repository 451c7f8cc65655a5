import RoperatorClient

/// The structural merge of server-side apply: objects member by member, map-lists item by key,
/// set-lists as a union, everything else replaced by the applied value.
enum ApplyMerge {
    static func merge(_ applied: JSONValue, into live: JSONValue, names: [String], info: ResourceInfo) -> JSONValue {
        switch (applied, live) {
        case (.object(let a), .object(var l)):
            for (k, v) in a {
                if v.isNull {
                    l[k] = nil
                } else {
                    l[k] = merge(v, into: l[k] ?? .null, names: names + [k], info: info)
                }
            }
            return .object(l)
        case (.array(let a), .array(var l)):
            switch ListSemantics.of(path: names, info: info) {
            case .atomic:
                return applied
            case .set:
                for item in a where !l.contains(item) { l.append(item) }
                return .array(l)
            case .map(let keys):
                for item in a {
                    let key = ListSemantics.itemKey(item, keys: keys)
                    if let i = l.firstIndex(where: { ListSemantics.itemKey($0, keys: keys) == key }) {
                        l[i] = merge(item, into: l[i], names: names, info: info)
                    } else {
                        l.append(item)
                    }
                }
                return .array(l)
            }
        default:
            return applied
        }
    }
}
