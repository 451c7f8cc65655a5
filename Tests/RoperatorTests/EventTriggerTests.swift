@testable import Roperator
import RoperatorClient
import RoperatorTesting
import Logging
import Testing

@Suite("Trigger stage and EventRecorder memory")
struct EventTriggerTests {
    func parent(generation: Int64, deleting: Bool = false) -> CachedObject {
        var object = KubeObject(type: echoType, namespace: "ns", name: "p")
        object.uid = "u"
        object.generation = generation
        if deleting { object.deletionTimestamp = "2026-01-01T00:00:00Z" }
        return CachedObject(object)
    }

    @Test func parentChangesBecomeQueueActions() {
        let key = ParentKey(namespace: "ns", name: "p")
        #expect(EventTrigger.actions(forParent: .init(old: nil, new: parent(generation: 1))) == [.enqueue(key)])
        #expect(EventTrigger.actions(forParent: .init(old: parent(generation: 1), new: parent(generation: 1))) == [.enqueue(key)])
        #expect(EventTrigger.actions(forParent: .init(old: parent(generation: 1), new: parent(generation: 2))) == [.syncNow(key)])
        #expect(
            EventTrigger.actions(
                forParent: .init(old: parent(generation: 1), new: parent(generation: 1, deleting: true))) == [.syncNow(key)])
        #expect(EventTrigger.actions(forParent: .init(old: parent(generation: 1), new: nil)) == [.forget(key)])
    }

    @Test func childChangesNameTheirOwnersBeforeAndAfter() {
        var old = KubeObject(type: .configMap, namespace: "ns", name: "c")
        old.labels[TrackingLabels.parentUID] = "a"
        var new = old
        new.labels[TrackingLabels.parentUID] = "b"
        #expect(EventTrigger.owners(ofChild: .init(old: CachedObject(old), new: CachedObject(new))) == ["a", "b"])
        #expect(EventTrigger.owners(ofChild: .init(old: CachedObject(old), new: nil)) == ["a"])
    }

    @Test func recorderForgetsTheLeastRecentlyUsed() async throws {
        let server = try await EmbeddedAPIServer.start()
        let client = try KubeClient(configuration: server.clientConfiguration)
        let recorder = EventRecorder(client: client, component: "test", logger: Logger(label: "test"), memory: 4)
        let object = KubeObject(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "namespace": "default", "uid": "x-1"]])
        for index in 1...4 {
            await recorder.record(on: object, type: .normal, reason: "R\(index)", message: "m")
        }
        // Using R1 again makes R2 the least recently used.
        await recorder.record(on: object, type: .normal, reason: "R1", message: "m")
        await recorder.record(on: object, type: .normal, reason: "R5", message: "m")
        #expect(recorder.rememberedCount == 4)
        #expect(recorder.remembers(on: object, type: .normal, reason: "R1", message: "m"))
        #expect(!recorder.remembers(on: object, type: .normal, reason: "R2", message: "m"))
        #expect(recorder.remembers(on: object, type: .normal, reason: "R5", message: "m"))
        try await client.shutdown()
        try await server.shutdown()
    }
}
