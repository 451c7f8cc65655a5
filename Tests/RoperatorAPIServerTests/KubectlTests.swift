import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// kubectl, the real binaries for several minor versions, against the embedded server.
@Suite("kubectl compatibility", .serialized)
struct KubectlTests {
    static let versions = [27, 29, 31, 33]

    /// A kubectl bound to one server through a kubeconfig in a private directory.
    struct Kubectl {
        let binary: String
        let directory: URL
        let kubeconfig: String

        init(minor: Int, server: EmbeddedAPIServer) throws {
            binary = try #require(installedKubectls[minor], "kubectl.1.\(minor) is not installed")
            directory = try makeTemporaryDirectory("kubectl-\(minor)")
            kubeconfig = directory.appendingPathComponent("kubeconfig").path
            try server.writeKubeconfig(to: kubeconfig)
        }

        var environment: [String: String] { ["KUBECONFIG": kubeconfig, "HOME": directory.path] }

        @discardableResult
        func callAsFunction(_ arguments: String..., input: String? = nil, expectSuccess: Bool = true) async throws -> String {
            var args = arguments
            if let input {
                let file = directory.appendingPathComponent("input-\(UUID().uuidString.prefix(6)).yaml")
                try input.write(to: file, atomically: true, encoding: .utf8)
                args = args.map { $0 == "@input" ? file.path : $0 }
            }
            let result = try await run(
                binary, args + ["--cache-dir", directory.appendingPathComponent("cache").path], environment: environment,
                directory: directory)
            if expectSuccess {
                #expect(result.status == 0, "kubectl \(args.joined(separator: " ")) failed: \(result.stderr)")
            }
            return result.stdout + (expectSuccess ? "" : result.stderr)
        }

        func start(_ arguments: String...) throws -> ChildProcess {
            try ChildProcess(
                binary, arguments + ["--cache-dir", directory.appendingPathComponent("cache").path], environment: environment,
                directory: directory)
        }
    }

    static let configMapYAML = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: applied
          labels:
            app: demo
        data:
          color: blue
        """

    static let crdYAML = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer}
        """

    static let widgetYAML = """
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: gear
        spec:
          size: 3
        """

    @Test(arguments: versions)
    func discoveryGetAndRaw(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try Kubectl(minor: minor, server: server)
            let namespaces = try await kubectl("get", "ns")
            #expect(namespaces.contains("default"))
            #expect(namespaces.contains("kube-system"))
            let resources = try await kubectl("api-resources")
            #expect(resources.contains("configmaps"))
            #expect(resources.contains("deployments"))
            #expect(resources.contains("customresourcedefinitions"))
            let version = try JSONValue(parsing: try await kubectl("get", "--raw", "/version"))
            #expect(version["minor"] == "32")
        }
    }

    @Test(arguments: versions)
    func createApplyPatchDelete(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try Kubectl(minor: minor, server: server)
            #expect(
                try await kubectl("create", "-f", "@input", input: Self.configMapYAML.replacingOccurrences(of: "applied", with: "created"))
                    .contains("configmap/created created"))
            #expect(try await kubectl("apply", "-f", "@input", input: Self.configMapYAML).contains("configmap/applied created"))
            let changed = Self.configMapYAML.replacingOccurrences(of: "blue", with: "green")
            #expect(try await kubectl("apply", "-f", "@input", input: changed).contains("configmap/applied configured"))
            #expect(try await kubectl("apply", "-f", "@input", input: changed).contains("configmap/applied unchanged"))
            #expect(
                try await kubectl(
                    "apply", "--server-side", "-f", "@input", input: Self.configMapYAML.replacingOccurrences(of: "applied", with: "ssa")
                ).contains("serverside-applied"))

            #expect(try await kubectl("patch", "configmap", "applied", "--type=merge", "-p", #"{"data":{"size":"L"}}"#).contains("patched"))
            #expect(
                try await kubectl(
                    "patch", "configmap", "applied", "--type=json", "-p", #"[{"op":"replace","path":"/data/color","value":"red"}]"#
                ).contains("patched"))
            let object = try JSONValue(parsing: try await kubectl("get", "configmap", "applied", "-o", "json"))
            #expect(object[path: "data", "color"] == "red")
            #expect(object[path: "data", "size"] == "L")
            #expect(object[path: "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"] != nil)

            // Custom resources: the CRD and then an instance, both through apply.
            #expect(try await kubectl("apply", "-f", "@input", input: Self.crdYAML).contains("created"))
            #expect(try await kubectl("apply", "-f", "@input", input: Self.widgetYAML).contains("widget.example.com/gear created"))
            #expect(
                try await kubectl("apply", "-f", "@input", input: Self.widgetYAML.replacingOccurrences(of: "size: 3", with: "size: 4"))
                    .contains("configured"))
            #expect(try await kubectl("get", "wd").contains("gear"))

            #expect(try await kubectl("delete", "configmap", "applied").contains("deleted"))
            #expect(try await kubectl("get", "configmap", "applied", expectSuccess: false).contains("NotFound"))
        }
    }

    @Test(arguments: [27, 33])
    func deleteWaitsForFinalizersAndWatchSeesChanges(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withTestServer { server, client in
            let kubectl = try Kubectl(minor: minor, server: server)
            var held = configMap("held")
            held[path: "metadata", "finalizers"] = ["example.com/hold"]
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/configmaps", json: held).status == 201)

            let watch = try kubectl.start("get", "configmaps", "--watch", "--output-watch-events", "-o", "json")
            try await waitUntil("kubectl get -w lists the object") { watch.stdout.contains(#""type":"ADDED""#) }
            let delete = try kubectl.start("delete", "configmap", "held", "--timeout=30s")
            try await waitUntil("the deletion is pending") {
                let object = try await client.request(.GET, "/api/v1/namespaces/default/configmaps/held")
                return try object.status == 200 && object.json[path: "metadata", "deletionTimestamp"] != nil
            }
            #expect(delete.process.isRunning)
            _ = try await client.request(
                .PATCH, "/api/v1/namespaces/default/configmaps/held", json: ["metadata": ["finalizers": nil]],
                contentType: "application/merge-patch+json")
            #expect(try await delete.wait() == 0, "kubectl delete: \(delete.stderr)")
            #expect(delete.stdout.contains("deleted"))

            try await waitUntil("kubectl get -w reports the deletion") {
                watch.stdout.contains(#""type":"DELETED""#) || !watch.process.isRunning
            }
            #expect(watch.stdout.contains(#""type":"DELETED""#), "kubectl get -w printed: \(watch.stdout) \(watch.stderr)")
            watch.process.terminate()
            _ = try await watch.wait()
        }
    }

    /// kubectl 1.33's generators send ConfigMap, Secret and Namespace bodies as protobuf.
    @Test(arguments: [31, 33])
    func imperativeGenerators(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try Kubectl(minor: minor, server: server)
            #expect(try await kubectl("create", "configmap", "generated", "--from-literal=a=b", "--from-literal=c=d").contains("created"))
            #expect(try await kubectl("create", "secret", "generic", "hidden", "--from-literal=password=s3cret").contains("created"))
            #expect(try await kubectl("create", "namespace", "made").contains("created"))
            let configMap = try JSONValue(parsing: try await kubectl("get", "configmap", "generated", "-o", "json"))
            #expect(configMap["data"] == ["a": "b", "c": "d"])
            let secret = try JSONValue(parsing: try await kubectl("get", "secret", "hidden", "-o", "json"))
            #expect(secret[path: "data", "password"] == .string(Data("s3cret".utf8).base64EncodedString()))
            #expect(try await kubectl("get", "namespace", "made").contains("made"))
        }
    }

    @Test func tlsWithClientCertificateAndToken() async throws {
        guard let minor = installedKubectls.keys.max() else {
            print("skipping: no kubectl installed")
            return
        }
        try await withEmbeddedAPIServer(EmbeddedAPIServer.Configuration(tls: true, requireAuthentication: true, tokens: ["secret": "bob"]))
        { server in
            let kubectl = try Kubectl(minor: minor, server: server)
            #expect(try await kubectl("get", "ns").contains("default"))
            #expect(try await kubectl("create", "-f", "@input", input: Self.configMapYAML).contains("created"))
            #expect(try await kubectl("create", "configmap", "over-tls", "--from-literal=a=b").contains("created"))
        }
    }

    /// `kubectl get` asks for a Table and prints the server's columns.
    @Test(arguments: [27, 33])
    func getPrintsServerSideTableColumns(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withTestServer { server, client in
            let kubectl = try Kubectl(minor: minor, server: server)
            let pod: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web"],
                "spec": ["containers": [["name": "app", "image": "nginx"], ["name": "sidecar", "image": "busybox"]]],
            ]
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/pods", json: pod).status == 201)
            _ = try await client.request(
                .PATCH, "/api/v1/namespaces/default/pods/web/status",
                json: [
                    "status": [
                        "phase": "Running",
                        "containerStatuses": [
                            ["name": "app", "ready": true, "restartCount": 2], ["name": "sidecar", "ready": false, "restartCount": 0],
                        ],
                    ]
                ], contentType: "application/merge-patch+json")
            let pods = try await kubectl("get", "pods")
            let header = try #require(pods.split(separator: "\n").first)
            #expect(header.split(separator: " ") == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], "kubectl get pods printed: \(pods)")
            let row = pods.split(separator: "\n").dropFirst().first?.split(separator: " ")
            #expect(row?.prefix(4) == ["web", "1/2", "Running", "2"], "kubectl get pods printed: \(pods)")

            #expect(
                try await client.request(
                    .POST, "/api/v1/namespaces/default/configmaps", json: configMap("settings", data: ["a": "1", "b": "2"])
                ).status == 201)
            let configMaps = try await kubectl("get", "configmap", "settings")
            #expect(configMaps.split(separator: "\n").first?.split(separator: " ") == ["NAME", "DATA", "AGE"])
            #expect(configMaps.split(separator: "\n").dropFirst().first?.split(separator: " ").prefix(2) == ["settings", "2"])

            var crd = widgetCRD()
            crd[path: "spec", "versions"] = [
                [
                    "name": "v1", "served": true, "storage": true,
                    "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
                    "additionalPrinterColumns": [
                        ["name": "Size", "type": "integer", "jsonPath": ".spec.size"],
                        ["name": "Color", "type": "string", "jsonPath": ".spec.color"],
                        ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
                    ],
                ]
            ]
            #expect(try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: crd).status == 201)
            #expect(
                try await client.request(
                    .POST, "/apis/example.com/v1/namespaces/default/widgets",
                    json: [
                        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "gear"],
                        "spec": ["size": 7, "color": "teal"],
                    ]
                ).status == 201)
            let widgets = try await kubectl("get", "widgets")
            #expect(
                widgets.split(separator: "\n").first?.split(separator: " ") == ["NAME", "SIZE", "COLOR", "AGE"],
                "kubectl get widgets printed: \(widgets)")
            #expect(widgets.split(separator: "\n").dropFirst().first?.split(separator: " ").prefix(3) == ["gear", "7", "teal"])
        }
    }
}
