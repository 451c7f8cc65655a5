import Logging
import RoperatorClient

/// Hands out `Bearer token-<n>`, where n counts the refreshes; records how it was asked.
final class CountingCredentials: CredentialProvider {
    private let refreshes = Lock(0)
    private let calls = Lock(0)
    private let certificate: (certificatePEM: [UInt8], keyPEM: [UInt8])?

    init(certificate: (certificatePEM: [UInt8], keyPEM: [UInt8])? = nil) {
        self.certificate = certificate
    }

    var refreshCount: Int { refreshes.withLock { $0 } }
    var callCount: Int { calls.withLock { $0 } }

    func authorization(refresh: Bool) async throws -> String? {
        calls.withLock { $0 += 1 }
        let n = refreshes.withLock { count in
            if refresh { count += 1 }
            return count
        }
        return "Bearer token-\(n)"
    }

    func clientCertificate() async throws -> (certificatePEM: [UInt8], keyPEM: [UInt8])? { certificate }
}

/// Fast retries so tests that exercise them stay quick.
let fastRetry = KubeClient.RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(20))

/// Runs `body` with a client for `server`, shutting the client down afterwards.
func withClient<T: Sendable>(
    _ server: TestHTTPServer,
    tls: ClientConfiguration.TLS = ClientConfiguration.TLS(),
    credentials: (any CredentialProvider)? = nil,
    impersonation: ClientConfiguration.Impersonation? = nil,
    options: KubeClient.Options = KubeClient.Options(retry: fastRetry),
    logger: Logger = Logger(label: "roperator.client.test"),
    _ body: (KubeClient) async throws -> T
) async throws -> T {
    let configuration = ClientConfiguration(
        server: server.url, namespace: "default", tls: tls, credentials: credentials, impersonation: impersonation)
    let client = try KubeClient(configuration: configuration, options: options, logger: logger)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// A ConfigMap as a server would return it.
func configMap(_ name: String, resourceVersion: String, namespace: String = "default", data: JSONValue = [:]) -> JSONValue {
    [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": [
            "name": .string(name), "namespace": .string(namespace), "resourceVersion": .string(resourceVersion),
            "uid": .string("uid-\(name)"),
        ],
        "data": data,
    ]
}

/// Polls `condition` until it holds or `timeout` passes.
func waitUntil(timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + TimeoutScale.scaled(timeout)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// Keeps every log line (message and metadata rendered as text) for assertions.
struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        let text =
            "\(event.level) \(event.message) " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        capture.lines.withLock { $0.append(text) }
    }
}

/// A sink for ``CapturingLogHandler``; share one per test.
final class LogCapture: Sendable {
    let lines = Lock<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var logger: Logger {
        var logger = Logger(label: "test") { _ in CapturingLogHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }
}
