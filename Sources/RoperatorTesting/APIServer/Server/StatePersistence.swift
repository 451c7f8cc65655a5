import Foundation
import RoperatorClient

/// Keeps the store's objects in `<directory>/state.json` across restarts of the standalone server.
///
/// The file holds every object of every stored resource; loading creates them again in dependency
/// order (CustomResourceDefinitions, namespaces, the rest), so names, namespaces, labels, spec, status,
/// finalizers and owner references survive, while uids, resourceVersions and timestamps are new.
struct StatePersistence: Sendable {
    let directory: String
    let store: ObjectStore

    var fileURL: URL { URL(fileURLWithPath: directory).appendingPathComponent("state.json") }

    /// Every stored resource, once each (the storage version), CRDs and namespaces first.
    private func storedResources() -> [ResourceInfo] {
        let all = store.registry.allResources().filter(\.isStorageVersion)
        var seen = Set<GroupResource>()
        let unique = all.filter { seen.insert($0.groupResource).inserted }
        func rank(_ info: ResourceInfo) -> Int {
            switch info.groupResource {
            case GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions"): 0
            case GroupResource(group: "", resource: "namespaces"): 1
            default: 2
            }
        }
        return unique.sorted { rank($0) < rank($1) }
    }

    func snapshot() throws(APIError) -> JSONValue {
        var resources: [JSONValue] = []
        for info in storedResources() {
            let list = try store.list(info, namespace: nil)
            let items = list["items"]?.arrayValue ?? []
            guard !items.isEmpty else { continue }
            resources.append([
                "group": .string(info.group), "version": .string(info.version), "resource": .string(info.plural),
                "items": .array(items),
            ])
        }
        return ["kind": "RoperatorAPIServerState", "resourceVersion": .string(String(store.resourceVersion)), "resources": .array(resources)]
    }

    func save() throws {
        let data = try snapshot().serializedBytes()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(data).write(to: fileURL, options: .atomic)
    }

    /// Saves, printing a failure rather than stopping the periodic snapshots.
    func saveReportingErrors() {
        do {
            try save()
        } catch {
            print("roperator-apiserver: could not save state to \(fileURL.path): \(error)")
        }
    }

    /// Loads the state file, if there is one.
    ///
    /// - Throws: when the file cannot be read or parsed, or an object cannot be created.
    func load() throws {
        guard FileManager.default.fileExists(atPath: fileURL.path) else { return }
        let state = try JSONValue(parsing: Array(try Data(contentsOf: fileURL)))
        for resource in state["resources"]?.arrayValue ?? [] {
            guard let group = resource["group"]?.stringValue, let version = resource["version"]?.stringValue,
                  let plural = resource["resource"]?.stringValue,
                  let info = store.registry.lookup(group: group, version: version, plural: plural)
            else { continue }
            for var item in resource["items"]?.arrayValue ?? [] {
                for field in ["resourceVersion", "uid", "creationTimestamp", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                    item[path: "metadata", field] = nil
                }
                let namespace = item[path: "metadata", "namespace"]?.stringValue
                do {
                    let created = try store.create(info, namespace: namespace, object: item, options: WriteOptions(fieldManager: "roperator-apiserver"))
                    if info.hasStatus, let status = item["status"], created["status"] != status {
                        var withStatus = created
                        withStatus["status"] = status
                        _ = try store.replace(
                            info, namespace: namespace, name: created[path: "metadata", "name"]?.stringValue ?? "",
                            object: withStatus, subresource: .status)
                    }
                } catch {
                    // The initial namespaces exist already; anything else is a real failure.
                    guard error.code == 409, info.plural == "namespaces" else { throw error }
                }
            }
        }
    }
}
