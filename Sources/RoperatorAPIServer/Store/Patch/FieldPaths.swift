import RoperatorClient

/// The set of field paths an object sets, in the FieldsV1 vocabulary: `f:<field>` for an object
/// member, `k:<json key>` for a map-list item, `v:<json value>` for a set-list value. A path in the
/// set is owned; intermediate objects are not paths of their own.
enum FieldPaths {
    /// Which part of an object a write manages.
    struct Scope {
        var info: ResourceInfo
        var subresource: Subresource

        /// Whether a top-level field is managed in this scope.
        func includes(_ key: String) -> Bool {
            if key == "apiVersion" || key == "kind" { return false }
            guard info.hasStatus else { return true }
            return (key == "status") == (subresource == .status)
        }
    }

    /// Metadata members tracked by field managers (the rest is server-owned or identity).
    static let managedMetadata: Set<String> = ["labels", "annotations", "finalizers", "ownerReferences", "generateName"]

    static func of(_ object: JSONValue, scope: Scope) -> Set<[String]> {
        var out: Set<[String]> = []
        guard let members = object.objectValue else { return out }
        for (key, value) in members where scope.includes(key) {
            if key == "metadata" {
                guard scope.subresource == .main || !scope.info.hasStatus, let meta = value.objectValue else { continue }
                for (mk, mv) in meta where managedMetadata.contains(mk) {
                    walk(mv, path: ["f:metadata", "f:" + mk], names: ["metadata", mk], info: scope.info, into: &out)
                }
            } else {
                walk(value, path: ["f:" + key], names: [key], info: scope.info, into: &out)
            }
        }
        return out
    }

    /// The paths a write set or changed (in `new` and either absent from `old` or with another
    /// value there) and the paths it removed (in `old`, not in `new`): the same two sets as
    /// comparing ``of(_:scope:)`` of both objects path by path, found in one walk of both that
    /// skips equal subtrees.
    static func changes(old: JSONValue?, new: JSONValue, scope: Scope) -> (changed: Set<[String]>, removed: Set<[String]>) {
        var diff = Diff(info: scope.info)
        guard let newMembers = new.objectValue, old == nil || old?.objectValue != nil else {
            // Not objects: no fast way, and no paths on the side that is not one.
            diff.compareAsSets(old, new, path: [], names: [])
            return (diff.changed, diff.removed)
        }
        let oldMembers = old?.objectValue ?? [:]
        for key in Set(oldMembers.keys).union(newMembers.keys) where scope.includes(key) {
            if key == "metadata" {
                guard scope.subresource == .main || !scope.info.hasStatus else { continue }
                let oldMeta = oldMembers[key]?.objectValue ?? [:]
                let newMeta = newMembers[key]?.objectValue ?? [:]
                for member in managedMetadata {
                    diff.compare(oldMeta[member], newMeta[member], path: ["f:metadata", "f:" + member], names: ["metadata", member])
                }
            } else {
                diff.compare(oldMembers[key], newMembers[key], path: ["f:" + key], names: [key])
            }
        }
        return (diff.changed, diff.removed)
    }

    /// The two sets of ``changes(old:new:scope:)`` as they are gathered.
    private struct Diff {
        let info: ResourceInfo
        var changed: Set<[String]> = []
        var removed: Set<[String]> = []

        init(info: ResourceInfo) { self.info = info }

        /// Compares the values at one path of both objects (`nil`: absent).
        mutating func compare(_ old: JSONValue?, _ new: JSONValue?, path: [String], names: [String]) {
            switch (old, new) {
            case (nil, nil):
                return
            case (nil, let new?):
                FieldPaths.walk(new, path: path, names: names, info: info, into: &changed)
            case (let old?, nil):
                FieldPaths.walk(old, path: path, names: names, info: info, into: &removed)
            case (let old?, let new?):
                if old == new { return } // equal subtrees have the same paths with the same values
                if case .object(let oldMembers) = old, !oldMembers.isEmpty, case .object(let newMembers) = new, !newMembers.isEmpty {
                    for (key, value) in newMembers {
                        compare(oldMembers[key], value, path: path + ["f:" + key], names: names + [key])
                    }
                    for (key, value) in oldMembers where newMembers[key] == nil {
                        FieldPaths.walk(value, path: path + ["f:" + key], names: names + [key], info: info, into: &removed)
                    }
                } else if isLeaf(old, names: names), isLeaf(new, names: names) {
                    changed.insert(path) // one path on both sides, with different values
                } else {
                    compareAsSets(old, new, path: path, names: names)
                }
            }
        }

        /// Whether a value is one path of its own: a scalar, an empty object or list, an atomic list.
        private func isLeaf(_ value: JSONValue, names: [String]) -> Bool {
            switch value {
            case .object(let members): return members.isEmpty
            case .array(let items): return items.isEmpty || ListSemantics.of(path: names, info: info) == .atomic
            default: return true
            }
        }

        /// The general comparison of two subtrees: both path sets, then the values of the paths on
        /// both sides (lists of sets and maps, and values whose kinds differ).
        mutating func compareAsSets(_ old: JSONValue?, _ new: JSONValue?, path: [String], names: [String]) {
            var before: Set<[String]> = []
            var after: Set<[String]> = []
            if let old { FieldPaths.walk(old, path: path, names: names, info: info, into: &before) }
            if let new { FieldPaths.walk(new, path: path, names: names, info: info, into: &after) }
            for full in after {
                let relative = Array(full[path.count...])
                if !before.contains(full)
                    || FieldPaths.value(at: relative, in: old ?? .null) != FieldPaths.value(at: relative, in: new ?? .null)
                {
                    changed.insert(full)
                }
            }
            removed.formUnion(before.subtracting(after))
        }
    }

    /// Whether a FieldsV1 object owns `path` (as ``decode(_:)`` would list it), found without
    /// decoding the rest.
    static func contains(_ path: [String], in fields: JSONValue) -> Bool {
        var node = fields
        for element in path {
            guard let next = node[element] else { return false }
            node = next
        }
        guard let members = node.objectValue else { return false }
        return members.isEmpty ? !path.isEmpty : members["."] != nil
    }

    /// Whether a FieldsV1 object owns any path (``decode(_:)`` is not empty), found at the first one.
    static func ownsAny(_ fields: JSONValue, isRoot: Bool = true) -> Bool {
        guard let members = fields.objectValue else { return false }
        if members.isEmpty { return !isRoot }
        if members["."] != nil { return true }
        return members.contains { $0.key != "." && ownsAny($0.value, isRoot: false) }
    }

    fileprivate static func walk(_ value: JSONValue, path: [String], names: [String], info: ResourceInfo, into out: inout Set<[String]>) {
        switch value {
        case .object(let members) where !members.isEmpty:
            for (k, v) in members { walk(v, path: path + ["f:" + k], names: names + [k], info: info, into: &out) }
        case .array(let items) where !items.isEmpty:
            switch ListSemantics.of(path: names, info: info) {
            case .atomic:
                out.insert(path)
            case .set:
                for item in items { out.insert(path + ["v:" + item.serialized()]) }
            case .map(let keys):
                for item in items {
                    let itemPath = path + ["k:" + ListSemantics.itemKey(item, keys: keys).serialized()]
                    out.insert(itemPath)
                    if let members = item.objectValue {
                        for (k, v) in members {
                            walk(v, path: itemPath + ["f:" + k], names: names + [k], info: info, into: &out)
                        }
                    }
                }
            }
        default:
            out.insert(path)
        }
    }

    /// The value at a path, `nil` when absent.
    static func value(at path: [String], in object: JSONValue) -> JSONValue? {
        var current = object
        for element in path {
            if element.hasPrefix("f:") {
                guard let next = current[String(element.dropFirst(2))] else { return nil }
                current = next
            } else if element.hasPrefix("k:") {
                guard let key = try? JSONValue(parsing: String(element.dropFirst(2))), let items = current.arrayValue,
                    let item = items.first(where: { matches($0, key: key) })
                else { return nil }
                current = item
            } else if element.hasPrefix("v:") {
                guard let v = try? JSONValue(parsing: String(element.dropFirst(2))), current.arrayValue?.contains(v) == true
                else { return nil }
                current = v
            } else {
                return nil
            }
        }
        return current
    }

    static func matches(_ item: JSONValue, key: JSONValue) -> Bool {
        guard let fields = key.objectValue else { return false }
        return fields.allSatisfy { item[$0.key] == $0.value }
    }

    /// The object with the field at `path` removed (a map-list item or set value removed from its list).
    static func removing(_ path: [String], from object: JSONValue) -> JSONValue {
        guard let element = path.first else { return object }
        let rest = Array(path.dropFirst())
        if element.hasPrefix("f:") {
            let name = String(element.dropFirst(2))
            guard var members = object.objectValue, let child = members[name] else { return object }
            members[name] = rest.isEmpty ? JSONValue?.none : removing(rest, from: child)
            return .object(members)
        }
        guard var items = object.arrayValue else { return object }
        if element.hasPrefix("k:"), let key = try? JSONValue(parsing: String(element.dropFirst(2))) {
            guard let i = items.firstIndex(where: { matches($0, key: key) }) else { return object }
            if rest.isEmpty { items.remove(at: i) } else { items[i] = removing(rest, from: items[i]) }
        } else if element.hasPrefix("v:"), let v = try? JSONValue(parsing: String(element.dropFirst(2))) {
            items.removeAll { $0 == v }
        }
        return .array(items)
    }

    /// A human-readable path, e.g. `.spec.containers[name="web"].image`.
    static func describe(_ path: [String]) -> String {
        var out = ""
        for element in path {
            let body = String(element.dropFirst(2))
            if element.hasPrefix("f:") {
                out += "." + body
            } else if element.hasPrefix("k:"), let key = try? JSONValue(parsing: body), let fields = key.objectValue {
                out += "[" + fields.keys.sorted().map { "\($0)=\(fields[$0]!.serialized())" }.joined(separator: ",") + "]"
            } else {
                out += "[" + body + "]"
            }
        }
        return out
    }

    /// FieldsV1 JSON of everything `object` sets in `scope`: `encode(of(object, scope: scope))`,
    /// built in one walk without the path set (a create owns every field of its object).
    static func fields(of object: JSONValue, scope: Scope) -> JSONValue {
        guard let members = object.objectValue else { return .emptyObject }
        var root: [String: JSONValue] = [:]
        for (key, value) in members where scope.includes(key) {
            if key == "metadata" {
                guard scope.subresource == .main || !scope.info.hasStatus, let meta = value.objectValue else { continue }
                var metadata: [String: JSONValue] = [:]
                for (member, inner) in meta where managedMetadata.contains(member) {
                    metadata["f:" + member] = node(of: inner, names: ["metadata", member], info: scope.info)
                }
                if !metadata.isEmpty { root["f:metadata"] = .object(metadata) }
            } else {
                root["f:" + key] = node(of: value, names: [key], info: scope.info)
            }
        }
        return .object(root)
    }

    /// The FieldsV1 node of one value, as ``walk(_:path:names:info:into:)`` lists its paths.
    private static func node(of value: JSONValue, names: [String], info: ResourceInfo) -> JSONValue {
        switch value {
        case .object(let members) where !members.isEmpty:
            var out: [String: JSONValue] = [:]
            for (key, inner) in members { out["f:" + key] = node(of: inner, names: names + [key], info: info) }
            return .object(out)
        case .array(let items) where !items.isEmpty:
            var out: [String: JSONValue] = [:]
            switch ListSemantics.of(path: names, info: info) {
            case .atomic:
                return .emptyObject
            case .set:
                for item in items { out["v:" + item.serialized()] = .emptyObject }
            case .map(let keys):
                for item in items {
                    var itemNode: [String: JSONValue] = [:]
                    for (key, inner) in item.objectValue ?? [:] {
                        itemNode["f:" + key] = node(of: inner, names: names + [key], info: info)
                    }
                    if !itemNode.isEmpty { itemNode["."] = .emptyObject }
                    let element = "k:" + ListSemantics.itemKey(item, keys: keys).serialized()
                    // Items with the same key own the union of their fields.
                    out[element] = out[element].map { merged($0, .object(itemNode)) } ?? .object(itemNode)
                }
            }
            return .object(out)
        default:
            return .emptyObject
        }
    }

    /// Two FieldsV1 nodes as one: the union of their paths.
    private static func merged(_ first: JSONValue, _ second: JSONValue) -> JSONValue {
        guard var members = first.objectValue, let others = second.objectValue else { return first }
        for (key, value) in others { members[key] = members[key].map { merged($0, value) } ?? value }
        return .object(members)
    }

    /// FieldsV1 JSON of a path set.
    static func encode(_ paths: Set<[String]>) -> JSONValue {
        final class Node {
            var children: [String: Node] = [:]
            var owned = false
        }
        let root = Node()
        for path in paths {
            var node = root
            for element in path {
                if let next = node.children[element] {
                    node = next
                } else {
                    let next = Node()
                    node.children[element] = next
                    node = next
                }
            }
            node.owned = true
        }
        func json(_ node: Node) -> JSONValue {
            var members: [String: JSONValue] = [:]
            for (k, child) in node.children { members[k] = json(child) }
            if node.owned, !node.children.isEmpty { members["."] = .emptyObject }
            return .object(members)
        }
        return json(root)
    }

    /// Path set of FieldsV1 JSON.
    static func decode(_ fields: JSONValue) -> Set<[String]> {
        var out: Set<[String]> = []
        func visit(_ value: JSONValue, _ path: [String]) {
            guard let members = value.objectValue else { return }
            if members.isEmpty, !path.isEmpty {
                out.insert(path)
                return
            }
            for (k, v) in members {
                if k == "." { out.insert(path) } else { visit(v, path + [k]) }
            }
        }
        visit(fields, [])
        return out
    }
}
