import BenchmarkSupport
import Foundation

// Reconcile-throughput benchmark; see docs/benchmarks.md ("Reconcile throughput").
//
//   ROPERATOR_BENCHMARKS=1 swift build -c release --scratch-path .build-bench --product roperator-apiserver && \
//   ROPERATOR_BENCHMARKS=1 swift run -c release --scratch-path .build-bench ReconcileBenchmark --parents 10000 --children 3 --runs 3

let options: BenchmarkOptions
do {
    options = try BenchmarkOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

print(
    """
    reconcile throughput: \(options.parents) parents x \(options.children) ConfigMaps, concurrency \(options.concurrency), \
    \(options.runs) run(s), \(ProcessInfo.processInfo.activeProcessorCount) CPUs
    """)

var operatorSeconds: [Double] = []
var bareSeconds: [Double] = []
var writeRates: [Double] = []
var idleWrites: [Double] = []
var cpuRatios: [Double] = []
do {
    for run in 1...options.runs {
        let measured = try await OperatorPhase.run(options)
        let rate = Double(measured.requests.writes) / measured.seconds
        print(
            """
            run \(run) operator: \(formatted(measured.seconds)) s (parents created in \(formatted(measured.createdSeconds ?? 0)) s), \(formatted(Double(options.parents) / measured.seconds, 0)) parents/s, \
            \(measured.requests.writes) API writes (\(formatted(rate, 0))/s); requests: \(measured.requests.summary); \
            operator writes \(measured.operatorWrites ?? 0), conflicts \(measured.operatorConflicts ?? 0), \
            failed syncs \(measured.failedSyncs ?? 0); writes in \(options.idleSeconds) s idle: \(measured.idleWrites ?? 0); \
            CPU: server \(formatted(measured.serverCPU)) s, operator and user \(formatted(measured.clientCPU)) s
            """)
        operatorSeconds.append(measured.seconds)
        writeRates.append(rate)
        idleWrites.append(Double(measured.idleWrites ?? 0))
        guard !options.skipBaseline else { continue }
        let bare = try await BaselinePhase.run(options)
        let cpuRatio = 100 * bare.totalCPU / measured.totalCPU
        print(
            """
            run \(run) bare client: \(formatted(bare.seconds)) s, \(formatted(Double(options.parents) / bare.seconds, 0)) parents/s, \
            \(bare.requests.writes) API writes (\(formatted(Double(bare.requests.writes) / bare.seconds, 0))/s); \
            efficiency \(formatted(100 * bare.seconds / measured.seconds, 1)) %; \
            CPU: server \(formatted(bare.serverCPU)) s, bare client \(formatted(bare.clientCPU)) s; \
            CPU work ratio \(formatted(cpuRatio, 1)) % (bare / operator, server included); \
            cores busy \(formatted(bare.coresBusy)) (bare), \(formatted(measured.coresBusy)) (operator)
            """)
        bareSeconds.append(bare.seconds)
        cpuRatios.append(cpuRatio)
    }
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}

let operatorMedian = median(operatorSeconds)
print(
    """
    median of \(options.runs): operator \(formatted(operatorMedian)) s, \(formatted(Double(options.parents) / operatorMedian, 0)) parents/s, \
    \(formatted(median(writeRates), 0)) API writes/s, idle writes \(formatted(median(idleWrites), 0))
    """)
if !bareSeconds.isEmpty {
    let bareMedian = median(bareSeconds)
    let efficiencies = zip(bareSeconds, operatorSeconds).map { 100 * $0 / $1 }
    print(
        """
        median of \(options.runs): bare client \(formatted(bareMedian)) s, efficiency \(formatted(median(efficiencies), 1)) %, \
        CPU work ratio \(formatted(median(cpuRatios), 1)) %
        """)
}
