@testable import Roperator
import EchoServerExample
import Foundation
import RoperatorClient
import Testing

/// Process faults (issue 14) with real processes: the `echo-server` example operator against a
/// standalone `roperator-apiserver`.
///
/// - the operator is killed with SIGKILL mid-convergence, parents are deleted, changed and
///   created while it is down, and a new operator process converges with nothing lost or
///   duplicated;
/// - the API server is stopped (SIGTERM: it saves its state to `--data-dir`) and started again on
///   the same port and directory while the operator runs; resourceVersions continue upwards, the
///   operator's watches come back (by relisting: the restarted server keeps no event window) and it
///   converges;
/// - the API server is killed with SIGKILL: `--data-dir` keeps only a snapshot (every 10 s and at
///   a graceful stop), so the restarted server lost the last writes and its resourceVersion counter
///   is behind the operator's; the operator must relist and converge on what the server has.
///
/// Needs the executables next to the test bundle: `swift build --build-tests` builds them.
@Suite("Process faults: operator killed, API server restarted", .serialized)
struct ProcessFaultTests {
    typealias Children = LeaderFailoverProcessTests.Children

    /// Starts `roperator-apiserver` and returns its index and URL once it prints its address.
    static func startServer(_ children: Children, _ arguments: [String]) async throws -> (index: Int, url: String) {
        let apiserver = try #require(
            LeaderFailoverProcessTests.executable("roperator-apiserver"), "build the executables first: swift build --build-tests")
        let index = try await children.start(apiserver, arguments)
        var url: String?
        try await LeaderFailoverProcessTests.eventually("roperator-apiserver prints its address", timeout: .seconds(30)) {
            guard children.isRunning(index) else {
                Issue.record("roperator-apiserver exited: \(children.output(index).stderr)")
                throw CancellationError()
            }
            let prefix = "roperator-apiserver listening on "
            url = children.output(index).stdout.split(separator: "\n").first { $0.hasPrefix(prefix) }
                .map { String($0.dropFirst(prefix.count)) }
            return url != nil
        }
        return (index, try #require(url))
    }

    static func startOperator(_ children: Children, kubeconfig: String) async throws -> Int {
        let echo = try #require(
            LeaderFailoverProcessTests.executable("echo-server"), "build the executables first: swift build --build-tests")
        return try await children.start(echo, ["--verbose"], environment: ["KUBECONFIG": kubeconfig])
    }

    static func podCount(_ client: KubeClient) async -> Int {
        (try? await client.list(.pod, namespace: "default").items.count) ?? 0
    }

    static func changeSpec(_ client: KubeClient, _ name: String) async throws {
        _ = try await client.patch(
            EchoServer.type, namespace: "default", name: name,
            patch: ["spec": ["serviceName": .string("\(name)-svc2"), "message": .string("\(name) changed")]], as: .merge)
    }

    /// What is not converged yet: every EchoServer live with its latest status, exactly one Pod
    /// (with the desired text) and one Service (named by the spec) per parent, owned by it, and no
    /// Pod or Service of a parent that is gone or no longer desired.
    static func problems(_ client: KubeClient) async throws -> [String] {
        let parents = try await client.list(EchoServer.type, namespace: "default").items
        let pods = try await client.list(.pod, namespace: "default").items
        let services = try await client.list(.service, namespace: "default", labelSelector: TrackingLabels.parentUID).items
        var problems: [String] = []
        var live: [String: (parent: KubeObject, pod: String, service: String)] = [:]
        for parent in parents {
            let name = parent.name ?? ""
            if parent.isBeingDeleted { problems.append("\(name) is still being deleted"); continue }
            let serviceName = parent.spec?["serviceName"]?.stringValue ?? ""
            let status = parent.status ?? .object([:])
            if status["observedGeneration"]?.intValue != parent.generation {
                problems.append(
                    "\(name): observedGeneration \(status["observedGeneration"]?.serialized() ?? "none") ≠ \(parent.generation ?? -1)")
            }
            if status["serviceName"]?.stringValue != serviceName { problems.append("\(name): status.serviceName is not \(serviceName)") }
            live[parent.uid ?? ""] = (parent, EchoServer.podName(for: name), serviceName)
        }
        for (kind, objects) in [("Pod", pods), ("Service", services)] {
            var found: [String: Int] = [:]
            for object in objects {
                let owner = object.controllerReference?.uid ?? "none"
                guard let want = live[owner] else {
                    problems.append("\(kind) \(object.name ?? "") belongs to \(owner), which is not live")
                    continue
                }
                let name = kind == "Pod" ? want.pod : want.service
                if object.name != name { problems.append("\(kind) \(object.name ?? "") is not desired (want \(name))"); continue }
                found[owner, default: 0] += 1
                if kind == "Pod" {
                    let text = "-text=\(want.parent.spec?["message"]?.stringValue ?? want.parent.name ?? "")"
                    let args = object.json[path: "spec", "containers"]?.arrayValue?.first?["args"]?.arrayValue ?? []
                    if !args.contains(.string(text)) { problems.append("Pod \(name) does not run \(text)") }
                }
            }
            for (uid, want) in live where found[uid] != 1 {
                problems.append("\(want.parent.name ?? "") has \(found[uid] ?? 0) \(kind)s")
            }
        }
        return problems
    }

    static func waitForConvergence(
        _ client: KubeClient, timeout: Duration, diagnostics: @escaping () -> String
    ) async throws -> Duration {
        let started = ContinuousClock.now
        var last: [String] = []
        try await LeaderFailoverProcessTests.eventually(
            "the operator converged", timeout: timeout,
            diagnostics: { "\(last.count) problems: \(last.prefix(10).joined(separator: "; "))\n\(diagnostics())" }
        ) {
            last = (try? await problems(client)) ?? ["the server did not answer"]
            return last.isEmpty
        }
        return ContinuousClock.now - started
    }

    @Test("SIGKILL the operator mid-convergence; a restarted operator converges with nothing lost or duplicated")
    func sigkillOperatorMidConvergence() async throws {
        let children = try Children()
        defer { children.stopAll() }
        let kubeconfig = children.directory.appendingPathComponent("kubeconfig").path
        // 150 ms per answer spreads the first convergence over several seconds, so the kill lands
        // in it even when the poll for the first Pod is slow on a busy machine (at 50 ms the
        // operator sometimes finished all 60 parents before the poll saw the first Pod).
        let (_, url) = try await Self.startServer(
            children, ["--port", "0", "--kubeconfig", kubeconfig, "--crd", EchoServer.crdFile.path, "--latency-ms", "150"])
        let client = try KubeClient(configuration: ClientConfiguration(server: url))
        do {
            let names = (0..<60).map { "p\($0)" }
            for name in names { try await LeaderFailoverProcessTests.createParent(client, name) }
            let first = try await Self.startOperator(children, kubeconfig: kubeconfig)
            func describe() -> String { children.stderrTails(from: 1) }
            try await LeaderFailoverProcessTests.eventually("the first Pod exists", timeout: .seconds(30), diagnostics: describe) {
                await Self.podCount(client) > 0
            }
            children.signal(first, SIGKILL)
            #expect(try await children.waitForExit(first, timeout: .seconds(5)) != nil)
            let podsAtKill = await Self.podCount(client)
            #expect(podsAtKill < names.count, "killed mid-convergence: \(podsAtKill) of \(names.count) Pods")

            // While no operator runs: deletions (held by the finalizer where it was added), new
            // specs (a Pod to recreate, a Service to replace by another name) and new parents.
            for name in names[0..<5] { try await client.delete(EchoServer.type, namespace: "default", name: name) }
            for name in names[5..<10] { try await Self.changeSpec(client, name) }
            for index in 0..<5 { try await LeaderFailoverProcessTests.createParent(client, "q\(index)") }

            _ = try await Self.startOperator(children, kubeconfig: kubeconfig)
            let converged = try await Self.waitForConvergence(client, timeout: .seconds(90), diagnostics: describe)
            let parents = try await client.list(EchoServer.type, namespace: "default").items.count
            #expect(parents == names.count - 5 + 5)
            print(
                "process faults: operator SIGKILLed with \(podsAtKill)/\(names.count) Pods; the restarted operator converged in \(converged)"
            )
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("stop and restart the API server on its data directory while the operator runs")
    func apiServerRestartUnderTheOperator() async throws {
        let children = try Children()
        defer { children.stopAll() }
        let kubeconfig = children.directory.appendingPathComponent("kubeconfig").path
        let dataDirectory = children.directory.appendingPathComponent("data").path
        let common = ["--kubeconfig", kubeconfig, "--crd", EchoServer.crdFile.path, "--data-dir", dataDirectory, "--latency-ms", "20"]
        let (firstServer, url) = try await Self.startServer(children, ["--port", "0"] + common)
        let port = try #require(URL(string: url)?.port)
        let client = try KubeClient(configuration: ClientConfiguration(server: url))
        var restartedClient: KubeClient?
        do {
            let names = (0..<30).map { "p\($0)" }
            for name in names { try await LeaderFailoverProcessTests.createParent(client, name) }
            let operatorProcess = try await Self.startOperator(children, kubeconfig: kubeconfig)
            func describe() -> String { children.stderrTails() }
            try await LeaderFailoverProcessTests.eventually("the first Pod exists", timeout: .seconds(30), diagnostics: describe) {
                await Self.podCount(client) > 0
            }
            let before = try #require(Int64(try await client.list(EchoServer.type, namespace: "default").resourceVersion))

            children.signal(firstServer, SIGTERM)
            #expect(try await children.waitForExit(firstServer, timeout: .seconds(15)) == 0, "\(describe())")
            #expect(children.output(firstServer).stdout.contains("roperator-apiserver stopped"))
            #expect(FileManager.default.fileExists(atPath: dataDirectory + "/state.json"))

            let (secondServer, secondURL) = try await Self.startServer(children, ["--port", String(port)] + common)
            #expect(secondURL == url)
            let restarted = try KubeClient(configuration: ClientConfiguration(server: url))
            restartedClient = restarted
            let listed = try #require(Int64(try await restarted.list(EchoServer.type, namespace: "default").resourceVersion))
            #expect(listed >= before, "the restored counter is not behind: \(listed) vs \(before)")
            try await LeaderFailoverProcessTests.createParent(restarted, "after")
            let created = try await restarted.get(EchoServer.type, namespace: "default", name: "after")
            let after = try #require(Int64(created.resourceVersion ?? ""))
            #expect(after > before, "resourceVersions continue upwards across the restart: \(after) vs \(before)")
            try await Self.changeSpec(restarted, "p1")
            try await restarted.delete(EchoServer.type, namespace: "default", name: "p2")

            let converged = try await Self.waitForConvergence(restarted, timeout: .seconds(90), diagnostics: describe)
            #expect(children.isRunning(operatorProcess), "the operator rode out the restart")
            #expect(children.isRunning(secondServer))
            let parents = try await restarted.list(EchoServer.type, namespace: "default").items.count
            #expect(parents == names.count) // 30 - p2 + after
            print(
                "process faults: API server restarted (resourceVersion \(before) → \(after)); the operator converged \(converged) after the changes"
            )
        } catch {
            try? await client.shutdown()
            try? await restartedClient?.shutdown()
            throw error
        }
        try await client.shutdown()
        try await restartedClient?.shutdown()
    }

    /// The resourceVersion of the last snapshot in `<directory>/state.json`, if there is one.
    static func snapshotVersion(_ directory: String) -> Int64? {
        guard let data = FileManager.default.contents(atPath: directory + "/state.json"),
            let document = try? JSONValue(parsing: Array(data))
        else { return nil }
        return document[path: "store", "resourceVersion"]?.intValue
    }

    @Test("SIGKILL the API server: it comes back from an older snapshot and the operator relists")
    func apiServerKilledComesBackFromAnOlderSnapshot() async throws {
        let children = try Children()
        defer { children.stopAll() }
        let kubeconfig = children.directory.appendingPathComponent("kubeconfig").path
        let dataDirectory = children.directory.appendingPathComponent("data").path
        let common = ["--kubeconfig", kubeconfig, "--crd", EchoServer.crdFile.path, "--data-dir", dataDirectory]
        let (firstServer, url) = try await Self.startServer(children, ["--port", "0"] + common)
        let port = try #require(URL(string: url)?.port)
        let client = try KubeClient(configuration: ClientConfiguration(server: url))
        var restartedClient: KubeClient?
        do {
            for index in 0..<5 { try await LeaderFailoverProcessTests.createParent(client, "p\(index)") }
            let operatorProcess = try await Self.startOperator(children, kubeconfig: kubeconfig)
            func describe() -> String { children.stderrTails() }
            _ = try await Self.waitForConvergence(client, timeout: .seconds(60), diagnostics: describe)
            let converged = try #require(Int64(try await client.list(EchoServer.type, namespace: "default").resourceVersion))
            // The server snapshots every 10 s; wait for one that holds the converged state.
            try await LeaderFailoverProcessTests.eventually("a snapshot of the converged state", timeout: .seconds(30)) {
                (Self.snapshotVersion(dataDirectory) ?? 0) >= converged
            }
            // Writes the kill will lose: p0's Service is replaced by p0-svc2.
            try await Self.changeSpec(client, "p0")
            _ = try await Self.waitForConvergence(client, timeout: .seconds(60), diagnostics: describe)
            let before = try #require(Int64(try await client.list(EchoServer.type, namespace: "default").resourceVersion))
            children.signal(firstServer, SIGKILL)
            #expect(try await children.waitForExit(firstServer, timeout: .seconds(5)) != nil)

            _ = try await Self.startServer(children, ["--port", String(port)] + common)
            let restarted = try KubeClient(configuration: ClientConfiguration(server: url))
            restartedClient = restarted
            let restored = try #require(Int64(try await restarted.list(EchoServer.type, namespace: "default").resourceVersion))
            #expect(restored > before, "a restore from a periodic snapshot skips past every version issued before the kill")
            // A change after the restart: p0's Service gets a third name. An operator that resumed its
            // watches from its newer resourceVersion would keep the lost p0-svc2 in its cache, miss
            // the restored p0-svc and leave two Services; the server ends such watches with 410.
            _ = try await restarted.patch(
                EchoServer.type, namespace: "default", name: "p0", patch: ["spec": ["serviceName": "p0-svc3"]], as: .merge)
            let settled = try await Self.waitForConvergence(restarted, timeout: .seconds(60), diagnostics: describe)
            #expect(children.isRunning(operatorProcess))
            let services = try await restarted.list(.service, namespace: "default").items.compactMap(\.name).filter { $0.hasPrefix("p0-") }
            #expect(services == ["p0-svc3"])
            print(
                "process faults: API server SIGKILLed at resourceVersion \(before), restored past it at \(restored);"
                    + " converged in \(settled)")
        } catch {
            try? await client.shutdown()
            try? await restartedClient?.shutdown()
            throw error
        }
        try await client.shutdown()
        try await restartedClient?.shutdown()
    }
}
