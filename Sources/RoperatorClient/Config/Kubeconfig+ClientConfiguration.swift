extension Kubeconfig {
    /// The names of the contexts, sorted.
    public var contextNames: [String] { contexts.keys.sorted() }

    /// The configuration for a context: its cluster's server and TLS settings, its user's
    /// credentials and impersonation, and its namespace (`default` when unset).
    ///
    /// Files named by the kubeconfig (CA, client certificate and key) are read now; a token file is
    /// checked now and re-read by its provider whenever it changes.
    ///
    /// ```swift
    /// let configuration = try Kubeconfig.load().clientConfiguration()
    /// ```
    ///
    /// - Parameter context: The context to use; `nil` uses ``currentContext``.
    /// - Throws: ``KubeconfigError`` naming the file, the context, the entry and the field when the
    ///   context, its cluster or its user is missing, incomplete or malformed.
    public func clientConfiguration(context: String? = nil) throws(KubeconfigError) -> ClientConfiguration {
        guard let contextName = context ?? currentContext else {
            throw KubeconfigError(file: filesDescription, reason: "no context was given and current-context is not set")
        }
        guard let entry = contexts[contextName] else {
            let known = contextNames.map { "\"\($0)\"" }.joined(separator: ", ")
            throw KubeconfigError(
                file: filesDescription,
                reason: "context \"\(contextName)\" is not defined (defined: \(known.isEmpty ? "none" : known))"
            )
        }
        do {
            return try resolve(entry)
        } catch {
            throw error.inContext(contextName)
        }
    }

    private func resolve(_ context: Context) throws(KubeconfigError) -> ClientConfiguration {
        guard let clusterName = context.cluster, !clusterName.isEmpty else {
            throw KubeconfigError(file: context.file, field: "cluster", reason: "is missing")
        }
        guard let cluster = clusters[clusterName] else {
            throw KubeconfigError(file: context.file, field: "cluster", reason: "names \"\(clusterName)\", which is not defined")
        }
        var tls = try Self.tls(for: cluster)
        var configuration = ClientConfiguration(
            server: try Self.server(of: cluster),
            namespace: context.namespace ?? "default",
            tls: tls
        )
        guard let userName = context.user else { return configuration }
        guard let user = users[userName] else {
            throw KubeconfigError(file: context.file, field: "user", reason: "names \"\(userName)\", which is not defined")
        }
        let entry = "user \"\(user.name)\""
        func fail(_ field: String?, _ reason: String) -> KubeconfigError {
            KubeconfigError(file: user.file, entry: entry, field: field, reason: reason)
        }

        if let provider = user.authProvider {
            throw fail("auth-provider", "names the legacy provider \"\(provider)\", which is not supported; use an exec credential plugin")
        }
        var methods: [String] = []
        if user.token != nil || user.tokenFile != nil { methods.append("token") }
        if user.username != nil || user.password != nil { methods.append("basic auth") }
        if user.exec != nil { methods.append("exec") }
        guard methods.count <= 1 else {
            throw fail(nil, "more than one authentication method is set (\(methods.joined(separator: ", "))); only one is allowed")
        }

        if let token = user.token {
            guard !token.isEmpty else { throw fail("token", "is empty") }
            configuration.credentials = StaticTokenProvider(token: token)
        } else if let tokenFile = user.tokenFile {
            do {
                _ = try ConfigFiles.stamp(tokenFile)
            } catch {
                throw fail("tokenFile", error.reason)
            }
            configuration.credentials = TokenFileProvider(path: tokenFile)
        } else if user.username != nil || user.password != nil {
            guard let username = user.username, !username.isEmpty else { throw fail("username", "is missing (a password is set)") }
            guard let password = user.password else { throw fail("password", "is missing (a username is set)") }
            configuration.credentials = BasicAuthProvider(username: username, password: password)
        } else if let exec = user.exec {
            if exec.interactiveMode == "Always" {
                throw fail("exec.interactiveMode", "is \"Always\", but plugins run without a terminal here")
            }
            let info = ExecCredentialProvider.ClusterInfo(
                server: configuration.server,
                certificateAuthorityPEM: tls.certificateAuthorityPEM,
                insecureSkipTLSVerify: tls.insecureSkipVerify,
                tlsServerName: tls.serverName,
                proxyURL: cluster.proxyURL,
                config: cluster.execExtension
            )
            configuration.credentials = ExecCredentialProvider(config: exec, cluster: exec.provideClusterInfo ? info : nil)
        }

        let certificate = try Self.pem(user.clientCertificateData, user.clientCertificate, "client-certificate", fail)
        let key = try Self.pem(user.clientKeyData, user.clientKey, "client-key", fail)
        switch (certificate, key) {
        case (let certificate?, let key?):
            tls.clientCertificatePEM = certificate
            tls.clientKeyPEM = key
        case (nil, nil):
            break
        case (_?, nil):
            throw fail("client-key", "is missing (a client certificate is set)")
        case (nil, _?):
            throw fail("client-certificate", "is missing (a client key is set)")
        }
        configuration.tls = tls

        if let impersonate = user.impersonate {
            guard !impersonate.isEmpty else { throw fail("as", "is empty") }
            configuration.impersonation = ClientConfiguration.Impersonation(
                user: impersonate, uid: user.impersonateUID, groups: user.impersonateGroups, extra: user.impersonateUserExtra
            )
        } else if user.impersonateUID != nil || !user.impersonateGroups.isEmpty || !user.impersonateUserExtra.isEmpty {
            throw fail("as", "is missing (as-uid, as-groups or as-user-extra is set, and they need a user to impersonate)")
        }
        return configuration
    }

    private static func server(of cluster: Cluster) throws(KubeconfigError) -> String {
        let fail = { (reason: String) in
            KubeconfigError(file: cluster.file, entry: "cluster \"\(cluster.name)\"", field: "server", reason: reason)
        }
        guard let server = cluster.server, !server.isEmpty else { throw fail("is missing") }
        let lower = server.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            throw fail("is \"\(server)\", which is not an http:// or https:// URL")
        }
        let rest = server.drop(while: { $0 != "/" }).dropFirst(2)
        guard let host = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first, !host.isEmpty else {
            throw fail("is \"\(server)\", which has no host")
        }
        return server
    }

    private static func tls(for cluster: Cluster) throws(KubeconfigError) -> ClientConfiguration.TLS {
        let entry = "cluster \"\(cluster.name)\""
        func fail(_ field: String?, _ reason: String) -> KubeconfigError {
            KubeconfigError(file: cluster.file, entry: entry, field: field, reason: reason)
        }
        let ca = try pem(cluster.certificateAuthorityData, cluster.certificateAuthority, "certificate-authority", fail)
        if cluster.insecureSkipTLSVerify, ca != nil {
            throw fail("insecure-skip-tls-verify", "cannot be combined with a certificate authority")
        }
        return ClientConfiguration.TLS(
            certificateAuthorityPEM: ca,
            insecureSkipVerify: cluster.insecureSkipTLSVerify,
            serverName: cluster.tlsServerName.flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    /// PEM bytes from `<field>-data` (base64, preferred) or the file `<field>`.
    private static func pem(
        _ data: String?,
        _ path: String?,
        _ field: String,
        _ fail: (String?, String) -> KubeconfigError
    ) throws(KubeconfigError) -> [UInt8]? {
        let bytes: [UInt8]
        let source: String
        if let data {
            source = field + "-data"
            guard let decoded = ConfigFiles.base64(data) else { throw fail(source, "is not valid base64") }
            bytes = decoded
        } else if let path {
            source = field
            do {
                bytes = try ConfigFiles.contents(of: path)
            } catch {
                throw fail(source, error.reason)
            }
        } else {
            return nil
        }
        guard ConfigFiles.looksLikePEM(bytes) else { throw fail(source, "does not hold PEM data") }
        return bytes
    }
}
