import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

@Suite("TestKit")
struct TestKitTests {
    @Test("the generated CRD has the type's names, scope and a status subresource")
    func generatedCRD() {
        let crd = CustomResourceDefinitions.make(for: echoType)
        #expect(crd[path: "metadata", "name"] == "echoes.example.com")
        #expect(crd[path: "spec", "names", "kind"] == "Echo")
        #expect(crd[path: "spec", "scope"] == "Namespaced")
        #expect(crd[path: "spec", "versions"]?[0]?[path: "subresources", "status"] != nil)
        let bare = CustomResourceDefinitions.make(for: echoType, statusSubresource: false)
        #expect(bare[path: "spec", "versions"]?[0]?["subresources"] == nil)
    }

    @Test("syncs are recorded per parent; a wait that cannot succeed times out")
    func recordsAndTimeouts() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("k", ["message": "hi"]))
            try await kit.waitForChild(.configMap, named: "k-echo")
            #expect(kit.syncCount(forParent: "k") >= 1)
            #expect(kit.errorCount(forParent: "k") == 0)
            #expect(kit.lastRequest(forParent: "k")?.parent.name == "k")
            #expect(kit.lastResponse(forParent: "k")?.children.count == 1)
            await #expect(throws: TestKitError.self) {
                try await kit.waitForChild(.configMap, named: "never", timeout: .milliseconds(100))
            }
        }
    }

    @Test("without a status subresource the status is written to the main resource")
    func statusWithoutSubresource() async throws {
        let kit = try await TestKit.start(
            echoConfig(), handler: EchoHandler(), crd: CustomResourceDefinitions.make(for: echoType, statusSubresource: false))
        try await withStop(kit) {
            try await kit.createParent(echoParent("m", ["message": "main"]))
            try await kit.waitForParentStatus(named: "m", matching: ["message": "main", "observedGeneration": 1])
            // Writing status bumps the generation here; the operator must not chase it.
            let writes = kit.operator.statistics.apiWrites
            let syncs = kit.syncCount(forParent: "m")
            kit.operator.syncNow(ParentKey(namespace: "default", name: "m"))
            try await kit.waitUntil("one more sync") { kit.syncCount(forParent: "m") > syncs }
            try await kit.waitUntil("it finished") {
                kit.operator.statistics.successfulSyncs + kit.operator.statistics.failedSyncs >= kit.syncCount(forParent: "m")
            }
            #expect(kit.operator.statistics.apiWrites == writes)
        }
    }

    @Test("a 409 on a child update is resolved by re-reading, not counted as a failure")
    func conflictIsResolved() async throws {
        let kit = try await TestKit.start(echoConfig(), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("c", ["message": "one"]))
            try await kit.waitForChild(.configMap, named: "c-echo", matching: ["data": ["message": "one"]])
            let server = try #require(kit.server)
            server.faults.add(FaultRule(.conflict, verbs: [.update], resources: ["configmaps"], count: 1))
            try await kit.updateParent(named: "c", spec: ["message": "two"])
            try await kit.waitForChild(.configMap, named: "c-echo", matching: ["data": ["message": "two"]])
            #expect(kit.operator.statistics.conflicts >= 1)
            #expect(kit.operator.statistics.failedSyncs == 0)
        }
    }

    @Test("pointed at a cluster, the kit registers the CRD and works in a throw-away namespace it deletes")
    func clusterMode() async throws {
        let cluster = try await EmbeddedAPIServer.start()
        do {
            let kit = try await TestKit.start(echoConfig(), handler: EchoHandler(), cluster: cluster.clientConfiguration)
            let namespace = kit.namespace
            #expect(namespace.hasPrefix("roperator-test-"))
            try await withStop(kit) {
                try await kit.createParent(echoParent("n", ["message": "cluster"]))
                let child = try await kit.waitForChild(.configMap, named: "n-echo", matching: ["data": ["message": "cluster"]])
                #expect(child.namespace == namespace)
            }
            let probe = try KubeClient(configuration: cluster.clientConfiguration)
            try await poll("the namespace is gone or going") {
                do {
                    return try await probe.get(.namespace, name: namespace).isBeingDeleted
                } catch let error as KubeAPIError where error.isNotFound {
                    return true
                }
            }
            try await probe.shutdown()
        } catch {
            try? await cluster.shutdown()
            throw error
        }
        try await cluster.shutdown()
    }
}
