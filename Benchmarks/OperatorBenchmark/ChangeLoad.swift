import BenchmarkSupport
import Foundation
import RoperatorClient
import Synchronization

/// Spec changes at a fixed rate, open loop: change k is sent at start + k / rate whatever the
/// earlier ones are doing (at most `inFlightLimit` at once; beyond that a change is skipped and
/// counted), each stamped through a ``ChildChangeProbe``.
///
/// A parent whose last change is still being sent is not picked again until it is answered:
/// two patches of one parent in flight at once may reach the server in either order, and the
/// earlier greeting would then win, leaving the later change to wait for the parent's next
/// change (seconds) as if the operator had been that slow.
struct ChangeLoad {
    var rate: Double
    var inFlightLimit = 512

    /// What one run did.
    struct Outcome {
        var sent = 0
        var skipped = 0
        var failed = 0
    }

    /// Changes in flight and failed, shared with the tasks sending them.
    final class Counters: Sendable {
        let inFlight = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        /// The parents whose change is being sent.
        let parents = Mutex<Set<Int>>([])

        /// Takes a parent from `pick` that has no change in flight (a few tries) and marks it.
        func claim(_ pick: () -> Int?) -> Claim {
            for _ in 0..<8 {
                guard let parent = pick() else { return .none }
                if parents.withLock({ $0.insert(parent).inserted }) { return .parent(parent) }
            }
            return .busy
        }
    }

    /// What ``Counters/claim(_:)`` found.
    enum Claim {
        case parent(Int)
        /// `pick` had no parent to offer.
        case none
        /// Every parent tried has a change in flight.
        case busy
    }

    /// Sends changes to the parents `pick` chooses until `until` returns true (checked before every change).
    func run(
        _ client: KubeClient, namespace: String, probe: ChildChangeProbe, label: String,
        pick: @escaping @Sendable () -> Int?, until done: @escaping @Sendable () -> Bool
    ) async -> Outcome {
        let counters = Counters()
        var outcome = Outcome()
        let start = ContinuousClock.now
        let interval = Duration.seconds(1 / rate)
        await withDiscardingTaskGroup { group in
            var sequence = 0
            while !done() {
                let due = start + interval * sequence
                if due > ContinuousClock.now {
                    try? await Task.sleep(until: due) // cancellation ends the loop through done()
                }
                sequence += 1
                guard counters.inFlight.load(ordering: .relaxed) < inFlightLimit else {
                    outcome.skipped += 1
                    continue
                }
                let parent: Int
                switch counters.claim(pick) {
                case .parent(let claimed): parent = claimed
                case .none: continue
                case .busy:
                    outcome.skipped += 1
                    continue
                }
                counters.inFlight.add(1, ordering: .relaxed)
                outcome.sent += 1
                let greeting = ChildChangeProbe.greeting(label: label, sequence: sequence)
                group.addTask { [sequence] in
                    probe.expect(parent: parent, label: label, sequence: sequence)
                    do {
                        _ = try await client.patch(
                            Workload.parentType, namespace: namespace, name: Workload.parentName(parent),
                            patch: Workload.greetingPatch(greeting), as: .merge)
                    } catch {
                        counters.failed.add(1, ordering: .relaxed)
                    }
                    counters.parents.withLock { _ = $0.remove(parent) }
                    counters.inFlight.subtract(1, ordering: .relaxed)
                }
            }
        }
        outcome.failed = counters.failed.load(ordering: .relaxed)
        return outcome
    }
}
