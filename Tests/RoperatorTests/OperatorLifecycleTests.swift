@testable import Roperator
import RoperatorClient
import RoperatorTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Operator and OperatorGroup lifecycle")
struct OperatorLifecycleTests {
    func startServer() async throws -> (EmbeddedAPIServer, KubeClient) {
        let server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(customResourceDefinitions: [
                CustomResourceDefinitions.make(for: echoType)
            ]))
        var options = KubeClient.Options()
        options.fieldManager = "echo-operator"
        return (server, try KubeClient(configuration: server.clientConfiguration, options: options))
    }

    @Test("one Operator runs, stops and runs again")
    func runStopRun() async throws {
        let (server, client) = try await startServer()
        defer {
            Task {
                try? await client.shutdown(); try? await server.shutdown()
            }
        }
        let member = try Operator(config: echoConfig(), handler: EchoHandler(), client: client)
        #expect(member.phase == .initial)
        for round in 1...2 {
            let run = Task { try await member.run() }
            try await waitUntil("ready in run \(round)") { member.isReady }
            #expect(member.phase == .running)
            _ = try await client.create(echoType, KubeObject(echoParent("r\(round)", ["message": .string("m\(round)")])))
            try await poll("child of run \(round)") {
                let child = try? await client.get(.configMap, namespace: "default", name: "r\(round)-echo")
                return child?.json[path: "data", "message"] == .string("m\(round)")
            }
            run.cancel()
            try await run.value
            #expect(member.phase == .stopped)
            #expect(member.isReady == false)
            #expect(member.queue.runningCount == 0)
        }
        try await poll("every watch closed") { server.faults.openWatchCount == 0 }
    }

    @Test("a second run while running, and add while the group runs, are refused")
    func misuse() async throws {
        let (server, client) = try await startServer()
        defer {
            Task {
                try? await client.shutdown(); try? await server.shutdown()
            }
        }
        let group = OperatorGroup(client: client)
        let member = try group.add(echoConfig(), handler: EchoHandler())
        let run = Task { try await group.run() }
        try await waitUntil("group ready") { group.isReady }
        #expect(group.phase == .running)
        await #expect(throws: LifecycleError(.alreadyRunning, "the operator group is already running")) {
            try await group.run()
        }
        // The operator runs inside the group; running it on its own too is the same mistake.
        do {
            try await member.run()
            Issue.record("a member of a running group ran on its own")
        } catch let error as LifecycleError {
            #expect(error.code == .alreadyRunning)
        }
        do {
            try group.add(echoConfig(name: "late"), handler: EchoHandler())
            Issue.record("add while running was accepted")
        } catch let error as LifecycleError {
            #expect(error.code == .addWhileRunning)
        }
        run.cancel()
        try await run.value
        #expect(group.phase == .stopped)
        // Stopped: adding and running again work.
        try group.add(echoConfig(name: "late"), handler: EchoHandler())
        #expect(group.operators.count == 2)
    }

    @Test("a graceful shutdown waits for the running sync (a signal, not a poll) within the group's timeout")
    func gracefulShutdownDrains() async throws {
        let (server, client) = try await startServer()
        defer {
            Task {
                try? await client.shutdown(); try? await server.shutdown()
            }
        }
        let gate = Latch()
        let entered = CallCounter()
        let finished = CallCounter()
        struct Gated: Handler {
            let gate: Latch
            let entered: CallCounter
            let finished: CallCounter
            func sync(_ request: SyncRequest) async throws -> SyncResponse {
                _ = entered.next()
                try? await gate.wait()
                _ = finished.next()
                return SyncResponse()
            }
        }
        let group = OperatorGroup(client: client, configuration: .init(shutdownTimeout: .seconds(60)))
        let member = try group.add(echoConfig(), handler: Gated(gate: gate, entered: entered, finished: finished))
        let services = ServiceGroup(services: [group], logger: Logger(label: "test"))
        let run = Task { try await services.run() }
        try await waitUntil("ready") { group.isReady }
        _ = try await client.create(echoType, KubeObject(echoParent("g", [:])))
        // In the handler, not only handed out by the queue: a sync handed out but not yet
        // started when the shutdown begins ends without calling the handler.
        try await waitUntil("a sync is in the handler") { entered.value == 1 && member.queue.runningCount == 1 }
        await services.triggerGracefulShutdown()
        try await waitUntil("stopping") { group.phase == .stopping }
        #expect(finished.value == 0)
        gate.open()
        try await run.value
        #expect(finished.value == 1)
        #expect(group.phase == .stopped)
    }
}
