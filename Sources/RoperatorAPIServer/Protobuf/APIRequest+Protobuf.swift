import RoperatorClient

extension APIRequest {
    /// What the client's `Accept` header asks for.
    var responseFormat: ResponseFormat { ResponseFormat(accept: headers.first(name: "accept")) }

    /// A protobuf body (an enveloped object of a built-in kind) as JSON.
    ///
    /// - Throws: 415 for kinds without a protobuf message, as kube-apiserver answers for custom
    ///   resources; 400 for a body that does not decode, naming the field.
    func protobufBody(codec: ProtobufCodec = ProtobufCodec()) throws(APIError) -> JSONValue {
        do throws(ProtobufError) {
            return try codec.decodeObject(bodyBytes[...])
        } catch {
            guard error.isUnsupportedKind else {
                throw .badRequest("the body of the request could not be decoded as protobuf: \(error)")
            }
            throw APIError(
                code: 415, reason: "UnsupportedMediaType",
                message:
                    "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (\(error); protobuf is only for built-in kinds)"
            )
        }
    }
}
