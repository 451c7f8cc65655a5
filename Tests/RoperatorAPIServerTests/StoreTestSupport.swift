import RoperatorClient
import Testing

@testable import RoperatorAPIServer

/// A fresh store and shortcuts for the resources the store tests use.
struct StoreFixture {
    let store: ObjectStore

    init(configuration: ObjectStore.Configuration = ObjectStore.Configuration()) {
        store = ObjectStore(configuration: configuration)
    }

    func info(_ plural: String, group: String = "", version: String = "v1") -> ResourceInfo {
        guard let info = store.registry.lookup(group: group, version: version, plural: plural) else {
            Issue.record("no resource \(plural).\(group)/\(version)")
            return ResourceInfo(group: group, version: version, kind: "Missing", plural: plural)
        }
        return info
    }

    var configMaps: ResourceInfo { info("configmaps") }
    var pods: ResourceInfo { info("pods") }
    var namespaces: ResourceInfo { info("namespaces") }
    var deployments: ResourceInfo { info("deployments", group: "apps") }
    var crds: ResourceInfo { info("customresourcedefinitions", group: "apiextensions.k8s.io") }

    @discardableResult
    func createConfigMap(
        _ name: String, namespace: String = "default", labels: [String: String] = [:], data: JSONValue = ["k": "v"],
        extraMetadata: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name)]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        for (k, v) in extraMetadata { metadata[k] = v }
        return try store.create(
            configMaps, namespace: namespace,
            object: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": .object(metadata), "data": data])
    }

    @discardableResult
    func createNamespace(_ name: String) throws -> JSONValue {
        try store.create(namespaces, namespace: nil, object: ["metadata": ["name": .string(name)]])
    }

    /// Registers a namespaced `Widget` CRD in `example.com` (v1 storage, v1beta1 served).
    @discardableResult
    func registerWidgets(statusSubresource: Bool = true) throws -> JSONValue {
        var v1: JSONValue = [
            "name": "v1", "served": true, "storage": true,
            "schema": [
                "openAPIV3Schema": [
                    "type": "object",
                    // Fields the schema does not describe are pruned, as on a real server: these tests
                    // write free-form spec and status fields.
                    "properties": [
                        "spec": [
                            "type": "object", "x-kubernetes-preserve-unknown-fields": true,
                            "properties": [
                                "items": [
                                    "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["id"],
                                    "items": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                                ]
                            ],
                        ],
                        "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                    ],
                ]
            ],
        ]
        if statusSubresource { v1["subresources"] = ["status": .emptyObject] }
        return try store.create(
            crds, namespace: nil,
            object: [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "widgets.example.com"],
                "spec": [
                    "group": "example.com", "scope": "Namespaced",
                    "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]],
                    "versions": [v1, ["name": "v1beta1", "served": true, "storage": false]],
                ],
            ])
    }

    var widgets: ResourceInfo { info("widgets", group: "example.com") }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}

extension JSONValue {
    var name: String? { self[path: "metadata", "name"]?.stringValue }
    var rv: String? { self[path: "metadata", "resourceVersion"]?.stringValue }
    var itemNames: [String] { self["items"]?.arrayValue?.compactMap(\.name) ?? [] }
}

extension WatchStream {
    /// Ends the stream and returns every event it had queued. Events are queued synchronously by the
    /// writes, so this never waits and never hangs.
    func drain() async -> [StoreEvent] {
        cancel()
        var events: [StoreEvent] = []
        for await event in self { events.append(event) }
        return events
    }
}

/// `TYPE name` of each event, for compact expectations.
func summary(_ events: [StoreEvent]) -> [String] {
    events.map { "\($0.type.rawValue) \($0.object.name ?? "-")" }
}
