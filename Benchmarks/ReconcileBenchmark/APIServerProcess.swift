import Foundation
import RoperatorClient
import RoperatorTesting

/// `roperator-apiserver` running in its own process, so that the server's CPU time is not
/// accounted to (and does not share a cooperative thread pool with) the operator under test.
final class APIServerProcess {
    let process: Process
    let directory: URL
    /// Client configuration read from the kubeconfig the server wrote.
    let clientConfiguration: ClientConfiguration

    private init(process: Process, directory: URL, clientConfiguration: ClientConfiguration) {
        self.process = process
        self.directory = directory
        self.clientConfiguration = clientConfiguration
    }

    /// The `roperator-apiserver` binary next to this executable (same scratch path and configuration).
    static func binaryPath() throws -> String {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let candidate = executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("roperator-apiserver").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw BenchmarkError("""
                \(candidate) not found; build it in the same scratch path first:
                  ROPERATOR_BENCHMARKS=1 swift build -c release --scratch-path .build-bench --product roperator-apiserver
                """)
        }
        return candidate
    }

    /// Writes `crd` to a temporary directory, starts the server with it and waits (up to 30 s)
    /// until the kubeconfig it writes once it accepts connections can be loaded.
    static func launch(crd: JSONValue) async throws -> APIServerProcess {
        let binary = try binaryPath()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let crdFile = directory.appendingPathComponent("crd.json")
        try Data(crd.serializedBytes()).write(to: crdFile)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--kubeconfig", kubeconfig, "--crd", crdFile.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        let deadline = ContinuousClock.now + .seconds(30)
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw BenchmarkError("roperator-apiserver exited with status \(process.terminationStatus)")
            }
            if FileManager.default.fileExists(atPath: kubeconfig) {
                do {
                    // The file may be caught half-written; a parse error then means "not yet".
                    let configuration = try Kubeconfig.load(path: kubeconfig).clientConfiguration()
                    return APIServerProcess(process: process, directory: directory, clientConfiguration: configuration)
                } catch {
                    lastError = error
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw BenchmarkError("roperator-apiserver did not write its kubeconfig within 30 s (\(lastError.map { "\($0)" } ?? "no file"))")
    }

    /// Stops the server (SIGTERM) and removes its directory.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory) // a leftover temp directory is harmless
    }
}

/// The server's request counters, read from its `/metrics` endpoint.
struct RequestCounts: Sendable {
    var byVerb: [String: Int] = [:]

    /// Creates, updates, patches and deletes.
    var writes: Int {
        ["create", "update", "patch", "delete", "deletecollection"].reduce(0) { $0 + (byVerb[$1] ?? 0) }
    }

    subscript(verb: String) -> Int { byVerb[verb] ?? 0 }

    static func - (lhs: RequestCounts, rhs: RequestCounts) -> RequestCounts {
        var result = RequestCounts()
        for (verb, count) in lhs.byVerb { result.byVerb[verb] = count - rhs[verb] }
        return result
    }

    /// Reads the counters through `client`.
    static func read(_ client: KubeClient) async throws -> RequestCounts {
        let response = try await client.request(method: "GET", path: "/metrics")
        var counts = RequestCounts()
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") {
            // apiserver_request_total{verb="create"} 42
            guard line.hasPrefix("apiserver_request_total{verb=\""),
                let quote = line.dropFirst(30).firstIndex(of: "\""),
                let space = line.lastIndex(of: " "),
                let value = Int(line[line.index(after: space)...])
            else { continue }
            counts.byVerb[String(line[line.index(line.startIndex, offsetBy: 30)..<quote])] = value
        }
        guard !counts.byVerb.isEmpty else {
            throw BenchmarkError("the server's /metrics has no apiserver_request_total lines")
        }
        return counts
    }
}
