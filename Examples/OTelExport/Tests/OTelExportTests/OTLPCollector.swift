import NIOCore
import NIOHTTP1
import NIOPosix
import Roperator
import Synchronization

/// An OTLP/HTTP collector in the test process: accepts `POST /v1/traces` with JSON bodies
/// (`http/json`) on a free loopback port and keeps every span it receives.
final class OTLPCollector: Sendable {
    /// One received span: the fields the test checks.
    struct Span: Sendable, Equatable {
        var name: String
        var traceID: String
        var spanID: String
        var parentSpanID: String
        var serviceName: String
    }

    /// What the collector received; owned here, appended to by the connections' handlers.
    final class Store: Sendable {
        let spans = Mutex<[Span]>([])
        let problems = Mutex<[String]>([])

        /// Records the spans of one `ExportTraceServiceRequest` in JSON.
        func receive(path: String, body: String) {
            guard path == "/v1/traces" else {
                problems.withLock { $0.append("unexpected POST \(path)") }
                return
            }
            let request: JSONValue
            do {
                request = try JSONValue(parsing: body)
            } catch {
                problems.withLock { $0.append("not JSON (\(error)): \(body.prefix(200))") }
                return
            }
            var found: [Span] = []
            for resourceSpans in request["resourceSpans"]?.arrayValue ?? [] {
                let service =
                    resourceSpans[path: "resource", "attributes"]?.arrayValue?
                    .first { $0["key"] == "service.name" }?[path: "value", "stringValue"]?.stringValue ?? ""
                for scopeSpans in resourceSpans["scopeSpans"]?.arrayValue ?? [] {
                    for span in scopeSpans["spans"]?.arrayValue ?? [] {
                        found.append(
                            Span(
                                name: span["name"]?.stringValue ?? "",
                                traceID: span["traceId"]?.stringValue ?? "",
                                spanID: span["spanId"]?.stringValue ?? "",
                                parentSpanID: span["parentSpanId"]?.stringValue ?? "",
                                serviceName: service))
                    }
                }
            }
            spans.withLock { $0 += found }
        }
    }

    private let channel: any Channel
    let store = Store()

    /// Listens on `127.0.0.1` at a free port.
    init() async throws {
        let store = self.store
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(CollectorHandler(store: store))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// The OTLP endpoint to export to.
    var endpoint: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)" }

    var spans: [Span] { store.spans.withLock { $0 } }
    var problems: [String] { store.problems.withLock { $0 } }

    func close() async throws {
        try await channel.close()
    }
}

/// Collects a request's body, hands it to the store and answers `200 {}`.
private final class CollectorHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let store: OTLPCollector.Store
    private var path = ""
    private var body = ByteBuffer()

    init(store: OTLPCollector.Store) {
        self.store = store
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.uri
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            store.receive(path: path, body: String(buffer: body))
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: "2")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{}")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
