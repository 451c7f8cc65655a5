import RoperatorClient
import Foundation

/// A process the driver starts and talks to in lines: commands on its standard input, answers on
/// its standard output. The operator under test runs in one, so that its CPU time and memory are
/// its own (read with ``ProcessUsage``), apart from the driver's and the API server's.
///
/// Protocol of `OperatorBenchmarkWorker` (and of the kopf peer, which only prints `started`):
/// it prints `started` once loaded; `start` makes it start the operator (or cache) and print
/// `ready` once its caches are synced; `stats` prints one `stats ...` line; end of input stops it.
public final class WorkerProcess {
    let process: Process
    let input: FileHandle
    let inbox = Inbox()

    /// Lines read and not yet taken, and whether the output has ended: filled by the reader thread.
    final class Inbox: Sendable {
        let state = Lock<(lines: [String], ended: Bool)>(([], false))
    }

    /// The worker's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Starts `executable` with `arguments` and `environment` added to this process's, and waits
    /// (up to 60 s) for its first line, `started`.
    public init(executable: String, arguments: [String], environment: [String: String] = [:]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        self.process = process
        self.input = stdin.fileHandleForWriting
        LineReader.read(stdout.fileHandleForReading) { [inbox] line in
            inbox.state.withLock { inbox in
                if let line { inbox.lines.append(line) } else { inbox.ended = true }
            }
        }
        _ = try await expect("started", timeout: .seconds(60))
    }

    /// Sends one command line.
    public func send(_ command: String) throws {
        try input.write(contentsOf: Data((command + "\n").utf8))
    }

    /// Waits for the next line that starts with `prefix` (other lines are echoed as notes).
    ///
    /// - Returns: the line.
    /// - Throws: ``BenchmarkError`` when the worker exits or `timeout` passes first.
    public func expect(_ prefix: String, timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (taken, ended) = inbox.state.withLock { inbox in
                defer { inbox.lines.removeAll() }
                return (inbox.lines, inbox.ended)
            }
            if let index = taken.firstIndex(where: { $0.hasPrefix(prefix) }) {
                for line in taken[..<index] { print("  worker: \(line)") }
                // Lines after the answer stay for the next call.
                inbox.state.withLock { $0.lines.insert(contentsOf: taken[(index + 1)...], at: 0) }
                return taken[index]
            }
            for line in taken { print("  worker: \(line)") }
            if ended { throw BenchmarkError("the worker exited before printing \"\(prefix)\"") }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw BenchmarkError("no \"\(prefix)\" line from the worker within \(timeout)")
    }

    /// Resource use of the worker now.
    public func usage() throws -> ProcessUsage {
        try ProcessUsage.read(pid: pid)
    }

    /// Closes its input (which stops it), then terminates it if it has not exited within 10 s.
    public func stop() async {
        try? input.close() // already closed is fine
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
