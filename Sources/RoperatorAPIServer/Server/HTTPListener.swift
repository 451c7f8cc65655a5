import RoperatorClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The HTTP/1.1 listener: binds a loopback port, reads one request at a time per connection, keeps
/// connections alive, streams chunked bodies, and can be paused (socket closed, connections dropped)
/// and resumed on the same port.
final class HTTPListener: Sendable {
    /// Requests with a larger body are refused with 413, as kube-apiserver refuses them (3 MiB).
    static let maximumBodySize = 3 * 1024 * 1024

    private let host: String
    private let tlsContext: NIOSSLContext?
    private let authenticator: Authenticator
    private let handler: any APIRequestHandler
    private let group: any EventLoopGroup
    private let tasks = ConnectionTasks()
    private let state: Lock<State>

    private struct State {
        var port: Int
        var serverChannel: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var stopped = false
        var closed = false
    }

    init(
        host: String,
        port: Int,
        tlsContext: NIOSSLContext?,
        authenticator: Authenticator,
        handler: any APIRequestHandler
    ) {
        self.host = host
        self.tlsContext = tlsContext
        self.authenticator = authenticator
        self.handler = handler
        // The process-wide loops: a test process runs hundreds of servers, and a group (threads,
        // epoll and event descriptors) per server made Foundation's Process.run crash while it
        // walked /proc/self/fd.
        self.group = MultiThreadedEventLoopGroup.singleton
        self.state = Lock(State(port: port))
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
        let serverChannel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    guard self.register(channel) else {
                        throw ChannelError.ioOnClosedChannel // refused: the listener is stopping
                    }
                    if let tlsContext = self.tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPConnectionHandler(authenticator: self.authenticator, handler: self.handler, tasks: self.tasks))
                }
            }
            .bind(host: host, port: port)
            .get()
        state.withLock { state in
            state.port = serverChannel.localAddress?.port ?? port
            state.serverChannel = serverChannel
            state.stopped = false
        }
    }

    /// Tracks an accepted connection until it closes; `false` while stopping.
    private func register(_ channel: any Channel) -> Bool {
        let key = ObjectIdentifier(channel)
        let accepted = state.withLock { state in
            guard !state.stopped else { return false }
            state.connections[key] = channel
            return true
        }
        if accepted {
            channel.closeFuture.whenComplete { [self] _ in
                _ = state.withLock { $0.connections.removeValue(forKey: key) }
            }
        }
        return accepted
    }

    /// Closes the listening socket and every open connection, and waits until they are gone.
    /// Nothing else is lost: ``start()`` opens the same port again.
    func stop() async {
        let (serverChannel, connections) = state.withLock { state in
            defer {
                state.serverChannel = nil
                state.stopped = true
            }
            return (state.serverChannel, Array(state.connections.values))
        }
        try? await serverChannel?.close() // already closed is fine: the goal is a closed socket
        for connection in connections {
            connection.close(promise: nil)
        }
        for connection in connections {
            try? await connection.closeFuture.get() // only fails on a double close, which is closed too
        }
    }

    /// Stops for good: ``stop()``, then cancels and awaits the tasks its connections started.
    /// Safe to call more than once.
    func close() async {
        await stop()
        let first = state.withLock { state in
            defer { state.closed = true }
            return !state.closed
        }
        if first {
            await tasks.cancelAndWait()
        }
    }
}
