public import Foundation

extension ClientConfiguration {
    /// Where a pod's service account credentials are mounted.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The configuration of a pod talking to its own cluster: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`,
    /// the service account's CA (`ca.crt`) and namespace (`namespace`, `default` when absent), and its
    /// token (`token`), re-read when the kubelet rotates it.
    ///
    /// ```swift
    /// let configuration = try ClientConfiguration.inCluster()
    /// ```
    ///
    /// - Parameters:
    ///   - environment: Where to read `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`.
    ///   - serviceAccountDirectory: The directory holding `token`, `ca.crt` and `namespace`
    ///     (injectable for tests).
    ///   - tokenRecheckInterval: How often the token file is checked for a new token.
    /// - Throws: ``KubeconfigError`` (with no file, and the field set to the missing variable or
    ///   file) when the environment variables are unset or the token or CA cannot be read.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = ClientConfiguration.serviceAccountDirectory,
        tokenRecheckInterval: Duration = .seconds(60)
    ) throws(KubeconfigError) -> ClientConfiguration {
        func fail(_ field: String, _ reason: String) -> KubeconfigError {
            KubeconfigError(file: nil, entry: "in-cluster configuration", field: field, reason: reason)
        }
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw fail("KUBERNETES_SERVICE_HOST", "is not set (not running in a pod?)")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw fail("KUBERNETES_SERVICE_PORT", "is not set (not running in a pod?)")
        }
        guard let portNumber = Int(port), (1...65535).contains(portNumber) else {
            throw fail("KUBERNETES_SERVICE_PORT", "is \"\(port)\", not a port number")
        }
        let directory = serviceAccountDirectory.hasSuffix("/") ? String(serviceAccountDirectory.dropLast()) : serviceAccountDirectory
        let tokenPath = directory + "/token"
        let caPath = directory + "/ca.crt"
        let namespacePath = directory + "/namespace"

        do {
            _ = try ConfigFiles.stamp(tokenPath)
        } catch {
            throw fail("token", error.reason)
        }
        let ca: [UInt8]
        do {
            ca = try ConfigFiles.contents(of: caPath)
        } catch {
            throw fail("ca.crt", error.reason)
        }
        guard ConfigFiles.looksLikePEM(ca) else { throw fail("ca.crt", "does not hold PEM data") }
        var namespace = "default"
        if ConfigFiles.exists(namespacePath) {
            do {
                let text = try ConfigFiles.text(of: namespacePath).filter { !$0.isWhitespace }
                if !text.isEmpty { namespace = text }
            } catch {
                throw fail("namespace", error.reason)
            }
        }
        // An IPv6 literal needs brackets in a URL.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return ClientConfiguration(
            server: "https://\(hostPart):\(portNumber)",
            namespace: namespace,
            tls: TLS(certificateAuthorityPEM: ca),
            credentials: TokenFileProvider(path: tokenPath, recheckInterval: tokenRecheckInterval)
        )
    }

    /// The configuration a program should use by default: in-cluster when
    /// `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` are set, otherwise the kubeconfig
    /// (`KUBECONFIG` or `~/.kube/config`) with its current context.
    ///
    /// ```swift
    /// let configuration = try ClientConfiguration.autodetect()
    /// ```
    ///
    /// - Parameters:
    ///   - environment: The environment to consult.
    ///   - serviceAccountDirectory: The service account mount, for the in-cluster case.
    /// - Throws: ``KubeconfigError`` from whichever source was chosen.
    public static func autodetect(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = ClientConfiguration.serviceAccountDirectory
    ) throws(KubeconfigError) -> ClientConfiguration {
        if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        {
            return try inCluster(environment: environment, serviceAccountDirectory: serviceAccountDirectory)
        }
        return try Kubeconfig.load(environment: environment).clientConfiguration()
    }
}
