import RoperatorClient

/// One object as an ``ObjectStore`` keeps it: compact JSON (without `metadata.managedFields`), and
/// the few fields the store's indexes and the ``EventTrigger`` read, so that neither decodes it.
/// A sync decodes the objects it reads (``object``).
struct CachedObject: Sendable {
    let key: ObjectKey
    let compact: CompactObject
    let uid: String?
    let resourceVersion: String?
    let generation: Int64?
    let isBeingDeleted: Bool
    /// The parent UIDs it counts as a child of: its tracking label and its controller reference.
    let owners: [String]

    /// Keeps `object` without its `metadata.managedFields`, which the runtime never reads (often a
    /// third of a server-side-applied object's size).
    init(_ object: KubeObject) {
        key = ObjectKey(object)
        compact = CompactObject(object, droppingManagedFields: true)
        uid = object.uid
        resourceVersion = object.resourceVersion
        generation = object.generation
        isBeingDeleted = object.isBeingDeleted
        owners = Self.owners(of: object)
    }

    /// The object, decoded.
    var object: KubeObject { compact.object }

    /// Whether `other` is the same version of the object: the same resourceVersion, or, for
    /// objects without one (built by hand), the same content.
    func isSameVersion(as other: CachedObject) -> Bool {
        if let resourceVersion, let theirs = other.resourceVersion { return resourceVersion == theirs }
        return object == other.object
    }

    /// The UIDs an object counts as a child of: its tracking label and its controller reference.
    static func owners(of object: KubeObject) -> [String] {
        var owners: [String] = []
        if let uid = object.json["metadata"]?["labels"]?[TrackingLabels.parentUID]?.stringValue, !uid.isEmpty {
            owners.append(uid)
        }
        if let controller = object.controllerReference, !owners.contains(controller.uid) { owners.append(controller.uid) }
        return owners
    }
}
