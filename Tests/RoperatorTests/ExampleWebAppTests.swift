import Roperator
import RoperatorModelsAppsV1
import RoperatorModelsCoreV1
import RoperatorTesting
import Testing
import WebAppExample

@Suite("Example: WebApp")
struct ExampleWebAppTests {
    @Test("creates a typed Deployment and Service with the CRD derived from the Swift type")
    func deploymentServiceAndStatus() async throws {
        // No CRD given: the TestKit installs the one derived from WebApp.
        let kit = try await TestKit.start(WebApp.config(), handler: WebAppHandler())
        do {
            _ = try await kit.createParent(
                try WebApp(
                    metadata: .init(name: "shop"), spec: WebAppSpec(image: "nginx:1.27", replicas: 3)
                ).kubeObject().json)
            let deployment = try Deployment(try await kit.waitForChild(.deployment, named: "shop"))
            #expect(deployment.spec?.replicas == 3)
            #expect(deployment.spec?.template.spec?.containers.first?.image == "nginx:1.27")
            #expect(deployment.spec?.template.spec?.containers.first?.resources?.requests?["cpu"] == "0.1")
            #expect(deployment.spec?.selector.matchLabels == deployment.spec?.template.metadata?.labels)
            let service = try Service(try await kit.waitForChild(.service, named: "shop"))
            #expect(service.spec?.ports?.first?.targetPort == "http")
            _ = try await kit.waitForParentStatus(
                named: "shop",
                matching: ["selector": "app.kubernetes.io/instance=shop,app.kubernetes.io/name=web-app"])

            // The derived schema refuses what the annotations forbid.
            await #expect(throws: KubeAPIError.self) {
                _ = try await kit.createParent(["metadata": ["name": "bad"], "spec": ["image": "x", "replicas": 1000]])
            }
        } catch {
            try await kit.stop()
            throw error
        }
        try await kit.stop()
    }
}
