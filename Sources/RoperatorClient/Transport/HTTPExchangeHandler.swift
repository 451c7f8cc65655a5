import NIOCore
import NIOHTTP1
import NIOTLS

/// The last handler of a pooled HTTP/1.1 connection: it announces when the connection is ready
/// (TCP connected and, with TLS, the handshake done), then runs one request/response exchange at a
/// time and collects the whole response into a promise.
///
/// It speaks HTTP/1.1 itself: each request goes out as one buffer (``HTTPRequestWriter``) and the
/// bytes that come back are read by an ``HTTPResponseParser``, with no HTTP handlers between it and
/// the socket (or TLS). For requests whose whole answer is read at once this does a fraction of the
/// work of a general HTTP pipeline.
///
/// Lives on its channel's event loop; other threads reach it through ``HTTPConnection``.
final class HTTPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A whole response.
    typealias Response = HTTPResponseParser.Response

    /// The exchange under way.
    private struct Pending {
        var promise: EventLoopPromise<Response>
        var deadline: NIODeadline
        var parser: HTTPResponseParser
    }

    private let isTLS: Bool
    private let connectTimeout: TimeAmount
    /// Fulfilled once the connection can carry requests; failed when it never gets there.
    private var ready: EventLoopPromise<NIOLoopBound<HTTPExchangeHandler>>?
    private var connectTimer: Scheduled<Void>?
    /// The connection's one deadline timer and when it fires. An exchange that ends leaves it
    /// armed: when it fires it fails the exchange then under way if that one's deadline has
    /// passed, else it is armed again for it. One timer per request timeout instead of one
    /// scheduled and cancelled per request (a tenth of what starting a request cost).
    private var deadlineTimer: (fires: NIODeadline, task: Scheduled<Void>)?
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
        deadlineTimer?.task.cancel()
        deadlineTimer = nil
        failReady(HTTPTransportError(kind: .closedBeforeResponse, detail: "while connecting", underlying: failure))
        if var exchange = pending {
            // A body that runs until the close ends here; any other response was cut short.
            if let response = exchange.parser.connectionClosed() {
                complete(exchange, with: response)
            } else {
                let kind: HTTPTransportError.Kind = exchange.parser.hasBegun ? .closedDuringResponse : .closedBeforeResponse
                fail(HTTPTransportError(kind: kind, underlying: failure))
            }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil { failure = error }
        failReady(error)
        if let pending {
            // Before the response began this is how a kept-alive connection reset by the server
            // fails (see `HTTPTransportError.isStaleConnection`).
            fail(pending.parser.hasBegun ? error : HTTPTransportError(kind: .closedBeforeResponse, underlying: error))
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
        // Not stored while parsing, so that the parser's buffers are uniquely referenced.
        pending = nil
        do {
            guard let response = try exchange.parser.feed(unwrapInboundIn(data)) else {
                pending = exchange
                return
            }
            var answer = response
            if exchange.parser.leftoverBytes > 0 {
                // More than one response for one request: do not trust the connection again.
                answer.keepAlive = false
            }
            if !answer.keepAlive { context.close(promise: nil) }
            complete(exchange, with: answer)
        } catch {
            pending = exchange
            fail(error)
            context.close(promise: nil)
        }
    }

    /// Sends one request with a single write and flush; `promise` gets the whole response.
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
        let bytes: ByteBuffer
        do {
            bytes = try HTTPRequestWriter.bytes(head: head, body: body, allocator: context.channel.allocator)
        } catch {
            promise.fail(error)
            return
        }
        pending = Pending(
            promise: promise, deadline: deadline, parser: HTTPResponseParser(bodyLimit: limit, isHeadRequest: head.method == .HEAD))
        armDeadlineTimer(for: deadline, context)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    /// Makes sure the deadline timer fires no later than `deadline`.
    private func armDeadlineTimer(for deadline: NIODeadline, _ context: ChannelHandlerContext) {
        if let armed = deadlineTimer {
            guard deadline < armed.fires else { return }
            armed.task.cancel()
        }
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            deadlineTimer = nil
            guard let exchange = pending else { return }
            if exchange.deadline <= .now() {
                fail(HTTPTransportError(kind: .timedOut))
                context.close(promise: nil)
            } else {
                armDeadlineTimer(for: exchange.deadline, context)
            }
        }
        deadlineTimer = (deadline, task)
    }

    /// Fails the exchange that `promise` belongs to with `error` and closes the connection; does
    /// nothing once that exchange is over, as the connection may carry another one by then.
    func abort(_ promise: EventLoopPromise<Response>, _ error: HTTPTransportError) {
        guard let exchange = pending, exchange.promise.futureResult === promise.futureResult else { return }
        fail(error)
        context?.close(promise: nil)
    }

    private func complete(_ exchange: Pending, with response: Response) {
        pending = nil
        exchange.promise.succeed(response)
    }

    private func fail(_ error: any Error) {
        guard let exchange = pending else { return }
        pending = nil
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
