import Foundation
import RoperatorClient
import RoperatorAPIServer

// Throughput of the embedded API server: the storage engine alone, the server in this process
// driven by KubeClient over loopback HTTP, and the standalone `roperator-apiserver` binary driven
// the same way. See docs/benchmarks.md for the figures and how to run it.

let options: BenchmarkOptions
do {
    options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    if let message = error.message { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
    print(BenchmarkOptions.usage)
    exit(error.message == nil ? 0 : 2)
}

print(
    """
    APIServerBenchmark: \(options.objects) ConfigMaps, \(options.concurrency) concurrent tasks, \
    \(options.watchers) watchers, \(options.fullLists) full lists in pages of \(options.pageSize), \
    \(options.runs) runs per mode (median reported), \(ProcessInfo.processInfo.activeProcessorCount) CPUs
    """)

/// One run of a mode on a fresh server.
func runOnce(_ mode: BenchmarkOptions.Mode) async throws -> Figures {
    switch mode {
    case .store:
        return try await StoreLoad(options: options).run()
    case .inprocess:
        let server = try await EmbeddedAPIServer.start()
        do {
            let figures = try await ClientLoad(configuration: server.clientConfiguration, options: options).run()
            try await server.shutdown()
            return figures
        } catch {
            try? await server.shutdown() // the load's failure is the one to report
            throw error
        }
    case .standalone:
        let server = try await StandaloneServer.start(binary: options.server ?? StandaloneServer.defaultBinary())
        defer { server.stop() }
        return try await ClientLoad(configuration: ClientConfiguration(server: server.url), options: options).run()
    case .all:
        preconditionFailure("`all` is expanded into the modes")
    }
}

var failed = false
for mode in options.modes {
    print("\n== \(mode.rawValue)")
    var runs: [Figures] = []
    do {
        for run in 1...options.runs {
            let figures = try await runOnce(mode)
            let summary = Figures.metrics.map { "\($0.name) \(formatted($0.value(figures)))" }.joined(separator: ", ")
            print("  run \(run): \(summary)\(figures.watchersCut > 0 ? ", \(figures.watchersCut) watchers cut off" : "")")
            runs.append(figures)
        }
    } catch {
        print("  failed: \(error)")
        failed = true
        continue
    }
    print("  median of \(runs.count):")
    for metric in Figures.metrics {
        let name = metric.name.padding(toLength: 48, withPad: " ", startingAt: 0)
        print("    \(name) \(formatted(median(runs.map(metric.value))))")
    }
}
exit(failed ? 1 : 0)
