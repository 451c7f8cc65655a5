import RoperatorClient
import Testing

/// Verification is on unless a configuration turns it off, and a failure says it was verification.
@Suite("TLS verification")
struct TLSVerificationTests {
    @Test func defaultConfigurationVerifiesAgainstTheSystemRoots() throws {
        #expect(ClientConfiguration.TLS().insecureSkipVerify == false)
        #expect(ClientConfiguration(server: "https://127.0.0.1:6443").tls.insecureSkipVerify == false)
    }

    /// A server certificate from a CA the client was not given: with the default trust (system
    /// roots) and with another CA, the handshake fails and the error names the verification.
    @Test(arguments: [false, true])
    func untrustedServerCertificateIsRefusedWithAClearError(otherCA: Bool) async throws {
        let certs = try TLSTests.certificates.get()
        try await TestHTTPServer.withServer(tls: try TLSTests.serverTLS(certs, requireClientCertificate: false), handler: TLSTests.ok) {
            server in
            let tls = ClientConfiguration.TLS(
                certificateAuthorityPEM: otherCA ? try TestCertificates.otherCA() : nil, serverName: "localhost")
            // A generous connect timeout: under load a short one can end the attempt before the
            // handshake fails, and the message would be about time instead of verification.
            let error = try await withClient(server, tls: tls, options: .init(connectTimeout: .seconds(10), retry: .none)) { client in
                try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "a") }
            }
            #expect(error.code == .transport)
            #expect(error.description.contains("CERTIFICATE_VERIFY_FAILED"), "\(error)")
            #expect(server.requests.isEmpty, "no request reached the untrusted server")
        }
    }
}
