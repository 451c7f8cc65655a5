@testable import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

/// A handler that hangs (until cancelled) for the parent named `stuck` while ``isHanging``, in
/// `sync` and in `finalize`, and mirrors like ``EchoHandler`` for everyone else.
final class HangingHandler: Handler {
    private struct State {
        var hanging = true
        var syncs = 0
        var finalizes = 0
    }

    private let state = Lock(State())

    var stuckSyncs: Int { state.withLock { $0.syncs } }
    var stuckFinalizes: Int { state.withLock { $0.finalizes } }

    /// Calls that start from now on answer.
    func release() { state.withLock { $0.hanging = false } }
    /// Calls that start from now on hang.
    func hangAgain() { state.withLock { $0.hanging = true } }

    private static func hang() async throws {
        // Runs until cancelled: only a timeout or a shutdown ends it.
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        if request.parent.name == "stuck" {
            let hanging = state.withLock { state in
                state.syncs += 1
                return state.hanging
            }
            if hanging { try await Self.hang() }
        }
        return try await EchoHandler().sync(request)
    }

    func finalize(_ request: SyncRequest) async throws -> FinalizeResponse {
        if request.parent.name == "stuck" {
            let hanging = state.withLock { state in
                state.finalizes += 1
                return state.hanging
            }
            if hanging { try await Self.hang() }
        }
        return .done()
    }
}

/// Handlers that never return (issue 14, bad input): one stuck parent must not hold up the
/// others, and with `syncTimeout` the stuck call counts as a failed sync (Warning Event, no child
/// write, retried with backoff). The manual-clock timing of the timeout itself is in
/// `OperatorBehaviourTests.syncTimeout`; a handler that throws or returns invalid children is in
/// `OperatorTests`.
@Suite("Handler faults: a handler that never returns")
struct HandlerFaultTests {
    static let others = (1...8).map { "other-\($0)" }

    /// Creates `stuck` first, waits until its handler hangs, then the other parents, which must
    /// all converge while `stuck` still hangs (or times out).
    static func othersConverge(_ kit: TestKit, _ handler: HangingHandler) async throws {
        try await kit.createParent(echoParent("stuck", ["message": "never"]))
        try await kit.waitUntil("the stuck parent's handler hangs") { handler.stuckSyncs >= 1 }
        for name in others { try await kit.createParent(echoParent(name, ["message": .string(name)])) }
        for name in others {
            try await kit.waitForChild(.configMap, named: "\(name)-echo", matching: ["data": ["message": .string(name)]])
            try await kit.waitForParentStatus(named: name, matching: ["message": .string(name), "observedGeneration": 1])
        }
    }

    @Test("without a timeout a hanging sync holds one slot, and the other parents converge")
    func hangingSyncDoesNotBlockOthers() async throws {
        let handler = HangingHandler()
        // Two slots: the stuck parent holds one for good, the other parents share the second.
        let kit = try await TestKit.start(echoConfig().concurrency(2), handler: handler)
        try await withStop(kit) {
            try await Self.othersConverge(kit, handler)
            #expect(handler.stuckSyncs == 1, "the stuck sync is still the first one")
            #expect(kit.operator.queue.runningCount >= 1)
            #expect(try await kit.object(.configMap, named: "stuck-echo") == nil)
        }
        // stop() cancelled the hanging handler: the operator shut down rather than waiting forever.
        #expect(kit.isStopped)
    }

    @Test("with syncTimeout a hanging sync fails (Warning Event, nothing written) and is retried until it answers")
    func hangingSyncTimesOutAndRetries() async throws {
        let handler = HangingHandler()
        let config = echoConfig().concurrency(2).syncTimeout(.milliseconds(300))
            .backoff(Backoff(initial: .milliseconds(50), max: .milliseconds(500)))
        let kit = try await TestKit.start(config, handler: handler)
        try await withStop(kit) {
            try await Self.othersConverge(kit, handler)
            let stuck = ParentKey(namespace: "default", name: "stuck")
            try await kit.waitUntil("a SyncFailed Warning Event naming the timeout, and a retry") {
                guard handler.stuckSyncs >= 2 else { return false }
                return try await kit.events(forParent: "stuck").contains {
                    $0.json["type"] == "Warning" && $0.json["reason"] == "SyncFailed"
                        && ($0.json["message"]?.stringValue ?? "").contains("did not finish within")
                }
            }
            #expect(kit.errorCount(forParent: "stuck") >= 1, "the timed-out calls ended with an error")
            #expect(kit.operator.statistics.failedSyncs >= 1)
            // Timed-out syncs write neither children nor status.
            #expect(try await kit.object(.configMap, named: "stuck-echo") == nil)
            #expect(try await kit.parent(named: "stuck").status?["message"] == nil)

            // Once the handler answers, the next retry writes everything.
            handler.release()
            try await kit.waitForChild(.configMap, named: "stuck-echo", matching: ["data": ["message": "never"]])
            try await kit.waitForParentStatus(named: "stuck", matching: ["message": "never", "observedGeneration": 1])
            try await kit.waitUntil("the queue cleared the failures") { kit.operator.queue.failures(of: stuck) == 0 }

            // A hanging finalize: FinalizeFailed, retried, and the parent stays until it answers.
            handler.hangAgain()
            try await kit.deleteParent(named: "stuck")
            try await kit.waitUntil("a FinalizeFailed Warning Event and a retry") {
                guard handler.stuckFinalizes >= 2 else { return false }
                return try await kit.events(forParent: "stuck").contains {
                    $0.json["type"] == "Warning" && $0.json["reason"] == "FinalizeFailed"
                }
            }
            #expect(try await kit.parent(named: "stuck").isBeingDeleted, "held by the finalizer")
            handler.release()
            try await kit.waitForParentGone(named: "stuck")
        }
    }
}
