extension KubeClient {
    /// The object a response, list item or watch event carries. Anything but a JSON object is an
    /// ``KubeClientError/Code/invalidResponse`` naming where it came from, so a broken server or
    /// proxy never reaches caches and handlers as an "object" without metadata.
    static func responseObject(_ json: JSONValue, from source: @autoclosure () -> String) throws(KubeClientError) -> KubeObject {
        guard case .object = json else {
            throw KubeClientError(.invalidResponse, "\(source()) is not a JSON object but \(json.kindDescription)")
        }
        return KubeObject(json)
    }

    /// Sends a request whose answer is one object.
    func sendObject(_ request: KubeRequest) async throws -> KubeObject {
        try Self.responseObject(try await sendJSON(request), from: "the response to \(request.method) \(request.path)")
    }

    /// List items and watch objects come without `apiVersion` and `kind`; caches and handlers
    /// expect whole objects.
    static func completing(_ item: JSONValue, as type: K8sType, from source: @autoclosure () -> String) throws(KubeClientError)
        -> KubeObject
    {
        var object = try responseObject(item, from: source())
        if object.apiVersion == nil { object.apiVersion = type.apiVersion }
        if object.kind == nil { object.kind = type.kind }
        return object
    }
}
