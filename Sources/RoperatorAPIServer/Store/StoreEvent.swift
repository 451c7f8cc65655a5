package import RoperatorClient

/// One event of a watch stream. Shared between watchers; its JSON line is serialized once.
package final class StoreEvent: Sendable {
    /// The event types of the watch protocol.
    package enum Kind: String, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    /// The event type.
    package let type: Kind
    /// The object (a `Status` for ERROR, a skeleton with `metadata.resourceVersion` for BOOKMARK).
    package let object: JSONValue
    /// The resourceVersion of the write that produced it (0 for ERROR).
    package let resourceVersion: Int64
    private let encoded = Lock<[UInt8]?>(nil)

    package init(type: Kind, object: JSONValue, resourceVersion: Int64) {
        self.type = type
        self.object = object
        self.resourceVersion = resourceVersion
    }

    /// The event as one newline-terminated JSON line, `{"object":…,"type":…}`, serialized at most
    /// once however many watchers send it.
    ///
    /// The object's members are in dictionary order (watch clients parse, they do not compare
    /// bytes); the two envelope members always come in this order.
    package var jsonLine: [UInt8] {
        if let bytes = encoded.withLock({ $0 }) { return bytes }
        var bytes: [UInt8] = []
        object.withSerializedBytes(sortedKeys: false) { objectBytes in
            bytes.reserveCapacity(objectBytes.count + 32)
            bytes.append(contentsOf: #"{"object":"#.utf8)
            bytes.append(contentsOf: objectBytes)
        }
        bytes.append(contentsOf: #","type":""#.utf8)
        bytes.append(contentsOf: type.rawValue.utf8) // upper-case letters: nothing to escape
        bytes.append(contentsOf: "\"}\n".utf8)
        encoded.withLock { $0 = bytes }
        return bytes
    }
}
