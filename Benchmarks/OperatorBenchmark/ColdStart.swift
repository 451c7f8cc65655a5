import BenchmarkSupport
import Foundation
import RoperatorClient
import RoperatorTesting
import Synchronization

/// Set once, read from any task: tells a running load to stop.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// The cold start of one size by each runner: the Roperator operator (with idle, memory, relist
/// and live-change figures), the bare client, and kopf.
enum ColdStart {
    /// Runs every size `options.runs` times and prints (and appends to the CSV) one row per runner.
    static func run(_ options: Options) async throws {
        for (parents, children) in options.sizes {
            for run in 1...options.runs {
                let measured = try await roperator(parents: parents, children: children, run: run, options)
                report(measured, options)
                if options.baseline {
                    var bare = try await bareClient(parents: parents, children: children, run: run, options)
                    bare.efficiency = bare.seconds / measured.seconds
                    report(bare, options)
                }
                if options.kopf, parents <= options.kopfMaxParents {
                    report(try await kopf(parents: parents, children: children, run: run, options), options)
                }
            }
        }
    }

    static func report(_ row: ColdStartRow, _ options: Options) {
        var line = """
            \(row.runner) \(row.parents)x\(row.children) run \(row.run): \(formatted(row.seconds)) s, \
            CPU \(formatted(row.cpuSeconds)) s = \(formatted(row.cpuSeconds * 1000 / Double(row.parents * max(1, row.children)), 3)) ms per child
            """
        if let peak = row.peakRSS { line += ", peak RSS \(formatted(Double(peak) / 1_048_576, 1)) MB" }
        if let perObject = row.rssPerObject, let json = row.jsonBytes {
            line +=
                ", \(formatted(perObject, 0)) B RSS per cached object (\(formatted(perObject * Double(row.objects) / Double(json), 2)) x JSON)"
        }
        if let relist = row.relistPeakRSS, let rest = row.restRSS {
            line += ", relist peak \(formatted(Double(relist) / 1_048_576, 1)) MB (\(formatted(Double(relist) / Double(rest), 2)) x rest)"
        }
        if let idle = row.idleWrites { line += ", idle writes \(idle), idle CPU \(formatted(row.idleCPUSeconds ?? 0, 3)) s" }
        if let efficiency = row.efficiency { line += ", efficiency \(formatted(efficiency * 100, 1)) %" }
        if let live = row.live { line += ", live changes \(live.description), unanswered \(row.liveMissing ?? 0)" }
        print(line + ", load \(formatted(row.load))")
        if let csv = options.csv {
            do { try row.append(to: csv) } catch { print("  could not write \(csv): \(error)") }
        }
    }

    /// The Roperator operator in its own process.
    static func roperator(parents: Int, children: Int, run: Int, _ options: Options) async throws -> ColdStartRow {
        let deployment = try await Deployment(worker: nil, options: options, children: children)
        do {
            let row = try await measure(deployment, runner: "roperator", parents: parents, children: children, run: run, options)
            await deployment.stop()
            return row
        } catch {
            await deployment.stop()
            throw error
        }
    }

    /// The kopf peer (Benchmarks/KopfPeer) in its own process, same server, same parents.
    static func kopf(parents: Int, children: Int, run: Int, _ options: Options) async throws -> ColdStartRow {
        guard FileManager.default.isExecutableFile(atPath: options.python) else {
            throw BenchmarkError(
                "\(options.python) not found; create it: python3 -m venv .venv && .venv/bin/pip install -r Benchmarks/requirements.txt")
        }
        let deployment = try await Deployment(
            worker: (options.python, [options.kopfScript, "--concurrency", String(options.concurrency)]), options: options,
            children: children)
        var lean = options
        lean.relist = false
        lean.idleSeconds = min(options.idleSeconds, 5)
        lean.liveRate = 0
        do {
            let row = try await measure(deployment, runner: "kopf", parents: parents, children: children, run: run, lean)
            await deployment.stop()
            return row
        } catch {
            await deployment.stop()
            throw error
        }
    }

    /// Starts the worker, creates the parents, waits for convergence, and takes every figure.
    static func measure(
        _ deployment: Deployment, runner: String, parents: Int, children: Int, run: Int, _ options: Options
    ) async throws -> ColdStartRow {
        try await deployment.start()
        let ready = try deployment.worker.usage()
        try ProcessUsage.resetPeak(pid: deployment.worker.pid)
        let user = deployment.user
        let namespace = Deployment.namespace

        // Priority under load: changes to parents that already have their children, while the
        // rest of the cold start is still queued.
        let probe = ChildChangeProbe(tracking: true)
        var watching: Task<Void, any Error>?
        var changing: Task<ChangeLoad.Outcome, Never>?
        let finished = StopFlag()
        if options.liveRate > 0 {
            watching = try await probe.start(user, namespace: namespace)
            changing = Task { [finished] in
                await ChangeLoad(rate: options.liveRate).run(
                    user, namespace: namespace, probe: probe, label: "live",
                    pick: { probe.randomConvergedParent() }, until: { finished.isSet })
            }
        }

        let before = try await RequestCounts.read(user)
        let start = ContinuousClock.now
        try await deployment.createParents(parents, children: children, concurrency: options.concurrency)
        let end = try await Convergence.wait(
            user, namespace: namespace, parents: parents, children: children, since: before,
            timeout: .seconds(options.timeoutSeconds))
        let converged = try deployment.worker.usage()

        var row = ColdStartRow(
            runner: runner, parents: parents, children: children, run: run, seconds: (end - start).seconds,
            cpuSeconds: converged.cpuSeconds - ready.cpuSeconds, peakRSS: converged.peakRSSBytes, readyRSS: ready.rssBytes)
        if let changing {
            finished.set()
            let outcome = await changing.value
            do {
                try await waitUntil("live changes answered", timeout: .seconds(10)) { probe.pendingCount == 0 }
            } catch is BenchmarkError {} // the unanswered ones are counted below
            let (latencies, missing) = probe.takeResults()
            row.live = LatencySummary(latencies)
            row.liveMissing = missing + outcome.failed
            watching?.cancel()
        }

        // Steady state: nothing changes; no write may happen.
        try await deployment.waitUntilWorkerQuiet(timeout: .seconds(120))
        let idleBefore = try await RequestCounts.read(user)
        let idleCPU = try deployment.worker.usage().cpuSeconds
        try await Task.sleep(for: .seconds(options.idleSeconds))
        row.idleWrites = (try await RequestCounts.read(user) - idleBefore).writes
        row.idleCPUSeconds = try deployment.worker.usage().cpuSeconds - idleCPU

        row.restRSS = try deployment.worker.usage().rssBytes
        row.jsonBytes = try await deployment.jsonBytes()
        if options.relist {
            row.relistPeakRSS = try await deployment.relistPeak(lists: 2)
        }
        try deployment.worker.send("stats")
        print("  \(runner) \(try await deployment.worker.expect("stats", timeout: .seconds(10)))")
        return row
    }

    /// The bare client on a fresh server, in this process (its CPU is this process's).
    static func bareClient(parents: Int, children: Int, run: Int, _ options: Options) async throws -> ColdStartRow {
        let server = try await APIServerProcess.launch(crd: CustomResourceDefinitions.make(for: Workload.parentType))
        defer { server.stop() }
        let client = try KubeClient(configuration: server.clientConfiguration)
        try await Workload.createNamespace(Deployment.namespace, client)
        let cpu = try ProcessUsage.read(pid: getpid()).cpuSeconds
        let seconds = try await BareClient.converge(
            client, namespace: Deployment.namespace, parents: parents, children: children, concurrency: options.concurrency)
        let used = try ProcessUsage.read(pid: getpid()).cpuSeconds - cpu
        try await client.shutdown()
        return ColdStartRow(runner: "bare", parents: parents, children: children, run: run, seconds: seconds, cpuSeconds: used)
    }
}
