import Foundation
import Testing

/// Startup failures of a real operator executable read like a command-line tool's: `error:
/// <message>` on standard error and a non-zero status, not Swift's "Fatal error: Error raised at
/// top level" and a crash backtrace.
///
/// Needs the executables next to the test bundle: `swift build --build-tests` builds them.
@Suite("Startup errors of an operator executable")
struct StartupErrorProcessTests {
    /// A kubeconfig as a new user might get wrong: `certificate-authority-data` is base64, but of
    /// something that is not PEM.
    static let brokenKubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: \(Data("not a certificate".utf8).base64EncodedString())
        contexts:
        - name: dev
          context:
            cluster: dev
            user: me
        users:
        - name: me
          user:
            token: secret-token
        """

    @Test("a kubeconfig whose certificate-authority-data is not PEM: error: naming the field, status 1")
    func brokenKubeconfig() async throws {
        let children = try LeaderFailoverProcessTests.Children()
        defer { children.stopAll() }
        let kubeconfig = children.directory.appendingPathComponent("kubeconfig")
        try Self.brokenKubeconfig.write(to: kubeconfig, atomically: true, encoding: .utf8)
        let (status, stderr) = try await Self.run(children, ["echo-server"], environment: ["KUBECONFIG": kubeconfig.path])

        #expect(status == 1)
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "one line, no backtrace: \(stderr)")
        let line = try #require(lines.first.map(String.init))
        #expect(line.hasPrefix("error: \(kubeconfig.path): "))
        #expect(line.contains("cluster \"dev\""))
        #expect(line.contains("field \"certificate-authority-data\" does not hold PEM data"))
        #expect(!stderr.contains("Fatal error"))
        #expect(!stderr.contains("secret-token"))
    }

    @Test("an unknown option: error: naming it, then the usage, status 2")
    func unknownOption() async throws {
        let children = try LeaderFailoverProcessTests.Children()
        defer { children.stopAll() }
        let (status, stderr) = try await Self.run(children, ["echo-server", "--no-such-option"])

        #expect(status == 2)
        #expect(stderr.hasPrefix("error: unknown option --no-such-option\n"))
        #expect(stderr.contains("--embedded"))
    }

    /// Runs the example executable `command[0]` with the rest as arguments until it exits.
    ///
    /// - Returns: its exit status and standard error.
    static func run(
        _ children: LeaderFailoverProcessTests.Children, _ command: [String], environment: [String: String] = [:]
    ) async throws -> (status: Int32, stderr: String) {
        let executable = try #require(
            LeaderFailoverProcessTests.executable(command[0]), "build the executables first: swift build --build-tests")
        let index = try await children.start(executable, Array(command.dropFirst()), environment: environment)
        let status = try #require(
            try await children.waitForExit(index, timeout: .seconds(30)),
            "\(command[0]) still running after 30 s: \(children.output(index).stderr)")
        return (status, children.output(index).stderr)
    }
}
