import NIOCore
import NIOHTTP1
import NIOTLS

/// The last handler of a pooled HTTP/1.1 connection: it announces when the connection is ready
/// (TCP connected and, with TLS, the handshake done), then runs one request/response exchange at a
/// time and collects the whole response into a promise, or (a streamed exchange: a watch) hands
/// out a 2xx response at its head and its body piece by piece (``HTTPBodyStream``), reading from
/// the socket only as fast as the consumer takes them.
///
/// It speaks HTTP/1.1 itself: each request goes out as one buffer (``HTTPRequestWriter``) and the
/// bytes that come back are read by an ``HTTPResponseParser``, with no HTTP handlers between it and
/// the socket (or TLS). For requests whose whole answer is read at once this does a fraction of the
/// work of a general HTTP pipeline.
///
/// Lives on its channel's event loop; other threads reach it through ``HTTPConnection``.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A whole response.
    typealias Response = HTTPResponseParser.Response

    /// What a streamed exchange brings back: a 2xx response at its head, with its body to come;
    /// any other response whole.
    enum StreamedAnswer: Sendable {
        case streaming(HTTPStreamedResponse)
        case complete(Response)
    }

    /// Who waits for the exchange.
    private enum Receiver {
        /// The whole response.
        case whole(EventLoopPromise<Response>)
        /// A streamed exchange's answer; `idleTimeout` bounds the gaps in its body.
        case streamed(EventLoopPromise<StreamedAnswer>, idleTimeout: TimeAmount?)

        var futureResult: AnyObject {
            switch self {
            case .whole(let promise): promise.futureResult
            case .streamed(let promise, _): promise.futureResult
            }
        }

        func fail(_ error: any Error) {
            switch self {
            case .whole(let promise): promise.fail(error)
            case .streamed(let promise, _): promise.fail(error)
            }
        }
    }

    /// The exchange under way.
    private struct Pending {
        var receiver: Receiver
        /// The end of the exchange; a streamed body, once handed out, has none.
        var deadline: NIODeadline?
        var parser: HTTPResponseParser
    }

    /// The body of a streamed exchange, while it is handed out.
    private struct Streaming {
        var source: HTTPBodyStream.Producer.Source
        var idleTimeout: TimeAmount?
        /// When the last bytes arrived, for the idle timeout.
        var lastRead: NIODeadline
        var idleTimer: Scheduled<Void>?
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
    private var streaming: Streaming?
    /// The consumer of a streamed body has enough pieces waiting: reads are held back.
    private var readingPaused = false
    /// A read was held back while paused; it is issued when the consumer wants more.
    private var readHeldBack = false
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
                pending = exchange
                deliver(response)
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
        let response: Response?
        do {
            response = try exchange.parser.feed(unwrapInboundIn(data))
        } catch {
            pending = exchange
            fail(error)
            context.close(promise: nil)
            return
        }
        if exchange.parser.isStreamingBody {
            if streaming == nil { startStreaming(&exchange, context) }
            streaming?.lastRead = .now()
            let pieces = exchange.parser.takeStreamedBody()
            pending = exchange
            if !pieces.isEmpty, let source = streaming?.source {
                switch source.yield(pieces) {
                case .produceMore: break
                case .stopProducing: readingPaused = true
                case .dropped:
                    // The consumer is gone.
                    context.close(promise: nil)
                    return
                }
            }
        } else {
            pending = exchange
        }
        guard var answer = response else { return }
        if exchange.parser.leftoverBytes > 0 {
            // More than one response for one request: do not trust the connection again.
            answer.keepAlive = false
        }
        deliver(answer)
        if !answer.keepAlive { context.close(promise: nil) }
    }

    /// Holds reads back while the consumer of a streamed body has enough pieces waiting.
    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readHeldBack = true
            return
        }
        context.read()
    }

    /// The consumer of a streamed body wants more: reads go on.
    func resumeReading() {
        guard readingPaused else { return }
        readingPaused = false
        if readHeldBack, let context {
            readHeldBack = false
            context.read()
        }
    }

    /// A 2xx head of a streamed exchange arrived: hands out the response with its body to come.
    private func startStreaming(_ exchange: inout Pending, _ context: ChannelHandlerContext) {
        guard case .streamed(let promise, let idleTimeout) = exchange.receiver, let head = exchange.parser.finalHead else { return }
        let made = HTTPBodyStream.Producer.makeSequence(
            backPressureStrategy: HTTPBodyStream.backpressure, finishOnDeinit: true,
            delegate: HTTPBodyStream.Delegate(channel: context.channel, handler: NIOLoopBound(self, eventLoop: context.eventLoop)))
        exchange.deadline = nil
        streaming = Streaming(source: made.source, idleTimeout: idleTimeout, lastRead: .now())
        if let idleTimeout { armIdleTimer(after: idleTimeout, context) }
        promise.succeed(
            .streaming(HTTPStreamedResponse(status: head.status, headers: head.headers, body: HTTPBodyStream(pieces: made.sequence))))
    }

    /// Fails a streamed body whose server has sent nothing for its idle timeout. A consumer that
    /// holds reads back is not the server's silence.
    private func armIdleTimer(after delay: TimeAmount, _ context: ChannelHandlerContext) {
        streaming?.idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            guard let body = streaming, let idleTimeout = body.idleTimeout else { return }
            let quiet = NIODeadline.now() - body.lastRead
            if readingPaused || quiet < idleTimeout {
                armIdleTimer(after: readingPaused ? idleTimeout : idleTimeout - quiet, context)
                return
            }
            fail(HTTPTransportError(kind: .timedOut, detail: "no data for \(idleTimeout)"))
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
        start(head: head, body: body, limit: limit, deadline: deadline, receiver: .whole(promise))
    }

    /// Sends one request whose 2xx answer streams: `promise` gets the head with the body to come
    /// (or any other answer whole).
    ///
    /// - Parameters:
    ///   - limit: Largest chunk of a streamed body, or largest body of any other answer.
    ///   - deadline: End of the exchange until the head of a 2xx answer (or the end of any other).
    ///   - idleTimeout: Longest gap in a streamed body; `nil` for none.
    func startStreamed(
        head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline, idleTimeout: TimeAmount?,
        promise: EventLoopPromise<StreamedAnswer>
    ) {
        start(head: head, body: body, limit: limit, deadline: deadline, receiver: .streamed(promise, idleTimeout: idleTimeout))
    }

    private func start(head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline, receiver: Receiver) {
        guard let context, isOpen, pending == nil, streaming == nil else {
            receiver.fail(HTTPTransportError(kind: .notSent, underlying: failure))
            return
        }
        let bytes: ByteBuffer
        do {
            bytes = try HTTPRequestWriter.bytes(head: head, body: body, allocator: context.channel.allocator)
        } catch {
            receiver.fail(error)
            return
        }
        var isStreamed = false
        if case .streamed = receiver { isStreamed = true }
        pending = Pending(
            receiver: receiver, deadline: deadline,
            parser: HTTPResponseParser(bodyLimit: limit, isHeadRequest: head.method == .HEAD, streamsSuccessfulBody: isStreamed))
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
            // A streamed body under way has no deadline (its idle timeout applies).
            guard let exchange = pending, let deadline = exchange.deadline else { return }
            if deadline <= .now() {
                fail(HTTPTransportError(kind: .timedOut))
                context.close(promise: nil)
            } else {
                armDeadlineTimer(for: deadline, context)
            }
        }
        deadlineTimer = (deadline, task)
    }

    /// Fails the exchange whose promise's future is `future` with `error` and closes the
    /// connection; does nothing once that exchange is over, as the connection may carry another
    /// one by then, or once a streamed body is handed out (its consumer ends it).
    func abort(_ future: AnyObject, _ error: HTTPTransportError) {
        guard let exchange = pending, streaming == nil, exchange.receiver.futureResult === future else { return }
        fail(error)
        context?.close(promise: nil)
    }

    /// Completes the exchange under way with its last response: the whole response, or the end
    /// of a streamed body.
    private func deliver(_ response: Response) {
        guard let exchange = pending else { return }
        pending = nil
        if let body = streaming {
            streaming = nil
            readingPaused = false
            body.idleTimer?.cancel()
            body.source.finish()
            // A streamed exchange has its connection to itself.
            context?.close(promise: nil)
            return
        }
        switch exchange.receiver {
        case .whole(let promise): promise.succeed(response)
        case .streamed(let promise, _): promise.succeed(.complete(response))
        }
    }

    private func fail(_ error: any Error) {
        guard let exchange = pending else { return }
        pending = nil
        if let body = streaming {
            streaming = nil
            readingPaused = false
            body.idleTimer?.cancel()
            body.source.finish(error)
            return
        }
        exchange.receiver.fail(error)
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
