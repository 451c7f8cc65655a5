import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import RoperatorClient
import RoperatorAPIServer
import Testing

/// One HTTP answer as the tests look at it.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON; fails the test with the body text when it is not JSON.
    var json: JSONValue {
        get throws {
            do {
                return try JSONValue(parsing: body)
            } catch {
                Issue.record("not JSON (\(status)): \(text)")
                throw error
            }
        }
    }

    var contentType: String? { headers.first(name: "content-type") }
}

/// A small AsyncHTTPClient wrapper that talks to an embedded server over real HTTP(S).
struct TestHTTPClient: Sendable {
    let client: HTTPClient
    let baseURL: String
    var token: String?

    /// - Parameters:
    ///   - clientCertificate: present the server's generated client certificate (TLS only).
    ///   - token: the bearer token to send, if any.
    static func make(
        for server: EmbeddedAPIServer, clientCertificate: Bool = false, token: String? = nil, connectTimeout: TimeAmount = .seconds(5)
    ) throws -> TestHTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: connectTimeout, read: .seconds(60))
        if let certificates = server.certificates {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificates.certificateAuthorityPEM.utf8)))
            if clientCertificate {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificates.clientCertificatePEM.utf8)).map {
                    .certificate($0)
                }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(certificates.clientKeyPEM.utf8), format: .pem))
            }
            configuration.tlsConfiguration = tls
        }
        return TestHTTPClient(
            client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration),
            baseURL: server.url, token: token)
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    /// Sends a request and reads the whole answer.
    func request(
        _ method: HTTPMethod = .GET,
        _ path: String,
        json: JSONValue? = nil,
        body: String? = nil,
        contentType: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        let response = try await client.execute(
            makeRequest(method, path, json: json, body: body, contentType: contentType, headers: headers), timeout: .seconds(30))
        var bytes: [UInt8] = []
        for try await chunk in response.body {
            bytes += chunk.readableBytesView
        }
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: bytes)
    }

    /// Opens a watch (or any streamed GET) and returns the answer's head and its body lines as JSON.
    func stream(_ path: String, headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, lines: JSONLines) {
        let response = try await client.execute(makeRequest(.GET, path, headers: headers), timeout: .seconds(120))
        return (Int(response.status.code), response.headers, JSONLines(body: response.body))
    }

    private func makeRequest(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, body: String? = nil, contentType: String? = nil,
        headers: [(String, String)] = []
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.body = .bytes(ByteBuffer(bytes: json.serializedBytes()))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        } else if let body {
            request.body = .bytes(ByteBuffer(string: body))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        return request
    }
}

/// The newline-delimited JSON values of a streamed body.
struct JSONLines: AsyncSequence {
    typealias Element = JSONValue
    let body: HTTPClientResponse.Body

    struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: HTTPClientResponse.Body.AsyncIterator
        var pending: [UInt8] = []

        mutating func next() async throws -> JSONValue? {
            while true {
                if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    if line.isEmpty { continue }
                    return try JSONValue(parsing: line)
                }
                guard let chunk = try await chunks.next() else {
                    guard !pending.isEmpty else { return nil }
                    defer { pending = [] }
                    return try JSONValue(parsing: pending)
                }
                pending += chunk.readableBytesView
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: body.makeAsyncIterator())
    }
}

/// Starts a server and a client for it, runs `body`, and tears both down.
func withTestServer<Result>(
    _ configuration: EmbeddedAPIServer.Configuration = EmbeddedAPIServer.Configuration(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (EmbeddedAPIServer, TestHTTPClient) async throws -> Result
) async throws -> Result {
    try await withEmbeddedAPIServer(configuration) { server in
        let client = try TestHTTPClient.make(for: server, clientCertificate: server.certificates != nil, token: server.token)
        do {
            let result = try await body(server, client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown() // the body's failure is the one to report
            throw error
        }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func waitUntil(
    timeout: Duration = .seconds(30),
    _ what: String,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + TimeoutScale.scaled(timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting until \(what)")
    throw TimeoutError(what: what)
}

struct TimeoutError: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out: \(what)" }
}

/// A ConfigMap body.
func configMap(_ name: String, namespace: String? = nil, data: [String: String] = [:], labels: [String: String] = [:]) -> JSONValue {
    var metadata: JSONValue = ["name": .string(name)]
    if let namespace { metadata["namespace"] = .string(namespace) }
    if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
    return [
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata,
        "data": .object(data.mapValues { .string($0) }),
    ]
}

/// A CRD for `widgets.example.com` (namespaced, status subresource, short name `wd`).
func widgetCRD(group: String = "example.com", plural: String = "widgets", kind: String = "Widget") -> JSONValue {
    [
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": ["name": .string("\(plural).\(group)")],
        "spec": [
            "group": .string(group),
            "scope": "Namespaced",
            "names": [
                "plural": .string(plural), "singular": .string(kind.lowercased()), "kind": .string(kind),
                "listKind": .string("\(kind)List"), "shortNames": ["wd"],
            ],
            "versions": [
                [
                    "name": "v1", "served": true, "storage": true,
                    "subresources": ["status": .emptyObject],
                    "schema": [
                        "openAPIV3Schema": [
                            "type": "object",
                            "properties": [
                                "spec": ["type": "object", "properties": ["size": ["type": "integer"], "color": ["type": "string"]]],
                                "status": ["type": "object", "properties": ["ready": ["type": "boolean"]]],
                            ],
                        ]
                    ],
                ]
            ],
        ],
    ]
}
