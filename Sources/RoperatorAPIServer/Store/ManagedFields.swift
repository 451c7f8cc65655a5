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
            Self.json(
                manager: manager, operation: operation, apiVersion: apiVersion, time: time, subresource: subresource,
                fieldsV1: FieldPaths.encode(fields))
        }

        /// An entry's JSON, its fields already in FieldsV1 form.
        static func json(
            manager: String, operation: Operation, apiVersion: String, time: String, subresource: String, fieldsV1: JSONValue
        ) -> JSONValue {
            var e: JSONValue = [
                "manager": .string(manager), "operation": .string(operation.rawValue),
                "apiVersion": .string(apiVersion), "time": .string(time), "fieldsType": "FieldsV1", "fieldsV1": fieldsV1,
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
    ///
    /// Only the entries the write touches are decoded and written again; the others, and the
    /// writer's own entry when it already owns what changed, are kept as they are (its time and
    /// API version restamped).
    static func recordUpdate(
        old: JSONValue?, new: inout JSONValue, manager: String, info: ResourceInfo, subresource: Subresource
    ) {
        guard let old else {
            recordCreation(new: &new, manager: manager, info: info, subresource: subresource)
            return
        }
        let (changed, removed) = FieldPaths.changes(old: old, new: new, scope: FieldPaths.Scope(info: info, subresource: subresource))
        let unchanged = changed.isEmpty && removed.isEmpty
        let sub = subresource.rawValue
        var entries: [JSONValue] = []
        var ownEntryFound = false
        for json in old[path: "metadata", "managedFields"]?.arrayValue ?? [] {
            guard let entryManager = json["manager"]?.stringValue,
                let operation = json["operation"]?.stringValue.flatMap(Operation.init(rawValue:))
            else { continue } // not an entry: dropped
            let fields = json["fieldsV1"] ?? .emptyObject
            let own = entryManager == manager && operation == .update && (json["subresource"]?.stringValue ?? "") == sub
            ownEntryFound = ownEntryFound || own
            let loses =
                removed.contains { FieldPaths.contains($0, in: fields) }
                || (!own && changed.contains { FieldPaths.contains($0, in: fields) })
            let gains = own && changed.contains { !FieldPaths.contains($0, in: fields) }
            if !loses, !gains {
                guard FieldPaths.ownsAny(fields) else { continue } // owns nothing: dropped
                var kept = json
                if own, !unchanged {
                    kept["time"] = .string(Clock.now())
                    kept["apiVersion"] = .string(info.apiVersion)
                }
                entries.append(kept)
                continue
            }
            guard var entry = Entry(json) else { continue }
            entry.fields.subtract(changed)
            entry.fields.subtract(removed)
            if own {
                entry.fields.formUnion(changed)
                entry.time = Clock.now()
                entry.apiVersion = info.apiVersion
            }
            if !entry.fields.isEmpty { entries.append(entry.json) }
        }
        if !ownEntryFound, !changed.isEmpty {
            let entry = Entry(
                manager: manager, operation: .update, apiVersion: info.apiVersion, time: Clock.now(), subresource: sub, fields: changed)
            entries.append(entry.json)
        }
        new[path: "metadata", "managedFields"] = entries.isEmpty ? JSONValue?.none : .array(entries)
    }

    /// Records a create: `manager` owns every field the object sets, in one entry whose FieldsV1
    /// is built straight from the object (the same entry as ``recordUpdate(old:new:manager:info:subresource:)``
    /// would make from the object's path set).
    private static func recordCreation(new: inout JSONValue, manager: String, info: ResourceInfo, subresource: Subresource) {
        let fields = FieldPaths.fields(of: new, scope: FieldPaths.Scope(info: info, subresource: subresource))
        guard FieldPaths.ownsAny(fields) else {
            new[path: "metadata", "managedFields"] = nil
            return
        }
        let entry = Entry.json(
            manager: manager, operation: .update, apiVersion: info.apiVersion, time: Clock.now(),
            subresource: subresource.rawValue, fieldsV1: fields)
        new[path: "metadata", "managedFields"] = .array([entry])
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
