import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// kubectl's typed commands on built-in kinds: generators, scale, set image, explain, auth can-i,
/// strategic patches and server-side apply, against the embedded server.
@Suite("kubectl on built-in kinds", .serialized)
struct KubectlBuiltInKindsTests {
    typealias Kubectl = KubectlTests.Kubectl

    static let deploymentYAML = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: applied
        spec:
          selector:
            matchLabels:
              app: applied
          template:
            metadata:
              labels:
                app: applied
            spec:
              containers:
              - name: web
                image: nginx:1.25
                ports:
                - containerPort: 80
                  name: http
                resources:
                  requests:
                    cpu: "0.5"
        """

    /// `create deployment` (JSON up to 1.31; 1.32 and later send protobuf), then the typed
    /// commands an operator's developer uses on it.
    @Test(arguments: [27, 31])
    func deploymentCommands(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try Kubectl(minor: minor, server: server)
            #expect(try await kubectl("create", "deployment", "web", "--image=nginx:1.25", "--port=80").contains("created"))
            let yaml = try await kubectl("get", "deployment", "web", "-o", "yaml")
            for line in [
                "imagePullPolicy: IfNotPresent", "progressDeadlineSeconds: 600", "revisionHistoryLimit: 10",
                "maxSurge: 25%", "terminationMessagePath: /dev/termination-log", "protocol: TCP",
                "schedulerName: default-scheduler", "dnsPolicy: ClusterFirst",
            ] {
                #expect(yaml.contains(line), "get -o yaml lacks \(line)")
            }
            #expect(try await kubectl("scale", "deployment", "web", "--replicas=3").contains("scaled"))
            #expect(try await kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}") == "3")
            #expect(try await kubectl("set", "image", "deployment/web", "nginx=nginx:1.26").contains("image updated"))
            #expect(
                try await kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}") == "nginx:1.26")
        }
    }

    @Test(arguments: [27, 33])
    func explainAuthPatchAndApply(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try Kubectl(minor: minor, server: server)
            let explainKind = try await kubectl("explain", "deployment")
            #expect(explainKind.contains("Deployment"), "explain deployment: \(explainKind)")
            #expect(explainKind.contains("spec"))
            let explainField = try await kubectl("explain", "pods.spec.containers.imagePullPolicy")
            #expect(explainField.contains("imagePullPolicy"), "explain field: \(explainField)")
            #expect(explainField.contains("string"))
            #expect(try await kubectl("explain", "configmap").contains("data"))

            // kubectl 1.32 and later send the reviews as protobuf and accept protobuf answers.
            #expect(try await kubectl("auth", "can-i", "create", "deployments").trimmingCharacters(in: .whitespacesAndNewlines) == "yes")
            #expect(try await kubectl("auth", "can-i", "--list").contains("*"))

            // Server-side apply twice with a changed list entry.
            #expect(try await kubectl("apply", "--server-side", "-f", "@input", input: Self.deploymentYAML).contains("serverside-applied"))
            let changed = Self.deploymentYAML.replacingOccurrences(of: "containerPort: 80", with: "containerPort: 8080")
            #expect(try await kubectl("apply", "--server-side", "-f", "@input", input: changed).contains("serverside-applied"))
            let applied = try JSONValue(parsing: try await kubectl("get", "deployment", "applied", "-o", "json"))
            let container = try #require(applied[path: "spec", "template", "spec", "containers"]?[0])
            #expect(container["ports"] == [["containerPort": 8080, "name": "http", "protocol": "TCP"]])
            #expect(container[path: "resources", "requests", "cpu"] == "500m")

            // Strategic patches of containers and ports by name and key.
            let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":9090,"name":"metrics"}]}]}}}}"#
            #expect(try await kubectl("patch", "deployment", "applied", "-p", patch).contains("patched"))
            let patched = try JSONValue(parsing: try await kubectl("get", "deployment", "applied", "-o", "json"))
            let ports = patched[path: "spec", "template", "spec", "containers"]?[0]?["ports"]?.arrayValue ?? []
            #expect(ports.compactMap { $0["containerPort"] } == [8080, 9090])

            // scale on a custom resource that declares the subresource.
            #expect(
                try await kubectl("apply", "-f", "@input", input: SubresourceAndReviewTests.scalableCRD().serialized()).contains("created"))
            try await waitUntil("the CRD is served") {
                try await kubectl("get", "widgets", expectSuccess: false).contains("No resources")
            }
            let widget = #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"replicas":1}}"#
            #expect(try await kubectl("apply", "-f", "@input", input: widget).contains("created"))
            #expect(try await kubectl("scale", "widget", "w", "--replicas=2").contains("scaled"))
            #expect(try await kubectl("get", "widget", "w", "-o", "jsonpath={.spec.replicas}") == "2")
        }
    }
}
