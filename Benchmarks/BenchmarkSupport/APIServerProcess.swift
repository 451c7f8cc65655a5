public import Foundation
public import RoperatorClient
import RoperatorTesting

/// `roperator-apiserver` running in its own process, so that the server's CPU time is not
/// accounted to (and does not share a cooperative thread pool with) the operator under test.
public final class APIServerProcess {
    let process: Process
    /// Where the CRD file and the kubeconfig live; removed by ``stop()``.
    public let directory: URL
    /// Path of the kubeconfig the server wrote (for worker processes and peers such as kopf).
    public let kubeconfigPath: String
    /// Client configuration read from that kubeconfig.
    public let clientConfiguration: ClientConfiguration

    private init(process: Process, directory: URL, kubeconfigPath: String, clientConfiguration: ClientConfiguration) {
        self.process = process
        self.directory = directory
        self.kubeconfigPath = kubeconfigPath
        self.clientConfiguration = clientConfiguration
    }

    /// The server's process id (for CPU and memory readings).
    public var pid: Int32 { process.processIdentifier }

    /// Writes `crd` to a temporary directory, starts the server with it and waits (up to 30 s)
    /// until the kubeconfig it writes once it accepts connections can be loaded.
    public static func launch(crd: JSONValue) async throws -> APIServerProcess {
        let binary = try siblingExecutable("roperator-apiserver")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("roperator-bench-\(UUID().uuidString)")
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
                    return APIServerProcess(
                        process: process, directory: directory, kubeconfigPath: kubeconfig, clientConfiguration: configuration)
                } catch {
                    lastError = error
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw BenchmarkError("roperator-apiserver did not write its kubeconfig within 30 s (\(lastError.map { "\($0)" } ?? "no file"))")
    }

    /// Makes every watcher relist: the server forgets its retained watch events (as an etcd
    /// compaction does) and ends every open watch (SIGUSR1 to the standalone server), so that a
    /// client resuming from the resourceVersion it last saw gets `410 Gone`.
    ///
    /// A client that has seen the very latest resourceVersion would resume without a 410, so
    /// `client` first creates a ConfigMap in a namespace of its own: every watcher is then behind.
    public func forceRelist(_ client: KubeClient) async throws {
        let namespace = "bench-relist"
        do {
            _ = try await client.create(
                .namespace, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]))
        } catch let error as KubeAPIError where error.isAlreadyExists {}
        _ = try await client.create(
            .configMap,
            KubeObject([
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["generateName": "marker-", "namespace": .string(namespace)],
            ]))
        guard kill(pid, SIGUSR1) == 0 else {
            throw BenchmarkError("could not signal roperator-apiserver (pid \(pid)): errno \(errno)")
        }
    }

    /// Stops the server (SIGTERM) and removes its directory.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory) // a leftover temp directory is harmless
    }
}

/// The executable `name` next to the running one (same scratch path and configuration).
public func siblingExecutable(_ name: String) throws -> String {
    let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    let candidate = executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path
    guard FileManager.default.isExecutableFile(atPath: candidate) else {
        throw BenchmarkError(
            """
            \(candidate) not found; build it in the same scratch path first, e.g.:
              ROPERATOR_BENCHMARKS=1 swift build -c release --scratch-path .build-bench --product \(name)
            """)
    }
    return candidate
}
