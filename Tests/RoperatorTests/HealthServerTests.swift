@testable import Roperator
import Logging
import RoperatorClient
import RoperatorTesting
import Testing

/// The health server over real HTTP: `/healthz`, `/readyz` with its named checks (the 503 cases
/// included), one check alone, `/metrics`, on one port.
@Suite("Health server")
struct HealthServerTests {
    /// A server whose `leader-election` check fails while ``failure`` holds a reason.
    final class Fixture: Sendable {
        /// The `leader-election` check's reason to fail; `nil`: it passes.
        final class Failure: Sendable {
            let reason = Lock<String?>(nil)
        }

        let failure: Failure
        let server: HealthServer
        let task: Task<Void, Never>

        init() {
            let failure = Failure()
            self.failure = failure
            let server = HealthServer(
                host: "127.0.0.1", port: 0, logger: Logger(label: "health-test"),
                readiness: [.ping, HealthCheck("informers") { nil }, HealthCheck("leader-election") { failure.reason.withLock { $0 } }],
                metrics: { "# TYPE sample_total counter\nsample_total 3\n" })
            self.server = server
            task = Task { await server.run() }
        }

        func fail(_ reason: String?) {
            failure.reason.withLock { $0 = reason }
        }

        func port() async throws -> Int {
            try await poll("the health server listens") { self.server.listeningPort != nil }
            return try #require(server.listeningPort)
        }
    }

    @Test("every check passing: 200 ok, the list with ?verbose")
    func passing() async throws {
        let fixture = Fixture()
        defer { fixture.task.cancel() }
        let port = try await fixture.port()

        let ready = try await HTTPProbe.get("/readyz", port: port)
        #expect(ready.status == 200)
        #expect(ready.body == "ok\n")
        let verbose = try await HTTPProbe.get("/readyz?verbose", port: port)
        #expect(verbose.status == 200)
        #expect(verbose.body == "[+]ping ok\n[+]informers ok\n[+]leader-election ok\nreadyz check passed\n")
        let health = try await HTTPProbe.get("/healthz", port: port)
        #expect(health.status == 200)
        #expect(health.body == "ok\n")
        #expect(try await HTTPProbe.get("/livez?verbose", port: port).body == "[+]ping ok\nlivez check passed\n")
    }

    @Test("a failing check: 503 naming it with its reason; the others and /healthz unaffected")
    func failing() async throws {
        let fixture = Fixture()
        defer { fixture.task.cancel() }
        let port = try await fixture.port()
        fixture.fail("lease kube-system/echo not renewed for 20s")

        let ready = try await HTTPProbe.get("/readyz", port: port)
        #expect(ready.status == 503)
        #expect(ready.contentType.hasPrefix("text/plain"))
        #expect(
            ready.body == """
                [+]ping ok
                [+]informers ok
                [-]leader-election failed: lease kube-system/echo not renewed for 20s
                readyz check failed

                """)
        let one = try await HTTPProbe.get("/readyz/leader-election", port: port)
        #expect(one.status == 503)
        #expect(one.body == "internal server error: lease kube-system/echo not renewed for 20s\n")
        #expect(try await HTTPProbe.get("/readyz/informers", port: port).status == 200)
        let excluded = try await HTTPProbe.get("/readyz?exclude=leader-election&verbose", port: port)
        #expect(excluded.status == 200)
        #expect(excluded.body == "[+]ping ok\n[+]informers ok\n[+]leader-election excluded: ok\nreadyz check passed\n")
        #expect(try await HTTPProbe.get("/healthz", port: port).status == 200)

        fixture.fail(nil)
        #expect(try await HTTPProbe.get("/readyz", port: port).status == 200)
    }

    @Test("/metrics on the same port; unknown paths and checks are 404")
    func metricsAndNotFound() async throws {
        let fixture = Fixture()
        defer { fixture.task.cancel() }
        let port = try await fixture.port()

        let metrics = try await HTTPProbe.get("/metrics", port: port)
        #expect(metrics.status == 200)
        #expect(metrics.contentType.hasPrefix("text/plain; version=0.0.4"))
        #expect(metrics.body == "# TYPE sample_total counter\nsample_total 3\n")
        #expect(try await HTTPProbe.get("/nothing", port: port).status == 404)
        #expect(try await HTTPProbe.get("/readyz/nothing", port: port).status == 404)
        #expect(try await HTTPProbe.get("/readyz/ping/more", port: port).status == 404)
    }

    @Test("an operator whose parent type is not served: /readyz 503 names it until the CRD exists")
    func operatorNotReady() async throws {
        let server = try await EmbeddedAPIServer.start()
        let client = try KubeClient(configuration: server.clientConfiguration)
        let group = OperatorGroup(client: client)
        _ = try group.add(echoConfig(name: "echo").metricsHost("127.0.0.1").metricsPort(0), handler: EchoHandler())
        let run = Task { try await group.run() }
        do {
            try await poll("the health endpoint listens") { group.healthPort != nil }
            let port = try #require(group.healthPort)
            let ready = try await HTTPProbe.get("/readyz", port: port)
            #expect(ready.status == 503)
            #expect(ready.body == "[+]ping ok\n[-]informers failed: caches not synced: operator \"echo\"\nreadyz check failed\n")
            #expect(try await HTTPProbe.get("/healthz", port: port).status == 200)
            #expect(try await HTTPProbe.get("/metrics", port: port).body.contains("roperator_ready{operator=\"echo\"} 0"))

            _ = try await client.create(.customResourceDefinition, KubeObject(CustomResourceDefinitions.make(for: echoType)))
            try await poll("/readyz passes once the parents can be listed", timeout: .seconds(60)) {
                try await HTTPProbe.get("/readyz", port: port).status == 200
            }
            #expect(try await HTTPProbe.get("/metrics", port: port).body.contains("roperator_ready{operator=\"echo\"} 1"))
        } catch {
            run.cancel()
            _ = await run.result
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        run.cancel()
        _ = await run.result
        try await client.shutdown()
        try await server.shutdown()
    }
}
