@testable import Roperator
import Prometheus
import RoperatorClient
import RoperatorTesting
import Testing

/// `/metrics` of a running operator over HTTP, read with the Prometheus text format's rules:
/// controller-runtime's families with their labels, the client's request counts, Roperator's own.
@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    @Test("a scrape parses as Prometheus text and carries controller-runtime's and Roperator's families")
    func scrape() async throws {
        let server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(customResourceDefinitions: [
                CustomResourceDefinitions.make(for: echoType)
            ]))
        let configuration = OperatorGroup.Configuration(healthPort: 0, healthHost: "127.0.0.1")
        var options = KubeClient.Options()
        options.metricsFactory = PrometheusMetricsFactory(registry: configuration.metricsRegistry)
        let client = try KubeClient(configuration: server.clientConfiguration, options: options)
        let group = OperatorGroup(client: client, configuration: configuration)
        let echo = try group.add(echoConfig(name: "echo"), handler: EchoHandler())
        let run = Task { try await group.run() }
        defer { run.cancel() }
        try await poll("ready") { group.isReady }
        for name in ["a", "b"] {
            _ = try await client.create(
                echoType, KubeObject(["metadata": ["name": .string(name)], "spec": ["message": "hi"]] as JSONValue))
        }
        try await poll("both parents synced") { echo.statistics.successfulSyncs >= 2 }
        try await poll("the health endpoint listens") { group.healthPort != nil }
        let port = try #require(group.healthPort)

        // The caches see the children a moment after the syncs that wrote them.
        try await poll("the cache holds both children") {
            echo.informers.contains { $0.key.type == .configMap && $0.store.count >= 2 }
        }
        let response = try await HTTPProbe.get("/metrics", port: port)
        #expect(response.status == 200)
        #expect(response.contentType.hasPrefix("text/plain; version=0.0.4"))
        let families = try PrometheusTextParser.parse(response.body)

        func samples(_ name: String, _ labels: [String: String] = [:]) -> [PrometheusTextParser.Sample] {
            families.values.flatMap { $0.samples }.filter { sample in
                sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
            }
        }
        func value(_ name: String, _ labels: [String: String]) -> Double? { samples(name, labels).first?.value }

        let controller = ["controller": "echo"]
        let queue = ["controller": "echo", "name": "echo"]
        #expect(families["controller_runtime_reconcile_total"]?.type == "counter")
        #expect((value("controller_runtime_reconcile_total", controller.merging(["result": "success"]) { $1 }) ?? 0) >= 2)
        #expect(value("controller_runtime_reconcile_errors_total", controller) == 0)
        #expect(families["controller_runtime_reconcile_time_seconds"]?.type == "histogram")
        #expect((value("controller_runtime_reconcile_time_seconds_count", controller) ?? 0) >= 2)
        #expect(value("controller_runtime_max_concurrent_reconciles", controller) == Double(echo.config.concurrency))
        #expect(value("controller_runtime_active_workers", controller) != nil)
        for gauge in ["workqueue_depth", "workqueue_longest_running_processor_seconds", "workqueue_unfinished_work_seconds"] {
            #expect(families[gauge]?.type == "gauge", "\(gauge)")
            #expect(value(gauge, queue) != nil, "\(gauge)")
        }
        #expect((value("workqueue_adds_total", queue) ?? 0) >= 2)
        #expect(value("workqueue_retries_total", queue) == 0)
        #expect((value("workqueue_queue_duration_seconds_count", queue) ?? 0) >= 2)
        #expect((value("workqueue_work_duration_seconds_count", queue) ?? 0) >= 2)
        #expect(samples("workqueue_work_duration_seconds_bucket", queue).contains { Double($0.labels["le"] ?? "") == 1e-8 })

        let host = "127.0.0.1:\(server.port)"
        #expect((value("rest_client_requests_total", ["code": "201", "method": "POST", "host": host]) ?? 0) >= 2)
        #expect(families["rest_client_request_duration_seconds"]?.type == "histogram")
        #expect(families["leader_election_master_status"] == nil, "no Lease, no leadership gauge")

        #expect(value("roperator_ready", ["operator": "echo"]) == 1)
        #expect((value("roperator_api_writes_total", ["operator": "echo", "verb": "create"]) ?? 0) >= 2)
        #expect(value("roperator_cache_objects", ["resource": "echoes.example.com"]) == 2)
        // Children are cached through the tracking label: `configmaps?<selector>`.
        let children = samples("roperator_cache_objects").filter { $0.labels["resource"]?.hasPrefix("configmaps?") == true }
        #expect(children.count == 1 && (children.first?.value ?? 0) >= 2, "\(children)")
        #expect((value("roperator_cache_bytes", ["resource": "echoes.example.com"]) ?? 0) > 200)
        #expect((value("roperator_relists_total", ["resource": "echoes.example.com"]) ?? 0) >= 1)
        #expect(value("roperator_watch_failures_total", ["resource": "echoes.example.com", "reason": "error"]) == 0)
        #expect(value("roperator_expectations_pending", ["operator": "echo"]) != nil)

        run.cancel()
        _ = await run.result
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test("the parser refuses what Prometheus refuses")
    func parserRefusesBadText() throws {
        #expect(throws: PrometheusTextParser.Failure.self) { try PrometheusTextParser.parse("x 1") }
        #expect(throws: PrometheusTextParser.Failure.self) { try PrometheusTextParser.parse("# TYPE x counter\nx{a=b} 1\n") }
        #expect(throws: PrometheusTextParser.Failure.self) { try PrometheusTextParser.parse("# TYPE x counter\n# TYPE x gauge\n") }
        #expect(throws: PrometheusTextParser.Failure.self) {
            try PrometheusTextParser.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n")
        }
        let good = try PrometheusTextParser.parse("# HELP x a \"help\"\n# TYPE x gauge\nx{a=\"q\\\"\"} 1.5\n")
        #expect(good["x"]?.samples == [.init(name: "x", labels: ["a": "q\""], value: 1.5)])
    }
}
