import EchoServerExample
import Roperator
import RoperatorTesting
import Testing

@Suite("Example: EchoServer")
struct ExampleEchoServerTests {
    /// A TestKit running the example's configuration and handler, with the CRD from its crd.yaml.
    static func start() async throws -> TestKit {
        let crds = try EmbeddedAPIServer.Configuration.customResourceDefinitions(fromFile: EchoServer.crdFile.path)
        try #require(crds.count == 1)
        return try await TestKit.start(EchoServer.config(), handler: EchoServerHandler(), crd: crds[0])
    }

    @Test("creates the Pod and the Service, owned by the EchoServer, and reports the Pending Pod")
    func podServiceAndStatus() async throws {
        let kit = try await Self.start()
        do {
            let parent = try await kit.createParent([
                "metadata": ["name": "hello"], "spec": ["serviceName": "hello-echo", "message": "hi"],
            ])
            let pod = try await kit.waitForChild(.pod, named: "hello-pod")
            let service = try await kit.waitForChild(.service, named: "hello-echo")
            for child in [pod, service] {
                let owner = try #require(child.json[path: "metadata", "ownerReferences"]?[0])
                #expect(owner["uid"]?.stringValue == parent.uid)
                #expect(owner["kind"] == "EchoServer")
                #expect(owner["controller"] == true)
            }
            #expect(pod.json[path: "spec", "containers"]?[0]?["args"] == ["-listen=:5678", "-text=hi"])
            #expect(pod.json[path: "spec", "containers"]?[0]?["image"]?.stringValue == EchoServer.defaultImage)
            // The Service selects exactly the Pod's labels, and forwards to the container port.
            let selector = try #require(service.json[path: "spec", "selector"]?.objectValue)
            #expect(!selector.isEmpty)
            for (key, value) in selector { #expect(pod.labels[key] == value.stringValue) }
            #expect(service.json[path: "spec", "ports"]?[0]?["targetPort"] == .int(Int64(EchoServer.containerPort)))

            // No kubelet runs in the embedded server: the Pod stays Pending and the status says so.
            let settled = try await kit.waitForParentStatus(
                named: "hello", matching: ["podPhase": "Pending", "serviceName": "hello-echo"])
            let message = try #require(settled.status?["message"]?.stringValue)
            #expect(message.contains("hello-pod is Pending"))
            #expect(settled.status?["observedGeneration"] == settled.json[path: "metadata", "generation"])
        } catch {
            try? await kit.stop()
            throw error
        }
        try await kit.stop()
    }

    @Test("a spec change recreates the Pod and moves the Service to the new name")
    func specChangeRecreatesPod() async throws {
        let kit = try await Self.start()
        do {
            try await kit.createParent(["metadata": ["name": "web"], "spec": ["serviceName": "web-a", "message": "one"]])
            let first = try await kit.waitForChild(.pod, named: "web-pod")
            _ = try await kit.waitForChild(.service, named: "web-a")

            try await kit.updateParent(named: "web", spec: ["serviceName": "web-b", "message": "two"])
            let second = try await kit.wait(for: "a new Pod answering 'two'") { () -> KubeObject? in
                guard let pod = try await kit.object(.pod, named: "web-pod"), pod.uid != first.uid else { return nil }
                return pod.json[path: "spec", "containers"]?[0]?["args"]?[1] == "-text=two" ? pod : nil
            }
            #expect(second.uid != first.uid)
            _ = try await kit.waitForChild(.service, named: "web-b")
            try await kit.waitForChildGone(.service, named: "web-a")
            try await kit.waitForParentStatus(named: "web", matching: ["serviceName": "web-b", "podPhase": "Pending"])
        } catch {
            try? await kit.stop()
            throw error
        }
        try await kit.stop()
    }

    @Test(
        "the status follows the Pod's phase",
        arguments: [
            ("Running", "echo server running; Service svc port 80 answers"),
            ("Failed", "Pod p-pod stopped: Failed"),
            ("Pending", "Pod p-pod is Pending: no node has started it yet"),
        ])
    func statusFromPhase(phase: String, expected: String) async throws {
        let parent = KubeObject(
            [
                "apiVersion": "example.roperator.io/v1alpha1", "kind": "EchoServer",
                "metadata": ["name": "p", "namespace": "default", "uid": "u1"],
                "spec": ["serviceName": "svc"],
            ] as JSONValue)
        let pod = KubeObject(
            [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p-pod", "namespace": "default"],
                "status": ["phase": .string(phase)],
            ] as JSONValue)
        let response = try await EchoServerHandler().sync(SyncRequest(parent: parent, children: [.pod: [pod]]))
        #expect(response.status?["message"]?.stringValue == expected)
        #expect(response.status?["podPhase"]?.stringValue == phase)
        #expect(response.children.map(\.kind) == ["Pod", "Service"])
    }

    @Test("without the Pod the status says it is being created; a spec without serviceName fails")
    func noPodAndBadSpec() async throws {
        let parent = KubeObject(
            [
                "apiVersion": "example.roperator.io/v1alpha1", "kind": "EchoServer",
                "metadata": ["name": "p", "namespace": "default"], "spec": ["serviceName": "svc"],
            ] as JSONValue)
        let response = try await EchoServerHandler().sync(SyncRequest(parent: parent))
        #expect(response.status?["message"] == "creating Pod p-pod")
        #expect(response.status?["podPhase"] == nil)

        var broken = parent
        broken.json["spec"] = ["message": "no service name"]
        await #expect(throws: CodingFailure.self) { try await EchoServerHandler().sync(SyncRequest(parent: broken)) }
    }
}
