import NIOCore
import NIOHTTP1
import NIOPosix
@testable import RoperatorClient
import Testing

/// Holds server responses until the test opens it.
final class ResponseGate: Sendable {
    private let isOpen = Lock(false)

    func open() { isOpen.withLock { $0 = true } }

    /// Returns once the gate is open; throws when the server stops (cancellation) or after 10 s.
    func wait() async throws {
        let deadline = ContinuousClock.now + TimeoutScale.scaled(.seconds(10))
        while !isOpen.withLock({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// The client's own HTTP/1.1 pool for complete requests: reuse, limits, stale connections,
/// cancellation and shutdown, against a real loopback server.
@Suite("Connection pool")
struct ConnectionPoolTests {
    @Test func neverOpensMoreThanTheLimitAndQueuesTheRest() async throws {
        let gate = ResponseGate()
        try await TestHTTPServer.withServer { _, writer in
            try await gate.wait()
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            try await withClient(server, options: .init(retry: .none, maxConnectionsPerHost: 2)) { client in
                try await withThrowingTaskGroup(of: String?.self) { group in
                    for _ in 0..<10 { group.addTask { try await client.get(.configMap, name: "a").name } }
                    let arrived = try await waitUntil { server.requests.count == 2 }
                    #expect(arrived)
                    // The other eight wait for one of the two connections.
                    #expect(server.requests.count == 2)
                    #expect(server.connectionCount == 2)
                    gate.open()
                    var names: [String?] = []
                    for try await name in group { names.append(name) }
                    #expect(names == Array(repeating: "a", count: 10))
                }
            }
            #expect(server.requests.count == 10)
            #expect(server.connectionCount == 2)
        }
    }

    @Test func staleKeptAliveConnectionIsReplacedWithoutARetry() async throws {
        let seen = Lock(0)
        try await TestHTTPServer.withServer { _, writer in
            let n = seen.withLock { count in
                count += 1
                return count
            }
            // The second request finds its kept-alive connection closed without an answer, as
            // when the server's idle timeout and the request cross.
            if n == 2 { throw DropConnection() }
            try await writer.respond(json: configMap("a", resourceVersion: "\(n)"))
        } _: { server in
            try await withClient(server, options: .init(retry: .none)) { client in
                let first = try await client.get(.configMap, name: "a")
                let second = try await client.get(.configMap, name: "a")
                #expect(first.resourceVersion == "1")
                #expect(second.resourceVersion == "3")
            }
            #expect(server.connectionCount == 2)
        }
    }

    @Test func requestOnAClosingReusedConnectionIsSentOnceMoreOnly() async throws {
        try await TestHTTPServer.withServer { request, writer in
            // Every POST meets a connection that closes without an answer.
            if request.method == "POST" { throw DropConnection() }
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            let error = try await withClient(server, options: .init(retry: .none)) { client in
                _ = try await client.get(.configMap, name: "a")
                return try await #require(throws: KubeClientError.self) {
                    _ = try await client.create(.configMap, KubeObject(configMap("b", resourceVersion: "")))
                }
            }
            #expect(error.code == .transport)
            // Once on the kept-alive connection, once more on a new one; a new one failing is final.
            #expect(server.requests.map(\.method) == ["GET", "POST", "POST"])
            #expect(server.connectionCount == 2)
        }
    }

    /// Three GETs succeed, each on a connection of its own: the last one was not reusable.
    static func expectEachGetOnANewConnection(_ server: TestHTTPServer) async throws {
        try await withClient(server, options: .init(retry: .none)) { client in
            for _ in 0..<3 {
                let object = try await client.get(.configMap, name: "a")
                #expect(object.name == "a")
            }
        }
        #expect(server.requests.count == 3)
        #expect(server.connectionCount == 3)
    }

    @Test func idleConnectionClosedByTheServerIsNotUsedAgain() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
            // Answer, then close the connection while the client holds it idle.
            throw DropConnection()
        } _: { server in
            try await Self.expectEachGetOnANewConnection(server)
        }
    }

    @Test func idleConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            let (pool, get) = Self.pool(server, maxConnections: 4, idleTimeout: .milliseconds(100))
            #expect(try await get(TimeoutScale.scaled(.seconds(5))) == 200)
            #expect(pool.idleCount == 1)
            let expired = try await waitUntil { pool.idleCount == 0 }
            #expect(expired)
            #expect(try await get(TimeoutScale.scaled(.seconds(5))) == 200)
            #expect(server.connectionCount == 2)
            await pool.shutdown()
        }
    }

    /// A pool for `server`, and a GET through it with a deadline `timeout` from now.
    private static func pool(
        _ server: TestHTTPServer, maxConnections: Int = 1, idleTimeout: TimeAmount = .seconds(60)
    ) -> (HTTPConnectionPool, @Sendable (Duration) async throws -> Int) {
        let pool = HTTPConnectionPool(
            target: .init(host: "127.0.0.1", port: server.port), maxConnections: maxConnections, connectTimeout: .seconds(5),
            idleTimeout: idleTimeout, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: "/api/v1/namespaces/default/configmaps/a",
            headers: ["Host": "127.0.0.1:\(server.port)"])
        return (
            pool, { timeout in try await pool.execute(head: head, body: nil, limit: 1 << 20, deadline: .now() + timeout.timeAmount).status }
        )
    }

    /// A server that answers every GET at once but the second, which waits for `gate`.
    private static func withServerHoldingTheSecondAnswer(
        until gate: ResponseGate, _ body: (TestHTTPServer) async throws -> Void
    ) async throws {
        let seen = Lock(0)
        try await TestHTTPServer.withServer { _, writer in
            let count = seen.withLock { count in
                count += 1
                return count
            }
            if count == 2 { try await gate.wait() }
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            try await body(server)
        }
    }

    /// The connection's deadline timer, armed for a first exchange, fires while a second one with
    /// a later deadline is under way: the second goes on.
    @Test func aDeadlineTimerLeftByAnEarlierExchangeDoesNotCutALaterOneShort() async throws {
        let gate = ResponseGate()
        try await Self.withServerHoldingTheSecondAnswer(until: gate) { server in
            let (pool, get) = Self.pool(server)
            let firstDeadline = ContinuousClock.now + .milliseconds(200)
            #expect(try await get(.milliseconds(200)) == 200)
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask { try await get(TimeoutScale.scaled(.seconds(30))) }
                let passed = try await waitUntil { server.requests.count == 2 && ContinuousClock.now > firstDeadline + .milliseconds(100) }
                #expect(passed)
                gate.open()
                #expect(try await group.next() == 200)
            }
            #expect(server.connectionCount == 1)
            await pool.shutdown()
        }
    }

    /// An exchange whose deadline comes before the one the timer was armed for still ends at its
    /// own deadline, and its connection is closed.
    @Test func anExchangeTimesOutAtItsOwnDeadline() async throws {
        let gate = ResponseGate()
        try await Self.withServerHoldingTheSecondAnswer(until: gate) { (server: TestHTTPServer) async throws in
            let (pool, get) = Self.pool(server)
            #expect(try await get(.seconds(600)) == 200)
            let start = ContinuousClock.now
            let error = await #expect(throws: HTTPTransportError.self) { try await get(.milliseconds(200)) }
            #expect(error?.kind == .timedOut)
            #expect(ContinuousClock.now - start < TimeoutScale.scaled(.seconds(9)), "it waited for the server, not for its deadline")
            gate.open()
            #expect(try await get(.seconds(5)) == 200)
            #expect(server.connectionCount == 2)
            await pool.shutdown()
        }
    }

    @Test func connectionCloseResponseEndsTheConnection() async throws {
        try await TestHTTPServer.withServer { _, writer in
            try await writer.respond(json: configMap("a", resourceVersion: "1"), headers: [("Connection", "close")])
        } _: { server in
            try await Self.expectEachGetOnANewConnection(server)
        }
    }

    @Test func cancellationEndsTheRequestAndItsConnection() async throws {
        let gate = ResponseGate()
        try await TestHTTPServer.withServer { request, writer in
            if request.path.hasSuffix("/held") { try await gate.wait() }
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            try await withClient(server, options: .init(retry: .none)) { client in
                let held = Task { try await client.get(.configMap, name: "held") }
                let arrived = try await waitUntil { server.requests.count == 1 }
                #expect(arrived)
                held.cancel()
                let result = await held.result
                #expect(throws: CancellationError.self) { try result.get() }
                gate.open()
                let object = try await client.get(.configMap, name: "a")
                #expect(object.name == "a")
            }
            #expect(server.connectionCount == 2, "the cancelled request's connection was not reused")
        }
    }

    @Test func shutdownFailsRequestsInFlightAndWaiting() async throws {
        let gate = ResponseGate()
        try await TestHTTPServer.withServer { _, writer in
            try await gate.wait()
            try await writer.respond(json: configMap("a", resourceVersion: "1"))
        } _: { server in
            let client = try KubeClient(
                configuration: ClientConfiguration(server: server.url, namespace: "default"),
                options: .init(retry: fastRetry, maxConnectionsPerHost: 1))
            let inFlight = Task { try await client.get(.configMap, name: "a") }
            let arrived = try await waitUntil { server.requests.count == 1 }
            #expect(arrived)
            let waiting = Task { try await client.get(.configMap, name: "b") }
            try await client.shutdown()
            for task in [inFlight, waiting] {
                let result = await task.result
                let error = #expect(throws: KubeClientError.self) { try result.get() }
                #expect(error?.code == .shutDown)
            }
            gate.open()
            #expect(server.requests.count == 1)
        }
    }

    @Test func chunkedAnswerIsReadWholeAndItsConnectionReused() async throws {
        try await TestHTTPServer.withServer { _, writer in
            let body = configMap("a", resourceVersion: "1").serializedBytes()
            try await writer.startStream()
            try await writer.write(body.prefix(5))
            try await writer.write(body.dropFirst(5))
            try await writer.end()
        } _: { server in
            try await withClient(server, options: .init(retry: .none)) { client in
                for _ in 0..<3 {
                    let name = try await client.get(.configMap, name: "a").name
                    #expect(name == "a")
                }
            }
            #expect(server.requests.count == 3)
            #expect(server.connectionCount == 1)
        }
    }

    @Test func postBodyAndContentLengthReachTheServer() async throws {
        try await TestHTTPServer.withServer { request, writer in
            try await writer.respond(status: 201, json: (try request.json) ?? [:])
        } _: { server in
            try await withClient(server, options: .init(retry: .none)) { client in
                let created = try await client.create(.configMap, KubeObject(configMap("new", resourceVersion: "")))
                #expect(created.name == "new")
                let empty = try await client.request(method: "POST", path: "/api/v1/namespaces/default/things")
                #expect(empty.status == 201)
            }
            let requests = server.requests
            #expect(requests.count == 2)
            #expect(requests.first?.header("Content-Length") == requests.first.map { String($0.body.count) })
            #expect(requests.first?.header("Host") == String(server.url.dropFirst("http://".count)))
            #expect(requests.last?.header("Content-Length") == "0")
            #expect(requests.last?.header("Transfer-Encoding") == nil)
        }
    }

    @Test("each client has an event loop thread of its own unless given a group, which it leaves running")
    func eachClientOwnsItsEventLoopUnlessGivenOne() async throws {
        let configuration = ClientConfiguration(server: "http://127.0.0.1:1")
        let first = try KubeClient(configuration: configuration)
        let second = try KubeClient(configuration: configuration)
        let given = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let third = try KubeClient(configuration: configuration, options: .init(eventLoopGroup: given))
        #expect(first.eventLoopGroup.next() !== second.eventLoopGroup.next())
        #expect(third.eventLoopGroup.next() === given.next())

        try await first.shutdown()
        try await third.shutdown()
        // A given group is the caller's to stop: it still runs after its client shut down.
        try await given.next().submit {}.get()
        try await second.eventLoopGroup.next().submit {}.get()
        try await second.shutdown()
        try await given.shutdownGracefully()
    }

    @Test("a client made with default options has a request loop and a separate watch loop, each offered as a task executor")
    func ownedLoopsForRequestsAndWatches() async throws {
        let owned = try KubeClient(configuration: ClientConfiguration(server: "http://127.0.0.1:1"))
        let requests = try #require(owned.loopExecutor)
        let watches = try #require(owned.watchLoopExecutor)
        #expect(requests.eventLoop === owned.eventLoopGroup.next())
        #expect(watches.eventLoop === owned.watchEventLoopGroup.next())
        #expect(requests.eventLoop !== watches.eventLoop)
        let ranOnLoop = await Task(executorPreference: requests) { requests.eventLoop.inEventLoop }.value
        #expect(ranOnLoop)
        try await owned.shutdown()
    }

    @Test("watches share a given event loop group unless a watch group is given; several loops offer no executor")
    func givenGroupsPlaceRequestsAndWatches() async throws {
        let configuration = ClientConfiguration(server: "http://127.0.0.1:1")
        let one = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let shared = try KubeClient(configuration: configuration, options: .init(eventLoopGroup: one))
        #expect(shared.loopExecutor?.eventLoop === one.next())
        #expect(shared.watchLoopExecutor?.eventLoop === one.next())

        let other = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let split = try KubeClient(configuration: configuration, options: .init(eventLoopGroup: one, watchEventLoopGroup: other))
        #expect(split.loopExecutor?.eventLoop === one.next())
        #expect(split.watchLoopExecutor?.eventLoop === other.next())

        let two = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let several = try KubeClient(configuration: configuration, options: .init(eventLoopGroup: two))
        #expect(several.loopExecutor == nil)
        #expect(several.watchLoopExecutor == nil)

        for client in [shared, split, several] { try await client.shutdown() }
        // Given groups are the caller's to stop.
        try await one.next().submit {}.get()
        try await other.next().submit {}.get()
        for group in [one, other, two] { try await group.shutdownGracefully() }
    }
}
