import Dispatch
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Credentials from an exec plugin (kubeconfig `user.exec`, `client.authentication.k8s.io/v1` and
/// `v1beta1`): runs the command, reads an `ExecCredential` from its stdout and caches the token or
/// client certificate until `status.expirationTimestamp` (or, without one, until the server
/// rejects it). The plugin runs again on expiry and on `refresh: true`; concurrent requests share
/// one run.
///
/// The plugin gets the current environment plus the configured `env` and
/// `KUBERNETES_EXEC_INFO` (the `ExecCredential` request, with the cluster when
/// `provideClusterInfo` is set). Its stdin is empty: plugins never get a terminal here.
/// Errors carry the exit status and stderr, never stdout (which holds the credential).
///
/// - warning: A run that exceeds `timeout` is killed with SIGKILL. If the plugin left a background
///   child holding its stdout or stderr open, the run still waits for that child to close them
///   (as client-go does without `WaitDelay`).
///
/// ```swift
/// let provider = ExecCredentialProvider(config: .init(command: "aws", args: ["eks", "get-token"]))
/// let header = try await provider.authorization(refresh: false)
/// ```
public actor ExecCredentialProvider: CredentialProvider, CustomStringConvertible {
    /// The cluster details passed to plugins that ask for them (`provideClusterInfo`).
    public struct ClusterInfo: Sendable, Hashable {
        /// The API server URL.
        public var server: String
        /// The PEM CA bundle the client trusts, sent base64-encoded.
        public var certificateAuthorityPEM: [UInt8]?
        /// Whether server certificate verification is off.
        public var insecureSkipTLSVerify: Bool
        /// The name verified in the server certificate.
        public var tlsServerName: String?
        /// The proxy URL from the kubeconfig.
        public var proxyURL: String?
        /// The cluster's `client.authentication.k8s.io/exec` extension.
        public var config: JSONValue?

        /// Creates a value from its parts; see the properties for their meaning.
        public init(
            server: String,
            certificateAuthorityPEM: [UInt8]? = nil,
            insecureSkipTLSVerify: Bool = false,
            tlsServerName: String? = nil,
            proxyURL: String? = nil,
            config: JSONValue? = nil
        ) {
            self.server = server
            self.certificateAuthorityPEM = certificateAuthorityPEM
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
            self.proxyURL = proxyURL
            self.config = config
        }
    }

    /// What one run of the plugin produced.
    struct Credential: Sendable {
        var token: String?
        var certificatePEM: [UInt8]?
        var keyPEM: [UInt8]?
        var expiration: Date?
    }

    /// The plugin configuration.
    public nonisolated let config: Kubeconfig.ExecConfig
    /// The cluster passed in `KUBERNETES_EXEC_INFO`, when the plugin asked for it.
    public nonisolated let cluster: ClusterInfo?
    /// How long one run may take before the plugin is killed.
    public nonisolated let timeout: Duration
    private nonisolated let baseEnvironment: [String: String]
    private var cached: Credential?
    private var inFlight: Task<Credential, any Error>?
    private var runs = 0

    /// - Parameters:
    ///   - config: The plugin to run.
    ///   - cluster: Cluster details for `KUBERNETES_EXEC_INFO`, or `nil` to send none.
    ///   - environment: The environment the plugin inherits (the configured `env` is added to it).
    ///   - timeout: How long one run may take.
    public init(
        config: Kubeconfig.ExecConfig,
        cluster: ClusterInfo? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Duration = .seconds(60)
    ) {
        self.config = config
        self.cluster = cluster
        self.baseEnvironment = environment
        self.timeout = timeout
    }

    /// `Bearer <token>` when the plugin returned a token, `nil` when it returned only a client certificate.
    ///
    /// - Throws: ``CredentialError`` when the plugin cannot be run, fails, or prints something
    ///   other than a valid `ExecCredential`.
    public func authorization(refresh: Bool) async throws -> String? {
        try await credential(refresh: refresh).token.map { "Bearer " + $0 }
    }

    /// The client certificate and key the plugin returned, if any.
    public func clientCertificate() async throws -> (certificatePEM: [UInt8], keyPEM: [UInt8])? {
        let credential = try await credential(refresh: false)
        guard let certificate = credential.certificatePEM, let key = credential.keyPEM else { return nil }
        return (certificate, key)
    }

    /// How many times the plugin has been started (for diagnostics and tests).
    public var runCount: Int { runs }

    /// A summary that never shows secret values.
    public nonisolated var description: String { "ExecCredentialProvider(\(config))" }

    private func credential(refresh: Bool) async throws -> Credential {
        if let inFlight { return try await inFlight.value }
        if !refresh, let cached, cached.expiration.map({ Date() < $0 }) ?? true { return cached }
        runs += 1
        let task = Task { [config, cluster, baseEnvironment, timeout] in
            try await Self.run(config: config, cluster: cluster, environment: baseEnvironment, timeout: timeout)
        }
        inFlight = task
        defer { inFlight = nil }
        do {
            let credential = try await task.value
            cached = credential
            return credential
        } catch {
            cached = nil
            throw error
        }
    }
}

// MARK: - Running the plugin

extension ExecCredentialProvider {
    private static func source(_ config: Kubeconfig.ExecConfig) -> String {
        "exec plugin \"\(config.command)\""
    }

    private static func run(
        config: Kubeconfig.ExecConfig,
        cluster: ClusterInfo?,
        environment base: [String: String],
        timeout: Duration
    ) async throws(CredentialError) -> Credential {
        let source = source(config)
        let executable = try locate(config, path: base["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        var environment = base
        for variable in config.env { environment[variable.name] = variable.value }
        environment["KUBERNETES_EXEC_INFO"] = execInfo(config: config, cluster: cluster).serialized()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = config.args
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice

        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            exited.continuation.yield(process.terminationStatus)
            exited.continuation.finish()
        }
        do {
            try process.run()
        } catch {
            throw CredentialError(source: source, reason: "cannot start \"\(executable)\": \(error.localizedDescription)")
        }
        let killer = Task {
            try await Task.sleep(for: timeout)
            // SIGKILL, not `terminate()`: a SIGTERM disposition of "ignore" inherited from the
            // parent survives exec, and a hung plugin must not hang the client.
            if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
        }
        defer { killer.cancel() }
        async let output = readToEnd(stdout.fileHandleForReading)
        async let errorOutput = readToEnd(stderr.fileHandleForReading)
        var status: Int32 = -1
        for await code in exited.stream { status = code }
        let (out, err) = await (output, errorOutput)

        if status != 0 {
            var reason =
                process.terminationReason == .uncaughtSignal
                ? "was killed by signal \(status) (a run may take at most \(timeout))"
                : "exited with status \(status)"
            let message = stderrSummary(err)
            if !message.isEmpty { reason += ": " + message }
            throw CredentialError(source: source, reason: reason)
        }
        return try parse(out, config: config, source: source)
    }

    private static func readToEnd(_ handle: FileHandle) async -> [UInt8] {
        // Blocking reads run on a Dispatch thread, not on the cooperative pool.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Array(handle.readDataToEndOfFile()))
            }
        }
    }

    /// The last 2 KiB of stderr, trimmed, for error messages.
    private static func stderrSummary(_ bytes: [UInt8]) -> String {
        let tail = bytes.suffix(2048)
        let text = String(decoding: tail, as: UTF8.self)
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    private static func locate(_ config: Kubeconfig.ExecConfig, path: String) throws(CredentialError) -> String {
        let hint = config.installHint.map { "\n" + $0 } ?? ""
        if config.command.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: config.command) else {
                throw CredentialError(source: source(config), reason: "\"\(config.command)\" is not an executable file\(hint)")
            }
            return config.command
        }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + config.command
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CredentialError(source: source(config), reason: "\"\(config.command)\" was not found in PATH\(hint)")
    }

    static func execInfo(config: Kubeconfig.ExecConfig, cluster: ClusterInfo?) -> JSONValue {
        var spec: [String: JSONValue] = ["interactive": false]
        if let cluster {
            var info: [String: JSONValue] = ["server": .string(cluster.server)]
            if let ca = cluster.certificateAuthorityPEM { info["certificate-authority-data"] = .string(ConfigFiles.base64Encode(ca)) }
            if cluster.insecureSkipTLSVerify { info["insecure-skip-tls-verify"] = true }
            if let name = cluster.tlsServerName { info["tls-server-name"] = .string(name) }
            if let proxy = cluster.proxyURL { info["proxy-url"] = .string(proxy) }
            if let extra = cluster.config { info["config"] = extra }
            spec["cluster"] = .object(info)
        }
        return ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": .object(spec)]
    }

    static func parse(_ bytes: [UInt8], config: Kubeconfig.ExecConfig, source: String) throws(CredentialError) -> Credential {
        func fail(_ reason: String) -> CredentialError { CredentialError(source: source, reason: reason) }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            // The output holds secrets, so only the position of the problem is reported.
            throw fail("its output is not an ExecCredential: \(error)")
        }
        guard json["kind"]?.stringValue == "ExecCredential" else {
            throw fail("its output is not an ExecCredential: \"kind\" is \(json["kind"].map { $0.serialized() } ?? "missing")")
        }
        guard let apiVersion = json["apiVersion"]?.stringValue, apiVersion == config.apiVersion else {
            throw fail(
                "its output has apiVersion \(json["apiVersion"].map { $0.serialized() } ?? "missing"), but the kubeconfig asks for \"\(config.apiVersion)\""
            )
        }
        guard let status = json["status"]?.objectValue else { throw fail("its output has no \"status\"") }

        var credential = Credential()
        func string(_ key: String) throws(CredentialError) -> String? {
            guard let value = status[key], !value.isNull else { return nil }
            guard let s = value.stringValue else { throw fail("\"status.\(key)\" is not a string") }
            return s.isEmpty ? nil : s
        }
        credential.token = try string("token")
        let certificate = try string("clientCertificateData")
        let key = try string("clientKeyData")
        switch (certificate, key) {
        case (let certificate?, let key?):
            credential.certificatePEM = Array(certificate.utf8)
            credential.keyPEM = Array(key.utf8)
        case (nil, nil):
            break
        default:
            throw fail("\"status.clientCertificateData\" and \"status.clientKeyData\" must be given together")
        }
        guard credential.token != nil || credential.certificatePEM != nil else {
            throw fail("its output has neither \"status.token\" nor \"status.clientCertificateData\"")
        }
        if let timestamp = try string("expirationTimestamp") {
            guard let date = parseTimestamp(timestamp) else {
                throw fail("\"status.expirationTimestamp\" \"\(timestamp)\" is not an RFC 3339 time")
            }
            credential.expiration = date
        }
        return credential
    }

    /// RFC 3339 with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? plain.parse(text) { return date }
        return try? fractional.parse(text)
    }
}
