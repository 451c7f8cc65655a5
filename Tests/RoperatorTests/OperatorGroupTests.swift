@testable import Roperator
import RoperatorClient
import RoperatorTesting
import Logging
import ServiceLifecycle
import Testing

@Suite("OperatorGroup")
struct OperatorGroupTests {
    static let otherType = K8sType(group: "example.com", version: "v1", kind: "Shout", plural: "shouts")

    @Test("two operators share one client and one ConfigMap informer, and stop cleanly")
    func sharedCachesAndShutdown() async throws {
        let server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(customResourceDefinitions: [
                CustomResourceDefinitions.make(for: echoType), CustomResourceDefinitions.make(for: Self.otherType),
            ]))
        let client = try KubeClient(configuration: server.clientConfiguration)
        let group = OperatorGroup(client: client)
        let echo = try group.add(echoConfig(name: "echo").metricsHost("127.0.0.1").metricsPort(0), handler: EchoHandler())
        let shout = try group.add(
            OperatorConfig(name: "shout", parent: Self.otherType).withChild(.configMap), handler: EchoHandler())
        let run = Task { try await group.run() }
        do {
            try await poll("both operators ready") { group.isReady }
            // Parents of both types, plus one shared ConfigMap watch: three, not four.
            try await poll("three watches open") { server.faults.openWatchCount == 3 }
            _ = try await client.create(echoType, KubeObject(["metadata": ["name": "x"], "spec": ["message": "e"]] as JSONValue))
            _ = try await client.create(Self.otherType, KubeObject(["metadata": ["name": "y"], "spec": ["message": "s"]] as JSONValue))
            try await poll("both children exist") {
                let x = try? await client.get(.configMap, namespace: "default", name: "x-echo")
                let y = try? await client.get(.configMap, namespace: "default", name: "y-echo")
                return x != nil && y != nil
            }
            let x = try await client.get(.configMap, namespace: "default", name: "x-echo")
            #expect(x.labels[TrackingLabels.operatorName] == "echo")
            try await poll("both operators finished a sync") {
                echo.statistics.successfulSyncs > 0 && shout.statistics.successfulSyncs > 0
            }

            try await poll("the health endpoint listens") { group.healthPort != nil }
            let port = try #require(group.healthPort)
            let probe = try KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:\(port)"))
            let ready = try await probe.request(method: "GET", path: "/readyz")
            #expect(ready.status == 200)
            let metrics = String(decoding: try await probe.request(method: "GET", path: "/metrics").body, as: UTF8.self)
            #expect(metrics.contains("controller_runtime_reconcile_total{controller=\"echo\",result=\"success\"}"))
            #expect(metrics.contains("roperator_ready{operator=\"shout\"} 1"))
            try await probe.shutdown()

            run.cancel()
            try await poll("the group's run returned") { echo.isReady == false && shout.isReady == false }
            _ = await run.result
            try await poll("every watch closed") { server.faults.openWatchCount == 0 }
            #expect(echo.queue.runningCount == 0)
        } catch {
            run.cancel()
            _ = await run.result
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test("graceful shutdown lets the running sync finish, then stops and closes every watch")
    func gracefulShutdown() async throws {
        let server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(customResourceDefinitions: [CustomResourceDefinitions.make(for: echoType)]))
        let client = try KubeClient(configuration: server.clientConfiguration)
        let started = CallCounter()
        let finished = CallCounter()
        let handler = ClosureHandler(sync: { request in
            if request.parent.spec?["slow"]?.boolValue == true {
                _ = started.next()
                // Simulated work; cancellation would cut it short and throw.
                try await Task.sleep(for: .milliseconds(300))
                _ = finished.next()
            }
            return try await EchoHandler().sync(request)
        })
        let member = try Operator(config: echoConfig(), handler: handler, client: client)
        let services = ServiceGroup(services: [member], logger: Logger(label: "test"))
        let run = Task { try await services.run() }
        do {
            try await poll("ready") { member.isReady }
            _ = try await client.create(echoType, KubeObject(["metadata": ["name": "z"], "spec": ["message": "bye"]] as JSONValue))
            try await poll("child exists") { (try? await client.get(.configMap, namespace: "default", name: "z-echo")) != nil }
            _ = try await client.create(echoType, KubeObject(["metadata": ["name": "slow"], "spec": ["slow": true]] as JSONValue))
            try await poll("the slow sync started") { started.value > 0 }
            await services.triggerGracefulShutdown()
            try await poll("the operator stopped") { !member.isReady }
            _ = await run.result
            try await poll("every watch closed") { server.faults.openWatchCount == 0 }
            #expect(member.queue.runningCount == 0)
            #expect(finished.value == started.value, "the running sync was allowed to finish")
        } catch {
            run.cancel()
            _ = await run.result
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.shutdown()
    }
}

/// Polls `condition` every 20 ms until it holds or 10 s pass.
func poll(_ what: String, timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + TimeoutScale.scaled(timeout)
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting until \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
