package import NIOCore
package import RoperatorClient

/// One event of a watch stream. Shared between watchers; its object is serialized once.
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

    /// The object serialized as JSON, at most once however many watchers send it, and shared
    /// with the answer to the write that made the event (``APIResponse/object(_:status:format:published:)``).
    ///
    /// The object's members are in dictionary order (clients parse, they do not compare bytes),
    /// as in every other JSON answer of this server.
    package var objectJSON: [UInt8] {
        if let bytes = encoded.withLock({ $0 }) { return bytes }
        let bytes = object.withSerializedBytes(sortedKeys: false) { Array($0) }
        encoded.withLock { $0 = bytes }
        return bytes
    }

    /// Appends the event as one newline-terminated JSON line, `{"object":…,"type":…}`, to `buffer`.
    package func writeJSONLine(into buffer: inout ByteBuffer) {
        buffer.writeString(#"{"object":"#)
        buffer.writeBytes(objectJSON)
        buffer.writeString(#","type":""#)
        buffer.writeString(type.rawValue) // upper-case letters: nothing to escape
        buffer.writeString("\"}\n")
    }

    /// The event as one newline-terminated JSON line (``writeJSONLine(into:)``).
    package var jsonLine: [UInt8] {
        var buffer = ByteBuffer()
        writeJSONLine(into: &buffer)
        return Array(buffer.readableBytesView)
    }
}
