@testable import Roperator
import RoperatorClient
import RoperatorTesting
import Testing
import Tracing

@Suite("Reconcile tracing")
struct ReconcileTracingTests {
    /// The Echo handler, with a span of the user's own around its work.
    struct UserSpanHandler: Handler {
        func sync(_ request: SyncRequest) async throws -> SyncResponse {
            try await withSpan("user work") { span in
                span.attributes["user.parent"] = request.parent.name ?? ""
                return try await EchoHandler().sync(request)
            }
        }
    }

    /// The finished reconcile spans of `parent`.
    private static func reconciles(of parent: String, in tracer: RecordingTracer) -> [RecordedSpan] {
        tracer.spans(named: "reconcile Echo").filter { $0[attribute: "roperator.parent.name"] == .string(parent) }
    }

    private static func child(_ name: String, of span: RecordedSpan, in tracer: RecordingTracer) -> RecordedSpan? {
        tracer.children(of: span).first { $0.operationName == name }
    }

    @Test("a reconcile is a root span with the handler, apply, status and finalizer steps below it")
    func reconcileTree() async throws {
        let tracer = RecordingTracer()
        let kit = try await TestKit.start(echoConfig().tracer(tracer), handler: UserSpanHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("t", ["message": "traced"]))
            // The reconcile that created the child; it also wrote the status.
            let reconcile = try await kit.wait(for: "the reconcile that created the child") {
                Self.reconciles(of: "t", in: tracer).first { span in
                    Self.child("children.apply", of: span, in: tracer)?[attribute: "roperator.children.created"] == .int64(1)
                }
            }
            let parent = try await kit.parent(named: "t")
            #expect(reconcile.parentSpanID == nil)
            #expect(reconcile.kind == .internal)
            #expect(!reconcile.isError)
            #expect(reconcile[attribute: "roperator.operator"] == .string("echo-operator"))
            #expect(reconcile[attribute: "roperator.parent.kind"] == .string("Echo"))
            #expect(reconcile[attribute: "k8s.namespace.name"] == .string("default"))
            #expect(reconcile[attribute: "roperator.parent.uid"] == .string(parent.uid ?? "?"))
            #expect(reconcile[attribute: "roperator.parent.generation"] == .int64(1))
            #expect(reconcile[attribute: "roperator.outcome"] == .string("synced"))

            let steps = tracer.children(of: reconcile).map(\.operationName)
            #expect(steps.contains("handler.sync"))
            #expect(steps.contains("children.apply"))
            #expect(steps.contains("status.write"))
            let sync = try #require(Self.child("handler.sync", of: reconcile, in: tracer))
            #expect(sync[attribute: "roperator.children.desired"] == .int64(1))

            // The user's span is a child of the handler's step, so inside the reconcile's trace.
            let user = try #require(tracer.spans(named: "user work").first { $0.traceID == reconcile.traceID })
            #expect(user.parentSpanID == sync.spanID)
            #expect(tracer.isDescendant(user, of: reconcile))

            // The runtime's requests are client spans below the steps that made them.
            let apply = try #require(Self.child("children.apply", of: reconcile, in: tracer))
            #expect(apply[attribute: "roperator.children.desired"] == .int64(1))
            let create = try #require(tracer.children(of: apply).first)
            #expect(create.operationName == "POST configmaps")
            #expect(create.kind == .client)
            let status = try #require(Self.child("status.write", of: reconcile, in: tracer))
            #expect(tracer.children(of: status).map(\.operationName) == ["PATCH echoes/status"])

            // The finalizer went on before the first sync, in a reconcile of its own trace or this one.
            let add = try #require(tracer.spans(named: "finalizer.add").first)
            let owner = try #require(tracer.finishedSpans.first { $0.spanID == add.parentSpanID })
            #expect(owner.operationName == "reconcile Echo")
            #expect(tracer.children(of: add).map(\.operationName) == ["PATCH echoes"])
        }
    }

    @Test("the sync after the operator's own child writes finds the children current without comparing them")
    func ownWritesAreCurrent() async throws {
        let tracer = RecordingTracer()
        let kit = try await TestKit.start(echoConfig().tracer(tracer), handler: EchoHandler())
        try await withStop(kit) {
            @Sendable func applies(_ attribute: String, _ value: Int) -> [RecordedSpan] {
                Self.reconciles(of: "own", in: tracer).compactMap { Self.child("children.apply", of: $0, in: tracer) }
                    .filter { $0[attribute: attribute] == .int64(Int64(value)) }
            }
            try await kit.createParent(echoParent("own", ["message": "first"]))
            // The create's answer is remembered: the sync its watch event triggers writes nothing.
            let echo = try await kit.wait(for: "a sync that found the created child current") {
                applies("roperator.children.current", 1).first
            }
            #expect(echo[attribute: "roperator.children.created"] == .int64(0))
            #expect(echo[attribute: "roperator.children.updated"] == .int64(0))

            // A replace's answer too.
            let currentBefore = applies("roperator.children.current", 1).count
            _ = try await kit.updateParent(named: "own", spec: ["message": "second"])
            try await kit.wait(for: "the child replaced") { applies("roperator.children.updated", 1).first }
            try await kit.wait(for: "a sync that found the replaced child current") {
                applies("roperator.children.current", 1).count > currentBefore ? true : nil
            }
            let child = try await kit.client.get(.configMap, namespace: "default", name: "own-echo")
            #expect(child.json["data"]?["message"] == "second")
        }
    }

    @Test("a throwing handler marks its step and the reconcile failed, and nothing is applied")
    func throwingHandler() async throws {
        let tracer = RecordingTracer()
        let kit = try await TestKit.start(echoConfig().tracer(tracer), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("boom", ["fail": true]))
            let reconcile = try await kit.wait(for: "a failed reconcile") {
                Self.reconciles(of: "boom", in: tracer).first { $0[attribute: "roperator.outcome"] == .string("error") }
            }
            #expect(reconcile.isError)
            #expect(reconcile.errors.contains { $0 is ReconcileError })
            let sync = try #require(Self.child("handler.sync", of: reconcile, in: tracer))
            #expect(sync.isError)
            #expect(sync.errors.contains { $0 is EchoFailure })
            #expect(Self.child("children.apply", of: reconcile, in: tracer) == nil)
            #expect(Self.child("status.write", of: reconcile, in: tracer) == nil)
        }
    }

    @Test("deleting a parent traces finalize and the finalizer's removal")
    func finalizeTree() async throws {
        let tracer = RecordingTracer()
        let kit = try await TestKit.start(echoConfig().tracer(tracer), handler: EchoHandler())
        try await withStop(kit) {
            try await kit.createParent(echoParent("gone", ["message": "bye"]))
            try await kit.waitForParentStatus(named: "gone", matching: ["observedGeneration": 1])
            try await kit.deleteParent(named: "gone")
            try await kit.waitForParentGone(named: "gone")
            let reconcile = try await kit.wait(for: "the reconcile that removed the finalizer") {
                Self.reconciles(of: "gone", in: tracer).first { Self.child("finalizer.remove", of: $0, in: tracer) != nil }
            }
            #expect(reconcile[attribute: "roperator.outcome"] == .string("finalize"))
            let finalize = try #require(Self.child("handler.finalize", of: reconcile, in: tracer))
            #expect(finalize[attribute: "roperator.finalize.done"] == .bool(true))
        }
    }

    @Test("with no tracer configured or bootstrapped, reconciles make no spans")
    func offByDefault() {
        #expect(ReconcileTracing.resolve(nil) == nil)
        let tracer = RecordingTracer()
        #expect(ReconcileTracing.resolve(tracer) is RecordingTracer)
        #expect(ReconcileTracing.resolve(NoOpTracer()) == nil)
    }
}
