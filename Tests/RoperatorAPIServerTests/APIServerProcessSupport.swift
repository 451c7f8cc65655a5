import Foundation
import RoperatorClient
import Testing

/// A child process whose output goes to files, so tests can poll it while it runs.
final class ChildProcess {
    let process: Process
    let stdoutURL: URL
    let stderrURL: URL
    let description: String

    /// Starts `executable` with `arguments` and extra `environment` variables.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let id = UUID().uuidString.prefix(8)
        stdoutURL = directory.appendingPathComponent("out-\(id).txt")
        stderrURL = directory.appendingPathComponent("err-\(id).txt")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        description = ([executable] + arguments).joined(separator: " ")
        try process.run()
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits for the exit (killing the process at the deadline) and returns its status.
    func wait(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + TimeoutScale.scaled(timeout)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                Issue.record("\(description) did not finish within \(timeout)")
                throw TimeoutError(what: description)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }
}

/// Runs a command to completion.
///
/// - Returns: exit status, stdout and stderr.
func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL,
    timeout: Duration = .seconds(60)
) async throws -> (status: Int32, stdout: String, stderr: String) {
    let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
    let status = try await child.wait(timeout: timeout)
    return (status, child.stdout, child.stderr)
}

/// A fresh temporary directory.
func makeTemporaryDirectory(_ prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The installed kubectl binaries by minor version (`kubectl.1.27` …), from the Google Cloud SDK.
let installedKubectls: [Int: String] = {
    var found: [Int: String] = [:]
    let directories =
        ["/usr/lib/google-cloud-sdk/bin", "/usr/local/google-cloud-sdk/bin", "/opt/google-cloud-sdk/bin", "/google-cloud-sdk/bin"]
        + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    for directory in directories {
        for minor in 20...40 where found[minor] == nil {
            let path = "\(directory)/kubectl.1.\(minor)"
            if FileManager.default.isExecutableFile(atPath: path) { found[minor] = path }
        }
    }
    return found
}()
