import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// kubectl 1.33 sends built-in objects as protobuf and asks for protobuf answers.
@Suite("kubectl with protobuf", .serialized)
struct KubectlProtobufTests {
    static let minor = 33

    @Test func imperativeCreatesOfBuiltInKinds() async throws {
        guard installedKubectls[Self.minor] != nil else {
            print("skipping: kubectl.1.\(Self.minor) is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try KubectlTests.Kubectl(minor: Self.minor, server: server)
            #expect(
                try await kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2").contains("deployment.apps/web created"))
            let deployments = try JSONValue(yaml: try await kubectl("get", "deployments", "-o", "yaml"))
            let deployment = try #require(deployments["items"]?[0])
            #expect(deployment[path: "spec", "template", "spec", "containers"]?[0]?["image"] == "nginx")
            #expect(deployment[path: "spec", "replicas"] == 2)
            #expect(deployment[path: "spec", "selector", "matchLabels", "app"] == "web")

            #expect(try await kubectl("create", "service", "clusterip", "web", "--tcp=80:8080").contains("service/web created"))
            let service = try JSONValue(parsing: try await kubectl("get", "service", "web", "-o", "json"))
            #expect(service[path: "spec", "ports"]?[0]?["targetPort"] == 8080)
            #expect(service[path: "spec", "ports"]?[0]?["port"] == 80)

            #expect(try await kubectl("create", "job", "once", "--image=busybox", "--", "true").contains("job.batch/once created"))
            #expect(
                try await kubectl("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *").contains(
                    "cronjob.batch/tick created"))
            let cronJob = try JSONValue(parsing: try await kubectl("get", "cronjob", "tick", "-o", "json"))
            #expect(cronJob[path: "spec", "schedule"] == "*/5 * * * *")
            #expect(
                try await kubectl("create", "role", "reader", "--verb=get,list", "--resource=pods").contains(
                    "role.rbac.authorization.k8s.io/reader created"))
            #expect(
                try await kubectl("create", "rolebinding", "read", "--role=reader", "--user=alice").contains(
                    "rolebinding.rbac.authorization.k8s.io/read created"))
            let binding = try JSONValue(parsing: try await kubectl("get", "rolebinding", "read", "-o", "json"))
            #expect(binding[path: "roleRef", "name"] == "reader")
            #expect(binding["subjects"]?[0]?["name"] == "alice")
        }
    }

    /// `-v=8` shows that the request body and the answer were protobuf.
    @Test func requestAndAnswerAreProtobuf() async throws {
        guard installedKubectls[Self.minor] != nil else {
            print("skipping: kubectl.1.\(Self.minor) is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try KubectlTests.Kubectl(minor: Self.minor, server: server)
            let log = try await kubectl("create", "deployment", "logged", "--image=nginx", "-v=8", expectSuccess: false)
            #expect(log.contains("deployment.apps/logged created"), "\(log)")
            let contentTypes = log.split(separator: "\n").filter { $0.contains("Content-Type: application/vnd.kubernetes.protobuf") }
            // One in the request's headers, one in the answer's.
            #expect(contentTypes.count >= 2, "\(log)")
        }
    }

    /// client-go decodes a list and a watch stream answered in protobuf: `kubectl drain` lists the
    /// node's pods with the typed client, and `kubectl run --attach` watches its pod until it runs.
    @Test func listAndWatchDecodedByClientGo() async throws {
        guard installedKubectls[Self.minor] != nil else {
            print("skipping: kubectl.1.\(Self.minor) is not installed")
            return
        }
        try await withTestServer { server, client in
            let kubectl = try KubectlTests.Kubectl(minor: Self.minor, server: server)
            let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1"]]
            #expect(try await client.request(.POST, "/api/v1/nodes", json: node).status == 201)
            let pod: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p1"],
                "spec": ["nodeName": "n1", "containers": [["name": "c", "image": "busybox", "resources": ["requests": ["cpu": "100m"]]]]],
            ]
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/pods", json: pod).status == 201)
            let drain = try await kubectl("drain", "n1", "--force", "--dry-run=client", "-v=8", expectSuccess: false)
            #expect(drain.contains("evicting pod default/p1"), "\(drain)")
            #expect(drain.contains("Content-Type: application/vnd.kubernetes.protobuf"), "\(drain)")

            let run = try kubectl.start(
                "run", "attached", "--image=busybox", "--restart=Never", "--attach", "--pod-running-timeout=30s", "-v=8")
            try await waitUntil("kubectl run watches its pod") {
                run.stderr.contains("stream=watch") || !run.process.isRunning
            }
            #expect(run.stderr.contains("Content-Type: application/vnd.kubernetes.protobuf;stream=watch"), "\(run.stderr)")
            _ = try await client.request(
                .PATCH, "/api/v1/namespaces/default/pods/attached/status",
                json: ["status": ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]]],
                contentType: "application/merge-patch+json")
            // Seeing the pod running and ready (from the watch event), kubectl goes on to attach, which this server does not serve.
            try await waitUntil("kubectl sees the pod running") {
                run.stderr.contains("pods/attached/attach") || !run.process.isRunning
            }
            #expect(run.stderr.contains("pods/attached/attach"), "\(run.stderr)")
            if run.process.isRunning { run.process.terminate() }
            _ = try await run.wait()
        }
    }
}
