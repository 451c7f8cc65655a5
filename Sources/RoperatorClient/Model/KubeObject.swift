/// A Kubernetes object: a `JSONValue` with typed access to the fields every object has.
///
/// The wrapper never drops fields: `json` is the whole object as received, and every setter writes
/// straight into it.
///
/// ```swift
/// var cm = KubeObject(type: .configMap, namespace: "default", name: "settings")
/// cm.labels["app"] = "web"
/// cm.json["data"] = ["mode": "fast"]
/// ```
public struct KubeObject: Sendable, Hashable {
    /// The whole object.
    public var json: JSONValue

    /// Wraps an object as received from the API server or built by hand.
    public init(_ json: JSONValue) {
        self.json = json
    }

    /// A new object with `apiVersion`, `kind` and `metadata.name` (and `namespace` when given) set.
    public init(type: K8sType, namespace: String? = nil, name: String) {
        var metadata: [String: JSONValue] = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        self.json = ["apiVersion": .string(type.apiVersion), "kind": .string(type.kind), "metadata": .object(metadata)]
    }

    /// `apiVersion`, e.g. `apps/v1`.
    public var apiVersion: String? {
        get { json["apiVersion"]?.stringValue }
        set { json["apiVersion"] = newValue.map(JSONValue.string) }
    }

    /// `kind`, e.g. `Deployment`.
    public var kind: String? {
        get { json["kind"]?.stringValue }
        set { json["kind"] = newValue.map(JSONValue.string) }
    }

    /// `metadata`, an empty object when absent.
    public var metadata: JSONValue {
        get { json["metadata"] ?? .emptyObject }
        set { json["metadata"] = newValue }
    }

    /// `metadata.name`.
    public var name: String? {
        get { json["metadata"]?["name"]?.stringValue }
        set { json[path: "metadata", "name"] = newValue.map(JSONValue.string) }
    }

    /// `metadata.generateName`: the prefix the server completes when `name` is absent.
    public var generateName: String? {
        get { json["metadata"]?["generateName"]?.stringValue }
        set { json[path: "metadata", "generateName"] = newValue.map(JSONValue.string) }
    }

    /// `metadata.namespace`; `nil` for cluster-scoped objects.
    public var namespace: String? {
        get { json["metadata"]?["namespace"]?.stringValue }
        set { json[path: "metadata", "namespace"] = newValue.map(JSONValue.string) }
    }

    /// `metadata.uid`, set by the server.
    public var uid: String? {
        get { json["metadata"]?["uid"]?.stringValue }
        set { json[path: "metadata", "uid"] = newValue.map(JSONValue.string) }
    }

    /// `metadata.resourceVersion`, set by the server on every write.
    public var resourceVersion: String? {
        get { json["metadata"]?["resourceVersion"]?.stringValue }
        set { json[path: "metadata", "resourceVersion"] = newValue.map(JSONValue.string) }
    }

    /// `metadata.generation`, bumped by the server when the spec changes.
    public var generation: Int64? {
        get { json["metadata"]?["generation"]?.intValue }
        set { json[path: "metadata", "generation"] = newValue.map(JSONValue.int) }
    }

    /// RFC 3339 timestamp, as the server wrote it.
    public var creationTimestamp: String? {
        json["metadata"]?["creationTimestamp"]?.stringValue
    }

    /// RFC 3339 timestamp set when deletion was requested; `nil` while the object is live.
    public var deletionTimestamp: String? {
        get { json["metadata"]?["deletionTimestamp"]?.stringValue }
        set { json[path: "metadata", "deletionTimestamp"] = newValue.map(JSONValue.string) }
    }

    /// Whether deletion has been requested (the object may still exist while finalizers run).
    public var isBeingDeleted: Bool { deletionTimestamp != nil }

    /// `metadata.labels`; empty when absent; setting an empty map removes the field.
    public var labels: [String: String] {
        get { Self.stringMap(json["metadata"]?["labels"]) }
        set { json[path: "metadata", "labels"] = Self.jsonMap(newValue) }
    }

    /// `metadata.annotations`; empty when absent; setting an empty map removes the field.
    public var annotations: [String: String] {
        get { Self.stringMap(json["metadata"]?["annotations"]) }
        set { json[path: "metadata", "annotations"] = Self.jsonMap(newValue) }
    }

    /// `metadata.finalizers`; empty when absent.
    public var finalizers: [String] {
        get { json["metadata"]?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        set { json[path: "metadata", "finalizers"] = newValue.isEmpty ? nil : .array(newValue.map(JSONValue.string)) }
    }

    /// `status`, `nil` when absent.
    public var status: JSONValue? {
        get { json["status"] }
        set { json["status"] = newValue }
    }

    /// `spec`, `nil` when absent.
    public var spec: JSONValue? {
        get { json["spec"] }
        set { json["spec"] = newValue }
    }

    private static func stringMap(_ value: JSONValue?) -> [String: String] {
        guard let object = value?.objectValue else { return [:] }
        var result: [String: String] = [:]
        result.reserveCapacity(object.count)
        for (k, v) in object {
            if let s = v.stringValue { result[k] = s }
        }
        return result
    }

    private static func jsonMap(_ map: [String: String]) -> JSONValue? {
        map.isEmpty ? nil : .object(map.mapValues(JSONValue.string))
    }
}
