@testable import Roperator
import EchoServerExample
import Foundation
import RoperatorClient
import Testing

/// Failover between real processes: `roperator-apiserver` and two `echo-server --leader-elect`
/// replicas as child processes. The leader is killed with SIGKILL (no release, no goodbye) and
/// the standby must take the lease once it expires and reconcile a parent created afterwards.
///
/// Needs the executables next to the test bundle: `swift build --build-tests` builds them.
@Suite("Leader failover between processes", .serialized)
struct LeaderFailoverProcessTests {
    /// Child processes with their output in files, killed by `stopAll()` whatever happens. Each
    /// runs under a small `sh` guard that kills it within 0.2 s if this test process dies (a
    /// crash runs no `defer`), so that no operator or API server outlives the test run.
    final class Children {
        private(set) var processes: [(guard: Process, pid: pid_t, stdout: URL, stderr: URL)] = []
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("failover-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        static let guardScript = """
            "$@" & child=$!
            echo "$child" > "$PIDFILE"
            while kill -0 "$WATCHED" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.2; done
            kill -9 "$child" 2>/dev/null
            wait "$child"
            """

        /// Starts `executable`; returns its index for `output(_:)`, once its pid is known.
        func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Int {
            let index = processes.count
            let pidFile = directory.appendingPathComponent("\(index).pid")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", Self.guardScript, "sh", executable] + arguments
            var env = ProcessInfo.processInfo.environment
            // Never let a child find a real cluster: only the kubeconfig given counts.
            env["KUBERNETES_SERVICE_HOST"] = nil
            env["KUBERNETES_SERVICE_PORT"] = nil
            env["HOME"] = directory.path
            env["PIDFILE"] = pidFile.path
            env["WATCHED"] = String(ProcessInfo.processInfo.processIdentifier)
            for (key, value) in environment { env[key] = value }
            process.environment = env
            let stdout = directory.appendingPathComponent("\(index)-out.txt")
            let stderr = directory.appendingPathComponent("\(index)-err.txt")
            _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
            _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: stdout)
            process.standardError = try FileHandle(forWritingTo: stderr)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            var pid: pid_t?
            try await LeaderFailoverProcessTests.eventually("\(executable) started", timeout: .seconds(10)) {
                pid = (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap {
                    pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                return pid != nil
            }
            processes.append((process, try #require(pid), stdout, stderr))
            return index
        }

        func isRunning(_ index: Int) -> Bool { processes[index].guard.isRunning }

        func signal(_ index: Int, _ signal: Int32) { kill(processes[index].pid, signal) }

        func output(_ index: Int) -> (stdout: String, stderr: String) {
            let files = processes[index]
            return (
                (try? String(contentsOf: files.stdout, encoding: .utf8)) ?? "",
                (try? String(contentsOf: files.stderr, encoding: .utf8)) ?? ""
            )
        }

        /// The end of each process's stderr from `first` on, for a failing expectation's message.
        func stderrTails(from first: Int = 0, characters: Int = 3000) -> String {
            (first..<processes.count).map { "process \($0):\n\(output($0).stderr.suffix(characters))" }.joined(separator: "\n")
        }

        /// Waits for `index` to exit; returns its status, or nil at the deadline.
        func waitForExit(_ index: Int, timeout: Duration) async throws -> Int32? {
            let deadline = ContinuousClock.now + TimeoutScale.scaled(timeout)
            while isRunning(index) {
                guard ContinuousClock.now < deadline else { return nil }
                try await Task.sleep(for: .milliseconds(20))
            }
            return processes[index].guard.terminationStatus
        }

        func stopAll() {
            for entry in processes where entry.guard.isRunning {
                kill(entry.pid, SIGKILL)
                kill(entry.guard.processIdentifier, SIGKILL)
            }
            for entry in processes { entry.guard.waitUntilExit() }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// An executable built by `swift build` in this package: beside the test bundle, else in `.build/debug`.
    static func executable(_ name: String) -> String? {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var directories = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let bundle = Bundle.main.executableURL { directories.append(bundle.deletingLastPathComponent()) }
        directories.append(packageRoot.appendingPathComponent(".build/debug"))
        // On macOS the test bundle is `…/debug/X.xctest/Contents/MacOS/X`.
        directories += directories.map { $0.appendingPathComponent("../../..").standardizedFileURL }
        return directories.map { $0.appendingPathComponent(name).path }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let leaseName = "echo-server-leader"

    /// Polls `condition` until it holds or `timeout` passes (the closure may touch the children).
    /// `diagnostics` goes into the issue recorded at the deadline (e.g. the children's output).
    static func eventually(
        _ what: String, timeout: Duration = .seconds(30), diagnostics: () -> String = { "" },
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + TimeoutScale.scaled(timeout)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                let details = diagnostics()
                Issue.record("timed out waiting until \(what)\(details.isEmpty ? "" : "\n\(details)")")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func holder(_ client: KubeClient) async throws -> LeaseRecord? {
        do {
            return try LeaseRecord(lease: try await client.get(.lease, namespace: "default", name: leaseName))
        } catch let error as KubeAPIError where error.isNotFound {
            return nil
        }
    }

    static func createParent(_ client: KubeClient, _ name: String) async throws {
        var parent = KubeObject(type: EchoServer.type, namespace: "default", name: name)
        parent.json["spec"] = ["serviceName": .string("\(name)-svc"), "message": .string(name)]
        _ = try await client.create(EchoServer.type, parent)
    }

    static func podExists(_ client: KubeClient, _ parent: String) async -> Bool {
        (try? await client.get(.pod, namespace: "default", name: EchoServer.podName(for: parent))) != nil
    }

    @Test("SIGKILL the leader: the standby process takes the lease after it expires and reconciles a new parent")
    func sigkillLeader() async throws {
        let apiserver = try #require(Self.executable("roperator-apiserver"), "build the executables first: swift build --build-tests")
        let echo = try #require(Self.executable("echo-server"), "build the executables first: swift build --build-tests")
        let children = try Children()
        defer { children.stopAll() }
        let kubeconfig = children.directory.appendingPathComponent("kubeconfig").path

        let server = try await children.start(apiserver, ["--port", "0", "--kubeconfig", kubeconfig, "--crd", EchoServer.crdFile.path])
        var url: String?
        try await Self.eventually("roperator-apiserver prints its address", timeout: .seconds(30)) {
            guard children.isRunning(server) else {
                Issue.record("roperator-apiserver exited: \(children.output(server).stderr)")
                throw CancellationError()
            }
            let prefix = "roperator-apiserver listening on "
            url = children.output(server).stdout.split(separator: "\n").first { $0.hasPrefix(prefix) }.map {
                String($0.dropFirst(prefix.count))
            }
            return url != nil
        }
        let client = try KubeClient(configuration: ClientConfiguration(server: try #require(url)))
        do {
            let timing = [
                // Short, with some slack for a machine busy with the rest of the suite.
                "--leader-elect", "--leader-elect-lease-duration", "3", "--leader-elect-renew-deadline", "2.5",
                "--leader-elect-retry-period", "0.25", "--verbose",
            ]
            func replica(_ identity: String) async throws -> Int {
                try await children.start(echo, timing + ["--leader-elect-identity", identity], environment: ["KUBECONFIG": kubeconfig])
            }
            func describe() -> String { children.stderrTails(from: 1, characters: 100_000) }

            let first = try await replica("replica-a")
            try await Self.eventually("replica-a leads", timeout: .seconds(20), diagnostics: describe) {
                try await Self.holder(client)?.holderIdentity == "replica-a"
            }
            let second = try await replica("replica-b")
            try await Self.eventually("replica-b stands by with warm caches", timeout: .seconds(20), diagnostics: describe) {
                children.output(second).stderr.contains("standing by")
            }
            try await Self.createParent(client, "before")
            try await Self.eventually("the leader reconciles", diagnostics: describe) { await Self.podExists(client, "before") }
            #expect(try await Self.holder(client)?.holderIdentity == "replica-a")

            children.signal(first, SIGKILL)
            let killed = ContinuousClock.now
            #expect(try await children.waitForExit(first, timeout: .seconds(5)) != nil)
            try await Self.createParent(client, "after")
            try await Self.eventually("replica-b takes over and reconciles the new parent", timeout: .seconds(15), diagnostics: describe) {
                await Self.podExists(client, "after")
            }
            let takeover = ContinuousClock.now - killed
            let lease = try #require(try await Self.holder(client))
            #expect(lease.holderIdentity == "replica-b", "\(describe())")
            #expect(lease.leaseTransitions == 1)
            // No release came from a killed process: b waited for the 3 s lease to expire.
            #expect(takeover > .seconds(2), "took over after \(takeover)")
            #expect(takeover < .seconds(10), "took over after \(takeover)")
            #expect(children.output(second).stderr.contains("acquired the lease"))

            // A graceful stop of the new leader releases the lease and exits 0.
            children.signal(second, SIGTERM)
            let status = try await children.waitForExit(second, timeout: .seconds(15))
            #expect(status == 0, "\(describe())")
            #expect(try await Self.holder(client)?.holderIdentity == nil, "the lease was released")
            #expect(children.output(second).stderr.contains("released the lease"))
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
