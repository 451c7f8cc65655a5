import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Answers requests; the listener hands it every request it reads.
protocol APIRequestHandler: Sendable {
    func handle(_ request: APIRequest) async -> APIResponse
}

/// The HTTP/1.1 listener: binds a loopback port, reads one request at a time per connection, keeps
/// connections alive, streams chunked bodies, and can be paused (socket closed, connections dropped)
/// and resumed on the same port.
final class HTTPListener: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// An accepted connection on its way from the listening channel to the accept loop.
    ///
    /// A `NIOAsyncChannel` released before `executeThenClose` finished its writer traps ("Deinited
    /// NIOAsyncWriter without calling finish()"), and NIO itself releases accepted connections
    /// that the listening channel still buffers when it closes: one accepted on a child event loop
    /// while ``stop()`` closes the socket is dropped on the floor once its initializer completes
    /// (apple/swift-nio#2813). So every accepted connection travels in this box, and one nobody
    /// claimed is closed through `executeThenClose` when the box goes.
    final class Accepted: Sendable {
        private let connection: Connection
        private let claimed = Atomic(false)

        init(_ connection: Connection) {
            self.connection = connection
        }

        /// Takes the connection over: from now on the caller must run `executeThenClose` on it.
        func claim() -> Connection {
            claimed.store(true, ordering: .sequentiallyConsistent)
            return connection
        }

        deinit {
            guard !claimed.load(ordering: .sequentiallyConsistent) else { return }
            let connection = self.connection
            Task { try? await connection.executeThenClose { _, _ in } }
        }
    }

    /// Requests with a larger body are refused with 413 (the real server's limit is 3 MiB per object).
    static let maximumBodySize = 16 * 1024 * 1024

    private let host: String
    private let tlsContext: NIOSSLContext?
    private let authenticator: Authenticator
    private let handler: any APIRequestHandler
    private let group: any EventLoopGroup
    private let state: Mutex<State>

    private struct State {
        var port: Int
        var serverChannel: (any Channel)?
        var acceptTask: Task<Void, Never>?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var stopped = false
    }

    init(
        host: String,
        port: Int,
        tlsContext: NIOSSLContext?,
        authenticator: Authenticator,
        handler: any APIRequestHandler,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.tlsContext = tlsContext
        self.authenticator = authenticator
        self.handler = handler
        self.group = group
        self.state = Mutex(State(port: port))
    }

    /// The bound port; the requested one until the first bind.
    var port: Int { state.withLock { $0.port } }

    /// Whether the listening socket is open.
    var isListening: Bool { state.withLock { $0.serverChannel != nil } }

    /// Binds the port (the one chosen at the first bind when resuming) and starts accepting.
    ///
    /// - Throws: the bind error, e.g. when the port is taken.
    func start() async throws {
        let port = state.withLock { $0.port }
        let tlsContext = self.tlsContext
        let serverChannel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return Accepted(try Connection(wrappingChannelSynchronously: channel))
                }
            }
        let task = Task { await self.acceptConnections(serverChannel) }
        state.withLock { state in
            state.port = serverChannel.channel.localAddress?.port ?? port
            state.serverChannel = serverChannel.channel
            state.acceptTask = task
            state.stopped = false
        }
    }

    /// Closes the listening socket and every open connection, and waits until they are gone.
    /// Nothing else is lost: ``start()`` opens the same port again.
    func stop() async {
        let (serverChannel, acceptTask, connections) = state.withLock { state in
            defer {
                state.serverChannel = nil
                state.acceptTask = nil
                state.stopped = true
            }
            return (state.serverChannel, state.acceptTask, Array(state.connections.values))
        }
        try? await serverChannel?.close() // already closed is fine: the goal is a closed socket
        for connection in connections {
            connection.close(promise: nil)
        }
        await acceptTask?.value
    }

    private func acceptConnections(_ serverChannel: NIOAsyncChannel<Accepted, Never>) async {
        do {
            try await serverChannel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await box in inbound {
                        let connection = box.claim()
                        let channel = connection.channel
                        let key = ObjectIdentifier(channel)
                        let accepted = state.withLock { state in
                            guard !state.stopped else { return false }
                            state.connections[key] = channel
                            return true
                        }
                        guard accepted else {
                            // Closed through executeThenClose: a wrapped connection dropped without
                            // finishing its writer traps in NIO ("Deinited NIOAsyncWriter without
                            // calling finish()") when its channel becomes active.
                            group.addTask { try? await connection.executeThenClose { _, _ in } }
                            continue
                        }
                        group.addTask {
                            await self.serve(connection)
                            _ = self.state.withLock { $0.connections.removeValue(forKey: key) }
                        }
                    }
                }
            }
        } catch {
            // The accept loop ends when the socket is closed; an error here means the same.
        }
    }

    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var parts = inbound.makeAsyncIterator()
                var clientCertificateVerified: Bool?
                while let part = try await parts.next() {
                    guard case .head(let head) = part else { continue }
                    var body = ByteBuffer()
                    var tooLarge = false
                    reading: while let next = try await parts.next() {
                        switch next {
                        case .body(var chunk):
                            if body.readableBytes + chunk.readableBytes > Self.maximumBodySize {
                                tooLarge = true
                            } else {
                                body.writeBuffer(&chunk)
                            }
                        case .end:
                            break reading
                        case .head:
                            return
                        }
                    }
                    if clientCertificateVerified == nil {
                        clientCertificateVerified = await Self.peerPresentedCertificate(connection.channel)
                    }
                    var request = APIRequest(method: head.method, uri: head.uri, headers: head.headers, body: body)
                    let response: APIResponse
                    if tooLarge {
                        response = APIResponse(error: .requestEntityTooLarge)
                    } else {
                        switch authenticator.authenticate(headers: head.headers, clientCertificateVerified: clientCertificateVerified ?? false, path: request.path) {
                        case .success(let user):
                            request.user = user
                            response = await handler.handle(request)
                        case .failure(let error):
                            response = APIResponse(error: error)
                        }
                    }
                    let keepAlive = head.isKeepAlive && !tooLarge
                    try await Self.write(response, for: head, keepAlive: keepAlive, to: outbound, closeFuture: connection.channel.closeFuture)
                    if !keepAlive { return }
                }
            }
        } catch {
            // The client went away or the listener is stopping; either way this connection is done.
        }
    }

    /// With TLS, whether the peer sent a certificate; the TLS handler already verified it against
    /// the generated CA, and refused the handshake if it did not verify.
    private static func peerPresentedCertificate(_ channel: any Channel) async -> Bool {
        do {
            return try await channel.nioSSL_peerCertificate().get() != nil
        } catch {
            return false // no TLS handler: a plain HTTP connection carries no certificate
        }
    }

    private static func write(
        _ response: APIResponse,
        for request: HTTPRequestHead,
        keepAlive: Bool,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        closeFuture: EventLoopFuture<Void>
    ) async throws {
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
            if buffer.readableBytes > 0 && request.method != .HEAD {
                try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(buffer)), .end(nil)])
            } else {
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
            }
        case .stream(let produce):
            head.headers.remove(name: "Content-Length")
            head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(head))
            try await produce(ResponseBodyWriter(outbound: outbound, connectionClosed: closeFuture))
            try await outbound.write(.end(nil))
        }
    }
}
