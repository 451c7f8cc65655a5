import BenchmarkSupport
import Foundation
import RoperatorClient
import Synchronization

/// Measures change-to-child-updated latency through a watch, as a user of the cluster would see
/// it: a spec change stamps the parent with a fresh greeting (``expect(_:)`` just before the
/// patch is sent) and the latency ends when the watch delivers the parent's first ConfigMap
/// carrying that greeting.
///
/// With `tracking` on it also records which parents have their first child, so that changes can
/// go to parents that have already converged while a cold start goes on.
final class ChildChangeProbe: Sendable {
    let tracking: Bool
    private let state = Mutex<State>(State())

    private struct State {
        var pending: [String: ContinuousClock.Instant] = [:]
        var latencies: [Double] = []
        var converged: [Int] = []
    }

    init(tracking: Bool) {
        self.tracking = tracking
    }

    /// Follows the ConfigMaps of `namespace` from now on, until the returned task is cancelled.
    func start(_ client: KubeClient, namespace: String) async throws -> Task<Void, any Error> {
        let list = try await client.request(
            method: "GET", path: "/api/v1/namespaces/\(namespace)/configmaps", query: [("limit", "1")]).json()
        let listed = list[path: "metadata", "resourceVersion"]?.stringValue
        return Task {
            var resourceVersion = listed
            while !Task.isCancelled {
                // A watch the server ends (its timeout) is resumed from the last version seen.
                let events = try await client.watch(.configMap, namespace: namespace, resourceVersion: resourceVersion, timeoutSeconds: 3600)
                for try await event in events {
                    resourceVersion = event.resourceVersion ?? resourceVersion
                    switch event {
                    case .added(let child): observe(child, added: true)
                    case .modified(let child): observe(child, added: false)
                    case .deleted, .bookmark: break
                    }
                }
            }
        }
    }

    private func observe(_ child: KubeObject, added: Bool) {
        guard let name = child.name, name.hasSuffix("-0") else { return }
        let now = ContinuousClock.now
        let greeting = child.json[path: "data", "greeting"]?.stringValue ?? ""
        state.withLock { state in
            if let sent = state.pending.removeValue(forKey: greeting) {
                state.latencies.append((now - sent).seconds)
            }
            if tracking, added, let index = Workload.parentIndex(ofChild: name) {
                state.converged.append(index)
            }
        }
    }

    /// Marks `greeting` as sent now.
    func expect(_ greeting: String) {
        let now = ContinuousClock.now
        state.withLock { $0.pending[greeting] = now }
    }

    /// A parent whose first child exists (tracking only), chosen at random.
    func randomConvergedParent() -> Int? {
        state.withLock { $0.converged.randomElement() }
    }

    /// Changes still waiting for their child.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Takes the latencies measured so far (and forgets unanswered changes).
    func takeResults() -> (latencies: [Double], missing: Int) {
        state.withLock { state in
            defer {
                state.latencies.removeAll()
                state.pending.removeAll()
            }
            return (state.latencies, state.pending.count)
        }
    }
}
