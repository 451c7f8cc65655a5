import Foundation
import Roperator
import RoperatorClient
import RoperatorTesting
import TempNamespaceExample
import Testing

@Suite("Example: TempNamespace")
struct ExampleTempNamespaceTests {
    static func start() async throws -> TestKit {
        let crds = try EmbeddedAPIServer.Configuration.customResourceDefinitions(fromFile: TempNamespace.crdFile.path)
        try #require(crds.count == 1)
        return try await TestKit.start(TempNamespace.config(), handler: TempNamespaceHandler(), crd: crds[0])
    }

    @Test("the namespace exists until deleteAfter passes, then goes; deleting the parent runs finalize")
    func expiryAndFinalizer() async throws {
        let kit = try await Self.start()
        do {
            // 8 s, not less: the wait for the Active status and the check of resyncAfter below must
            // run before the deadline passes, also on a machine busy with the rest of the suite
            // (the process tests start operators and servers of their own, and a task can wait
            // seconds for a thread); stretched by TimeoutScale like the waits (a sanitizer build
            // runs several times slower).
            let lifetime = Int((8 * TimeoutScale.factor).rounded(.up))
            let parent = try await kit.createParent([
                "metadata": ["name": "brief"], "spec": ["deleteAfter": .string("\(lifetime)s")],
            ])
            let namespace = try await kit.waitForChild(.namespace, named: "brief")
            let owner = try #require(namespace.json[path: "metadata", "ownerReferences"]?[0])
            #expect(owner["uid"]?.stringValue == parent.uid)
            let active = try await kit.waitForParentStatus(named: "brief", matching: ["phase": "Active", "namespace": "brief"])
            #expect(active.finalizers.contains(TempNamespace.config().finalizerName))
            // Only resyncAfter wakes the operator when the deadline passes: nothing else changes.
            #expect(kit.lastResponse(forParent: "brief")?.resyncAfter != nil)

            try await kit.waitForChildGone(.namespace, named: "brief", timeout: .seconds(15))
            // The namespace's deletion event brings one more sync, which reports it gone.
            try await kit.waitUntil("the status reports the namespace deleted") {
                let status = try await kit.parent(named: "brief").status
                return status?["phase"] == "Expired"
                    && status?["message"]?.stringValue?.hasSuffix("namespace brief deleted") == true
            }

            try await kit.deleteParent(named: "brief")
            try await kit.waitForParentGone(named: "brief")
            let record = kit.record(forParent: "brief")
            #expect(record.finalizes == 1)
            #expect(record.lastFinalizeResponse?.status?["phase"] == "Deleting")
            #expect(record.lastFinalizeResponse?.isDone == true)
        } catch {
            try? await kit.stop()
            throw error
        }
        try await kit.stop()
    }

    @Test("an RFC 3339 deadline and a namespace name; deleting early removes the namespace with the parent")
    func deadlineTimeAndEarlyDelete() async throws {
        let kit = try await Self.start()
        do {
            let deadline = Date().addingTimeInterval(3600).formatted(Date.ISO8601FormatStyle())
            try await kit.createParent([
                "metadata": ["name": "later"], "spec": ["deleteAfter": .string(deadline), "namespaceName": "sandbox"],
            ])
            _ = try await kit.waitForChild(.namespace, named: "sandbox")
            let status = try await kit.waitForParentStatus(named: "later", matching: ["phase": "Active", "namespace": "sandbox"])
            #expect(status.status?["expiresAt"]?.stringValue == deadline)

            try await kit.deleteParent(named: "later")
            try await kit.waitForParentGone(named: "later")
            #expect(kit.record(forParent: "later").finalizes == 1)
            // The garbage collector follows the Namespace's owner reference.
            try await kit.waitForChildGone(.namespace, named: "sandbox")
        } catch {
            try? await kit.stop()
            throw error
        }
        try await kit.stop()
    }

    @Test(
        "deleteAfter accepts durations and RFC 3339 times",
        arguments: [
            ("90s", Duration.seconds(90)), ("15m", .seconds(900)), ("1h30m", .seconds(5400)), ("7d", .seconds(604_800)),
            ("500ms", .milliseconds(500)),
        ])
    func durations(text: String, expected: Duration) throws {
        #expect(try DeleteAfter(text) == .after(expected))
    }

    @Test("deleteAfter parses times with and without fractions and offsets")
    func times() throws {
        let plain = try DeleteAfter("2030-01-02T15:04:05Z")
        #expect(plain == .at(Date(timeIntervalSince1970: 1_893_596_645)))
        #expect(try DeleteAfter("2030-01-02T16:04:05+01:00") == plain)
        #expect(try DeleteAfter("2030-01-02T15:04:05.500Z") == .at(Date(timeIntervalSince1970: 1_893_596_645.5)))
        let created = Date(timeIntervalSince1970: 1000)
        #expect(try DeleteAfter("90s").deadline(createdAt: created) == Date(timeIntervalSince1970: 1090))
    }

    @Test("anything else is refused with the text in the error", arguments: ["soon", "10", "", "5 minutes", "1x", "2030-01-02"])
    func invalid(text: String) {
        #expect(throws: DeleteAfterError(text: text)) { try DeleteAfter(text) }
    }
}
