import NIOCore
import RoperatorClient

/// How a watch's events go on the wire: newline-delimited JSON, or, when the client prefers
/// protobuf and the resource is a built-in kind, length-prefixed `WatchEvent` frames
/// (`application/vnd.kubernetes.protobuf;stream=watch`) as kube-apiserver sends them.
struct WatchEncoding: Sendable {
    /// The codec, when the stream is protobuf.
    private let codec: ProtobufCodec?

    /// - Throws: 406 when the client accepts only protobuf and the resource has none.
    init(format: ResponseFormat, info: ResourceInfo, codec: ProtobufCodec = ProtobufCodec()) throws(APIError) {
        let apiVersion = info.group.isEmpty ? info.version : "\(info.group)/\(info.version)"
        let hasMessage = codec.schema.message(apiVersion: apiVersion, kind: info.kind) != nil
        self.codec = try format.usesProtobuf(hasMessage: hasMessage) ? codec : nil
    }

    var contentType: String { codec == nil ? "application/json" : ProtobufCodec.watchContentType }

    /// The bytes `event` takes on the wire, or a guess (a JSON line: its object and 32 more; a
    /// protobuf frame: nothing is known before it is encoded), to size a chunk once.
    func expectedSize(of event: StoreEvent) -> Int {
        codec == nil ? event.objectJSON.count + 32 : 0
    }

    /// Appends one event as it goes on the wire to `buffer`. An object that does not fit its
    /// protobuf message (one stored with wrong types) becomes an ERROR event in its place that
    /// names the field.
    func write(_ event: StoreEvent, into buffer: inout ByteBuffer) {
        guard let codec else { return event.writeJSONLine(into: &buffer) }
        buffer.writeBytes(Self.protobufFrame(event, codec))
    }

    /// A protobuf watch frame, or the ERROR frame that replaces it.
    private static func protobufFrame(_ event: StoreEvent, _ codec: ProtobufCodec) -> [UInt8] {
        do throws(ProtobufError) {
            return try codec.watchFrame(type: event.type.rawValue, object: event.object)
        } catch {
            let status: JSONValue = [
                "apiVersion": "v1", "kind": "Status", "metadata": .emptyObject, "status": "Failure", "code": 500,
                "reason": "InternalError", "message": .string("the object cannot be encoded as protobuf: \(error)"),
            ]
            do throws(ProtobufError) {
                return try codec.watchFrame(type: StoreEvent.Kind.error.rawValue, object: status)
            } catch {
                preconditionFailure("a Status always has a protobuf form: \(error)")
            }
        }
    }
}
