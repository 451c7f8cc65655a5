import BenchmarkSupport
import Foundation
import RoperatorClient

/// Update latency: P converged parents, then spec changes at each rate for N seconds, each
/// measured from just before its patch is sent until the driver's watch sees the child updated.
enum UpdateLatency {
    static func run(_ options: Options) async throws {
        let children = 3
        let parents = options.latencyParents
        let deployment = try await Deployment(worker: nil, options: options, children: children)
        do {
            try await deployment.start()
            let before = try await RequestCounts.read(deployment.user)
            let start = ContinuousClock.now
            try await deployment.createParents(parents, children: children, concurrency: options.concurrency)
            let end = try await Convergence.wait(
                deployment.user, namespace: Deployment.namespace, parents: parents, children: children, since: before,
                timeout: .seconds(options.timeoutSeconds))
            print("update latency: \(parents) parents x \(children) ConfigMaps converged in \(formatted((end - start).seconds)) s")
            try await deployment.waitUntilWorkerQuiet(timeout: .seconds(120))

            let probe = ChildChangeProbe(tracking: false)
            let watching = try await probe.start(deployment.user, namespace: Deployment.namespace)
            defer { watching.cancel() }
            for rate in options.rates {
                let cpu = try deployment.worker.usage().cpuSeconds
                let stop = ContinuousClock.now + .seconds(options.seconds)
                let outcome = await ChangeLoad(rate: rate).run(
                    deployment.user, namespace: Deployment.namespace, probe: probe, label: "r\(Int(rate))",
                    pick: { Int.random(in: 0..<parents) }, until: { ContinuousClock.now >= stop })
                do {
                    try await waitUntil("changes answered", timeout: .seconds(10)) { probe.pendingCount == 0 }
                } catch is BenchmarkError {} // the unanswered ones are counted below
                let used = try deployment.worker.usage().cpuSeconds - cpu
                let (latencies, missing) = probe.takeResults()
                print(
                    """
                    rate \(formatted(rate, 0))/s for \(options.seconds) s: sent \(outcome.sent) (\(formatted(Double(outcome.sent) / Double(options.seconds), 0))/s), \
                    skipped \(outcome.skipped), failed \(outcome.failed), unanswered \(missing); change-to-child latency \
                    \(LatencySummary(latencies).description); operator CPU \(formatted(used, 2)) s \
                    (\(formatted(used * 1000 / Double(max(1, outcome.sent)), 3)) ms per change); load \(formatted(ProcessUsage.loadAverage()))
                    """)
            }
            await deployment.stop()
        } catch {
            await deployment.stop()
            throw error
        }
    }
}
