import Logging
import RoperatorClient
import RoperatorAPIServer
import Testing

/// Retries quick enough for tests; `Retry-After` still caps at `maxBackoff`.
let endToEndRetry = KubeClient.RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(5), maxBackoff: .seconds(2), jitter: 0)

/// Starts an embedded server and a `KubeClient` on its ``EmbeddedAPIServer/clientConfiguration``,
/// runs `body` and shuts both down.
func withServerAndClient<R>(
    _ configuration: EmbeddedAPIServer.Configuration = EmbeddedAPIServer.Configuration(),
    options: KubeClient.Options = KubeClient.Options(retry: endToEndRetry),
    log: RequestLog? = nil,
    _ body: (EmbeddedAPIServer, KubeClient) async throws -> R
) async throws -> R {
    try await withEmbeddedAPIServer(configuration) { server in
        try await withKubeClient(server.clientConfiguration, options: options, log: log) { client in
            try await body(server, client)
        }
    }
}

/// Runs `body` with a client, shutting it down afterwards also when `body` throws.
func withKubeClient<R>(
    _ configuration: ClientConfiguration,
    options: KubeClient.Options = KubeClient.Options(retry: endToEndRetry),
    log: RequestLog? = nil,
    _ body: (KubeClient) async throws -> R
) async throws -> R {
    let logger =
        log.map { log in
            var logger = Logger(label: "e2e") { _ in RequestLogHandler(sink: log) }
            logger.logLevel = .debug
            return logger
        } ?? Logger(label: "e2e")
    let client = try KubeClient(configuration: configuration, options: options, logger: logger)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown() // the body's failure is the one to report
        throw error
    }
}

/// The requests a client made, from its per-request debug log line: how tests see pagination and retries.
final class RequestLog: Sendable {
    struct Entry: Sendable, Hashable {
        var method: String
        var path: String
        var code: String
    }

    private let entries = Lock<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    func record(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    func clear() { entries.withLock { $0.removeAll() } }

    /// The entries for one method and path.
    func requests(_ method: String, _ path: String) -> [Entry] {
        all.filter { $0.method == method && $0.path == path }
    }
}

/// Feeds the client's `request` debug lines into a ``RequestLog``.
struct RequestLogHandler: LogHandler {
    let sink: RequestLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.message.description == "request", let metadata = event.metadata else { return }
        sink.record(
            RequestLog.Entry(
                method: metadata["method"]?.description ?? "", path: metadata["path"]?.description ?? "",
                code: metadata["code"]?.description ?? ""))
    }
}

/// A cluster-scoped CRD, `gadgets.example.com` (kind `Gadget`), with a status subresource.
func gadgetCRD() -> JSONValue {
    var crd = widgetCRD(group: "example.com", plural: "gadgets", kind: "Gadget")
    crd[path: "spec", "scope"] = "Cluster"
    crd[path: "spec", "names", "shortNames"] = ["gd"]
    return crd
}

extension K8sType {
    static let widget = K8sType(group: "example.com", version: "v1", kind: "Widget", plural: "widgets")
    static let gadget = K8sType(group: "example.com", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: false)
}

/// Polls until `condition` holds, failing after `timeout`; for conditions that depend on the client.
func eventually(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    try await waitUntil(timeout: timeout, what, condition)
}

/// The URL path of a collection, as the client's request log shows it.
func collectionPath(_ type: K8sType, namespace: String?) -> String {
    let base = type.group.isEmpty ? "/api/\(type.version)" : "/apis/\(type.group)/\(type.version)"
    if type.namespaced, let namespace { return "\(base)/namespaces/\(namespace)/\(type.plural)" }
    return "\(base)/\(type.plural)"
}
