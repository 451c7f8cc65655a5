import RoperatorClient

/// `metadata.managedFields` bookkeeping: which manager owns which fields (FieldsV1 paths such as
/// `f:spec`, `k:{"name":"web"}`, `v:"x"`), for server-side apply conflicts and removals.
enum ManagedFields {
    enum Operation: String {
        case apply = "Apply"
        case update = "Update"
    }

    /// One `managedFields` entry.
    struct Entry {
        var manager: String
        var operation: Operation
        var apiVersion: String
        var time: String
        var subresource: String
        var fields: Set<[String]>

        init(manager: String, operation: Operation, apiVersion: String, time: String, subresource: String, fields: Set<[String]>) {
            self.manager = manager
            self.operation = operation
            self.apiVersion = apiVersion
            self.time = time
            self.subresource = subresource
            self.fields = fields
        }

        init?(_ json: JSONValue) {
            guard let manager = json["manager"]?.stringValue,
                let op = json["operation"]?.stringValue.flatMap(Operation.init(rawValue:))
            else { return nil }
            self.manager = manager
            self.operation = op
            self.apiVersion = json["apiVersion"]?.stringValue ?? ""
            self.time = json["time"]?.stringValue ?? ""
            self.subresource = json["subresource"]?.stringValue ?? ""
            self.fields = FieldPaths.decode(json["fieldsV1"] ?? .emptyObject)
        }

        var json: JSONValue {
            var e: JSONValue = [
                "manager": .string(manager), "operation": .string(operation.rawValue),
                "apiVersion": .string(apiVersion), "time": .string(time), "fieldsType": "FieldsV1",
                "fieldsV1": FieldPaths.encode(fields),
            ]
            if !subresource.isEmpty { e["subresource"] = .string(subresource) }
            return e
        }

        func sameOwner(_ manager: String, _ operation: Operation, _ subresource: String) -> Bool {
            self.manager == manager && self.operation == operation && self.subresource == subresource
        }
    }

    static func entries(of object: JSONValue?) -> [Entry] {
        object?[path: "metadata", "managedFields"]?.arrayValue?.compactMap(Entry.init) ?? []
    }

    static func store(_ entries: [Entry], in object: inout JSONValue) {
        let kept = entries.filter { !$0.fields.isEmpty }
        object[path: "metadata", "managedFields"] = kept.isEmpty ? JSONValue?.none : .array(kept.map(\.json))
    }

    /// Records a non-apply write: the fields it set or changed now belong to `manager` (taken from
    /// any other manager), fields it removed belong to nobody.
    static func recordUpdate(
        old: JSONValue?, new: inout JSONValue, manager: String, info: ResourceInfo, subresource: Subresource
    ) {
        let scope = FieldPaths.Scope(info: info, subresource: subresource)
        let before = old.map { FieldPaths.of($0, scope: scope) } ?? []
        let after = FieldPaths.of(new, scope: scope)
        var changed: Set<[String]> = []
        for path in after
        where !before.contains(path) || FieldPaths.value(at: path, in: old ?? .null) != FieldPaths.value(at: path, in: new) {
            changed.insert(path)
        }
        let removed = before.subtracting(after)
        var entries = entries(of: old)
        if changed.isEmpty, removed.isEmpty {
            store(entries, in: &new)
            return
        }
        for i in entries.indices {
            entries[i].fields.subtract(changed)
            entries[i].fields.subtract(removed)
        }
        let sub = subresource.rawValue
        if let i = entries.firstIndex(where: { $0.sameOwner(manager, .update, sub) }) {
            entries[i].fields.formUnion(changed)
            entries[i].time = Clock.now()
            entries[i].apiVersion = info.apiVersion
        } else if !changed.isEmpty {
            entries.append(
                Entry(
                    manager: manager, operation: .update, apiVersion: info.apiVersion, time: Clock.now(),
                    subresource: sub, fields: changed))
        }
        store(entries, in: &new)
    }

    /// `managedFields` with the `time` of every entry removed, to tell real changes from re-stamps.
    static func withoutTimes(_ entries: JSONValue?) -> JSONValue? {
        guard let list = entries?.arrayValue else { return entries }
        return .array(
            list.map { e in
                var e = e
                e["time"] = nil
                return e
            })
    }
}
