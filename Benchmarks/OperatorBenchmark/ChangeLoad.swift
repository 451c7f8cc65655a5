import BenchmarkSupport
import Foundation
import RoperatorClient
import Synchronization

/// Spec changes at a fixed rate, open loop: change k is sent at start + k / rate whatever the
/// earlier ones are doing (at most `inFlightLimit` at once; beyond that a change is skipped and
/// counted), each stamped through a ``ChildChangeProbe``.
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
                guard let parent = pick() else { continue }
                guard counters.inFlight.load(ordering: .relaxed) < inFlightLimit else {
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
                    counters.inFlight.subtract(1, ordering: .relaxed)
                }
            }
        }
        outcome.failed = counters.failed.load(ordering: .relaxed)
        return outcome
    }
}
