import Logging
import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

/// Keeps every log line with its metadata, whatever the level.
final class LogCapture: Sendable {
    private let lines = Lock<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let error = event.error.map { " error: \($0)" } ?? ""
            capture.lines.withLock { $0.append("\(event.level) [\(event.source)] \(event.message) \(merged)\(error)") }
        }
    }
}

/// A full run with authentication on leaves the bearer token in no log line (at trace level),
/// error, Event or metric.
@Suite("Secret hygiene", .timeLimit(.minutes(1)))
struct SecretHygieneTests {
    static let token = "SECRET-TOKEN-\(UInt64.random(in: 0...UInt64.max))"

    @Test func tokenAppearsNowhereAfterAFullReconcile() async throws {
        let server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(
                tls: true, requireAuthentication: true, tokens: [Self.token: "operator"],
                customResourceDefinitions: [CustomResourceDefinitions.make(for: echoType)]))
        let capture = LogCapture()
        // The token alone authenticates (no client certificate), so every request carries it.
        var configuration = server.clientConfiguration
        configuration.tls.clientCertificatePEM = nil
        configuration.tls.clientKeyPEM = nil
        let client = try KubeClient(configuration: configuration, logger: capture.logger("client"))
        let member = try Operator(
            config: echoConfig().metricsPort(0), handler: EchoHandler(), client: client, logger: capture.logger("operator"))
        let run = Task { try await member.run() }
        var collected: [String] = []
        do {
            try await poll("the operator is ready") { member.isReady }
            _ = try await client.create(echoType, KubeObject(echoParent("ok", ["message": "hello"])))
            _ = try await client.create(echoType, KubeObject(echoParent("bad", ["fail": true])))
            try await poll("the child exists") { (try? await client.get(.configMap, namespace: "default", name: "ok-echo")) != nil }
            try await poll("the failing parent failed and was recorded") {
                guard member.statistics.failedSyncs > 0 else { return false }
                let events = try await client.list(.event, namespace: "default").items
                return events.contains { $0.json[path: "involvedObject", "name"] == "bad" }
            }
            try await client.delete(echoType, namespace: "default", name: "ok")
            try await poll("the parent is gone") { (try? await client.get(echoType, namespace: "default", name: "ok")) == nil }

            // A client with a wrong token: its error must not echo what it sent either.
            var wrong = configuration
            wrong.credentials = StaticTokenProvider(token: "SECRET-WRONG-TOKEN")
            let stranger = try KubeClient(configuration: wrong, logger: capture.logger("stranger"))
            let refused = await #expect(throws: KubeAPIError.self) {
                _ = try await stranger.get(.configMap, namespace: "default", name: "x")
            }
            try await stranger.shutdown()
            #expect(refused?.code == 401)
            collected.append(String(describing: refused as Any))

            let events = try await client.list(.event, namespace: "default").items
            collected += events.map { $0.json.serialized() }
            let port = try #require(member.healthPort)
            let probe = try KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:\(port)"))
            let metrics = String(decoding: try await probe.request(method: "GET", path: "/metrics").body, as: UTF8.self)
            try await probe.shutdown()
            #expect(metrics.contains("controller_runtime_reconcile_total"))
            collected.append(metrics)
        } catch {
            run.cancel()
            _ = await run.result
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
        run.cancel()
        _ = await run.result
        try await client.shutdown()
        try await server.shutdown()

        let lines = capture.all
        #expect(lines.contains { $0.contains("debug") }, "debug lines were captured")
        #expect(lines.contains { $0.contains("bad") && $0.contains("error") }, "the failing sync was logged")
        for text in lines + collected {
            #expect(!text.contains(Self.token), "leaks the token: \(text)")
            #expect(!text.contains("SECRET-WRONG-TOKEN"), "leaks the rejected token: \(text)")
            #expect(!text.lowercased().contains("bearer "), "shows an Authorization header: \(text)")
        }
    }
}
