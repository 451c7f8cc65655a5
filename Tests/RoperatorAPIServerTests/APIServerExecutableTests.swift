import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// The `roperator-apiserver` executable, run as a child process.
@Suite("roperator-apiserver executable", .serialized)
struct APIServerExecutableTests {
    static let executable: String? = {
        for configuration in ["debug", "release"] {
            let path = packageRoot.appendingPathComponent(".build/\(configuration)/roperator-apiserver").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// uid, resourceVersion, creationTimestamp and field managers of an object, one line.
    static let identityPath =
        "jsonpath={.metadata.uid} {.metadata.resourceVersion} {.metadata.creationTimestamp} {.metadata.managedFields[*].manager}"

    /// Starts the executable and waits for its "listening on" line.
    static func start(_ arguments: [String], directory: URL) async throws -> (ChildProcess, String) {
        let binary = try #require(executable)
        let child = try ChildProcess(binary, arguments, directory: directory)
        var url: String?
        try await waitUntil(timeout: .seconds(30), "roperator-apiserver prints its address") {
            if let line = child.stdout.split(separator: "\n").first(where: { $0.hasPrefix("roperator-apiserver listening on ") }) {
                url = String(line.dropFirst("roperator-apiserver listening on ".count))
                return true
            }
            if !child.process.isRunning { Issue.record("exited early: \(child.stderr)") }
            return !child.process.isRunning
        }
        return (child, try #require(url))
    }

    @Test func servesKubectlWithTLSAndCRDsAndKeepsStateAcrossRestart() async throws {
        guard Self.executable != nil else {
            print("skipping: build roperator-apiserver first (swift build)")
            return
        }
        let directory = try makeTemporaryDirectory("standalone")
        let crdFile = directory.appendingPathComponent("crd.yaml")
        try
            (KubectlTests.crdYAML + "\n---\n"
            + KubectlTests.crdYAML.replacingOccurrences(of: "widget", with: "sprocket").replacingOccurrences(of: "Widget", with: "Sprocket")
            .replacingOccurrences(of: "wd]", with: "sp]"))
            .write(to: crdFile, atomically: true, encoding: .utf8)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let dataDir = directory.appendingPathComponent("data").path
        let arguments = ["--port", "0", "--tls", "--kubeconfig", kubeconfig, "--crd", crdFile.path, "--data-dir", dataDir]

        let (first, url) = try await Self.start(arguments, directory: directory)
        var survivorIdentity = ""
        #expect(url.hasPrefix("https://127.0.0.1:"))
        #expect(first.stdout.contains("kubeconfig: \(kubeconfig)"))
        if let kubectl = installedKubectls.keys.max().flatMap({ installedKubectls[$0] }) {
            let env = ["KUBECONFIG": kubeconfig, "HOME": directory.path]
            let namespaces = try await run(kubectl, ["get", "ns"], environment: env, directory: directory)
            #expect(namespaces.status == 0, "\(namespaces.stderr)")
            #expect(namespaces.stdout.contains("default"))
            let widgets = try await run(kubectl, ["get", "widgets,sprockets"], environment: env, directory: directory)
            #expect(widgets.status == 0, "\(widgets.stderr)")
            let manifest = directory.appendingPathComponent("survivor.yaml")
            try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: survivor\ndata:\n  k: v\n".write(
                to: manifest, atomically: true, encoding: .utf8)
            let created = try await run(kubectl, ["create", "-f", manifest.path], environment: env, directory: directory)
            #expect(created.status == 0, "\(created.stderr)")
            let identity = try await run(
                kubectl, ["get", "configmap", "survivor", "-o", Self.identityPath], environment: env, directory: directory)
            #expect(identity.status == 0, "\(identity.stderr)")
            survivorIdentity = identity.stdout
        } else {
            print("no kubectl installed: checking the standalone server without it")
        }
        first.signal(SIGTERM)
        #expect(try await first.wait(timeout: .seconds(30)) == 0)
        #expect(first.stdout.contains("stopped"))
        #expect(FileManager.default.fileExists(atPath: dataDir + "/state.json"))

        if let kubectl = installedKubectls.keys.max().flatMap({ installedKubectls[$0] }) {
            let (second, _) = try await Self.start(arguments, directory: directory)
            let env = ["KUBECONFIG": kubeconfig, "HOME": directory.path]
            let survivor = try await run(
                kubectl, ["get", "configmap", "survivor", "-o", "jsonpath={.data.k}"], environment: env, directory: directory)
            #expect(survivor.status == 0, "\(survivor.stderr)")
            #expect(survivor.stdout == "v")
            // Restored, not re-created: same uid, resourceVersion, creationTimestamp and field managers.
            let identity = try await run(
                kubectl, ["get", "configmap", "survivor", "-o", Self.identityPath], environment: env, directory: directory)
            #expect(identity.status == 0, "\(identity.stderr)")
            #expect(!survivorIdentity.isEmpty)
            #expect(identity.stdout == survivorIdentity)
            let widgets = try await run(kubectl, ["get", "widgets"], environment: env, directory: directory)
            #expect(widgets.status == 0, "\(widgets.stderr)")
            second.signal(SIGINT)
            #expect(try await second.wait(timeout: .seconds(30)) == 0)
        }
    }
}
