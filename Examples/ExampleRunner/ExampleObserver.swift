import Roperator

/// Watches the example's parents and their children and prints each change as it happens:
/// created, updated, being deleted, deleted, finalizers and status written.
struct ExampleObserver: Sendable {
    let client: KubeClient
    let parentTypes: [K8sType]
    let childTypes: [K8sType]

    /// Prints until cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            for type in parentTypes {
                group.addTask { await follow(type, labelSelector: nil, describe: describeParentChange) }
            }
            for type in childTypes {
                // Only objects the runtime tracks: it labels every child with its parent's UID.
                group.addTask { await follow(type, labelSelector: TrackingLabels.parentUID, describe: describeChildChange) }
            }
        }
    }

    private func follow(
        _ type: K8sType, labelSelector: String?, describe: @Sendable (KubeObject?, KubeObject?) -> [String]
    ) async {
        var known: [String: KubeObject] = [:]
        do {
            for try await event in Watcher(client: client, type: type, labelSelector: labelSelector) {
                switch event {
                case .relisted(let objects):
                    let fresh = Dictionary(objects.map { ($0.uid ?? "", $0) }, uniquingKeysWith: { $1 })
                    for (uid, object) in fresh { report(describe(known[uid], object)) }
                    for (uid, object) in known where fresh[uid] == nil { report(describe(object, nil)) }
                    known = fresh
                case .initialListComplete, .failed, .listedPage:
                    // Pages come only with `listsInPages`, which this watcher does not ask for.
                    break
                case .added(let object), .modified(let object):
                    report(describe(known[object.uid ?? ""], object))
                    known[object.uid ?? ""] = object
                case .deleted(let object):
                    report(describe(known[object.uid ?? ""] ?? object, nil))
                    known[object.uid ?? ""] = nil
                }
            }
        } catch {
            // Cancelled: the example is stopping.
        }
    }

    private func report(_ lines: [String]) {
        for line in lines { Console.say(line) }
    }
}

/// `Kind namespace/name` or `Kind name`.
func describe(_ object: KubeObject) -> String {
    let name = object.namespace.map { "\($0)/\(object.name ?? "")" } ?? (object.name ?? "")
    return "\(object.kind ?? "object") \(name)"
}

/// What changed on a parent between `old` and `new` (`nil`: absent).
@Sendable func describeParentChange(_ old: KubeObject?, _ new: KubeObject?) -> [String] {
    guard let new else { return old.map { ["\(describe($0)) deleted"] } ?? [] }
    var lines: [String] = []
    if old == nil { lines.append("\(describe(new)) created") }
    if let added = Set(new.finalizers).subtracting(old?.finalizers ?? []).sorted().first {
        lines.append("\(describe(new)) finalizer \(added) added")
    }
    if new.isBeingDeleted && old?.isBeingDeleted != true { lines.append("\(describe(new)) being deleted") }
    if let removed = Set(old?.finalizers ?? []).subtracting(new.finalizers).sorted().first {
        lines.append("\(describe(new)) finalizer \(removed) removed")
    }
    // observedGeneration alone changing (a spec edit the status does not reflect) is not news.
    func shown(_ status: JSONValue?) -> JSONValue? {
        var status = status
        status?["observedGeneration"] = nil
        return status
    }
    if let status = shown(new.status), status != shown(old?.status), status.objectValue?.isEmpty == false {
        lines.append("\(describe(new)) status: \(status.serialized())")
    }
    return lines
}

/// What changed on a child between `old` and `new` (`nil`: absent), naming its controller.
@Sendable func describeChildChange(_ old: KubeObject?, _ new: KubeObject?) -> [String] {
    guard let new else { return old.map { ["  \(describe($0)) deleted"] } ?? [] }
    guard let old else {
        let owner =
            new.json[path: "metadata", "ownerReferences"]?.arrayValue?
            .first { $0["controller"]?.boolValue == true }
            .map { " (child of \($0["kind"]?.stringValue ?? "") \($0["name"]?.stringValue ?? ""))" } ?? ""
        return ["  \(describe(new)) created\(owner)"]
    }
    if new.isBeingDeleted { return old.isBeingDeleted ? [] : ["  \(describe(new)) being deleted"] }
    var before = old.json
    var after = new.json
    for field in ["resourceVersion", "managedFields", "generation"] {
        before[path: "metadata", field] = nil
        after[path: "metadata", field] = nil
    }
    return before == after ? [] : ["  \(describe(new)) updated"]
}
