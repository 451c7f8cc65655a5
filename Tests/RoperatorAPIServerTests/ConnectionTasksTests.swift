import NIOCore
import NIOPosix
@testable import RoperatorAPIServer
import RoperatorClient
import Testing

/// The tasks a connection starts: a watch stream runs on its connection's event loop, other work
/// on the cooperative pool, and closing waits for all of them.
@Suite struct ConnectionTasksTests {
    @Test("work spawned on a loop's executor runs on that loop; other work does not")
    func spawnRunsWhereItIsTold() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let tasks = ConnectionTasks()
        let (results, sink) = AsyncStream<(String, Bool)>.makeStream()
        tasks.spawn(on: EventLoopExecutor(loop)) {
            // Still on the loop after a suspension, as a watch stream is between its batches.
            await Task.yield()
            sink.yield(("loop", loop.inEventLoop))
        }
        tasks.spawn { sink.yield(("pool", loop.inEventLoop)) }
        var seen: [String: Bool] = [:]
        for await (name, onLoop) in results {
            seen[name] = onLoop
            if seen.count == 2 { break }
        }
        #expect(seen == ["loop": true, "pool": false])
        await tasks.cancelAndWait()
        try await group.shutdownGracefully()
    }
}
