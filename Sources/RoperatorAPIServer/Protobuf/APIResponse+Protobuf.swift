import NIOCore
import NIOHTTP1
import RoperatorClient

extension APIResponse {
    /// An object, list or Status in the format the client asked for: protobuf when it prefers it
    /// and the value is of a built-in kind, JSON otherwise (custom resources are never protobuf).
    /// The JSON of a write's object is the serialized object of the event the write `published`,
    /// when there is one: serialized once for the answer and every watcher.
    ///
    /// - Throws: 406 when the client accepts only protobuf and the value has none; 500 when a
    ///   stored object does not fit its kind's protobuf message (the cause names the field).
    static func object(
        _ value: JSONValue, status: HTTPResponseStatus = .ok, format: ResponseFormat, published event: StoreEvent? = nil,
        codec: ProtobufCodec = ProtobufCodec()
    ) throws(APIError) -> APIResponse {
        guard try format.usesProtobuf(hasMessage: codec.hasMessage(for: value)) else {
            guard let event else { return .json(value, status: status) }
            return .json(serialized: event.objectJSON, status: status)
        }
        let bytes: [UInt8]
        do {
            bytes = try codec.encodeObject(value)
        } catch {
            throw .internalError("the object cannot be encoded as protobuf: \(error)")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: ProtobufCodec.contentType)
        return APIResponse(status: status, headers: headers, body: .buffer(ByteBuffer(bytes: bytes)))
    }
}

extension APIError {
    /// 406: the client accepts no media type this server can write for the resource.
    static func notAcceptable() -> APIError {
        APIError(
            code: 406, reason: "NotAcceptable",
            message: "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf")
    }
}
