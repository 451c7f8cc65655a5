import Foundation
import RoperatorClient
import RoperatorAPIServer
import Testing

/// TLS, authentication through a kubeconfig the server writes, and retries on injected faults.
@Suite("Client end to end: transport", .timeLimit(.minutes(1)))
struct ClientEndToEndTransportTests {
    static let secured = EmbeddedAPIServer.Configuration(tls: true, requireAuthentication: true, tokens: ["s3cret-token": "alice"])

    static func temporaryKubeconfigPath() -> String {
        NSTemporaryDirectory() + "roperator-e2e-\(UUID().uuidString)/kubeconfig"
    }

    @Test func kubeconfigFromTheServerWorksWithTLSClientCertificateAndToken() async throws {
        try await withEmbeddedAPIServer(Self.secured) { server in
            let path = Self.temporaryKubeconfigPath()
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            try server.writeKubeconfig(to: path)
            let configuration = try Kubeconfig.load(path: path).clientConfiguration()
            #expect(configuration.server.hasPrefix("https://"))
            #expect(configuration.namespace == "default")

            try await withKubeClient(configuration) { client in
                let created = try await client.create(.configMap, KubeObject(configMap("over-tls", namespace: "default", data: ["k": "v"])))
                #expect(try await client.get(.configMap, name: "over-tls").uid == created.uid)
            }

            // Each credential alone is enough.
            var certificateOnly = configuration
            certificateOnly.credentials = nil
            try await withKubeClient(certificateOnly) { client in
                let object = try await client.get(.configMap, name: "over-tls")
                #expect(object.name == "over-tls")
            }
            var tokenOnly = configuration
            tokenOnly.tls.clientCertificatePEM = nil
            tokenOnly.tls.clientKeyPEM = nil
            try await withKubeClient(tokenOnly) { client in
                let object = try await client.get(.configMap, name: "over-tls")
                #expect(object.name == "over-tls")
            }
        }
    }

    @Test func wrongTokenIsUnauthorizedAndNeverShown() async throws {
        try await withEmbeddedAPIServer(Self.secured) { server in
            var configuration = server.clientConfiguration
            configuration.tls.clientCertificatePEM = nil
            configuration.tls.clientKeyPEM = nil
            configuration.credentials = StaticTokenProvider(token: "wrong-token-value")
            try await withKubeClient(configuration) { client in
                let error = try await #require(throws: KubeAPIError.self) { _ = try await client.get(.configMap, name: "x") }
                #expect(error.isUnauthorized)
                #expect(error.code == 401)
                #expect(!"\(error)".contains("wrong-token-value"))
            }
            // No credentials at all is refused the same way.
            configuration.credentials = nil
            try await withKubeClient(configuration) { client in
                let error = try await #require(throws: KubeAPIError.self) { _ = try await client.list(.configMap) }
                #expect(error.isUnauthorized)
            }
        }
    }

    @Test func serverCertificateIsVerified() async throws {
        try await withEmbeddedAPIServer(Self.secured) { server in
            var configuration = server.clientConfiguration
            configuration.tls.certificateAuthorityPEM = nil // the system roots do not know the generated CA
            // AsyncHTTPClient retries a failed handshake until the connect timeout; keep it short.
            try await withKubeClient(configuration, options: KubeClient.Options(connectTimeout: .milliseconds(500), retry: .none)) {
                client in
                let error = try await #require(throws: KubeClientError.self) { _ = try await client.get(.configMap, name: "x") }
                #expect(error.code == .transport)
            }
            configuration.tls.insecureSkipVerify = true
            try await withKubeClient(configuration) { client in
                let missing = try await #require(throws: KubeAPIError.self) { _ = try await client.get(.configMap, name: "x") }
                #expect(missing.isNotFound)
            }
        }
    }

    @Test func tooManyRequestsIsRetriedAfterRetryAfter() async throws {
        let log = RequestLog()
        try await withServerAndClient(log: log) { server, client in
            _ = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            log.clear()
            server.faults.add(FaultRule(.tooManyRequests(retryAfterSeconds: 1), verbs: [.get], count: 1))
            let start = ContinuousClock.now
            let object = try await client.get(.configMap, name: "a")
            #expect(object.name == "a")
            #expect(ContinuousClock.now - start >= .milliseconds(900))
            #expect(log.all.map(\.code) == ["429", "200"])
            #expect(server.faults.injectedFailureCount == 1)
        }
    }

    @Test func internalErrorIsRetriedForGetButNotForPost() async throws {
        let log = RequestLog()
        try await withServerAndClient(log: log) { server, client in
            _ = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            log.clear()
            server.faults.add(FaultRule(.internalError, verbs: [.get], count: 2))
            #expect(try await client.get(.configMap, name: "a").name == "a")
            #expect(log.all.map(\.code) == ["500", "500", "200"])

            log.clear()
            server.faults.add(FaultRule(.internalError, verbs: [.create], count: 1))
            let error = try await #require(throws: KubeAPIError.self) {
                _ = try await client.create(.configMap, KubeObject(configMap("b", namespace: "default")))
            }
            #expect(error.code == 500)
            #expect(error.reason == .internalError)
            #expect(log.all.map(\.method) == ["POST"])
            let notCreated = try await #require(throws: KubeAPIError.self) { _ = try await client.get(.configMap, name: "b") }
            #expect(notCreated.isNotFound)

            // 429 means "not processed", so even a POST is sent again.
            log.clear()
            server.faults.add(FaultRule(.tooManyRequests(retryAfterSeconds: 0), verbs: [.create], count: 1))
            _ = try await client.create(.configMap, KubeObject(configMap("b", namespace: "default")))
            #expect(log.all.map(\.code) == ["429", "201"])
            log.clear()
            server.faults.add(FaultRule(.tooManyRequests(retryAfterSeconds: 0), verbs: [.patch], count: 1))
            let patched = try await client.patch(.configMap, name: "b", patch: ["data": ["k": "v"]], as: .merge)
            #expect(patched.json["data"] == ["k": "v"])
            #expect(log.all.map(\.code) == ["429", "200"])
        }
    }

    @Test func persistentUnavailabilityGivesUpAfterMaxAttempts() async throws {
        let log = RequestLog()
        try await withServerAndClient(log: log) { server, client in
            server.faults.add(FaultRule(.serviceUnavailable, verbs: [.list]))
            let error = try await #require(throws: KubeAPIError.self) { _ = try await client.list(.configMap) }
            #expect(error.code == 503)
            #expect(log.all.count == endToEndRetry.maxAttempts)
            server.faults.removeAll()
            _ = try await client.list(.configMap)
        }
    }

    @Test func injectedConflictIsNotRetried() async throws {
        let log = RequestLog()
        try await withServerAndClient(log: log) { server, client in
            let created = try await client.create(.configMap, KubeObject(configMap("a", namespace: "default")))
            log.clear()
            server.faults.add(FaultRule(.conflict, verbs: [.update], count: 1))
            let error = try await #require(throws: KubeAPIError.self) { _ = try await client.replace(.configMap, created) }
            #expect(error.isConflict)
            #expect(log.all.count == 1)
            _ = try await client.replace(.configMap, created)
        }
    }
}

@Suite("Client end to end: secrets")
struct ClientEndToEndSecretTests {
    @Test func serverClientConfigurationNeverPrintsItsToken() async throws {
        try await withEmbeddedAPIServer(
            EmbeddedAPIServer.Configuration(requireAuthentication: true, tokens: ["very-secret-token": "alice"])
        ) { server in
            let configuration = server.clientConfiguration
            #expect(server.token == "very-secret-token")
            #expect(!"\(configuration)".contains("very-secret-token"))
            #expect(!String(reflecting: configuration.credentials as Any).contains("very-secret-token"))
            var dumped = ""
            dump(configuration, to: &dumped)
            #expect(!dumped.contains("very-secret-token"))
        }
    }
}
