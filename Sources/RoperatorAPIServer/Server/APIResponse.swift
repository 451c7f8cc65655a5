import NIOCore
import NIOHTTP1
import RoperatorClient

/// What the API layer answers: a status, headers and either a complete body or a stream.
struct APIResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: Body

    enum Body: Sendable {
        /// A complete body, sent with `Content-Length`.
        case buffer(ByteBuffer)
        /// A body produced piece by piece, sent chunked; the closure returns when the stream ends.
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
    }

    init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: Body = .buffer(ByteBuffer())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer.
    ///
    /// Members are written in dictionary order unless `sortedKeys` is set: clients parse the body,
    /// and sorting every object's keys was a tenth of the server's CPU under load.
    static func json(
        _ value: JSONValue, status: HTTPResponseStatus = .ok, contentType: String = "application/json", sortedKeys: Bool = false
    ) -> APIResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        let body = value.withSerializedBytes(sortedKeys: sortedKeys) { ByteBuffer(bytes: $0) }
        return APIResponse(status: status, headers: headers, body: .buffer(body))
    }

    /// A JSON answer already serialized (a write's object, as its watch event carries it).
    static func json(serialized bytes: [UInt8], status: HTTPResponseStatus = .ok) -> APIResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return APIResponse(status: status, headers: headers, body: .buffer(ByteBuffer(bytes: bytes)))
    }

    /// A plain-text answer, as the health endpoints give.
    static func text(_ text: String, status: HTTPResponseStatus = .ok) -> APIResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        return APIResponse(status: status, headers: headers, body: .buffer(ByteBuffer(string: text)))
    }
}

/// Writes the pieces of a streamed response body and tells when the client has gone away.
struct ResponseBodyWriter: Sendable {
    let channel: any Channel

    /// Completes when the connection closes, for whatever reason.
    var connectionClosed: EventLoopFuture<Void> { channel.closeFuture }

    /// Sends one chunk and flushes it; returns once the bytes were handed to the socket, so a
    /// client that reads slowly slows its stream down rather than growing a queue.
    func write(_ bytes: ByteBuffer) async throws {
        try await send(bytes).get()
    }

    /// Sends one chunk and flushes it without waiting; the future completes once the bytes were
    /// handed to the socket. Keeping one chunk in flight while the next is prepared keeps the
    /// socket busy.
    func send(_ bytes: ByteBuffer) -> EventLoopFuture<Void> {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(bytes)), promise: promise)
        return promise.futureResult
    }

    /// Waits until the connection is closed.
    func waitForClose() async {
        try? await connectionClosed.get() // the close future only fails on a double close, which is a close too
    }
}
