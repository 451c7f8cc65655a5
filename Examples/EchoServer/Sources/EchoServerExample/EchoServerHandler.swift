public import Roperator
import RoperatorModelsCoreV1
import RoperatorModelsMetaV1

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
        let labels = ["app.kubernetes.io/name": "echo-server", "app.kubernetes.io/instance": name]
        var response = SyncResponse()
        try response.add(
            Pod(
                metadata: ObjectMeta(labels: labels, name: podName),
                spec: PodSpec(containers: [
                    Container(
                        name: "echo",
                        args: ["-listen=:\(EchoServer.containerPort)", "-text=\(spec.message ?? name)"],
                        image: spec.image ?? EchoServer.defaultImage,
                        ports: [ContainerPort(containerPort: EchoServer.containerPort, name: "http")])
                ])))
        try response.add(
            Service(
                metadata: ObjectMeta(labels: labels, name: spec.serviceName),
                spec: ServiceSpec(
                    ports: [ServicePort(port: 80, name: "http", targetPort: .int(EchoServer.containerPort))],
                    selector: labels)))
        let pod = try request.child(of: Pod.self, named: podName)
        try response.setStatus(Self.status(pod: pod, podName: podName, serviceName: spec.serviceName))
        return response
    }

    /// The status for the Pod as observed (`nil` when it does not exist yet).
    ///
    /// Without a kubelet (the embedded API server runs none) a Pod stays `Pending` forever; the
    /// message says so rather than pretending the server is up.
    static func status(pod: Pod?, podName: String, serviceName: String) -> EchoServerStatus {
        guard let pod else {
            return EchoServerStatus(message: "creating Pod \(podName)", podPhase: nil, serviceName: serviceName)
        }
        let phase = pod.status?.phase
        let message: String
        if pod.metadata?.deletionTimestamp != nil {
            message = "Pod \(podName) is being replaced"
        } else {
            switch phase {
            case "Running":
                message = "echo server running; Service \(serviceName) port 80 answers"
            case "Succeeded", "Failed":
                let reason = pod.status?.reason ?? pod.status?.message
                message = "Pod \(podName) stopped: \(phase ?? "")\(reason.map { " (\($0))" } ?? "")"
            default:
                message = "Pod \(podName) is \(phase ?? "Pending"): no node has started it yet"
            }
        }
        return EchoServerStatus(message: message, podPhase: phase, serviceName: serviceName)
    }
}
