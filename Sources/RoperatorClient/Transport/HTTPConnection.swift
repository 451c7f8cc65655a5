import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 connection to the API server, carrying one request at a time.
///
/// Made by ``HTTPConnectionPool``, which lends it to one exchange at a time, or opens it for one
/// streamed exchange (a watch) that keeps it until the stream ends.
final class HTTPConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<HTTPExchangeHandler>

    private init(channel: any Channel, handler: NIOLoopBound<HTTPExchangeHandler>) {
        self.channel = channel
        self.handler = handler
    }

    /// Opens a connection (TCP, then the TLS handshake when `sslContext` is given).
    ///
    /// - Parameters:
    ///   - host: Host name or IP address to connect to.
    ///   - serverHostname: Name sent as SNI and verified against the certificate; `nil` verifies
    ///     the certificate against the connected IP address.
    /// - Throws: The connect or handshake failure.
    static func connect(
        host: String, port: Int, sslContext: NIOSSLContext?, serverHostname: String?, connectTimeout: TimeAmount,
        on eventLoop: any EventLoop
    ) async throws -> HTTPConnection {
        let ready = eventLoop.makePromise(of: NIOLoopBound<HTTPExchangeHandler>.self)
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                    }
                    try pipeline.addHandler(
                        HTTPExchangeHandler(
                            isTLS: sslContext != nil, connectTimeout: connectTimeout, ready: ready))
                }
            }
            .connect(host: host, port: port)
        connected.cascadeFailure(to: ready)
        let channel = try await connected.get()
        let handler = try await ready.futureResult.get()
        return HTTPConnection(channel: channel, handler: handler)
    }

    /// Sends one request and collects its whole response.
    ///
    /// - Parameters:
    ///   - limit: Largest response body accepted.
    ///   - deadline: End of the whole exchange, scheduled on this connection's event loop.
    /// - Throws: ``HTTPTransportError`` or the pipeline's error. Task cancellation closes the connection.
    func execute(head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline) async throws -> HTTPExchangeHandler.Response {
        let promise = channel.eventLoop.makePromise(of: HTTPExchangeHandler.Response.self)
        let handler = self.handler
        if channel.eventLoop.inEventLoop {
            handler.value.start(head: head, body: body, limit: limit, deadline: deadline, promise: promise)
        } else {
            channel.eventLoop.execute {
                handler.value.start(head: head, body: body, limit: limit, deadline: deadline, promise: promise)
            }
        }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            channel.eventLoop.execute { handler.value.abort(promise.futureResult, HTTPTransportError(kind: .cancelled)) }
        }
    }

    /// Sends one request whose 2xx answer streams (a watch): returns at the head of such an answer,
    /// with its body to come, or with any other answer whole.
    ///
    /// - Parameters:
    ///   - limit: Largest chunk of a streamed body, or largest body of any other answer.
    ///   - deadline: End of the exchange until a 2xx head (or the end of any other answer).
    ///   - idleTimeout: Longest gap in a streamed body; `nil` for none.
    /// - Throws: ``HTTPTransportError`` or the pipeline's error. Task cancellation before the head
    ///   closes the connection; afterwards the body's consumer ends it.
    func stream(
        head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline, idleTimeout: TimeAmount?
    ) async throws -> HTTPExchangeHandler.StreamedAnswer {
        let promise = channel.eventLoop.makePromise(of: HTTPExchangeHandler.StreamedAnswer.self)
        let handler = self.handler
        channel.eventLoop.execute {
            handler.value.startStreamed(
                head: head, body: body, limit: limit, deadline: deadline, idleTimeout: idleTimeout, promise: promise)
        }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            channel.eventLoop.execute { handler.value.abort(promise.futureResult, HTTPTransportError(kind: .cancelled)) }
        }
    }

    /// Closes the connection; an exchange under way fails.
    func close() {
        channel.close(promise: nil)
    }
}
