/// Everything needed to reach one API server: its address, TLS settings, credentials and default
/// namespace. Produced by ``Kubeconfig``, the in-cluster loader or ``ClientConfiguration/autodetect(environment:serviceAccountDirectory:)``,
/// or built by hand.
public struct ClientConfiguration: Sendable {
    /// Base URL of the API server, e.g. `https://127.0.0.1:6443`, without a trailing slash.
    public var server: String
    /// Namespace used when a call names none.
    public var namespace: String
    /// TLS settings; ignored for `http://` servers.
    public var tls: TLS
    /// Supplies the `Authorization` header (or nothing) for each request.
    public var credentials: (any CredentialProvider)?
    /// `Impersonate-*` headers sent with every request.
    public var impersonation: Impersonation?

    /// - Parameters:
    ///   - server: Base URL of the API server; a trailing slash is dropped.
    ///   - namespace: Namespace for calls that name none; default `default`.
    ///   - tls: TLS settings; default system roots, verification on.
    ///   - credentials: Supplies the `Authorization` header; default none.
    ///   - impersonation: `Impersonate-*` headers; default none.
    public init(
        server: String,
        namespace: String = "default",
        tls: TLS = TLS(),
        credentials: (any CredentialProvider)? = nil,
        impersonation: Impersonation? = nil
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.namespace = namespace
        self.tls = tls
        self.credentials = credentials
        self.impersonation = impersonation
    }

    /// TLS settings for the connection to the API server.
    public struct TLS: Sendable, Hashable {
        /// PEM bundle of CAs to trust instead of the system roots; `nil` uses the system roots.
        public var certificateAuthorityPEM: [UInt8]?
        /// Skip server certificate verification (kubeconfig `insecure-skip-tls-verify`).
        public var insecureSkipVerify: Bool
        /// PEM client certificate chain for mutual TLS.
        public var clientCertificatePEM: [UInt8]?
        /// PEM private key matching ``clientCertificatePEM``.
        public var clientKeyPEM: [UInt8]?
        /// Server name to verify instead of the host in ``ClientConfiguration/server``.
        public var serverName: String?

        /// TLS settings; every argument has a default (system roots, verification on, no client certificate).
        public init(
            certificateAuthorityPEM: [UInt8]? = nil,
            insecureSkipVerify: Bool = false,
            clientCertificatePEM: [UInt8]? = nil,
            clientKeyPEM: [UInt8]? = nil,
            serverName: String? = nil
        ) {
            self.certificateAuthorityPEM = certificateAuthorityPEM
            self.insecureSkipVerify = insecureSkipVerify
            self.clientCertificatePEM = clientCertificatePEM
            self.clientKeyPEM = clientKeyPEM
            self.serverName = serverName
        }
    }

    /// Who to act as (kubeconfig `as`, `as-groups`, `as-uid`, `as-user-extra`).
    public struct Impersonation: Sendable, Hashable {
        /// `Impersonate-User`.
        public var user: String
        /// `Impersonate-Uid`, if any.
        public var uid: String?
        /// `Impersonate-Group`, one header per group.
        public var groups: [String]
        /// `Impersonate-Extra-<key>` headers.
        public var extra: [String: [String]]

        /// Impersonates `user`, optionally with a UID, groups and extra fields.
        public init(user: String, uid: String? = nil, groups: [String] = [], extra: [String: [String]] = [:]) {
            self.user = user
            self.uid = uid
            self.groups = groups
            self.extra = extra
        }
    }
}

/// Supplies credentials for requests. Implementations cache what they can and refresh when told.
public protocol CredentialProvider: Sendable {
    /// The value of the `Authorization` header, or `nil` to send none.
    ///
    /// - Parameter refresh: `true` after the server answered 401 with the previous value, so a
    ///   cached token must be fetched again (re-read the file, re-run the exec plugin).
    func authorization(refresh: Bool) async throws -> String?

    /// A client certificate and key supplied by the provider (exec plugins may return them);
    /// `nil` when the provider only supplies headers.
    func clientCertificate() async throws -> (certificatePEM: [UInt8], keyPEM: [UInt8])?
}

extension CredentialProvider {
    /// No client certificate: the default for providers that only supply headers.
    public func clientCertificate() async throws -> (certificatePEM: [UInt8], keyPEM: [UInt8])? { nil }
}
