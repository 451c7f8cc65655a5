import EchoServerExample
import WebAppExample
import Foundation
import Roperator
import RoperatorModelsCoreV1
import RoperatorModelsMetaV1
import RoperatorTesting
import Testing

/// A custom resource exercising every shape the schema deriver understands.
struct Widget: CustomResource {
    typealias Spec = WidgetSpec
    typealias Status = WidgetStatus
    static let group = "test.roperator.io"
    static let version = "v1"
    static let kind = "Widget"
    static let plural = "widgets"
    static let namespaced = true
    static let shortNames = ["wdg"]
    static let scale: ScaleSubresource? = ScaleSubresource(
        specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas")
    static let printerColumns = [PrinterColumn(name: "Size", type: .string, jsonPath: ".spec.size")]

    var metadata: ObjectMeta?
    var spec: WidgetSpec
    var status: WidgetStatus?
}

enum WidgetSize: String, Codable, CaseIterable, Sendable {
    case small, large
}

struct WidgetSpec: Codable, Sendable, SchemaAnnotated {
    struct Part: Codable, Sendable {
        var name: String
        var weight: Double?
    }

    var size: WidgetSize
    var replicas: Int32
    var bigCount: Int64?
    var memory: Quantity?
    var port: IntOrString?
    var parts: [Part]
    var labels: [String: String]?
    var tags: Set<String>?
    var resources: ResourceRequirements?
    var enabled: Bool?

    static let schemaAnnotations: [String: FieldSchema] = [
        "replicas": FieldSchema("How many widgets.", minimum: 0, maximum: 5),
        "parts": FieldSchema(maxItems: 3),
    ]
}

struct WidgetStatus: Codable, Sendable {
    var replicas: Int32?
    var lastSeen: Time?
}

@Suite("CRDs from Swift types")
struct CustomResourceDefinitionTests {
    static func schema() throws -> JSONValue {
        let crd = try Widget.customResourceDefinition()
        return try #require(crd[path: "spec", "versions"]?[0]?[path: "schema", "openAPIV3Schema"])
    }

    @Test func schemaFollowsTheSwiftTypes() throws {
        let spec = try #require(try Self.schema()[path: "properties", "spec"])
        #expect(spec["required"] == ["parts", "replicas", "size"])
        let properties = try #require(spec["properties"])
        #expect(properties["size"] == ["type": "string", "enum": ["small", "large"]])
        #expect(
            properties["replicas"] == [
                "type": "integer", "format": "int32", "description": "How many widgets.", "minimum": 0, "maximum": 5,
            ])
        #expect(properties["bigCount"] == ["type": "integer", "format": "int64"])
        #expect(properties["memory"]?["x-kubernetes-int-or-string"] == true)
        #expect(properties["port"] == ["x-kubernetes-int-or-string": true, "anyOf": [["type": "integer"], ["type": "string"]]])
        #expect(
            properties["parts"] == [
                "type": "array", "maxItems": 3,
                "items": [
                    "type": "object", "required": ["name"],
                    "properties": ["name": ["type": "string"], "weight": ["type": "number", "format": "double"]],
                ],
            ])
        #expect(properties["labels"] == ["type": "object", "additionalProperties": ["type": "string"]])
        #expect(properties["tags"] == ["type": "array", "items": ["type": "string"], "x-kubernetes-list-type": "set"])
        #expect(properties[path: "resources", "properties", "limits", "additionalProperties", "x-kubernetes-int-or-string"] == true)
        #expect(properties["enabled"] == ["type": "boolean"])
        let status = try #require(try Self.schema()[path: "properties", "status", "properties"])
        #expect(status["lastSeen"] == ["type": "string", "format": "date-time"])
        #expect(status[path: "conditions", "x-kubernetes-list-map-keys"] == ["type"])
    }

    @Test func definitionCarriesNamesScopeAndSubresources() throws {
        let crd = try Widget.customResourceDefinition()
        #expect(crd[path: "metadata", "name"] == "widgets.test.roperator.io")
        #expect(crd[path: "spec", "names", "shortNames"] == ["wdg"])
        #expect(crd[path: "spec", "scope"] == "Namespaced")
        let version = try #require(crd[path: "spec", "versions"]?[0])
        #expect(version[path: "subresources", "status"] == [:])
        #expect(version[path: "subresources", "scale", "specReplicasPath"] == ".spec.replicas")
        #expect(version["additionalPrinterColumns"]?[0]?["jsonPath"] == ".spec.size")
    }

    /// The embedded API server installs the derived CRD, prunes unknown fields and enforces the
    /// declared validation with it.
    @Test func embeddedServerValidatesAndPrunesWithTheDerivedSchema() async throws {
        var configuration = EmbeddedAPIServer.Configuration()
        configuration.customResourceDefinitions = [try Widget.customResourceDefinition()]
        let server = try await EmbeddedAPIServer.start(configuration)
        do {
            let client = try KubeClient(configuration: server.clientConfiguration)
            let widget = Widget(
                metadata: ObjectMeta(name: "w", namespace: "default"),
                spec: WidgetSpec(
                    size: .small, replicas: 2, memory: "1Gi", port: "http", parts: [.init(name: "bolt", weight: 0.5)],
                    resources: ResourceRequirements(limits: ["cpu": "500m"])))
            var object = try widget.kubeObject()
            object.json[path: "spec", "unknownField"] = "dropped"
            let created = try await client.create(Widget.type, object)
            #expect(created.json[path: "spec", "unknownField"] == nil)
            let decoded = try Widget(created)
            #expect(decoded.spec.memory == "1Gi")
            #expect(decoded.spec.parts.first?.name == "bolt")

            var tooMany = try widget.kubeObject()
            tooMany.json[path: "metadata", "name"] = "too-many"
            tooMany.json[path: "spec", "replicas"] = 9
            await #expect(throws: KubeAPIError.self) { _ = try await client.create(Widget.type, tooMany) }
            var wrongEnum = try widget.kubeObject()
            wrongEnum.json[path: "metadata", "name"] = "wrong-enum"
            wrongEnum.json[path: "spec", "size"] = "medium"
            await #expect(throws: KubeAPIError.self) { _ = try await client.create(Widget.type, wrongEnum) }
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    /// The examples' crd.yaml files are generated from their Swift types; this fails when one is stale.
    /// Regenerate with `swift run echo-server --print-crd > Examples/EchoServer/crd.yaml` (and
    /// `web-app` for Examples/WebApp).
    @Test(arguments: [
        ("EchoServer", "echo-server", try EchoServer.customResourceDefinitionYAML()),
        ("WebApp", "web-app", try WebApp.customResourceDefinitionYAML()),
    ])
    func committedExampleCRDsAreCurrent(example: String, executable: String, generated: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = "Examples/\(example)/crd.yaml"
        let committed = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        #expect(committed == generated, "\(path) is stale: run swift run \(executable) --print-crd > \(path)")
    }

    @Test func testKitInstallsTheDerivedDefinition() async throws {
        let kit = try await TestKit.start(EchoServer.config(), handler: EchoServerHandler())
        do {
            let crd = try await kit.client.get(.customResourceDefinition, name: EchoServer.definitionName)
            #expect(
                crd.json[path: "spec", "versions"]?[0]?[path: "schema", "openAPIV3Schema", "properties", "spec", "required"] == [
                    "serviceName"
                ])
        } catch {
            try await kit.stop()
            throw error
        }
        try await kit.stop()
    }
}
