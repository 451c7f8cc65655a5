public import Roperator
import RoperatorModelsAppsV1
import RoperatorModelsCoreV1
import RoperatorModelsMetaV1

/// The WebApp logic: a typed Deployment and Service from the spec, status from the observed
/// Deployment.
///
/// ```swift
/// let kit = try await TestKit.start(WebApp.config(), handler: WebAppHandler())
/// ```
public struct WebAppHandler: Handler {
    public init() {}

    /// Returns the Deployment and the Service, and the Deployment's replica counts as status.
    ///
    /// - Throws: ``CodingFailure`` when the spec or the observed Deployment does not decode.
    public func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let spec = try request.spec(as: WebAppSpec.self)
        let name = request.parent.name ?? ""
        let port = spec.port ?? 8080
        let labels = ["app.kubernetes.io/name": "web-app", "app.kubernetes.io/instance": name]
        var response = SyncResponse()
        try response.add(
            Deployment(
                metadata: ObjectMeta(labels: labels, name: name),
                spec: DeploymentSpec(
                    selector: MetaLabelSelector(matchLabels: labels),
                    template: PodTemplateSpec(
                        metadata: ObjectMeta(labels: labels),
                        spec: PodSpec(containers: [
                            Container(
                                name: "web", image: spec.image,
                                ports: [ContainerPort(containerPort: port, name: "http")],
                                readinessProbe: Probe(httpGet: HTTPGetAction(port: .string("http"), path: "/")),
                                resources: ResourceRequirements(requests: ["cpu": "100m", "memory": "64Mi"]))
                        ])),
                    replicas: spec.replicas ?? 1)))
        try response.add(
            Service(
                metadata: ObjectMeta(labels: labels, name: name),
                spec: ServiceSpec(ports: [ServicePort(port: 80, name: "http", targetPort: "http")], selector: labels)))
        let deployment = try request.child(of: Deployment.self, named: name)
        try response.setStatus(
            WebAppStatus(
                replicas: deployment?.status?.replicas ?? 0,
                readyReplicas: deployment?.status?.readyReplicas ?? 0,
                selector: labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")))
        return response
    }
}
