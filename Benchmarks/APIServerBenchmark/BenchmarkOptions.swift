import Foundation

/// The benchmark's command line: `--objects N --concurrency N --watchers N --runs N
/// --mode inprocess|standalone|store|all [--server PATH]`.
struct BenchmarkOptions: Sendable {
    enum Mode: String, Sendable, CaseIterable {
        case store, inprocess, standalone, all
    }

    /// ConfigMaps created (then read and listed) per run.
    var objects = 20_000
    /// Concurrent client tasks issuing requests.
    var concurrency = 32
    /// Watchers counting the events of the create phase.
    var watchers = 10
    /// Runs per mode; the report gives the median.
    var runs = 3
    /// Items per list page.
    var pageSize = 500
    /// Complete paginated lists per run.
    var fullLists = 10
    var mode = Mode.all
    /// The `roperator-apiserver` binary for `standalone`; by default the one next to this executable.
    var server: String?

    static let usage = """
        usage: APIServerBenchmark [--mode inprocess|standalone|store|all] [--objects N] [--concurrency N]
                                  [--watchers N] [--runs N] [--page-size N] [--lists N] [--server PATH]
        """

    /// Parses the arguments (without the program name).
    ///
    /// - Throws: ``UsageError`` for an unknown flag or a malformed value.
    init(arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw UsageError("\(flag) needs a value") }
            return next
        }
        func count(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw UsageError("\(flag): not a positive number: \(text)") }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--objects": objects = try count(flag)
            case "--concurrency": concurrency = try count(flag)
            case "--watchers": watchers = try count(flag)
            case "--runs": runs = try count(flag)
            case "--page-size": pageSize = try count(flag)
            case "--lists": fullLists = try count(flag)
            case "--server": server = try value(flag)
            case "--mode":
                let text = try value(flag)
                guard let parsed = Mode(rawValue: text) else { throw UsageError("--mode: unknown mode \(text)") }
                mode = parsed
            case "-h", "--help": throw UsageError(nil)
            default: throw UsageError("unknown argument \(flag)")
            }
        }
    }

    /// The modes to run, in order.
    var modes: [Mode] { mode == .all ? [.store, .inprocess, .standalone] : [mode] }
}

/// A command line the benchmark does not understand; `message` is `nil` for `--help`.
struct UsageError: Error {
    var message: String?
    init(_ message: String?) { self.message = message }
}
