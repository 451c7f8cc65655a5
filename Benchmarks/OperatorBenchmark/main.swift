import BenchmarkSupport
import Foundation

// Operator benchmarks measured from outside the operator's process (issue 12); see
// docs/benchmarks.md, "Operator benchmarks", for the commands and what each figure means.

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

print(
    "OperatorBenchmark \(options.scenario): \(ProcessInfo.processInfo.activeProcessorCount) CPUs, load \(formatted(ProcessUsage.loadAverage()))"
)
do {
    switch options.scenario {
    case "latency": try await UpdateLatency.run(options)
    case "cache": try await CacheMemory.run(options)
    default: try await ColdStart.run(options)
    }
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
