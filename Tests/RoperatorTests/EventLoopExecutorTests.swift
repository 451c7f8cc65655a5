import NIOCore
import NIOPosix
import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

@Suite("Where an operator's syncs run")
struct EventLoopExecutorTests {
    @Test("by default every sync runs on the client's request event loop, and the operator converges")
    func syncsRunOnTheClientsRequestLoop() async throws {
        let requests = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let watches = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let seen = try await syncThreads(
            clientOptions: .init(eventLoopGroup: requests, watchEventLoopGroup: watches), executor: nil,
            on: requests.next())
        #expect(seen.onLoop >= 5)
        #expect(seen.elsewhere == 0)
        try await requests.shutdownGracefully()
        try await watches.shutdownGracefully()
    }

    @Test("a client made with default options runs the syncs on its own request loop")
    func syncsRunOnTheOwnedRequestLoop() async throws {
        let seen = try await syncThreads(clientOptions: .init(), executor: nil, on: nil)
        #expect(seen.onLoop >= 5)
        #expect(seen.elsewhere == 0)
    }

    @Test("with the cooperative pool as the task executor no sync runs on the client's loop")
    func syncsRunOnThePool() async throws {
        let requests = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let seen = try await syncThreads(
            clientOptions: .init(eventLoopGroup: requests), executor: globalConcurrentExecutor, on: requests.next())
        #expect(seen.onLoop == 0)
        #expect(seen.elsewhere >= 5)
        try await requests.shutdownGracefully()
    }

    @Test("with an EventLoopExecutor every sync runs on that loop, the client's only one")
    func syncsRunOnTheEventLoop() async throws {
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = loops.next()
        let seen = try await syncThreads(
            clientOptions: .init(eventLoopGroup: loop), executor: EventLoopExecutor(loop), on: loop)
        #expect(seen.onLoop >= 5)
        #expect(seen.elsewhere == 0)
        try await loops.shutdownGracefully()
    }

    /// Runs an echo operator over five parents until it converges, and counts the syncs that ran
    /// on `loop` (the client's request loop when `nil`) and elsewhere.
    private func syncThreads(
        clientOptions: KubeClient.Options, executor: (any TaskExecutor)?, on loop: (any EventLoop)?
    ) async throws -> (onLoop: Int, elsewhere: Int) {
        let server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(customResourceDefinitions: [CustomResourceDefinitions.make(for: echoType)]))
        let client = try KubeClient(configuration: server.clientConfiguration, options: clientOptions)
        let loop = try loop ?? #require(client.loopExecutor).eventLoop
        let threads = Lock<(onLoop: Int, elsewhere: Int)>((0, 0))
        let handler = ClosureHandler(sync: { request in
            let onLoop = loop.inEventLoop
            threads.withLock { onLoop ? ($0.onLoop += 1) : ($0.elsewhere += 1) }
            return try await EchoHandler().sync(request)
        })
        var configuration = OperatorGroup.Configuration()
        configuration.taskExecutor = executor
        let group = OperatorGroup(client: client, configuration: configuration)
        let echo = try group.add(echoConfig(), handler: handler)
        let run = Task { try await group.run() }
        defer { run.cancel() }
        do {
            try await poll("the operator is ready") { echo.isReady }
            for index in 0..<5 {
                _ = try await client.create(echoType, KubeObject(echoParent("p\(index)", ["message": .string("m\(index)")])))
            }
            try await poll("every child and status is written") {
                let children = try await client.list(.configMap, namespace: "default").items
                let parents = try await client.list(echoType, namespace: "default").items
                return children.count == 5 && parents.allSatisfy { $0.status?["message"] != nil }
            }
        } catch {
            run.cancel()
            _ = await run.result
            try await client.shutdown()
            try await server.shutdown()
            throw error
        }
        run.cancel()
        _ = await run.result
        try await client.shutdown()
        try await server.shutdown()
        return threads.withLock { $0 }
    }
}
