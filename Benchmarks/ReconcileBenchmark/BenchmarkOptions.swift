import BenchmarkSupport
import Foundation

/// Command-line settings of the reconcile-throughput benchmark.
struct BenchmarkOptions: Sendable {
    /// Parents created per run.
    var parents = 10_000
    /// ConfigMap children per parent.
    var children = 3
    /// Requests (parents) in flight at once: the creating client, the operator's sync concurrency
    /// and the bare-client baseline all use it.
    var concurrency = 16
    /// Seconds to stay idle after convergence while counting API writes.
    var idleSeconds = 5
    /// Independent runs (each with fresh server processes); the summary gives medians.
    var runs = 1
    /// Longest time one phase may take before the run is declared failed.
    var timeoutSeconds = 300
    /// Skip the bare-client baseline.
    var skipBaseline = false
    /// Where the operator runs its tasks.
    var executor = ExecutorChoice.default

    static let usage = """
        usage: ReconcileBenchmark [--parents N] [--children N] [--concurrency N] [--idle SECONDS] [--runs N]
                                  [--timeout SECONDS] [--no-baseline] [--executor default|pool|loop]

        Starts roperator-apiserver (built in the same scratch path) in its own process, runs an operator
        in this process that gives every parent N ConfigMap children and a status, creates the parents,
        and reports the time until everything converged, then the same writes with a bare KubeClient.
        """

    /// Parses `arguments` (without the program name).
    static func parse(_ arguments: [String]) throws -> BenchmarkOptions {
        var options = BenchmarkOptions()
        var iterator = arguments.makeIterator()
        func number(_ flag: String) throws -> Int {
            guard let text = iterator.next(), let value = Int(text.replacingOccurrences(of: "_", with: "")), value >= 0 else {
                throw BenchmarkError("\(flag) needs a non-negative integer\n\(usage)")
            }
            return value
        }
        while let argument = iterator.next() {
            switch argument {
            case "--parents": options.parents = try number(argument)
            case "--children": options.children = try number(argument)
            case "--concurrency": options.concurrency = max(1, try number(argument))
            case "--idle": options.idleSeconds = try number(argument)
            case "--runs": options.runs = max(1, try number(argument))
            case "--timeout": options.timeoutSeconds = max(1, try number(argument))
            case "--no-baseline": options.skipBaseline = true
            case "--executor":
                guard let value = iterator.next().flatMap(ExecutorChoice.init(rawValue:)) else {
                    throw BenchmarkError("--executor takes \(ExecutorChoice.names)\n\(usage)")
                }
                options.executor = value
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
