import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// kubectl 1.27 and 1.33 against the server with RBAC on: a restricted user's `auth can-i`,
/// `auth can-i --list` and a Forbidden error; and `--validate=warn` printing the server's warnings.
@Suite("kubectl with RBAC and field warnings", .serialized)
struct KubectlRBACTests {
    typealias Kubectl = KubectlTests.Kubectl

    static let aliceToken = "alice-token"

    static let aliceRBAC = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: cm-reader
          namespace: default
        rules:
        - apiGroups: [""]
          resources: [configmaps]
          verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: alice-reads
          namespace: default
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: Role
          name: cm-reader
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: User
          name: alice
        """

    /// Runs kubectl and returns everything (status, stdout, stderr), asserting nothing.
    static func call(_ kubectl: Kubectl, _ arguments: String...) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await run(
            kubectl.binary, arguments + ["--cache-dir", kubectl.directory.appendingPathComponent("cache").path],
            environment: kubectl.environment, directory: kubectl.directory)
    }

    @Test(arguments: [27, 33])
    func restrictedUserCanI(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        // TLS: kubectl sends a bearer token only over HTTPS.
        var configuration = EmbeddedAPIServer.Configuration(tls: true, authorization: .rbac)
        configuration.tokens = [Self.aliceToken: "alice"]
        try await withEmbeddedAPIServer(configuration) { server in
            let admin = try Kubectl(minor: minor, server: server)
            try await admin("apply", "-f", "@input", input: Self.aliceRBAC)
            #expect(try await admin("auth", "can-i", "create", "secrets").trimmingCharacters(in: .whitespacesAndNewlines) == "yes")

            let alice = try Kubectl(minor: minor, server: server)
            try server.kubeconfig(token: Self.aliceToken).write(toFile: alice.kubeconfig, atomically: true, encoding: .utf8)
            #expect(try await alice("auth", "can-i", "list", "configmaps").trimmingCharacters(in: .whitespacesAndNewlines) == "yes")
            let no = try await Self.call(alice, "auth", "can-i", "create", "configmaps")
            #expect(no.status == 1)
            #expect(no.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "no")
            let otherNamespace = try await Self.call(alice, "auth", "can-i", "list", "configmaps", "-n", "kube-system")
            #expect(otherNamespace.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "no")

            let list = try await alice("auth", "can-i", "--list")
            let lines = list.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            #expect(lines.contains { $0.hasPrefix("configmaps [] [] [get list watch]") }, "\(list)")
            #expect(lines.contains { $0.hasPrefix("selfsubjectaccessreviews.authorization.k8s.io [] [] [create]") }, "\(list)")
            #expect(!lines.contains { $0.hasPrefix("*.*") }, "alice holds no wildcard: \(list)")

            try await alice("get", "configmaps")
            let forbidden = try await Self.call(alice, "get", "secrets")
            #expect(forbidden.status != 0)
            #expect(
                forbidden.stderr.contains(
                    #"Error from server (Forbidden): secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "default""#
                ), "\(forbidden.stderr)")
        }
    }

    static let deploymentWithUnknownFields = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: warned
        spec:
          replicaz: 2
          selector:
            matchLabels: {app: warned}
          template:
            metadata:
              labels: {app: warned}
            spec:
              containers:
              - name: web
                image: nginx:1.25
                colour: blue
        """

    @Test(arguments: [27, 33])
    func validateWarnPrintsTheServersWarnings(minor: Int) async throws {
        guard installedKubectls[minor] != nil else {
            print("skipping: kubectl.1.\(minor) is not installed")
            return
        }
        try await withEmbeddedAPIServer { server in
            let kubectl = try Kubectl(minor: minor, server: server)
            let file = kubectl.directory.appendingPathComponent("warned.yaml")
            try Self.deploymentWithUnknownFields.write(to: file, atomically: true, encoding: .utf8)
            let created = try await Self.call(kubectl, "create", "--validate=warn", "-f", file.path)
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.contains("deployment.apps/warned created"))
            #expect(created.stderr.contains(#"Warning: unknown field "spec.replicaz""#), "\(created.stderr)")
            #expect(created.stderr.contains(#"Warning: unknown field "spec.template.spec.containers[0].colour""#), "\(created.stderr)")
            let stored = try JSONValue(parsing: try await kubectl("get", "deployment", "warned", "-o", "json"))
            #expect(stored[path: "spec", "replicaz"] == nil)
            #expect(stored[path: "spec", "replicas"] == 1)

            let strict = try await Self.call(kubectl, "create", "--validate=strict", "-f", file.path)
            #expect(strict.status != 0)
            #expect(strict.stderr.contains("unknown field \"spec.replicaz\""), "\(strict.stderr)")
        }
    }
}
