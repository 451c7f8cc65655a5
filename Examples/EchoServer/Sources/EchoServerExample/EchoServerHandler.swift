public import Roperator

/// The EchoServer logic: desired Pod and Service from the spec, status from the observed Pod.
///
/// ```swift
/// let kit = try await TestKit.start(EchoServer.config(), handler: EchoServerHandler())
/// ```
public struct EchoServerHandler: Handler {
    public init() {}

    /// Returns the Pod and the Service, and a status describing the Pod as it is now.
    ///
    /// - Throws: ``CodingFailure`` when the spec does not decode (for example no `serviceName`).
    public func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let spec = try request.spec(as: EchoServerSpec.self)
        let name = request.parent.name ?? ""
        let podName = EchoServer.podName(for: name)
        let labels: JSONValue = [
            "app.kubernetes.io/name": "echo-server",
            "app.kubernetes.io/instance": .string(name),
        ]
        var response = SyncResponse()
        response.add([
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(podName), "labels": labels],
            "spec": [
                "containers": [[
                    "name": "echo",
                    "image": .string(spec.image ?? EchoServer.defaultImage),
                    "args": [.string("-listen=:\(EchoServer.containerPort)"), .string("-text=\(spec.message ?? name)")],
                    "ports": [["name": "http", "containerPort": .int(EchoServer.containerPort)]],
                ]]
            ],
        ] as JSONValue)
        response.add([
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": .string(spec.serviceName), "labels": labels],
            "spec": [
                "selector": labels,
                "ports": [["name": "http", "port": 80, "targetPort": .int(EchoServer.containerPort)]],
            ],
        ] as JSONValue)
        let pod = request.child(of: .pod, named: podName)
        try response.setStatus(Self.status(pod: pod, podName: podName, serviceName: spec.serviceName))
        return response
    }

    /// The status for the Pod as observed (`nil` when it does not exist yet).
    ///
    /// Without a kubelet (the embedded API server runs none) a Pod stays `Pending` forever; the
    /// message says so rather than pretending the server is up.
    static func status(pod: KubeObject?, podName: String, serviceName: String) -> EchoServerStatus {
        guard let pod else {
            return EchoServerStatus(message: "creating Pod \(podName)", podPhase: nil, serviceName: serviceName)
        }
        let phase = pod.status?["phase"]?.stringValue
        let message: String
        if pod.isBeingDeleted {
            message = "Pod \(podName) is being replaced"
        } else {
            switch phase {
            case "Running":
                message = "echo server running; Service \(serviceName) port 80 answers"
            case "Succeeded", "Failed":
                let reason = pod.status?["reason"]?.stringValue ?? pod.status?["message"]?.stringValue
                message = "Pod \(podName) stopped: \(phase ?? "")\(reason.map { " (\($0))" } ?? "")"
            default:
                message = "Pod \(podName) is \(phase ?? "Pending"): no node has started it yet"
            }
        }
        return EchoServerStatus(message: message, podPhase: phase, serviceName: serviceName)
    }
}
