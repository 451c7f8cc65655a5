import Foundation
import RoperatorClient
import RoperatorScaffold
import Testing

/// What `roperator init` writes, checked without building it (`.ci/run` builds and tests a
/// generated package).
@Suite("roperator init")
struct OperatorScaffoldTests {
    static func scaffold() throws -> OperatorScaffold {
        try OperatorScaffold(
            name: "memcached-operator", group: "cache.example.com", version: "v1alpha1", kind: "Memcached",
            dependency: .path("/src/roperator"))
    }

    static func file(_ path: String) throws -> String {
        try #require(try scaffold().files().first { $0.path == path }, "no \(path)").contents
    }

    @Test("the package: a library with the types, the executable, the tests; Roperator by path")
    func layout() throws {
        let scaffold = try Self.scaffold()
        #expect(scaffold.moduleName == "MemcachedOperator")
        #expect(scaffold.plural == "memcacheds")
        let paths = Set(scaffold.files().map(\.path))
        #expect(
            paths.isSuperset(of: [
                "Package.swift", "README.md", "Dockerfile", "Sources/MemcachedOperator/Memcached.swift",
                "Sources/MemcachedOperator/MemcachedSpec.swift", "Sources/MemcachedOperator/MemcachedStatus.swift",
                "Sources/MemcachedOperator/MemcachedHandler.swift", "Sources/MemcachedOperator/crd.yaml",
                "Sources/memcached-operator/MemcachedCommand.swift", "Tests/MemcachedOperatorTests/MemcachedHandlerTests.swift",
                "config/rbac.yaml", "config/deployment.yaml", "config/sample.yaml",
            ]))
        let manifest = try Self.file("Package.swift")
        #expect(manifest.contains(#".package(path: "/src/roperator")"#))
        #expect(manifest.contains(#".product(name: "Roperator", package: "roperator")"#))
        #expect(manifest.contains(#"resources: [.copy("crd.yaml")]"#))
        let byURL = try OperatorScaffold(
            name: "memcached-operator", group: "cache.example.com", version: "v1alpha1", kind: "Memcached",
            dependency: .url("https://git.example.com/roperator.git"))
        let urlManifest = try #require(byURL.files().first { $0.path == "Package.swift" }).contents
        #expect(urlManifest.contains(#".package(url: "https://git.example.com/roperator.git", branch: "main")"#))
        // By default, the checkout this library was built from: a real package to build against.
        let byDefault = try OperatorScaffold(
            name: "memcached-operator", group: "cache.example.com", version: "v1alpha1", kind: "Memcached")
        #expect(byDefault.dependency == .path(OperatorScaffold.thisCheckout))
        #expect(FileManager.default.fileExists(atPath: OperatorScaffold.thisCheckout + "/Sources/RoperatorScaffold/OperatorScaffold.swift"))
        #expect(try Self.file("Sources/memcached-operator/MemcachedCommand.swift").contains("struct MemcachedCommand: OperatorMain"))
        #expect(try Self.file("Sources/memcached-operator/MemcachedCommand.swift").contains("--print-crd"))
        let readme = try Self.file("README.md")
        #expect(readme.contains("swift run memcached-operator --embedded"))
        #expect(readme.contains("swift test"))
    }

    @Test("the CRD names the resource and has a status subresource")
    func crd() throws {
        let crd = try JSONValue(yaml: Self.file("Sources/MemcachedOperator/crd.yaml"))
        #expect(crd[path: "metadata", "name"] == "memcacheds.cache.example.com")
        #expect(crd[path: "spec", "names", "kind"] == "Memcached")
        let version = try #require(crd[path: "spec", "versions"]?.arrayValue?.first)
        #expect(version["name"] == "v1alpha1")
        #expect(version[path: "subresources", "status"] == .object([:]))
        #expect(version[path: "schema", "openAPIV3Schema", "properties", "spec", "properties", "message", "type"] == "string")
    }

    @Test("RBAC: the verbs the runtime uses on the parent, its status, the children, Events and Leases")
    func rbac() throws {
        let documents = try JSONValue.documents(yaml: Self.file("config/rbac.yaml"))
        #expect(documents.compactMap { $0["kind"]?.stringValue } == ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding"])
        let role = try #require(documents.first { $0["kind"] == "ClusterRole" })
        var verbs: [String: Set<String>] = [:]
        for rule in role["rules"]?.arrayValue ?? [] {
            let groups = rule["apiGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for group in groups {
                for resource in rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    verbs["\(group)/\(resource)", default: []].formUnion(rule["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                }
            }
        }
        #expect(verbs["cache.example.com/memcacheds"] == ["get", "list", "watch", "update", "patch"])
        #expect(verbs["cache.example.com/memcacheds/status"] == ["get", "update", "patch"])
        #expect(verbs["cache.example.com/memcacheds/finalizers"] == ["update"])
        #expect(verbs["/configmaps"] == ["get", "list", "watch", "create", "update", "patch", "delete"])
        #expect(verbs["/events"] == ["create", "patch"])
        #expect(verbs["coordination.k8s.io/leases"] == ["get", "create", "update"])
        let binding = try #require(documents.first { $0["kind"] == "ClusterRoleBinding" })
        #expect(binding[path: "roleRef", "name"] == "memcached-operator")
        #expect(binding["subjects"]?.arrayValue?.first?["namespace"] == "memcached-operator")
    }

    @Test("the Deployment: the service account, probes on the metrics port, two replicas for leader election")
    func deployment() throws {
        let deployment = try JSONValue(yaml: Self.file("config/deployment.yaml"))
        #expect(deployment["kind"] == "Deployment")
        #expect(deployment[path: "spec", "replicas"] == 2)
        #expect(deployment[path: "spec", "template", "spec", "serviceAccountName"] == "memcached-operator")
        let container = try #require(deployment[path: "spec", "template", "spec", "containers"]?.arrayValue?.first)
        #expect(container["ports"]?.arrayValue?.first?["containerPort"] == 8080)
        #expect(container[path: "livenessProbe", "httpGet", "path"] == "/healthz")
        #expect(container[path: "readinessProbe", "httpGet", "path"] == "/readyz")
        #expect(try Self.file("Sources/MemcachedOperator/Memcached.swift").contains(".metricsPort(8080)"))
        #expect(try Self.file("Dockerfile").contains("FROM swift:6.1-jammy AS build"))
    }

    @Test(
        "a bad argument is refused, naming it",
        arguments: [
            ("Memcached-Operator", "cache.example.com", "v1", "Memcached", "name"),
            ("memcached", "example", "v1", "Memcached", "--group"),
            ("memcached", "cache.example.com", "1", "Memcached", "--version"),
            ("memcached", "cache.example.com", "v1", "memcached", "--kind"),
        ])
    func refused(name: String, group: String, version: String, kind: String, argument: String) {
        #expect {
            try OperatorScaffold(name: name, group: group, version: version, kind: kind)
        } throws: { ($0 as? ScaffoldError)?.argument == argument }
    }

    @Test(
        "plurals: the kind in lower case plus s, es or ies (--plural for the rest)",
        arguments: [
            ("Memcached", "memcacheds"), ("Echo", "echos"), ("Policy", "policies"), ("Gateway", "gateways"),
            ("Box", "boxes"), ("Class", "classes"),
        ])
    func plurals(kind: String, plural: String) throws {
        #expect(try OperatorScaffold(name: "x", group: "a.b", version: "v1", kind: kind).plural == plural)
    }

    @Test("writing refuses a folder that already holds files, and writes every file into an empty one")
    func writing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let scaffold = try Self.scaffold()
        try scaffold.write(to: directory)
        for file in scaffold.files() {
            #expect(try String(contentsOf: directory.appendingPathComponent(file.path), encoding: .utf8) == file.contents)
        }
        #expect(throws: ScaffoldError.self) { try scaffold.write(to: directory) }
    }
}
