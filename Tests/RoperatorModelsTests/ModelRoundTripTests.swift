import Foundation
import RoperatorClient
import RoperatorModels
import Testing

/// Decodes `json` as `T` and encodes it back, straight through `JSONValue`.
func roundTrip<T: Codable>(_ type: T.Type, _ json: JSONValue) throws -> JSONValue {
    try JSONValueEncoder().encode(try JSONValueDecoder().decode(T.self, from: json))
}

/// The generated samples: one object per kind with every field set (see Scripts/generate-models.py).
let modelSamples: [String: JSONValue] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples/samples.json")
    do {
        let json = try JSONValue(parsing: try Data(contentsOf: url))
        return json.objectValue ?? [:]
    } catch {
        fatalError("cannot read \(url.path): \(error)")
    }
}()

@Suite struct ModelRoundTripTests {
    @Test(arguments: generatedKinds.map(\.name))
    func everyKindRoundTripsEveryModelledField(_ name: String) throws {
        let sample = try #require(modelSamples[name], "no sample for \(name)")
        let roundTrip = try #require(generatedKinds.first { $0.name == name }).roundTrip
        let encoded = try roundTrip(sample)
        #expect(encoded == sample)
    }

    @Test func everyGeneratedKindHasASample() {
        #expect(generatedKinds.count == modelSamples.count)
        #expect(generatedKinds.count > 100)
    }

    @Test func unknownFieldsAreIgnoredAndAbsentFieldsStayAbsent() throws {
        let json: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "futureField": "ignored"],
            "spec": ["selector": ["matchLabels": ["app": "web"]], "template": [:], "somethingNew": 1],
        ]
        let deployment = try JSONValueDecoder().decode(Deployment.self, from: json)
        #expect(deployment.metadata?.name == "web")
        #expect(deployment.spec?.replicas == nil)
        let encoded = try JSONValueEncoder().encode(deployment)
        #expect(
            encoded == [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                "spec": ["selector": ["matchLabels": ["app": "web"]], "template": [:]],
            ])
    }

    @Test func nullOptionalFieldsDecodeAsAbsentAndNullRequiredListsAsEmpty() throws {
        let json: JSONValue = [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "endpoints": nil, "ports": nil, "metadata": ["name": "s"],
        ]
        let slice = try JSONValueDecoder().decode(EndpointSlice.self, from: json)
        #expect(slice.endpoints.isEmpty)
        #expect(slice.ports == nil)
        let encoded = try JSONValueEncoder().encode(slice)
        #expect(encoded["ports"] == nil)
        #expect(encoded["endpoints"] == [])
    }

    @Test func aMissingRequiredFieldNamesThePath() throws {
        let json: JSONValue = ["apiVersion": "v1", "kind": "Pod", "spec": ["containers": [["image": "nginx"]]]]
        #expect {
            _ = try JSONValueDecoder().decode(Pod.self, from: json)
        } throws: { error in
            String(describing: error).contains("name")
        }
    }

    @Test func kindsCarryTheirResource() {
        #expect(Deployment.type == K8sType.deployment)
        #expect(Pod.type == K8sType.pod)
        #expect(Namespace.type == K8sType.namespace)
        #expect(ClusterRole.type == K8sType.clusterRole)
        #expect(Ingress.plural == "ingresses")
        #expect(NetworkPolicy.plural == "networkpolicies")
        #expect(Endpoints.plural == "endpoints")
        #expect(StorageClass.namespaced == false)
        #expect(RoperatorModelsAutoscalingV2.HorizontalPodAutoscaler.apiVersion == "autoscaling/v2")
    }

    @Test func typedValuesConvertToAndFromKubeObjects() throws {
        let service = Service(
            metadata: ObjectMeta(labels: ["app": "web"], name: "web", namespace: "default"),
            spec: ServiceSpec(ports: [ServicePort(port: 80, targetPort: "http")], selector: ["app": "web"]))
        let object = try service.kubeObject()
        #expect(object.apiVersion == "v1")
        #expect(object.kind == "Service")
        #expect(object.json[path: "spec", "ports"]?[0]?["targetPort"] == "http")
        #expect(try Service(object) == service)
    }

    @Test func labelSelectorsConvertBothWays() throws {
        let selector = try LabelSelector(parsing: "app=web,tier in (a,b)")
        let meta = try MetaLabelSelector(selector)
        #expect(meta.matchLabels == ["app": "web"])
        #expect(try meta.labelSelector() == selector)
    }
}
