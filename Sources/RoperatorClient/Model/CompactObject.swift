/// A Kubernetes object kept as its compact JSON: for caches that hold many objects and read few of
/// them at a time.
///
/// A decoded ``KubeObject`` costs four to five times its JSON size in memory, because every JSON
/// object in it is a hash table with its own allocation and spare capacity. A `CompactObject` costs
/// its JSON size and one allocation; ``object`` decodes it again, exactly, when it is needed.
///
/// ```swift
/// let compact = CompactObject(configMap)
/// compact.byteCount        // about the size of the object as the server sent it
/// compact.object == configMap
/// ```
///
/// It is not `Equatable`: members are written in dictionary order, so equal objects can have
/// different bytes. Compare the decoded objects, or their `resourceVersion`s.
public struct CompactObject: Sendable {
    /// The object as compact UTF-8 JSON (members in no particular order).
    public let bytes: [UInt8]

    /// Encodes `object`.
    ///
    /// - Parameter droppingManagedFields: leave `metadata.managedFields` out (server-side apply's
    ///   record of field owners, often a third of an object, which caches rarely need).
    public init(_ object: KubeObject, droppingManagedFields: Bool = false) {
        var writer = JSONWriter(capacity: 1024, sortedKeys: false)
        if droppingManagedFields {
            writer.writeDroppingManagedFields(object.json)
        } else {
            writer.write(object.json)
        }
        self.bytes = writer.bytes
    }

    /// The object, decoded.
    public var object: KubeObject {
        do {
            return KubeObject(try JSONValue(parsing: bytes))
        } catch {
            // The bytes were written by `JSONValue` itself and never change.
            preconditionFailure("a CompactObject holds JSON it wrote itself: \(error)")
        }
    }

    /// The size of the JSON in bytes.
    public var byteCount: Int { bytes.count }
}
