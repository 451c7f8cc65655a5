@testable import Roperator
import RoperatorClient
import RoperatorTesting
import Testing

/// An embedded API server, a client, and named background runs (electors, operators); `finish()`
/// cancels every run and shuts both down, whether the test passed or not.
final class LeaseTestFixture: Sendable {
    let server: EmbeddedAPIServer
    let client: KubeClient
    private let runs = Lock<[String: Task<Result<Void, any Error>, Never>]>([:])

    /// Test timings. The default (lease 10 s, renew deadline 8 s, retry 0.2 s) is for tests that
    /// need neither expiry nor a renew deadline to pass: a loaded machine running the whole suite
    /// can delay a renewal by a second or more, which must not make a leader give up there.
    ///
    /// Tests on the real clock get the lease duration and renew deadline stretched by
    /// `TimeoutScale` (a sanitizer build can hold a renewal up for many seconds); a test's bounds
    /// on how soon something happens scale alike, so what it asserts keeps its meaning. Tests on
    /// a manual clock pass `realTime: false`: their timings are exact.
    static func settings(
        _ identity: String, leaseDuration: Duration = .seconds(10), renewDeadline: Duration = .seconds(8),
        realTime: Bool = true
    ) -> LeaderElectionConfig {
        LeaderElectionConfig(
            leaseName: "test-lease",
            leaseDuration: realTime ? TimeoutScale.scaled(leaseDuration) : leaseDuration,
            renewDeadline: realTime ? TimeoutScale.scaled(renewDeadline) : renewDeadline,
            retryPeriod: .milliseconds(200), identity: identity)
    }

    /// Runs `body` with a fresh fixture serving `crds`, and always cleans up.
    static func with(crds: [K8sType] = [], _ body: (LeaseTestFixture) async throws -> Void) async throws {
        let fixture = try await LeaseTestFixture(crds: crds)
        do {
            try await body(fixture)
        } catch {
            try await fixture.finish()
            throw error
        }
        try await fixture.finish()
    }

    private init(crds: [K8sType]) async throws {
        server = try await EmbeddedAPIServer.start(
            EmbeddedAPIServer.Configuration(customResourceDefinitions: crds.map { CustomResourceDefinitions.make(for: $0) }))
        client = try KubeClient(configuration: server.clientConfiguration)
    }

    /// Starts `work` in the background under `name`.
    func start(_ name: String, _ work: @escaping @Sendable () async throws -> Void) {
        let task = Task { () -> Result<Void, any Error> in
            do { return .success(try await work()) } catch { return .failure(error) }
        }
        runs.withLock { $0[name] = task }
    }

    func start(_ elector: LeaderElector) {
        start(elector.identity) { try await elector.run() }
    }

    /// Cancels the run `name` and returns how it ended.
    @discardableResult
    func stop(_ name: String) async -> Result<Void, any Error>? {
        guard let task = runs.withLock({ $0.removeValue(forKey: name) }) else { return nil }
        task.cancel()
        return await task.value
    }

    @discardableResult
    func stop(_ elector: LeaderElector) async -> Result<Void, any Error>? {
        await stop(elector.identity)
    }

    /// How the run `name` ended, once it did by itself.
    func outcome(of name: String, timeout: Duration = .seconds(5)) async throws -> Result<Void, any Error> {
        guard let task = runs.withLock({ $0[name] }) else { throw TimedOut(description: "\(name) was not started") }
        let result = try await withThrowingTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask { await task.value }
            group.addTask {
                try await Task.sleep(for: TimeoutScale.scaled(timeout)); return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let result else { throw TimedOut(description: "the run of \(name) did not end") }
        _ = runs.withLock { $0.removeValue(forKey: name) }
        return result
    }

    /// The error the run `name` ended with, when it is a `LeaderElectionError`.
    func leaderElectionError(of name: String) async throws -> LeaderElectionError? {
        let outcome = try await outcome(of: name)
        guard case .failure(let error as LeaderElectionError) = outcome else {
            Issue.record("\(name) ended with \(outcome)")
            return nil
        }
        return error
    }

    /// The record of the test lease.
    func lease() async throws -> LeaseRecord {
        try LeaseRecord(lease: try await client.get(.lease, namespace: "default", name: "test-lease"))
    }

    /// Writes `holder` into the lease as another replica would, re-reading on a conflict with the
    /// holder's own renewals.
    func takeLease(as holder: String) async throws {
        try await poll("the lease is overwritten") { [client] in
            var lease = try await client.get(.lease, namespace: "default", name: "test-lease")
            lease.json[path: "spec", "holderIdentity"] = .string(holder)
            do {
                _ = try await client.replace(.lease, lease)
                return true
            } catch let error as KubeAPIError where error.isConflict {
                return false
            }
        }
    }

    func finish() async throws {
        for task in runs.withLock({ Array($0.values) }) {
            task.cancel()
            _ = await task.value
        }
        try await client.shutdown()
        try await server.shutdown()
    }
}
