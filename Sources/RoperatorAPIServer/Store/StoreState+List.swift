import Foundation
import RoperatorClient

extension StoreState {
    /// The decoded `continue` token: the list's resourceVersion and the last key returned.
    struct ContinueToken: Hashable {
        var resourceVersion: Int64
        var after: ObjectKey

        var encoded: String {
            let json: JSONValue = ["rv": .int(resourceVersion), "ns": .string(after.namespace), "name": .string(after.name)]
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
            self.init(resourceVersion: rv, after: ObjectKey(namespace: ns, name: name))
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
        let bucket = buckets[info.groupResource]
        var listRV = resourceVersion
        var after: ObjectKey?
        if let token = options.continueToken, !token.isEmpty {
            let decoded = try ContinueToken(decoding: token)
            if decoded.resourceVersion < (bucket?.compactedThrough ?? 0) {
                throw .gone(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
            }
            listRV = decoded.resourceVersion
            after = decoded.after
        } else if let rvText = options.resourceVersion, !rvText.isEmpty, rvText != "0" {
            guard let rv = Int64(rvText) else {
                throw .badRequest("resourceVersion: Invalid value: \"\(rvText)\": must be a number")
            }
            if options.resourceVersionMatch == "Exact", rv != resourceVersion {
                throw .gone("too old resource version: \(rv) (\(resourceVersion))")
            }
            if rv > resourceVersion {
                throw APIError(
                    code: 504, reason: "Timeout",
                    message: "Too large resource version: \(rv), current resource version: \(resourceVersion)",
                    details: ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]]])
            }
        }
        let order = bucket?.order ?? ObjectKeyIndex()
        // Keys order by namespace first, so one namespace is one contiguous run of the index.
        var range = order.startIndex..<order.endIndex
        if let namespace, info.namespaced { range = order.range(inNamespace: namespace) }
        var position = range.lowerBound
        if let after { position = max(position, order.upperBound(after)) }
        let end = range.upperBound
        let limit = options.limit ?? 0
        var items: [JSONValue] = []
        var last: ObjectKey?
        while position < end {
            let key = order[position]
            let obj = bucket!.objects[key]!
            position = order.index(after: position)
            if let labels, !labels.matches(KubeObject(obj)) { continue }
            if let fields, !fields.matches(obj) { continue }
            items.append(Self.present(obj, as: info))
            last = key
            if limit > 0, items.count == limit { break }
        }
        var metadata: JSONValue = ["resourceVersion": .string(String(listRV))]
        if limit > 0, position < end, let last {
            // Only report a continuation when a matching item actually remains.
            let remaining = order[position..<end].contains { k in
                let o = bucket!.objects[k]!
                return (labels?.matches(KubeObject(o)) ?? true) && (fields?.matches(o) ?? true)
            }
            if remaining {
                metadata["continue"] = .string(ContinueToken(resourceVersion: listRV, after: last).encoded)
                if labels == nil, fields == nil {
                    metadata["remainingItemCount"] = .int(Int64(order.rank(of: end) - order.rank(of: position)))
                }
            }
        }
        return ["kind": .string(info.listKind), "apiVersion": .string(info.apiVersion), "metadata": metadata, "items": .array(items)]
    }
}
