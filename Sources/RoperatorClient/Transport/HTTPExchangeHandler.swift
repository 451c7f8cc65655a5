import NIOCore
import NIOHTTP1
import NIOTLS

/// The last handler of a pooled HTTP/1.1 connection: it announces when the connection is ready
/// (TCP connected and, with TLS, the handshake done), then runs one request/response exchange at a
/// time and collects the whole response into a promise.
///
/// Lives on its channel's event loop; other threads reach it through ``HTTPConnection``.
final class HTTPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// A whole response.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        /// Whether the connection may carry another request (HTTP/1.1 without `Connection: close`,
        /// or HTTP/1.0 with `Connection: keep-alive`).
        var keepAlive: Bool
    }

    /// The exchange under way.
    private struct Pending {
        var promise: EventLoopPromise<Response>
        var limit: Int
        var timer: Scheduled<Void>?
        var head: HTTPResponseHead?
        var body: ByteBuffer?
    }

    private let isTLS: Bool
    private let connectTimeout: TimeAmount
    /// Fulfilled once the connection can carry requests; failed when it never gets there.
    private var ready: EventLoopPromise<NIOLoopBound<HTTPExchangeHandler>>?
    private var connectTimer: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    private var pending: Pending?
    private var isOpen = true
    /// The first error the pipeline reported; it explains a later failure better than "closed".
    private var failure: (any Error)?

    init(isTLS: Bool, connectTimeout: TimeAmount, ready: EventLoopPromise<NIOLoopBound<HTTPExchangeHandler>>) {
        self.isTLS = isTLS
        self.connectTimeout = connectTimeout
        self.ready = ready
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // The bootstrap's connect timeout ends at the TCP connect; this one also covers the TLS handshake.
        connectTimer = context.eventLoop.assumeIsolated().scheduleTask(in: connectTimeout) { [self] in
            guard ready != nil else { return }
            failReady(HTTPTransportError(kind: .timedOut, detail: "connecting took longer than \(connectTimeout)"))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if !isTLS { succeedReady(context) }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { succeedReady(context) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        failReady(HTTPTransportError(kind: .closedBeforeResponse, detail: "while connecting", underlying: failure))
        if let pending {
            fail(HTTPTransportError(kind: pending.head == nil ? .closedBeforeResponse : .closedDuringResponse, underlying: failure))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil { failure = error }
        failReady(error)
        if let pending {
            // Before the response began this is how a kept-alive connection reset by the server
            // fails (see `HTTPTransportError.isStaleConnection`).
            fail(pending.head == nil ? HTTPTransportError(kind: .closedBeforeResponse, underlying: error) : error)
        }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var exchange = pending else {
            // Bytes nobody asked for (e.g. a 408 before the server closes an idle connection): the
            // connection is no longer in a known state.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // 1xx answers precede the real one; none are expected (no `Expect: 100-continue`), skip them.
            guard head.status.code >= 200 else { return }
            exchange.head = head
            pending = exchange
        case .body(let part):
            let total = (exchange.body?.readableBytes ?? 0) + part.readableBytes
            guard total <= exchange.limit else {
                fail(HTTPTransportError(kind: .bodyTooLarge, detail: "limit \(exchange.limit) bytes"))
                context.close(promise: nil)
                return
            }
            if exchange.body == nil {
                exchange.body = part
            } else {
                // Release the stored copy first so the append can grow the buffer in place.
                pending = nil
                exchange.body!.writeImmutableBuffer(part)
            }
            pending = exchange
        case .end:
            guard let head = exchange.head else { return }
            exchange.timer?.cancel()
            pending = nil
            let keepAlive = head.isKeepAlive
            let body = exchange.body.map { Array(buffer: $0) } ?? []
            if !keepAlive { context.close(promise: nil) }
            exchange.promise.succeed(
                Response(
                    status: Int(head.status.code), headers: head.headers, body: body, keepAlive: keepAlive))
        }
    }

    /// Sends one request, head, body and end with a single flush; `promise` gets the whole response.
    ///
    /// - Parameters:
    ///   - limit: Largest body accepted; a longer one fails the exchange and closes the connection.
    ///   - deadline: End of the whole exchange; then the exchange fails and the connection closes.
    func start(
        head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline, promise: EventLoopPromise<Response>
    ) {
        guard let context, isOpen, pending == nil else {
            promise.fail(HTTPTransportError(kind: .notSent, underlying: failure))
            return
        }
        let timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            fail(HTTPTransportError(kind: .timedOut))
            context.close(promise: nil)
        }
        pending = Pending(promise: promise, limit: limit, timer: timer)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Fails the exchange that `promise` belongs to with `error` and closes the connection; does
    /// nothing once that exchange is over, as the connection may carry another one by then.
    func abort(_ promise: EventLoopPromise<Response>, _ error: HTTPTransportError) {
        guard let exchange = pending, exchange.promise.futureResult === promise.futureResult else { return }
        fail(error)
        context?.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        guard let exchange = pending else { return }
        pending = nil
        exchange.timer?.cancel()
        exchange.promise.fail(error)
    }

    private func succeedReady(_ context: ChannelHandlerContext) {
        guard let ready else { return }
        self.ready = nil
        connectTimer?.cancel()
        ready.succeed(NIOLoopBound(self, eventLoop: context.eventLoop))
    }

    private func failReady(_ error: any Error) {
        guard let ready else { return }
        self.ready = nil
        connectTimer?.cancel()
        ready.fail(error)
    }
}
