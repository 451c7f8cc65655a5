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

func format(_ value: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}

func verbs(_ counts: RequestCounts) -> String {
    ["create", "patch", "update", "delete", "get", "list", "watch"]
        .filter { counts[$0] > 0 }
        .map { "\($0) \(counts[$0])" }
        .joined(separator: ", ")
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

print("""
    reconcile throughput: \(options.parents) parents x \(options.children) ConfigMaps, concurrency \(options.concurrency), \
    \(options.runs) run(s), \(ProcessInfo.processInfo.activeProcessorCount) CPUs
    """)

var operatorSeconds: [Double] = []
var bareSeconds: [Double] = []
var writeRates: [Double] = []
var idleWrites: [Double] = []
do {
    for run in 1...options.runs {
        let measured = try await OperatorPhase.run(options)
        let rate = Double(measured.requests.writes) / measured.seconds
        print("""
            run \(run) operator: \(format(measured.seconds)) s, \(format(Double(options.parents) / measured.seconds, 0)) parents/s, \
            \(measured.requests.writes) API writes (\(format(rate, 0))/s); requests: \(verbs(measured.requests)); \
            operator writes \(measured.operatorWrites ?? 0), conflicts \(measured.operatorConflicts ?? 0), \
            failed syncs \(measured.failedSyncs ?? 0); writes in \(options.idleSeconds) s idle: \(measured.idleWrites ?? 0)
            """)
        operatorSeconds.append(measured.seconds)
        writeRates.append(rate)
        idleWrites.append(Double(measured.idleWrites ?? 0))
        guard !options.skipBaseline else { continue }
        let bare = try await BaselinePhase.run(options)
        print("""
            run \(run) bare client: \(format(bare.seconds)) s, \(format(Double(options.parents) / bare.seconds, 0)) parents/s, \
            \(bare.requests.writes) API writes (\(format(Double(bare.requests.writes) / bare.seconds, 0))/s); \
            efficiency \(format(100 * bare.seconds / measured.seconds, 1)) %
            """)
        bareSeconds.append(bare.seconds)
    }
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}

let operatorMedian = median(operatorSeconds)
print("""
    median of \(options.runs): operator \(format(operatorMedian)) s, \(format(Double(options.parents) / operatorMedian, 0)) parents/s, \
    \(format(median(writeRates), 0)) API writes/s, idle writes \(format(median(idleWrites), 0))
    """)
if !bareSeconds.isEmpty {
    let bareMedian = median(bareSeconds)
    let efficiencies = zip(bareSeconds, operatorSeconds).map { 100 * $0 / $1 }
    print("median of \(options.runs): bare client \(format(bareMedian)) s, efficiency \(format(median(efficiencies), 1)) %")
}
