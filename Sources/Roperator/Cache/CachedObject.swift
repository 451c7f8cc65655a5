import RoperatorClient

/// One object as an ``ObjectStore`` keeps it: compact JSON (without `metadata.managedFields`), and
/// the few fields the store's indexes and the ``EventTrigger`` read, so that neither decodes it.
/// A sync decodes the objects it reads (``object``).
package struct CachedObject: Sendable {
    let key: ObjectKey
    let compact: CompactObject
    let uid: String?
    package let resourceVersion: String?
    let generation: Int64?
    let isBeingDeleted: Bool
    /// The parent UIDs it counts as a child of: its tracking label and its controller reference.
    let owners: [String]

    /// Keeps `object` without its `metadata.managedFields`, which the runtime never reads (often a
    /// third of a server-side-applied object's size).
    package init(_ object: KubeObject) {
        self.init(compact: CompactObject(object, droppingManagedFields: true), head: object)
    }

    /// Keeps `compact`, with the indexed fields read from `head` (the object, or the part of it a
    /// ``CompactObject/scan(droppingManagedFields:)`` decoded).
    private init(compact: CompactObject, head: KubeObject) {
        key = ObjectKey(head)
        self.compact = compact
        uid = head.uid
        resourceVersion = head.resourceVersion
        generation = head.generation
        isBeingDeleted = head.isBeingDeleted
        owners = Self.owners(of: head)
    }

    /// The object, decoded.
    package var object: KubeObject { compact.object }

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

/// Informers watch straight into the cached form: an event's object is read once, from the event's
/// bytes, into its compact JSON and the indexed fields, and never decoded whole.
extension CachedObject: WatchedObject {
    package init(listed object: KubeObject) {
        self.init(object)
    }

    package static func decode(watched json: UnsafeRawBufferPointer, type: K8sType, source: @autoclosure () -> String) throws
        -> CachedObject
    {
        // Objects without `apiVersion` and `kind` (or not objects at all) take the decoding path,
        // which completes them (or names what is wrong).
        if let scan = try? CompactObject.scan(droppingManagedFields: json), scan.head.apiVersion != nil,
            scan.head.kind != nil
        {
            return CachedObject(compact: scan.compact, head: scan.head)
        }
        return CachedObject(try KubeObject.decode(watched: json, type: type, source: source()))
    }
}
