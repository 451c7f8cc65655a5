import BenchmarkSupport
import Foundation
import RoperatorClient

/// Measures change-to-child-updated latency through a watch, as a user of the cluster would see
/// it: a spec change stamps the parent with a fresh greeting `LABEL-SEQUENCE` (``expect(parent:label:sequence:)``
/// just before the patch is sent) and the latency ends when the watch delivers the parent's first
/// ConfigMap carrying that greeting or a later one of the same label (a newer change to the same
/// parent supersedes an older one: the operator is level-based and may never write the older).
///
/// With `tracking` on it also records which parents have their first child, so that changes can
/// go to parents that have already converged while a cold start goes on.
final class ChildChangeProbe: Sendable {
    let tracking: Bool
    private let state = Lock<State>(State())

    private struct State {
        /// Per parent: the changes sent and not yet seen, oldest first.
        var pending: [Int: [(label: Substring, sequence: Int, sent: ContinuousClock.Instant)]] = [:]
        var pendingCount = 0
        var latencies: [Double] = []
        var converged: [Int] = []
    }

    init(tracking: Bool) {
        self.tracking = tracking
    }

    /// Follows the ConfigMaps of `namespace` from now on, until the returned task is cancelled.
    func start(_ client: KubeClient, namespace: String) async throws -> Task<Void, any Error> {
        let list = try await client.request(
            method: "GET", path: "/api/v1/namespaces/\(namespace)/configmaps", query: [("limit", "1")]
        ).json()
        let listed = list[path: "metadata", "resourceVersion"]?.stringValue
        return Task {
            var resourceVersion = listed
            while !Task.isCancelled {
                // A watch the server ends (its timeout) is resumed from the last version seen.
                let events = try await client.watch(
                    .configMap, namespace: namespace, resourceVersion: resourceVersion, timeoutSeconds: 3600)
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
        guard let name = child.name, name.hasSuffix("-0"), let parent = Workload.parentIndex(ofChild: name) else { return }
        let now = ContinuousClock.now
        let greeting = child.json[path: "data", "greeting"]?.stringValue ?? ""
        let dash = greeting.lastIndex(of: "-")
        let label = dash.map { greeting[..<$0] } ?? ""
        let sequence = dash.flatMap { Int(greeting[greeting.index(after: $0)...]) } ?? -1
        state.withLock { state in
            if let waiting = state.pending[parent] {
                let answered = waiting.filter { $0.label == label && $0.sequence <= sequence }
                for change in answered { state.latencies.append((now - change.sent).seconds) }
                if !answered.isEmpty {
                    state.pending[parent] = waiting.filter { !($0.label == label && $0.sequence <= sequence) }
                    state.pendingCount -= answered.count
                }
            }
            if tracking, added {
                state.converged.append(parent)
            }
        }
    }

    /// The greeting of change `sequence` of a load labelled `label`.
    static func greeting(label: String, sequence: Int) -> String {
        "\(label)-\(sequence)"
    }

    /// Marks change `sequence` of `label` to `parent` as sent now.
    func expect(parent: Int, label: String, sequence: Int) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.pending[parent, default: []].append((Substring(label), sequence, now))
            state.pendingCount += 1
        }
    }

    /// A parent whose first child exists (tracking only), chosen at random.
    func randomConvergedParent() -> Int? {
        state.withLock { $0.converged.randomElement() }
    }

    /// Changes still waiting for their child.
    var pendingCount: Int { state.withLock { $0.pendingCount } }

    /// Takes the latencies measured so far (and forgets unanswered changes).
    func takeResults() -> (latencies: [Double], missing: Int) {
        state.withLock { state in
            defer {
                state.latencies.removeAll()
                state.pending.removeAll()
                state.pendingCount = 0
            }
            return (state.latencies, state.pendingCount)
        }
    }
}
