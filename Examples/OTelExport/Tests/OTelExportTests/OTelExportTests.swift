import OTel
import OTelExport
import Roperator
import RoperatorTesting
import Testing

@Suite("Spans exported with swift-otel")
struct OTelExportTests {
    static let echoType = K8sType(group: "example.com", version: "v1", kind: "Echo", plural: "echoes")

    @Test("a reconcile's span tree reaches an OTLP/HTTP collector")
    func reconcileSpansReachCollector() async throws {
        let collector = try await OTLPCollector()
        var otel = OTel.Configuration.default
        otel.serviceName = "otel-export-test"
        otel.logs.enabled = false
        otel.metrics.enabled = false
        // A signal's endpoint set in code is the whole URL (as OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is).
        otel.traces.otlpExporter.endpoint = "\(collector.endpoint)/v1/traces"
        otel.traces.otlpExporter.protocol = .httpJSON
        otel.traces.batchSpanProcessor.scheduleDelay = .milliseconds(50)
        let tracing = try OTel.makeTracingBackend(configuration: otel)
        let exporter = Task { try await tracing.service.run() }

        let config = OperatorConfig(name: "otel-echo", parent: Self.echoType).withChild(.configMap, .replace)
            .tracer(tracing.factory)
        let kit = try await TestKit.start(config, handler: EchoHandler())
        do {
            _ = try await kit.createParent(["metadata": ["name": "traced"], "spec": ["message": "hello"]])
            _ = try await kit.waitForChild(.configMap, named: "traced-echo", matching: ["data": ["message": "hello"]])
            // The batch processor exports every 50 ms; wait for a reconcile that wrote the child.
            let tree = try await kit.wait(for: "a reconcile with its child write at the collector", timeout: .seconds(30)) {
                () -> (root: OTLPCollector.Span, spans: [OTLPCollector.Span])? in
                let spans = collector.spans
                for root in spans where root.name == "reconcile Echo" && root.parentSpanID.isEmpty {
                    let trace = spans.filter { $0.traceID == root.traceID }
                    if trace.contains(where: { $0.name == "POST configmaps" }) { return (root, trace) }
                }
                return nil
            }
            #expect(collector.problems.isEmpty, "\(collector.problems)")
            #expect(tree.root.serviceName == "otel-export-test")
            let byID = Dictionary(tree.spans.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
            let children = tree.spans.filter { $0.parentSpanID == tree.root.spanID }.map(\.name)
            #expect(children.contains("handler.sync"))
            #expect(children.contains("children.apply"))
            // The client span of the child's creation hangs below children.apply.
            let post = try #require(tree.spans.first { $0.name == "POST configmaps" })
            #expect(byID[post.parentSpanID]?.name == "children.apply")
        } catch {
            Issue.record("the collector received \(collector.spans), problems: \(collector.problems)")
            try? await kit.stop()
            exporter.cancel()
            try? await collector.close()
            throw error
        }
        try await kit.stop()
        exporter.cancel()
        _ = await exporter.result
        try await collector.close()
    }
}
