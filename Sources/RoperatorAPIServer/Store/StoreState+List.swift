import Foundation
import RoperatorClient

extension StoreState {
    /// The decoded `continue` token: the list's resourceVersion and the last key returned.
    struct ContinueToken: Hashable {
        var resourceVersion: Int64
        var after: ObjectKey

        var encoded: String {
            let json: JSONValue = ["rv": .int(resourceVersion), "ns": .string(after.storeNamespace), "name": .string(after.name)]
            return Data(json.serializedBytes()).base64EncodedString()
        }

        init(resourceVersion: Int64, after: ObjectKey) {
            self.resourceVersion = resourceVersion
            self.after = after
        }

        init(decoding text: String) throws(APIError) {
            guard let data = Data(base64Encoded: text) else {
                throw .badRequest("continue key is not valid: illegal base64 data")
            }
            let json: JSONValue
            do {
                json = try JSONValue(parsing: Array(data))
            } catch {
                throw .badRequest("continue key is not valid: \(error)")
            }
            guard let rv = json["rv"]?.intValue, let ns = json["ns"]?.stringValue, let name = json["name"]?.stringValue
            else {
                throw .badRequest("continue key is not valid: incorrect encoded start resourceVersion")
            }
            self.init(resourceVersion: rv, after: ObjectKey(storeNamespace: ns, name: name))
        }
    }

    /// Parses the selector query parameters (empty strings select everything).
    static func selectors(label: String?, field: String?, info: ResourceInfo) throws(APIError)
        -> (LabelSelector?, FieldSelector?)
    {
        var labels: LabelSelector?
        var fields: FieldSelector?
        if let label, !label.isEmpty {
            do {
                labels = try LabelSelector(parsing: label)
            } catch {
                throw .badRequest("unable to parse requirement: \(error.description)")
            }
        }
        if let field, !field.isEmpty { fields = try FieldSelector(query: field, kind: info.kind) }
        return (labels, fields)
    }

    func list(_ info: ResourceInfo, namespace: String?, options: ListOptions) throws(APIError) -> JSONValue {
        let (labels, fields) = try Self.selectors(label: options.labelSelector, field: options.fieldSelector, info: info)
        let shard = try Self.shardSelector(options.shardSelector)
        let bucket = buckets[info.groupResource]
        var listRV = resourceVersion
        var after: ObjectKey?
        if let token = options.continueToken, !token.isEmpty {
            let decoded = try ContinueToken(decoding: token)
            if decoded.resourceVersion < listCompactedThrough {
                throw .gone(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."
                )
            }
            listRV = min(decoded.resourceVersion, resourceVersion)
            after = decoded.after
        } else if let rvText = options.resourceVersion, !rvText.isEmpty, rvText != "0" {
            guard let rv = Int64(rvText) else {
                throw .badRequest("resourceVersion: Invalid value: \"\(rvText)\": must be a number")
            }
            if rv > resourceVersion {
                throw APIError(
                    code: 504, reason: "Timeout",
                    message: "Too large resource version: \(rv), current resource version: \(resourceVersion)",
                    details: ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]]])
            }
            if options.resourceVersionMatch == "Exact" {
                if rv < listCompactedThrough { throw .gone("too old resource version: \(rv) (\(listCompactedThrough))") }
                listRV = rv
            }
        }
        var cursor = SnapshotCursor(
            bucket: bucket, namespace: info.namespaced ? namespace : nil, after: after,
            before: Self.statesBefore(listRV, in: bucket))
        let limit = options.limit ?? 0
        func selected(_ object: JSONValue) -> Bool {
            (labels?.matches(KubeObject(object)) ?? true) && (fields?.matches(object) ?? true)
                && (shard?.matches(object) ?? true)
        }
        var items: [JSONValue] = []
        var last: ObjectKey?
        while let (key, object) = cursor.next() {
            guard selected(object) else { continue }
            items.append(Self.present(object, as: info))
            last = key
            if limit > 0, items.count == limit { break }
        }
        var metadata: JSONValue = ["resourceVersion": .string(String(listRV))]
        if limit > 0, let last {
            // Only report a continuation when a matching item actually remains.
            var rest = cursor
            var remaining = false
            while let (_, object) = rest.next() {
                if selected(object) {
                    remaining = true
                    break
                }
            }
            if remaining {
                metadata["continue"] = .string(ContinueToken(resourceVersion: listRV, after: last).encoded)
                if labels == nil, fields == nil {
                    metadata["remainingItemCount"] = .int(Int64(cursor.remainingCount))
                }
            }
        }
        return ["kind": .string(info.listKind), "apiVersion": .string(info.apiVersion), "metadata": metadata, "items": .array(items)]
    }

    /// The state at `version` of every object changed since: `nil` for one that did not exist yet.
    static func statesBefore(_ version: Int64, in bucket: Bucket?) -> [ObjectKey: JSONValue?] {
        guard let changes = bucket?.changes, let newest = changes.last, newest.resourceVersion > version else { return [:] }
        var states: [ObjectKey: JSONValue?] = [:]
        // Newest first, so that the oldest change after `version` has the last word.
        for change in changes.reversed() {
            if change.resourceVersion <= version { break }
            states[change.key] = .some(change.before)
        }
        return states
    }
}

/// Walks a bucket's objects in list order as they were at a list's version: the current objects
/// with the changes made since undone.
struct SnapshotCursor {
    private let bucket: StoreState.Bucket?
    private let before: [ObjectKey: JSONValue?]
    private var position: ObjectKeyIndex.Index
    private let end: ObjectKeyIndex.Index
    /// Objects deleted since the list's version, in order.
    private let deleted: [ObjectKey]
    private var deletedPosition = 0

    init(bucket: StoreState.Bucket?, namespace: String?, after: ObjectKey?, before: [ObjectKey: JSONValue?]) {
        self.bucket = bucket
        self.before = before
        let order = bucket?.order ?? ObjectKeyIndex()
        // Keys order by namespace first, so one namespace is one contiguous run of the index.
        var range = order.startIndex..<order.endIndex
        if let namespace { range = order.range(inNamespace: namespace) }
        position = range.lowerBound
        if let after { position = max(position, order.upperBound(after)) }
        end = range.upperBound
        deleted = before.compactMap { key, state in
            guard state != nil, bucket?.objects[key] == nil else { return nil }
            if let namespace, key.storeNamespace != namespace { return nil }
            if let after, !(after < key) { return nil }
            return key
        }.sorted()
    }

    /// How many objects are left: counted from the index when no change needs undoing, else by
    /// walking the rest.
    var remainingCount: Int {
        if before.isEmpty, let order = bucket?.order { return order.rank(of: end) - order.rank(of: position) }
        var rest = self
        var count = 0
        while rest.next() != nil { count += 1 }
        return count
    }

    mutating func next() -> (ObjectKey, JSONValue)? {
        while true {
            let current = position < end ? bucket!.order[position] : nil
            let gone = deletedPosition < deleted.count ? deleted[deletedPosition] : nil
            if let gone, current == nil || gone < current! {
                deletedPosition += 1
                if case .some(.some(let object)) = before[gone] { return (gone, object) }
                continue
            }
            guard let key = current else { return nil }
            position = bucket!.order.index(after: position)
            if let state = before[key] {
                guard let object = state else { continue } // created since
                return (key, object)
            }
            return (key, bucket!.objects[key]!)
        }
    }
}
