import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP server for probes and scraping: `/healthz` (200 while running), `/readyz` (200
/// once every cache synced, else 503) and `/metrics` (Prometheus text of the operators' totals).
final class HealthServer: Sendable {
    typealias Responder = @Sendable (_ path: String) -> (status: HTTPResponseStatus, contentType: String, body: String)

    private let host: String
    private let port: Int
    private let responder: Responder
    private let logger: Logger
    private let boundPort = Mutex<Int?>(nil)

    init(host: String = "0.0.0.0", port: Int, logger: Logger, responder: @escaping Responder) {
        self.host = host
        self.port = port
        self.logger = logger
        self.responder = responder
    }

    /// The port it listens on, once listening (useful with port 0).
    var listeningPort: Int? { boundPort.withLock { $0 } }

    /// Serves until the task is cancelled; failing to bind is logged, not fatal to the operators.
    func run() async {
        let responder = self.responder
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(HealthHTTPHandler(responder: responder))
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

/// Answers each request with the responder's result and keeps the connection open.
private final class HealthHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: HealthServer.Responder
    private var path = "/"
    private var keepAlive = true

    init(responder: @escaping HealthServer.Responder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = String(head.uri.prefix { $0 != "?" })
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            let answer = responder(path)
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
