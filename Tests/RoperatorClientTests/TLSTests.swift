import NIOSSL
import RoperatorClient
import Testing

@Suite("TLS")
struct TLSTests {
    static let certificates: Result<TestCertificates, any Error> = Result { try TestCertificates.generate() }

    /// A server presenting the `localhost` certificate; with `requireClientCertificate`, mutual TLS.
    static func serverTLS(_ certs: TestCertificates, requireClientCertificate: Bool) throws -> TLSConfiguration {
        var config = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(certs.serverCertificatePEM).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: certs.serverKeyPEM, format: .pem)))
        if requireClientCertificate {
            config.certificateVerification = .noHostnameVerification
            config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(certs.caPEM))
        }
        return config
    }

    /// AsyncHTTPClient retries a failing handshake until the connect timeout; keep that short here.
    static let failFast = KubeClient.Options(connectTimeout: .milliseconds(500), retry: .none)

    static let ok: TestHTTPServer.Handler = { _, writer in
        try await writer.respond(json: configMap("a", resourceVersion: "1"))
    }

    @Test func verifiesServerAgainstCustomCA() async throws {
        let certs = try Self.certificates.get()
        try await TestHTTPServer.withServer(tls: try Self.serverTLS(certs, requireClientCertificate: false), handler: Self.ok) { server in
            // The certificate names `localhost`; the URL uses the IP, so the server name is set explicitly.
            let tls = ClientConfiguration.TLS(certificateAuthorityPEM: certs.caPEM, serverName: "localhost")
            try await withClient(server, tls: tls) { client in
                let object = try await client.get(.configMap, name: "a")
                #expect(object.name == "a")
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func rejectsServerSignedByAnotherCA() async throws {
        let certs = try Self.certificates.get()
        try await TestHTTPServer.withServer(tls: try Self.serverTLS(certs, requireClientCertificate: false), handler: Self.ok) { server in
            let tls = ClientConfiguration.TLS(certificateAuthorityPEM: try TestCertificates.otherCA(), serverName: "localhost")
            let error = try await withClient(server, tls: tls, options: Self.failFast) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(error.code == .transport)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func rejectsWrongServerName() async throws {
        let certs = try Self.certificates.get()
        try await TestHTTPServer.withServer(tls: try Self.serverTLS(certs, requireClientCertificate: false), handler: Self.ok) { server in
            let tls = ClientConfiguration.TLS(certificateAuthorityPEM: certs.caPEM, serverName: "kubernetes.default")
            _ = try await withClient(server, tls: tls, options: Self.failFast) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func mutualTLSWithCertificateFromCredentialProvider() async throws {
        let certs = try Self.certificates.get()
        try await TestHTTPServer.withServer(tls: try Self.serverTLS(certs, requireClientCertificate: true), handler: Self.ok) { server in
            let credentials = CountingCredentials(certificate: (certs.clientCertificatePEM, certs.clientKeyPEM))
            let tls = ClientConfiguration.TLS(certificateAuthorityPEM: certs.caPEM, serverName: "localhost")
            try await withClient(server, tls: tls, credentials: credentials) { client in
                _ = try await client.get(.configMap, name: "a")
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func mutualTLSFailsWithoutClientCertificate() async throws {
        let certs = try Self.certificates.get()
        try await TestHTTPServer.withServer(tls: try Self.serverTLS(certs, requireClientCertificate: true), handler: Self.ok) { server in
            let tls = ClientConfiguration.TLS(certificateAuthorityPEM: certs.caPEM, serverName: "localhost")
            _ = try await withClient(server, tls: tls, options: Self.failFast) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func unreadableCAIsAConfigurationError() throws {
        let configuration = ClientConfiguration(
            server: "https://127.0.0.1:1", tls: .init(certificateAuthorityPEM: Array("not a certificate".utf8)))
        let error = try #require(throws: KubeClientError.self) { _ = try KubeClient(configuration: configuration) }
        #expect(error.code == .invalidConfiguration)
    }
}
