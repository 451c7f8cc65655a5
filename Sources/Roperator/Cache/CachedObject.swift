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
        key = ObjectKey(object)
        compact = CompactObject(object, droppingManagedFields: true)
        uid = object.uid
        resourceVersion = object.resourceVersion
        generation = object.generation
        isBeingDeleted = object.isBeingDeleted
        owners = Self.owners(of: object)
    }

    /// Keeps what a ``CompactObject/scan(droppingManagedFields:readingLabel:)`` (reading the
    /// tracking label) read: the compact bytes and the indexed metadata.
    private init(_ scan: CompactObject.Scan) {
        let metadata = scan.metadata
        key = ObjectKey(namespace: metadata.namespace, name: metadata.name ?? "")
        compact = scan.compact
        uid = metadata.uid
        resourceVersion = metadata.resourceVersion
        generation = metadata.generation
        isBeingDeleted = metadata.isBeingDeleted
        owners = Self.owners(trackingLabel: metadata.label, controller: metadata.controllerReference)
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
        owners(
            trackingLabel: object.json["metadata"]?["labels"]?[TrackingLabels.parentUID]?.stringValue,
            controller: object.controllerReference)
    }

    private static func owners(trackingLabel uid: String?, controller: OwnerReference?) -> [String] {
        var owners: [String] = []
        if let uid, !uid.isEmpty { owners.append(uid) }
        if let controller, !owners.contains(controller.uid) { owners.append(controller.uid) }
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
        if let scan = try? CompactObject.scan(droppingManagedFields: json, readingLabel: TrackingLabels.parentUID),
            scan.apiVersion != nil, scan.kind != nil
        {
            return CachedObject(scan)
        }
        return CachedObject(try KubeObject.decode(watched: json, type: type, source: source()))
    }
}
