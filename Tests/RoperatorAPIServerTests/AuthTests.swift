import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

@Suite("Authentication and TLS")
struct AuthTests {
    static func secured() -> EmbeddedAPIServer.Configuration {
        EmbeddedAPIServer.Configuration(tls: true, requireAuthentication: true, tokens: ["t0ken": "alice"])
    }

    @Test func anonymousRequestsGet401() async throws {
        try await withEmbeddedAPIServer(Self.secured()) { server in
            #expect(server.url.hasPrefix("https://127.0.0.1:"))
            let anonymous = try TestHTTPClient.make(for: server)
            let response = try await anonymous.request(.GET, "/api/v1/namespaces")
            #expect(response.status == 401)
            #expect(try response.json["reason"] == "Unauthorized")
            #expect(try response.json["code"] == 401)
            // Probes stay open.
            #expect(try await anonymous.request(.GET, "/readyz").status == 200)
            try await anonymous.shutdown()
        }
    }

    @Test func bearerTokenIsAccepted() async throws {
        try await withEmbeddedAPIServer(Self.secured()) { server in
            let good = try TestHTTPClient.make(for: server, token: "t0ken")
            #expect(try await good.request(.GET, "/api/v1/namespaces").status == 200)
            try await good.shutdown()
            let bad = try TestHTTPClient.make(for: server, token: "wrong")
            #expect(try await bad.request(.GET, "/api/v1/namespaces").status == 401)
            try await bad.shutdown()
        }
    }

    @Test func clientCertificateIsAccepted() async throws {
        try await withEmbeddedAPIServer(Self.secured()) { server in
            let client = try TestHTTPClient.make(for: server, clientCertificate: true)
            #expect(try await client.request(.GET, "/api/v1/namespaces").status == 200)
            try await client.shutdown()
        }
    }

    @Test func clientConfigurationCarriesCredentials() async throws {
        try await withEmbeddedAPIServer(Self.secured()) { server in
            let configuration = server.clientConfiguration
            #expect(configuration.server == server.url)
            #expect(configuration.tls.certificateAuthorityPEM != nil)
            #expect(configuration.tls.clientCertificatePEM != nil)
            let authorization = try await configuration.credentials?.authorization(refresh: false)
            #expect(authorization == "Bearer t0ken")
            let kubeconfig = server.kubeconfig
            #expect(kubeconfig.contains("server: \(server.url)"))
            #expect(kubeconfig.contains("certificate-authority-data: "))
            #expect(kubeconfig.contains("client-certificate-data: "))
            #expect(kubeconfig.contains("token: t0ken"))
        }
    }

    @Test func tokenWithoutTLSIsGeneratedWhenNeeded() async throws {
        try await withEmbeddedAPIServer(EmbeddedAPIServer.Configuration(requireAuthentication: true)) { server in
            let token = try #require(server.token)
            let client = try TestHTTPClient.make(for: server, token: token)
            #expect(try await client.request(.GET, "/api").status == 200)
            try await client.shutdown()
            let anonymous = try TestHTTPClient.make(for: server)
            #expect(try await anonymous.request(.GET, "/api").status == 401)
            try await anonymous.shutdown()
        }
    }

    @Test func generatedCertificatesAreUsable() throws {
        let certificates = try GeneratedCertificates.generate(serverNames: ["example.test", "10.0.0.1"])
        #expect(certificates.certificateAuthorityPEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(certificates.serverKeyPEM.contains("PRIVATE KEY"))
        #expect(certificates.clientCertificatePEM != certificates.serverCertificatePEM)
    }
}
