import Foundation
import RoperatorClient
import Testing

/// A fresh directory under the system temporary directory, removed when the test's scope ends.
final class ConfigTestDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "roperator-model-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` (creating subdirectories) and returns the absolute path.
    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
        }
        return file
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }
}

enum TestPEM {
    static let certificate = "-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n"
    static let key = "-----BEGIN PRIVATE KEY-----\nSECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n"
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}

@Suite struct KubeconfigTests {
    static func kubeconfig(cluster: String = "", user: String, context: String = "", current: String = "dev") -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: \(current)
        clusters:
        - name: c1
          cluster:
            server: https://10.1.2.3:6443/
            certificate-authority-data: \(TestPEM.base64(TestPEM.certificate))
        \(cluster)
        contexts:
        - name: dev
          context:
            cluster: c1
            user: bob
            namespace: team-a
        \(context)
        users:
        - name: bob
          user:
        \(user)
        """
    }

    @Test func bearerTokenWithCertificateAuthorityData() async throws {
        let config = try Kubeconfig(yaml: Self.kubeconfig(user: "    token: SECRET-TOKEN-1"), file: "/x/config")
        #expect(config.currentContext == "dev")
        #expect(config.contextNames == ["dev"])
        let client = try config.clientConfiguration()
        #expect(client.server == "https://10.1.2.3:6443")
        #expect(client.namespace == "team-a")
        #expect(client.tls.certificateAuthorityPEM == Array(TestPEM.certificate.utf8))
        #expect(client.tls.insecureSkipVerify == false)
        #expect(try await client.credentials?.authorization(refresh: false) == "Bearer SECRET-TOKEN-1")
        #expect(client.impersonation == nil)
        // Nothing that describes the configuration shows the token.
        #expect(!"\(config)".contains("SECRET"))
        #expect(!"\(config.users["bob"]!)".contains("SECRET"))
        #expect(!String(reflecting: config.users["bob"]!).contains("SECRET"))
        #expect(!"\(client.credentials!)".contains("SECRET"))
    }

    @Test func tokenFileAndRelativePaths() async throws {
        let dir = try ConfigTestDirectory()
        try dir.write("secrets/token", "file-token\n")
        try dir.write("pki/ca.crt", TestPEM.certificate)
        try dir.write("pki/client.crt", TestPEM.certificate)
        try dir.write("pki/client.key", TestPEM.key)
        let path = try dir.write(
            "kube/config",
            """
            clusters:
            - name: c
              cluster:
                server: https://example.test
                certificate-authority: ../pki/ca.crt
                tls-server-name: api.internal
            users:
            - name: u
              user:
                tokenFile: ../secrets/token
                client-certificate: ../pki/client.crt
                client-key: ../pki/client.key
            contexts:
            - name: ctx
              context: {cluster: c, user: u}
            current-context: ctx
            """)
        let config = try Kubeconfig.load(path: path)
        #expect(config.users["u"]?.tokenFile == dir.path + "/kube/../secrets/token")
        let client = try config.clientConfiguration()
        #expect(client.namespace == "default")
        #expect(client.tls.serverName == "api.internal")
        #expect(client.tls.certificateAuthorityPEM == Array(TestPEM.certificate.utf8))
        #expect(client.tls.clientCertificatePEM == Array(TestPEM.certificate.utf8))
        #expect(client.tls.clientKeyPEM == Array(TestPEM.key.utf8))
        #expect(try await client.credentials?.authorization(refresh: false) == "Bearer file-token")
    }

    @Test func basicAuth() async throws {
        let config = try Kubeconfig(yaml: Self.kubeconfig(user: "    username: admin\n    password: SECRET-PW"))
        let client = try config.clientConfiguration()
        let expected = "Basic " + Data("admin:SECRET-PW".utf8).base64EncodedString()
        #expect(try await client.credentials?.authorization(refresh: false) == expected)
        #expect(!"\(client.credentials!)".contains("SECRET"))
    }

    @Test func clientCertificateData() throws {
        let user =
            "    client-certificate-data: \(TestPEM.base64(TestPEM.certificate))\n    client-key-data: \(TestPEM.base64(TestPEM.key))"
        let client = try Kubeconfig(yaml: Self.kubeconfig(user: user)).clientConfiguration()
        #expect(client.tls.clientCertificatePEM == Array(TestPEM.certificate.utf8))
        #expect(client.tls.clientKeyPEM == Array(TestPEM.key.utf8))
        #expect(client.credentials == nil)
    }

    @Test func insecureAndAnonymous() throws {
        let yaml = """
            clusters:
            - name: c
              cluster: {server: "http://127.0.0.1:8080", insecure-skip-tls-verify: true}
            contexts:
            - name: a
              context: {cluster: c, namespace: "2024"}
            """
        let client = try Kubeconfig(yaml: yaml).clientConfiguration(context: "a")
        #expect(client.server == "http://127.0.0.1:8080")
        #expect(client.tls.insecureSkipVerify)
        #expect(client.namespace == "2024")
        #expect(client.credentials == nil)
    }

    @Test func impersonation() throws {
        let user = """
                token: t
                as: alice
                as-uid: "1234"
                as-groups: [devs, ops]
                as-user-extra:
                  scopes: [view, edit]
            """
        let client = try Kubeconfig(yaml: Self.kubeconfig(user: user)).clientConfiguration()
        #expect(
            client.impersonation
                == ClientConfiguration.Impersonation(
                    user: "alice", uid: "1234", groups: ["devs", "ops"], extra: ["scopes": ["view", "edit"]]))
    }

    @Test func execPluginIsConfigured() async throws {
        let dir = try ConfigTestDirectory()
        try dir.write(
            "bin/plugin",
            """
            #!/bin/sh
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"exec-%s"}}' "$1"
            """, executable: true)
        let path = try dir.write(
            "config",
            Self.kubeconfig(
                user: """
                        exec:
                          apiVersion: client.authentication.k8s.io/v1beta1
                          command: ./bin/plugin
                          args: [abc]
                          env:
                          - {name: FOO, value: bar}
                          provideClusterInfo: true
                    """))
        let config = try Kubeconfig.load(path: path)
        let exec = try #require(config.users["bob"]?.exec)
        #expect(exec.command == dir.path + "/./bin/plugin")
        #expect(exec.env == [.init(name: "FOO", value: "bar")])
        let client = try config.clientConfiguration()
        let provider = try #require(client.credentials as? ExecCredentialProvider)
        #expect(provider.cluster?.server == "https://10.1.2.3:6443")
        #expect(try await provider.authorization(refresh: false) == "Bearer exec-abc")
    }

    @Test func mergesKubeconfigListLikeKubectl() throws {
        let dir = try ConfigTestDirectory()
        let first = try dir.write(
            "one",
            """
            clusters:
            - name: shared
              cluster: {server: "https://first"}
            contexts:
            - name: a
              context: {cluster: shared, namespace: from-first}
            """)
        let second = try dir.write(
            "two",
            """
            current-context: b
            clusters:
            - name: shared
              cluster: {server: "https://second"}
            - name: only-second
              cluster: {server: "https://only-second"}
            contexts:
            - name: a
              context: {cluster: only-second, namespace: from-second}
            - name: b
              context: {cluster: only-second}
            """)
        let third = try dir.write("three", "current-context: a\n")
        let environment = ["KUBECONFIG": "\(first):\(dir.path)/missing::\(second):\(third)", "HOME": dir.path]
        let config = try Kubeconfig.load(environment: environment)
        #expect(config.files == [first, second, third])
        #expect(config.currentContext == "b") // first file that sets it
        #expect(config.clusters["shared"]?.server == "https://first")
        #expect(config.contexts["a"]?.namespace == "from-first")
        #expect(try config.clientConfiguration().server == "https://only-second")
        #expect(try config.clientConfiguration(context: "a").server == "https://first")
    }

    @Test func defaultsToHomeKubeConfig() throws {
        let dir = try ConfigTestDirectory()
        try dir.write(
            ".kube/config",
            "clusters:\n- name: c\n  cluster: {server: 'https://home'}\ncontexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x\n"
        )
        let config = try Kubeconfig.load(environment: ["HOME": dir.path])
        #expect(try config.clientConfiguration().server == "https://home")
        let missing = #expect(throws: KubeconfigError.self) {
            try Kubeconfig.load(environment: ["KUBECONFIG": dir.path + "/nope"])
        }
        #expect(missing?.reason.contains("none of the files") == true)
    }

    /// (user lines, extra cluster lines, extra context lines, current context, expected message)
    static let malformed: [(String, String, String, String, String)] = [
        (
            "    client-certificate-data: \(TestPEM.base64(TestPEM.certificate))\n    client-key-data: SECRET!!notbase64",
            "", "", "dev",
            #"/x/config: context "dev": user "bob": field "client-key-data" is not valid base64"#
        ),
        (
            "    client-certificate-data: \(TestPEM.base64(TestPEM.certificate))", "", "", "dev",
            #"/x/config: context "dev": user "bob": field "client-key" is missing (a client certificate is set)"#
        ),
        (
            "    client-certificate-data: \(TestPEM.base64("SECRET not pem"))\n    client-key-data: \(TestPEM.base64(TestPEM.key))", "", "",
            "dev",
            #"/x/config: context "dev": user "bob": field "client-certificate-data" does not hold PEM data"#
        ),
        (
            "    token: SECRET-T\n    username: u\n    password: SECRET-P", "", "", "dev",
            #"/x/config: context "dev": user "bob": more than one authentication method is set (token, basic auth); only one is allowed"#
        ),
        (
            "    username: u", "", "", "dev",
            #"/x/config: context "dev": user "bob": field "password" is missing (a username is set)"#
        ),
        (
            "    token: [SECRET]", "", "", "dev",
            #"/x/config: user "bob": field "token" must be a string"#
        ),
        (
            "    token: SECRET\n    as-groups: [a]", "", "", "dev",
            #"/x/config: context "dev": user "bob": field "as" is missing (as-uid, as-groups or as-user-extra is set, and they need a user to impersonate)"#
        ),
        (
            "    auth-provider: {name: gcp, config: {access-token: SECRET}}", "", "", "dev",
            #"/x/config: context "dev": user "bob": field "auth-provider" names the legacy provider "gcp", which is not supported; use an exec credential plugin"#
        ),
        (
            "    exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}", "", "", "dev",
            #"/x/config: user "bob": field "exec.apiVersion" is "client.authentication.k8s.io/v1alpha1"; supported: client.authentication.k8s.io/v1, client.authentication.k8s.io/v1beta1"#
        ),
        (
            "    exec: {apiVersion: client.authentication.k8s.io/v1}", "", "", "dev",
            #"/x/config: user "bob": field "exec.command" is missing"#
        ),
        (
            "    tokenFile: /nonexistent/SECRET", "", "", "dev",
            #"/x/config: context "dev": user "bob": field "tokenFile" cannot stat "/nonexistent/SECRET": No such file or directory"#
        ),
        (
            "    token: SECRET", "", "- name: other\n  context: {cluster: c1, user: nobody}", "other",
            #"/x/config: context "other": field "user" names "nobody", which is not defined"#
        ),
        (
            "    token: SECRET", "", "- name: other\n  context: {cluster: missing, user: bob}", "other",
            #"/x/config: context "other": field "cluster" names "missing", which is not defined"#
        ),
        (
            "    token: SECRET", "", "- name: other\n  context: {user: bob}", "other",
            #"/x/config: context "other": field "cluster" is missing"#
        ),
        (
            "    token: SECRET", "- name: c2\n  cluster: {insecure-skip-tls-verify: true}",
            "- name: other\n  context: {cluster: c2, user: bob}", "other",
            #"/x/config: context "other": cluster "c2": field "server" is missing"#
        ),
        (
            "    token: SECRET", "- name: c2\n  cluster: {server: 10.0.0.1:6443}", "- name: other\n  context: {cluster: c2, user: bob}",
            "other",
            #"/x/config: context "other": cluster "c2": field "server" is "10.0.0.1:6443", which is not an http:// or https:// URL"#
        ),
        (
            "    token: SECRET", "- name: c2\n  cluster: {server: 'https://a', certificate-authority: /nonexistent/ca.crt}",
            "- name: other\n  context: {cluster: c2, user: bob}", "other",
            #"/x/config: context "other": cluster "c2": field "certificate-authority" cannot read "/nonexistent/ca.crt": No such file or directory"#
        ),
        (
            "    token: SECRET",
            "- name: c2\n  cluster: {server: 'https://a', insecure-skip-tls-verify: true, certificate-authority-data: \(TestPEM.base64(TestPEM.certificate))}",
            "- name: other\n  context: {cluster: c2, user: bob}", "other",
            #"/x/config: context "other": cluster "c2": field "insecure-skip-tls-verify" cannot be combined with a certificate authority"#
        ),
        (
            "    token: SECRET", "", "", "nope",
            #"/x/config: context "nope" is not defined (defined: "dev")"#
        ),
        (
            "    token: SECRET", "- cluster: {server: 'https://a'}", "", "dev",
            #"/x/config: field "clusters[1].name" is missing"#
        ),
        (
            "    token: SECRET", "- name: c2\n  cluster: {server: 'https://a', insecure-skip-tls-verify: maybe}", "", "dev",
            #"/x/config: cluster "c2": field "insecure-skip-tls-verify" must be true or false"#
        ),
        (
            "    token: SECRET",
            "- name: c2\n  cluster: {server: 'https://a', certificate-authority-data: \(TestPEM.base64("SECRET not pem"))}",
            "- name: other\n  context: {cluster: c2, user: bob}", "other",
            #"/x/config: context "other": cluster "c2": field "certificate-authority-data" does not hold PEM data"#
        ),
        (
            "    token: SECRET", "- name: c2\n  cluster: {server: 'https://a', certificate-authority-data: '%%%'}",
            "- name: other\n  context: {cluster: c2, user: bob}", "other",
            #"/x/config: context "other": cluster "c2": field "certificate-authority-data" is not valid base64"#
        ),
        (
            "    client-certificate-data: \(TestPEM.base64(TestPEM.certificate))\n    client-key-data: \(TestPEM.base64("SECRET not pem"))",
            "", "", "dev",
            #"/x/config: context "dev": user "bob": field "client-key-data" does not hold PEM data"#
        ),
        (
            "    token: SECRET", "- name: c2\n  cluster: {server: 'https://'}", "- name: other\n  context: {cluster: c2, user: bob}",
            "other",
            #"/x/config: context "other": cluster "c2": field "server" is "https://", which has no host"#
        ),
    ]

    @Test(arguments: malformed)
    func malformedConfigNamesFileContextAndField(user: String, cluster: String, context: String, current: String, expected: String) {
        let yaml = Self.kubeconfig(cluster: cluster, user: user, context: context, current: current)
        let error = #expect(throws: KubeconfigError.self) {
            try Kubeconfig(yaml: yaml, file: "/x/config").clientConfiguration()
        }
        #expect(error?.description == expected)
        #expect(error.map { !$0.description.contains("SECRET") || expected.contains("SECRET") } == true)
    }

    @Test func invalidYAMLNamesFileAndLine() {
        let error = #expect(throws: KubeconfigError.self) {
            try Kubeconfig(yaml: "clusters:\n- name: c\n  cluster: {server: [\ntoken: SECRET", file: "/x/config")
        }
        #expect(error?.file == "/x/config")
        #expect(error?.description.hasPrefix("/x/config: invalid YAML at line") == true)
        #expect(error.map { !$0.description.contains("SECRET") } == true)
    }

    @Test func noCurrentContext() {
        let error = #expect(throws: KubeconfigError.self) {
            try Kubeconfig(yaml: "clusters: []", file: "/x/config").clientConfiguration()
        }
        #expect(error?.description == "/x/config: no context was given and current-context is not set")
    }

    @Test func unreadableFileIsNamed() {
        let error = #expect(throws: KubeconfigError.self) { try Kubeconfig.load(path: "/nonexistent/kubeconfig") }
        #expect(error?.description == #"/nonexistent/kubeconfig: cannot read "/nonexistent/kubeconfig": No such file or directory"#)
    }

    @Test func execConfigDescriptionHidesEnvironmentValues() throws {
        let user = """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: get-token
                  env: [{name: API_KEY, value: SECRET-KEY}]
            """
        let config = try Kubeconfig(yaml: Self.kubeconfig(user: user))
        let exec = try #require(config.users["bob"]?.exec)
        #expect("\(exec)" == "ExecConfig(command: get-token, apiVersion: client.authentication.k8s.io/v1, env: [\"API_KEY\"])")
        let provider = try #require(try config.clientConfiguration().credentials)
        #expect(!"\(provider)".contains("SECRET"))
        #expect(config.users["bob"]?.fieldsSet == ["exec"])
    }
}
