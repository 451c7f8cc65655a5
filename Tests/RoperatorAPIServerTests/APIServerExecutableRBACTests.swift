import Foundation
import RoperatorAPIServer
import Testing

/// `roperator-apiserver --authorization-mode=RBAC --token-auth-file FILE`, driven with kubectl.
@Suite("roperator-apiserver with RBAC", .serialized)
struct APIServerExecutableRBACTests {
    static let grantToTeam = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: cm-reader
        rules:
        - apiGroups: [""]
          resources: [configmaps]
          verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: team-b-reads
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: cm-reader
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: Group
          name: team-b
        """

    @Test func tokenFileUsersAreAuthorizedByRBAC() async throws {
        guard APIServerExecutableTests.executable != nil, let kubectl = installedKubectls.keys.max().flatMap({ installedKubectls[$0] })
        else {
            print("skipping: needs the roperator-apiserver build and a kubectl")
            return
        }
        let directory = try makeTemporaryDirectory("standalone-rbac")
        let tokenFile = directory.appendingPathComponent("tokens.csv")
        try "# token,user,uid,groups\nalice-token,alice,uid-1,\"team-a,team-b\"\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let (server, _) = try await APIServerExecutableTests.start(
            ["--tls", "--authorization-mode", "RBAC", "--token-auth-file", tokenFile.path, "--kubeconfig", kubeconfig],
            directory: directory)
        do {
            try await Self.exercise(kubectl: kubectl, kubeconfig: kubeconfig, directory: directory)
        } catch {
            server.signal(SIGTERM)
            _ = try? await server.wait(timeout: .seconds(20))
            throw error
        }
        server.signal(SIGTERM)
        #expect(try await server.wait(timeout: .seconds(20)) == 0)
    }

    static func exercise(kubectl: String, kubeconfig: String, directory: URL) async throws {
        // Alice's kubeconfig: the CA and her token, no client certificate.
        let adminConfig = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        let aliceConfig =
            adminConfig.split(separator: "\n")
            .filter { !$0.contains("client-certificate-data") && !$0.contains("client-key-data") && !$0.contains("token:") }
            .joined(separator: "\n") + "\n    token: alice-token\n"
        let aliceKubeconfig = directory.appendingPathComponent("alice").path
        try aliceConfig.write(toFile: aliceKubeconfig, atomically: true, encoding: .utf8)
        let admin = ["KUBECONFIG": kubeconfig, "HOME": directory.path]
        let alice = ["KUBECONFIG": aliceKubeconfig, "HOME": directory.appendingPathComponent("alice-home").path]

        let denied = try await run(kubectl, ["get", "configmaps"], environment: alice, directory: directory)
        #expect(denied.status != 0)
        #expect(
            denied.stderr.contains(
                #"configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default""#),
            "\(denied.stderr)")

        let manifest = directory.appendingPathComponent("rbac.yaml")
        try Self.grantToTeam.write(to: manifest, atomically: true, encoding: .utf8)
        let applied = try await run(kubectl, ["apply", "-f", manifest.path], environment: admin, directory: directory)
        #expect(applied.status == 0, "\(applied.stderr)")

        // The token file's groups column puts alice in team-b.
        let allowed = try await run(kubectl, ["get", "configmaps"], environment: alice, directory: directory)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let canI = try await run(kubectl, ["auth", "can-i", "delete", "configmaps"], environment: alice, directory: directory)
        #expect(canI.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "no")
    }

    @Test func badFlagValuesAreRefused() async throws {
        guard let binary = APIServerExecutableTests.executable else {
            print("skipping: build roperator-apiserver first (swift build)")
            return
        }
        let directory = try makeTemporaryDirectory("standalone-rbac-flags")
        let mode = try await run(binary, ["--authorization-mode", "ABAC"], directory: directory)
        #expect(mode.status != 0)
        #expect(mode.stderr.contains("--authorization-mode must be AlwaysAllow or RBAC"), "\(mode.stderr)")
        let tokenFile = directory.appendingPathComponent("tokens.csv")
        try "only-a-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let file = try await run(binary, ["--token-auth-file", tokenFile.path], directory: directory)
        #expect(file.status != 0)
        #expect(file.stderr.contains("tokens.csv:1: expected token,user,uid"), "\(file.stderr)")
    }
}
