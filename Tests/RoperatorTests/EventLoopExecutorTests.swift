import NIOPosix
import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

@Suite("Operators on an event loop")
struct EventLoopExecutorTests {
    @Test("with an EventLoopExecutor every sync runs on the client's event loop, and the operator converges")
    func syncsRunOnTheEventLoop() async throws {
        let server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(customResourceDefinitions: [CustomResourceDefinitions.make(for: echoType)]))
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = loops.next()
        let client = try KubeClient(configuration: server.clientConfiguration, options: .init(eventLoopGroup: loop))
        let threads = Lock<(onLoop: Int, elsewhere: Int)>((0, 0))
        let handler = ClosureHandler(sync: { request in
            let onLoop = loop.inEventLoop
            threads.withLock { onLoop ? ($0.onLoop += 1) : ($0.elsewhere += 1) }
            return try await EchoHandler().sync(request)
        })
        var configuration = OperatorGroup.Configuration()
        configuration.taskExecutor = EventLoopExecutor(loop)
        let group = OperatorGroup(client: client, configuration: configuration)
        let echo = try group.add(echoConfig(), handler: handler)
        let run = Task { try await group.run() }
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
            let seen = threads.withLock { $0 }
            #expect(seen.onLoop >= 5)
            #expect(seen.elsewhere == 0)
        } catch {
            run.cancel()
            _ = await run.result
            try await client.shutdown()
            try await server.shutdown()
            try await loops.shutdownGracefully()
            throw error
        }
        run.cancel()
        _ = await run.result
        try await client.shutdown()
        try await server.shutdown()
        try await loops.shutdownGracefully()
    }
}
