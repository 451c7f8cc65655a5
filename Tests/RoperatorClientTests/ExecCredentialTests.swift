import Foundation
import RoperatorClient
import Testing

@Suite struct ExecCredentialTests {
    /// A plugin that counts its runs in `count`, records its arguments and `KUBERNETES_EXEC_INFO`,
    /// and returns `tok-<run>` with the expiration written in `expiry` (if any).
    static let plugin = """
        #!/bin/sh
        dir="$(dirname "$0")"
        n=$(cat "$dir/count" 2>/dev/null || echo 0)
        n=$((n + 1))
        echo "$n" > "$dir/count"
        echo "$*" > "$dir/args"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/info"
        if [ -f "$dir/fail" ]; then echo "login failed: $(cat "$dir/fail")" >&2; exit 3; fi
        exp=""
        if [ -f "$dir/expiry" ]; then exp=",\\"expirationTimestamp\\":\\"$(cat "$dir/expiry")\\""; fi
        printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s"%s}}' "$API_VERSION" "$n" "$exp"
        """

    let dir: ConfigTestDirectory
    let command: String

    init() throws {
        dir = try ConfigTestDirectory()
        command = try dir.write("plugin.sh", Self.plugin, executable: true)
    }

    func provider(
        apiVersion: String = "client.authentication.k8s.io/v1", outputVersion: String? = nil,
        cluster: ExecCredentialProvider.ClusterInfo? = nil
    ) -> ExecCredentialProvider {
        ExecCredentialProvider(
            config: .init(
                command: command, args: ["--region", "eu"],
                env: [.init(name: "API_VERSION", value: outputVersion ?? apiVersion)],
                apiVersion: apiVersion
            ),
            cluster: cluster
        )
    }

    func runs() throws -> Int { Int(try dir.read("count").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }

    @Test func cachesUntilRefresh() async throws {
        let provider = provider()
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-1")
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-1")
        #expect(try runs() == 1)
        #expect(await provider.runCount == 1)
        #expect(try dir.read("args") == "--region eu\n")
        let info = try JSONValue(parsing: dir.read("info"))
        #expect(info == ["apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "spec": ["interactive": false]])

        // After a 401 the caller asks for a refresh: the plugin runs again.
        #expect(try await provider.authorization(refresh: true) == "Bearer tok-2")
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-2")
        #expect(try runs() == 2)
    }

    @Test func expiryCausesRerun() async throws {
        let provider = provider(apiVersion: "client.authentication.k8s.io/v1beta1")
        try dir.write("expiry", "2001-01-01T00:00:00Z")
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-1")
        // Already expired: the next request runs the plugin again.
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-2")
        try dir.write("expiry", "2999-01-01T00:00:00.123Z")
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-3")
        // Valid until 2999: cached.
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-3")
        #expect(try runs() == 3)
    }

    @Test func concurrentRequestsShareOneRun() async throws {
        let provider = provider()
        let headers = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.authorization(refresh: false) } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(Set(headers) == ["Bearer tok-1"])
        #expect(try runs() == 1)
    }

    @Test func clusterInfoIsPassed() async throws {
        let provider = provider(
            cluster: .init(
                server: "https://10.0.0.1:6443", certificateAuthorityPEM: Array("PEM".utf8), tlsServerName: "api", config: ["audience": "x"]
            ))
        _ = try await provider.authorization(refresh: false)
        let info = try JSONValue(parsing: dir.read("info"))
        #expect(
            info[path: "spec", "cluster"] == [
                "server": "https://10.0.0.1:6443", "certificate-authority-data": "UEVN", "tls-server-name": "api",
                "config": ["audience": "x"],
            ])
    }

    @Test func failureCarriesStderrButNotTheToken() async throws {
        let provider = provider()
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-1")
        try dir.write("fail", "account locked")
        let error = await #expect(throws: CredentialError.self) { try await provider.authorization(refresh: true) }
        #expect(error?.description == "exec plugin \"\(command)\": exited with status 3: login failed: account locked")
        #expect(error.map { !$0.description.contains("tok-") } == true)
        // A failed run drops the cached credential, so the next request tries again.
        try FileManager.default.removeItem(atPath: dir.path + "/fail")
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-3")
    }

    @Test func mismatchedAPIVersionIsRejected() async throws {
        let provider = provider(apiVersion: "client.authentication.k8s.io/v1", outputVersion: "client.authentication.k8s.io/v1beta1")
        let error = await #expect(throws: CredentialError.self) { try await provider.authorization(refresh: false) }
        #expect(
            error?.reason.contains(
                #"apiVersion "client.authentication.k8s.io/v1beta1", but the kubeconfig asks for "client.authentication.k8s.io/v1""#)
                == true)
        #expect(error.map { !$0.description.contains("tok-") } == true)
    }

    @Test func malformedOutputReportsWithoutContents() async throws {
        let script = try dir.write("bad.sh", "#!/bin/sh\necho 'SECRET-TOKEN not json'\n", executable: true)
        let provider = ExecCredentialProvider(config: .init(command: script))
        let error = await #expect(throws: CredentialError.self) { try await provider.authorization(refresh: false) }
        #expect(error?.reason.hasPrefix("its output is not an ExecCredential: invalid JSON at byte") == true)
        #expect(error.map { !$0.description.contains("SECRET") } == true)
    }

    @Test func clientCertificateFromPlugin() async throws {
        let certificate = TestPEM.certificate.replacingOccurrences(of: "\n", with: "\\n")
        let key = TestPEM.key.replacingOccurrences(of: "\n", with: "\\n")
        let script = try dir.write(
            "cert.sh",
            """
            #!/bin/sh
            cat <<'JSON'
            {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"\(certificate)","clientKeyData":"\(key)"}}
            JSON
            """, executable: true)
        let provider = ExecCredentialProvider(config: .init(command: script))
        #expect(try await provider.authorization(refresh: false) == nil)
        let pair = try #require(try await provider.clientCertificate())
        #expect(pair.certificatePEM == Array(TestPEM.certificate.utf8))
        #expect(pair.keyPEM == Array(TestPEM.key.utf8))
        #expect(await provider.runCount == 1)
    }

    @Test func missingCommandShowsInstallHint() async throws {
        let provider = ExecCredentialProvider(
            config: .init(command: "roperator-no-such-plugin", installHint: "Install it with: brew install thing"),
            environment: ["PATH": dir.path]
        )
        let error = await #expect(throws: CredentialError.self) { try await provider.authorization(refresh: false) }
        #expect(error?.reason == "\"roperator-no-such-plugin\" was not found in PATH\nInstall it with: brew install thing")
    }

    @Test func pluginFoundInPath() async throws {
        let provider = ExecCredentialProvider(
            config: .init(command: "plugin.sh", env: [.init(name: "API_VERSION", value: "client.authentication.k8s.io/v1")]),
            environment: ["PATH": "/nonexistent:" + dir.path]
        )
        #expect(try await provider.authorization(refresh: false) == "Bearer tok-1")
    }

    @Test func hungPluginIsKilledAfterTimeout() async throws {
        // Sleeps far longer than the (scaled) bound below: only the timeout's kill ends it in time.
        let script = try dir.write("hang.sh", "#!/bin/sh\necho 'waiting for browser login' >&2\nexec sleep 600\n", executable: true)
        let provider = ExecCredentialProvider(config: .init(command: script), timeout: .milliseconds(300))
        let started = ContinuousClock.now
        let error = await #expect(throws: CredentialError.self) { try await provider.authorization(refresh: false) }
        #expect(error?.reason.hasPrefix("was killed by signal 9") == true, "\(String(describing: error))")
        #expect(error?.reason.contains("waiting for browser login") == true)
        #expect(ContinuousClock.now - started < TimeoutScale.scaled(.seconds(10)))
    }
}
