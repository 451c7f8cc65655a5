import BenchmarkSupport
import Foundation

/// Command-line settings of `OperatorBenchmark`.
struct Options: Sendable {
    /// `coldstart`, `latency` or `cache`.
    var scenario = "coldstart"
    /// Cold-start sizes: parents × ConfigMap children per parent.
    var sizes: [(parents: Int, children: Int)] = [(1_000, 3), (10_000, 3), (100_000, 1)]
    /// Requests in flight at once: the creating client, the operator's sync concurrency, the bare client.
    var concurrency = 16
    /// Runs per size (fresh processes each).
    var runs = 1
    /// Seconds of idleness measured after convergence.
    var idleSeconds = 30
    /// Also run the bare-client baseline (cold start).
    var baseline = true
    /// Also run the kopf peer for sizes up to ``kopfMaxParents`` (cold start).
    var kopf = false
    var kopfMaxParents = 10_000
    /// Python of the virtual environment holding kopf, and the peer script.
    var python = ".venv/bin/python"
    var kopfScript = "Benchmarks/KopfPeer/peer.py"
    /// Force a relist after the cold start and measure the memory peak.
    var relist = true
    /// Spec changes per second to converged parents during the cold start (0: none); the
    /// priority-under-load figure.
    var liveRate = 0.0
    /// Latency scenario: converged parents, rates and seconds per rate.
    var latencyParents = 10_000
    var rates: [Double] = [100, 1_000]
    var seconds = 30
    /// Cache scenario: ConfigMaps cached.
    var configMaps = 10_000
    /// Append CSV rows here (cold start).
    var csv: String?
    var timeoutSeconds = 1_800
    /// Where the worker runs its operator's tasks.
    var executor = ExecutorChoice.default

    static let usage = """
        usage: OperatorBenchmark coldstart [--sizes 1000x3,10000x3,100000x1] [--concurrency N] [--runs N] [--idle SECONDS]
                                           [--no-baseline] [--kopf] [--kopf-max-parents N] [--python PATH] [--no-relist]
                                           [--live-rate PER_SECOND] [--csv PATH] [--timeout SECONDS]
                                           [--executor default|pool|loop]
               OperatorBenchmark latency [--parents N] [--rates 100,1000] [--seconds N] [--concurrency N]
               OperatorBenchmark cache [--configmaps N]

        Starts roperator-apiserver and OperatorBenchmarkWorker (built in the same scratch path) in processes
        of their own and measures the operator from outside; see docs/benchmarks.md.
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        if let first = arguments.first, !first.hasPrefix("-") {
            options.scenario = first
            _ = iterator.next()
        }
        guard ["coldstart", "latency", "cache"].contains(options.scenario) else { throw BenchmarkError(usage) }
        func value(_ flag: String) throws -> String {
            guard let text = iterator.next() else { throw BenchmarkError("\(flag) needs a value\n\(usage)") }
            return text
        }
        func number(_ flag: String) throws -> Int {
            guard let number = Int(try value(flag).replacingOccurrences(of: "_", with: "")), number >= 0 else {
                throw BenchmarkError("\(flag) needs a non-negative integer")
            }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--sizes":
                options.sizes = try value(argument).split(separator: ",").map { size in
                    let parts = size.split(separator: "x").compactMap { Int($0) }
                    guard parts.count == 2, parts[0] > 0 else {
                        throw BenchmarkError("--sizes takes PARENTSxCHILDREN,... e.g. 1000x3,100000x1")
                    }
                    return (parents: parts[0], children: parts[1])
                }
            case "--concurrency": options.concurrency = max(1, try number(argument))
            case "--runs": options.runs = max(1, try number(argument))
            case "--idle": options.idleSeconds = try number(argument)
            case "--no-baseline": options.baseline = false
            case "--kopf": options.kopf = true
            case "--kopf-max-parents": options.kopfMaxParents = try number(argument)
            case "--python": options.python = try value(argument)
            case "--no-relist": options.relist = false
            case "--live-rate":
                guard let rate = Double(try value(argument)), rate >= 0 else {
                    throw BenchmarkError("--live-rate takes changes per second")
                }
                options.liveRate = rate
            case "--parents": options.latencyParents = max(1, try number(argument))
            case "--rates":
                options.rates = try value(argument).split(separator: ",").map {
                    guard let rate = Double($0), rate > 0 else { throw BenchmarkError("--rates takes positive numbers") }
                    return rate
                }
            case "--seconds": options.seconds = max(1, try number(argument))
            case "--configmaps": options.configMaps = max(1, try number(argument))
            case "--csv": options.csv = try value(argument)
            case "--executor":
                guard let choice = ExecutorChoice(rawValue: try value(argument)) else {
                    throw BenchmarkError("--executor takes \(ExecutorChoice.names)")
                }
                options.executor = choice
            case "--timeout": options.timeoutSeconds = max(1, try number(argument))
            case "-h", "--help":
                print(usage)
                exit(0)
            default:
                throw BenchmarkError("unknown argument \(argument)\n\(usage)")
            }
        }
        return options
    }
}
