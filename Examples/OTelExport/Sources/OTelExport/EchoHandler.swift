import Roperator

/// Keeps a ConfigMap `<name>-echo` holding the parent's `spec.message`.
public struct EchoHandler: Handler {
    public init() {}

    public func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let message = request.parent.spec?["message"]?.stringValue ?? ""
        var configMap = KubeObject(type: .configMap, name: "\(request.parent.name ?? "echo")-echo")
        configMap.json["data"] = ["message": .string(message)]
        var response = SyncResponse()
        response.add(configMap)
        return response
    }
}
