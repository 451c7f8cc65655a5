import NIOCore
import NIOHTTP1
import NIOSSL

/// Keep-alive HTTP/1.1 connections to one server, for requests whose whole response is read at once.
///
/// Idle connections are reused newest first, so that a burst leaves the oldest ones to time out.
/// New connections are opened up to a limit; beyond it requests wait their turn in arrival order.
/// A connection the server closed, or marked `Connection: close`, leaves the pool.
///
/// A streamed exchange (a watch, which holds its connection for minutes) gets a connection of its
/// own outside the limit (``stream(head:body:limit:deadline:idleTimeout:on:)``), so that watches
/// never keep requests waiting.
final class HTTPConnectionPool: Sendable {
    /// Where connections go and how they are secured.
    struct Target: Sendable {
        /// Host name or IP address connected to.
        var host: String
        var port: Int
        /// SNI and certificate name; `nil` verifies the certificate against the connected address.
        var serverHostname: String?
        /// Set for `https`; the client certificate of `credentials` is added when the pool first connects.
        var tls: TLSConfiguration?
        var credentials: (any CredentialProvider)?
    }

    /// What an acquired connection is.
    private enum Lease: Sendable {
        /// An idle connection that has carried requests before.
        case reuse(HTTPConnection)
        /// A slot to open a new connection in.
        case create
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Lease, any Error>
    }

    private struct Idle {
        var connection: HTTPConnection
        var since: NIODeadline
    }

    private struct State {
        /// Every open connection, idle or lent out, by identity.
        var connections: [ObjectIdentifier: HTTPConnection] = [:]
        /// Connections being opened; they count against the limit.
        var connecting = 0
        /// Newest last.
        var idle: [Idle] = []
        /// Oldest first.
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var isShutDown = false
        var sweeper: RepeatedTask?
        /// The connections of streamed exchanges, outside the limit.
        var streams: [ObjectIdentifier: HTTPConnection] = [:]

        var used: Int { connections.count + connecting }
    }

    private let target: Target
    private let maxConnections: Int
    private let connectTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let eventLoopGroup: any EventLoopGroup
    private let state = Lock(State())
    private let sslContext = Lock<NIOSSLContext?>(nil)

    /// - Parameters:
    ///   - maxConnections: Connections open at most, idle or busy.
    ///   - idleTimeout: A connection unused for this long is closed.
    init(
        target: Target, maxConnections: Int, connectTimeout: TimeAmount, idleTimeout: TimeAmount = .seconds(60),
        eventLoopGroup: any EventLoopGroup
    ) {
        self.target = target
        self.maxConnections = max(1, maxConnections)
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.eventLoopGroup = eventLoopGroup
    }

    /// Idle connections held now.
    var idleCount: Int { state.withLock { $0.idle.count } }

    /// Whether ``shutdown()`` has begun.
    var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// Sends one request on a pooled connection and returns the whole response.
    ///
    /// A request that fails on a reused connection before any response byte arrived is sent once
    /// more on a new connection, whatever its method: the server closed that connection while it
    /// sat idle and did not act on the request. (A server that fails after acting on a request but
    /// before answering looks the same; the fresh connection makes a second such failure final.)
    ///
    /// - Parameters:
    ///   - head: Method, target and headers, `Host` and `Content-Length` included.
    ///   - limit: Largest response body accepted.
    ///   - deadline: End of the attempt: waiting for a connection, sending and receiving the whole response.
    /// - Throws: ``HTTPTransportError``, or a connect or TLS error.
    func execute(
        head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline
    ) async throws -> HTTPExchangeHandler.Response {
        var fresh = false
        while true {
            let lease = try await acquire(fresh: fresh, deadline: deadline)
            let connection: HTTPConnection
            switch lease {
            case .reuse(let idle): connection = idle
            case .create: connection = try await open()
            }
            if Task.isCancelled {
                release(connection, reusable: true)
                throw CancellationError()
            }
            do {
                let response = try await connection.execute(head: head, body: body, limit: limit, deadline: deadline)
                release(connection, reusable: response.keepAlive)
                return response
            } catch {
                connection.close()
                if isShutDown { throw HTTPTransportError(kind: .shutDown) }
                if case .reuse = lease, !fresh, !Task.isCancelled,
                    let failure = error as? HTTPTransportError, failure.isStaleConnection
                {
                    fresh = true
                    continue
                }
                throw error
            }
        }
    }

    /// Sends one request whose 2xx answer streams, on a new connection of its own on `eventLoop`.
    /// The connection closes when the stream ends or its consumer stops, or at once for any other
    /// answer.
    ///
    /// - Parameters:
    ///   - limit: Largest chunk of a streamed body, or largest body of any other answer.
    ///   - deadline: End of the exchange until a 2xx head (or the end of any other answer).
    ///   - idleTimeout: Longest gap in a streamed body; `nil` for none.
    /// - Throws: ``HTTPTransportError``, or a connect or TLS error.
    func stream(
        head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline, idleTimeout: TimeAmount?,
        on eventLoop: any EventLoop
    ) async throws -> HTTPExchangeHandler.StreamedAnswer {
        if isShutDown { throw HTTPTransportError(kind: .shutDown) }
        let connection = try await HTTPConnection.connect(
            host: target.host, port: target.port, sslContext: try await makeSSLContext(), serverHostname: target.serverHostname,
            connectTimeout: connectTimeout, on: eventLoop)
        let id = ObjectIdentifier(connection)
        let accepted = state.withLock { state in
            guard !state.isShutDown else { return false }
            state.streams[id] = connection
            return true
        }
        guard accepted else {
            connection.close()
            throw HTTPTransportError(kind: .shutDown)
        }
        connection.channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLock { _ = $0.streams.removeValue(forKey: id) }
        }
        do {
            let answer = try await connection.stream(head: head, body: body, limit: limit, deadline: deadline, idleTimeout: idleTimeout)
            if case .complete = answer { connection.close() }
            return answer
        } catch {
            connection.close()
            if isShutDown { throw HTTPTransportError(kind: .shutDown) }
            throw error
        }
    }

    /// Closes every connection and fails the requests waiting for one; requests under way fail
    /// with ``HTTPTransportError/Kind/shutDown``, streamed bodies end with an error.
    func shutdown() async {
        let (connections, waiters, sweeper) = state.withLock { state in
            state.isShutDown = true
            state.idle = []
            defer { state.waiters = [] }
            return (Array(state.connections.values) + Array(state.streams.values), state.waiters, state.sweeper)
        }
        sweeper?.cancel()
        for waiter in waiters { waiter.continuation.resume(throwing: HTTPTransportError(kind: .shutDown)) }
        for connection in connections { connection.close() }
        for connection in connections { try? await connection.channel.closeFuture.get() }
    }

    /// An idle connection (unless `fresh`), a slot for a new one, or a place in the queue.
    private func acquire(fresh: Bool, deadline: NIODeadline) async throws -> Lease {
        enum Decision {
            case lease(Lease)
            case evict(HTTPConnection)
            case wait
        }
        let decision: Decision = try state.withLock { state in
            if state.isShutDown { throw HTTPTransportError(kind: .shutDown) }
            if !fresh, let idle = state.idle.popLast() { return .lease(.reuse(idle.connection)) }
            if state.used < maxConnections {
                state.connecting += 1
                return .lease(.create)
            }
            if fresh, !state.idle.isEmpty {
                // A retry after a stale connection: make room by closing the oldest idle one, which
                // has likely gone stale as well.
                let oldest = state.idle.removeFirst().connection
                state.connections[ObjectIdentifier(oldest)] = nil
                state.connecting += 1
                return .evict(oldest)
            }
            return .wait
        }
        switch decision {
        case .lease(let lease): return lease
        case .evict(let connection):
            connection.close()
            return .create
        case .wait: return try await wait(until: deadline)
        }
    }

    /// Queues for a connection; gives up at `deadline`.
    private func wait(until deadline: NIODeadline) async throws -> Lease {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        // Only queued requests pay for a timer of their own.
        let timer = eventLoopGroup.next().scheduleTask(deadline: deadline) { [weak self] in
            self?.dropWaiter(id, HTTPTransportError(kind: .timedOut, detail: "waiting for a connection"))
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let rejected: (any Error)? = state.withLock { state in
                    if state.isShutDown { return HTTPTransportError(kind: .shutDown) }
                    if Task.isCancelled { return CancellationError() }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let rejected { continuation.resume(throwing: rejected) }
            }
        } onCancel: {
            dropWaiter(id, CancellationError())
        }
    }

    /// Fails waiter `id` with `error` unless it got its turn already.
    private func dropWaiter(_ id: Int, _ error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// Opens a connection in a slot ``acquire(fresh:)`` reserved.
    private func open() async throws -> HTTPConnection {
        let connection: HTTPConnection
        do {
            connection = try await HTTPConnection.connect(
                host: target.host, port: target.port, sslContext: try await makeSSLContext(),
                serverHostname: target.serverHostname, connectTimeout: connectTimeout, on: eventLoopGroup.next())
        } catch {
            freeSlot { $0.connecting -= 1 }
            throw error
        }
        let accepted = state.withLock { state in
            state.connecting -= 1
            guard !state.isShutDown else { return false }
            state.connections[ObjectIdentifier(connection)] = connection
            if state.sweeper == nil { state.sweeper = startSweeper() }
            return true
        }
        guard accepted else {
            connection.close()
            throw HTTPTransportError(kind: .shutDown)
        }
        connection.channel.closeFuture.whenComplete { [weak self] _ in
            self?.freeSlot { state in
                guard state.connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
                state.idle.removeAll { $0.connection === connection }
            }
        }
        return connection
    }

    /// Returns a connection after a complete exchange: to the first waiter, else to the idle stack.
    private func release(_ connection: HTTPConnection, reusable: Bool) {
        guard reusable, connection.channel.isActive else {
            // `closeFuture` frees the slot.
            connection.close()
            return
        }
        let now = NIODeadline.now()
        let handOver: (CheckedContinuation<Lease, any Error>)? = state.withLock { state in
            guard !state.isShutDown, state.connections[ObjectIdentifier(connection)] != nil else { return nil }
            if !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.idle.append(Idle(connection: connection, since: now))
            return nil
        }
        if let handOver {
            handOver.resume(returning: .reuse(connection))
        } else if isShutDown {
            connection.close()
        }
    }

    /// Applies `change` (which may free a slot) and gives a free slot to the first waiter.
    private func freeSlot(_ change: (inout State) -> Void) {
        let waiter: Waiter? = state.withLock { state in
            change(&state)
            guard !state.waiters.isEmpty, state.used < maxConnections else { return nil }
            state.connecting += 1
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: .create)
    }

    /// Closes idle connections older than the idle timeout, checking every half timeout.
    private func startSweeper() -> RepeatedTask {
        let interval = TimeAmount.nanoseconds(max(idleTimeout.nanoseconds / 2, 1_000_000))
        return eventLoopGroup.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] task in
            guard let self else {
                task.cancel()
                return
            }
            let cutoff = NIODeadline.now() - idleTimeout
            let expired = state.withLock { state in
                let expired = state.idle.filter { $0.since < cutoff }
                state.idle.removeAll { $0.since < cutoff }
                return expired
            }
            for idle in expired { idle.connection.close() }
        }
    }

    /// The TLS context, made on first use so that an exec plugin's client certificate (an async
    /// call) can be part of it.
    private func makeSSLContext() async throws -> NIOSSLContext? {
        guard var tls = target.tls else { return nil }
        if let existing = sslContext.withLock({ $0 }) { return existing }
        if let provider = target.credentials, let pair = try await provider.clientCertificate() {
            try KubeClient.addClientCertificate(certificatePEM: pair.certificatePEM, keyPEM: pair.keyPEM, to: &tls)
        }
        let made = try NIOSSLContext(configuration: tls)
        return sslContext.withLock { stored in
            if let stored { return stored }
            stored = made
            return made
        }
    }
}
