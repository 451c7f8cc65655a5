import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

/// An operator whose children are a Deployment and a Service, written with only the fields a user
/// writes, against a server that defaults them and canonicalizes quantities as kube-apiserver does:
/// once converged it must write nothing.
@Suite("Built-in children on a defaulting server")
struct BuiltInChildrenIdleTests {
    /// Mirrors `spec.cpu` into a Deployment's container request, with a Service in front.
    struct WebHandler: Handler {
        func sync(_ request: SyncRequest) async throws -> SyncResponse {
            let name = request.parent.name ?? ""
            let cpu = request.parent.spec?["cpu"] ?? "100m"
            var response = SyncResponse(status: ["cpu": cpu])
            response.add(
                [
                    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
                    "spec": [
                        "selector": ["matchLabels": ["app": .string(name)]],
                        "template": [
                            "metadata": ["labels": ["app": .string(name)]],
                            "spec": [
                                "containers": [
                                    [
                                        "name": "web", "image": "nginx:1.25", "ports": [["containerPort": 80]],
                                        "resources": ["requests": ["cpu": cpu, "memory": "1000Mi"]],
                                    ]
                                ]
                            ],
                        ],
                    ],
                ] as JSONValue)
            response.add(
                [
                    "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)],
                    "spec": ["selector": ["app": .string(name)], "ports": [["port": 80]]],
                ] as JSONValue)
            return response
        }
    }

    @Test(
        "converges and then writes nothing for 10 s",
        arguments: zip([UpdateStrategy.replace, .serverSideApply, .replace, .serverSideApply], ["500m", "500m", "0.5", "0.5"]))
    func idleAfterConvergence(strategy: UpdateStrategy, cpu: String) async throws {
        let config = OperatorConfig(name: "web-operator", parent: echoType)
            .withChild(.deployment, ChildConfig(updateStrategy: strategy))
            .withChild(.service, ChildConfig(updateStrategy: strategy))
            .backoff(Backoff(initial: .milliseconds(50), max: .seconds(1)))
        let kit = try await TestKit.start(config, handler: WebHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("w", ["cpu": .string(cpu)]))
            let deployment = try await kit.waitForChild(.deployment, named: "w")
            #expect(deployment.json[path: "spec", "template", "spec", "containers"]?[0]?[path: "resources", "requests", "cpu"] == "500m")
            #expect(deployment.json[path: "spec", "progressDeadlineSeconds"] == 600)
            _ = try await kit.waitForChild(.service, named: "w")
            _ = try await kit.waitForParentStatus(named: "w", matching: ["observedGeneration": 1])
            try await kit.waitUntil("no sync in flight") {
                let statistics = kit.operator.statistics
                return statistics.successfulSyncs > 0
                    && statistics.successfulSyncs + statistics.failedSyncs >= kit.syncCount(forParent: "w")
            }
            let server = try #require(kit.server)
            let writes = server.requests.writes
            let quiet = {
                let syncs = kit.syncCount(forParent: "w")
                kit.operator.syncNow(ParentKey(namespace: "default", name: "w"))
                try await kit.waitUntil("a forced sync ran") { kit.syncCount(forParent: "w") > syncs }
                // Ten seconds in which any write fails the test at once.
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    let now = server.requests.writes
                    try #require(
                        now == writes,
                        "the operator wrote \(now - writes) times after converging (strategy \(strategy), cpu \(cpu))")
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            // With "0.5" the server stores "500m"; the diff compares quantities by amount.
            try await quiet()
        }
    }
}
