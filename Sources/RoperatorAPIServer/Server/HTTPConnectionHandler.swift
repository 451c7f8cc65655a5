import NIOCore
import NIOHTTP1
import NIOSSL
import RoperatorClient

/// Serves one HTTP/1.1 connection: gathers each request, answers it on the event loop when the
/// answer is ready at once (most requests: no task is created and no thread is woken), runs the
/// rest in a task, and streams chunked bodies such as watches.
///
/// NIO's pipelining handler in front of it holds back a pipelined request until the previous
/// response's end has been written, so one request is in flight per connection.
final class HTTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let authenticator: Authenticator
    private let handler: any APIRequestHandler
    private let tasks: ConnectionTasks
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false
    /// Whether the TLS peer presented a (verified) certificate; asked once per connection.
    private var clientCertificateVerified: Bool?
    /// The handler's context while it is in the pipeline; answers that arrive later (from a task)
    /// are dropped once the connection is gone.
    private var context: ChannelHandlerContext?

    init(authenticator: Authenticator, handler: any APIRequestHandler, tasks: ConnectionTasks) {
        self.authenticator = authenticator
        self.handler = handler
        self.tasks = tasks
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            tooLarge = false
        case .body(var chunk):
            let received = body?.readableBytes ?? 0
            if received + chunk.readableBytes > HTTPListener.maximumBodySize {
                tooLarge = true
                body = nil
            } else if !tooLarge {
                if body == nil {
                    body = chunk
                } else {
                    body!.writeBuffer(&chunk)
                }
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let body = self.body ?? ByteBuffer()
            self.body = nil
            respond(to: head, body: body, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, body: ByteBuffer, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive && !tooLarge
        if tooLarge {
            write(APIResponse(error: .requestEntityTooLarge), for: head, keepAlive: false, context: context)
            return
        }
        if clientCertificateVerified == nil {
            clientCertificateVerified = Self.peerPresentedCertificate(context.channel)
        }
        var request = APIRequest(method: head.method, uri: head.uri, headers: head.headers, body: body)
        let reply: APIReply
        switch authenticator.authenticate(
            headers: head.headers, clientCertificateVerified: clientCertificateVerified ?? false, path: request.path)
        {
        case .success(let user):
            request.user = user
            reply = handler.respond(request)
        case .failure(let error):
            reply = .now(APIResponse(error: error))
        }
        switch reply {
        case .now(let response):
            write(response, for: head, keepAlive: keepAlive, context: context)
        case .later(let work):
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            tasks.spawn {
                let response = await work()
                handler.eventLoop.execute {
                    guard let context = handler.value.context, context.channel.isActive else { return }
                    handler.value.write(response, for: head, keepAlive: keepAlive, context: context)
                }
            }
        }
    }

    /// With TLS, whether the peer sent a certificate; the TLS handler already verified it against
    /// the generated CA, and refused the handshake if it did not verify.
    private static func peerPresentedCertificate(_ channel: any Channel) -> Bool {
        // `try?` flattens both cases into nil: no TLS handler (plain HTTP), or no certificate sent.
        (try? channel.pipeline.syncOperations.nioSSL_peerCertificate()) != nil
    }

    private func write(_ response: APIResponse, for request: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        var head = HTTPResponseHead(version: request.version, status: response.status, headers: response.headers)
        if !keepAlive {
            head.headers.replaceOrAdd(name: "Connection", value: "close")
        }
        if !head.headers.contains(name: "Date") {
            head.headers.add(name: "Date", value: HTTPDate.now())
        }
        head.headers.add(name: "Cache-Control", value: "no-cache, private")
        switch response.body {
        case .buffer(let buffer):
            head.headers.replaceOrAdd(name: "Content-Length", value: String(buffer.readableBytes))
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if buffer.readableBytes > 0 && request.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            }
            finish(keepAlive: keepAlive, context: context)
        case .stream(let produce):
            head.headers.remove(name: "Content-Length")
            head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            let writer = ResponseBodyWriter(channel: context.channel)
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            // On the connection's own loop: an event's wake-up, its chunk and its write happen on
            // one thread, with no hop through the cooperative pool and back.
            tasks.spawn(on: EventLoopExecutor(context.eventLoop)) {
                do {
                    try await produce(writer)
                } catch {
                    // The client went away or the connection is closing: the stream is over either way.
                }
                handler.eventLoop.execute {
                    guard let context = handler.value.context, context.channel.isActive else { return }
                    handler.value.finish(keepAlive: keepAlive, context: context)
                }
            }
        }
    }

    /// Writes the end of the response and flushes; closes the connection unless it stays open.
    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset by the peer or a TLS failure: nothing to answer, the connection is done.
        context.close(promise: nil)
    }
}
