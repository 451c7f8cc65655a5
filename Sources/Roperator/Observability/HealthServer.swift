import RoperatorClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP server for probes and scraping, on one port: `/healthz` (and `/livez`) and
/// `/readyz` run their named ``HealthCheck``s, `/metrics` serves the Prometheus text; see
/// ``response(to:)`` for the answers.
final class HealthServer: Sendable {
    private let host: String
    private let port: Int
    /// The checks of `/healthz` and `/livez`.
    let liveness: [HealthCheck]
    /// The checks of `/readyz`.
    let readiness: [HealthCheck]
    /// The body of `/metrics`, rendered per scrape.
    let metrics: @Sendable () -> String
    private let logger: Logger
    private let boundPort = Lock<Int?>(nil)

    /// - Parameters:
    ///   - host: The address to listen on; all interfaces by default.
    ///   - port: The port; `0` picks a free one (see ``listeningPort``).
    ///   - liveness: The checks of `/healthz`; ``HealthCheck/ping`` by default.
    ///   - readiness: The checks of `/readyz`.
    ///   - metrics: Renders the body of `/metrics`.
    init(
        host: String = "0.0.0.0", port: Int, logger: Logger, liveness: [HealthCheck] = [.ping],
        readiness: [HealthCheck], metrics: @escaping @Sendable () -> String
    ) {
        self.host = host
        self.port = port
        self.logger = logger
        self.liveness = liveness
        self.readiness = readiness
        self.metrics = metrics
    }

    /// The port it listens on, once listening (useful with port 0).
    var listeningPort: Int? { boundPort.withLock { $0 } }

    /// Serves until the task is cancelled; failing to bind is logged, not fatal to the operators.
    func run() async {
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(HealthHTTPHandler(server: self))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            logger.error("cannot serve health and metrics", metadata: ["port": "\(port)", "error": "\(error)"])
            return
        }
        boundPort.withLock { $0 = channel.localAddress?.port }
        await withTaskCancellationHandler {
            do { try await channel.closeFuture.get() } catch {}
        } onCancel: {
            channel.close(promise: nil)
        }
        boundPort.withLock { $0 = nil }
    }
}

/// Answers each request with ``HealthServer/response(to:)`` and keeps the connection open.
private final class HealthHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: HealthServer
    private var uri = "/"
    private var keepAlive = true

    init(server: HealthServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            uri = head.uri
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            let answer = server.response(to: uri)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: answer.contentType)
            headers.add(name: "Content-Length", value: String(answer.body.utf8.count))
            let head = HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: answer.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            // Writes are ordered, so closing now still sends the response first.
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
