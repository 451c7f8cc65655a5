import Foundation
import RoperatorClient
import RoperatorModelsAppsV1
import RoperatorModelsCoreV1
import RoperatorModelsMetaV1
import RoperatorAPIServer
import Testing

/// A custom resource described in Swift, for `kubectl apply` of its derived definition.
struct Gadget: CustomResource {
    struct Spec: Codable, Sendable, SchemaAnnotated {
        enum Mode: String, Codable, CaseIterable, Sendable { case fast, careful }
        var mode: Mode
        var size: Int32?
        var limits: [String: Quantity]?
        static let schemaAnnotations: [String: FieldSchema] = ["size": FieldSchema("Gadget size.", minimum: 1)]
    }
    struct Status: Codable, Sendable { var ready: Bool? }

    static let group = "gadgets.roperator.io"
    static let version = "v1beta1"
    static let kind = "Gadget"
    static let plural = "gadgets"
    static let namespaced = true
    static let shortNames = ["gdg"]

    var metadata: ObjectMeta?
    var spec: Spec
    var status: Status?
}

extension KubectlTests {
    /// kubectl applies a CRD derived from Swift types and an instance of it, and the objects it
    /// prints decode into typed models and encode back without losing a field.
    @Test func derivedDefinitionAndTypedModelsWithKubectl() async throws {
        guard installedKubectls[33] != nil else {
            print("skipping: kubectl.1.33 is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try Kubectl(minor: 33, server: server)
            let crd = try Gadget.customResourceDefinitionYAML()
            #expect(try await kubectl("apply", "-f", "@input", input: crd).contains("gadgets.gadgets.roperator.io created"))
            let gadget = Gadget(
                metadata: ObjectMeta(name: "g1", namespace: "default"),
                spec: Gadget.Spec(mode: .careful, size: 2, limits: ["memory": "1Gi"]))
            let gadgetYAML = try gadget.kubeObject().json.yamlString()
            #expect(try await kubectl("apply", "-f", "@input", input: gadgetYAML).contains("gadget.gadgets.roperator.io/g1 created"))
            let printed = try JSONValue(parsing: try await kubectl("get", "gdg", "g1", "-o", "json"))
            #expect(try Gadget(KubeObject(printed)).spec.limits?["memory"] == "1Gi")
            let bad = gadgetYAML.replacingOccurrences(of: "careful", with: "reckless").replacingOccurrences(of: "g1", with: "g2")
            #expect(try await kubectl("apply", "-f", "@input", input: bad, expectSuccess: false).contains("Unsupported value"))

            // Built-in kinds printed by kubectl round-trip through the typed models.
            let deployment = Deployment(
                metadata: ObjectMeta(labels: ["app": "web"], name: "web", namespace: "default"),
                spec: DeploymentSpec(
                    selector: MetaLabelSelector(matchLabels: ["app": "web"]),
                    template: PodTemplateSpec(
                        metadata: ObjectMeta(labels: ["app": "web"]),
                        spec: PodSpec(containers: [
                            Container(
                                name: "web", image: "nginx:1.27",
                                resources: ResourceRequirements(limits: ["cpu": "0.5", "memory": "128Mi"]))
                        ])),
                    replicas: 2))
            let deploymentYAML = try deployment.kubeObject().json.yamlString()
            #expect(try await kubectl("apply", "-f", "@input", input: deploymentYAML).contains("deployment.apps/web created"))
            for (resource, type) in [("deployment/web", Deployment.self as any K8sResource.Type)] {
                let json = try JSONValue(parsing: try await kubectl("get", resource, "-o", "json"))
                let reencoded = try JSONValueEncoder().encode(try type.init(KubeObject(json)))
                #expect(reencoded == json, "\(resource) lost fields in a typed round trip")
            }
        }
    }
}
