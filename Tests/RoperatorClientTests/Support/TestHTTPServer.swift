import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import RoperatorClient

/// A request as the test server received it.
struct RecordedRequest: Sendable {
    var method: String
    /// Path without the query, still percent-encoded.
    var path: String
    /// Decoded query parameters (last value wins).
    var query: [String: String]
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var json: JSONValue? {
        get throws { body.isEmpty ? nil : try JSONValue(parsing: body) }
    }
}

/// Writes one HTTP response; each `write` goes out as its own flushed chunk.
struct ResponseWriter: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>

    /// A complete response with `Content-Length`.
    func respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) async throws {
        var head = HTTPHeaders(headers)
        head.replaceOrAdd(name: "Content-Length", value: String(body.count))
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: head)))
        if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
        try await outbound.write(.end(nil))
    }

    func respond(status: Int = 200, json: JSONValue, headers: [(String, String)] = []) async throws {
        try await respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: json.serializedBytes())
    }

    /// A `Status` error body.
    func respondStatus(code: Int, reason: String, message: String, headers: [(String, String)] = []) async throws {
        try await respond(
            status: code,
            json: [
                "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": .int(Int64(code)),
                "reason": .string(reason), "message": .string(message),
            ], headers: headers)
    }

    /// Starts a chunked response.
    func startStream(status: Int = 200) async throws {
        let head = HTTPHeaders([("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: head)))
    }

    func write(_ bytes: some Sequence<UInt8>) async throws {
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: Array(bytes)))))
    }

    /// Writes one watch event line.
    func writeEvent(_ type: String, _ object: JSONValue) async throws {
        try await write(JSONValue.object(["type": .string(type), "object": object]).serializedBytes() + [UInt8(ascii: "\n")])
    }

    func end() async throws {
        try await outbound.write(.end(nil))
    }
}

/// Thrown by a handler to drop the connection without finishing the response.
struct DropConnection: Error {}

/// A small HTTP/1.1 server on loopback for transport tests: every request is recorded, then passed
/// to the test's handler.
final class TestHTTPServer: Sendable {
    typealias Handler = @Sendable (RecordedRequest, ResponseWriter) async throws -> Void

    let port: Int
    let isTLS: Bool
    private let recorded = Lock<[RecordedRequest]>([])
    private let accepted = Lock(0)

    var url: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { recorded.withLock { $0 } }
    /// Connections accepted so far.
    var connectionCount: Int { accepted.withLock { $0 } }

    private init(port: Int, isTLS: Bool) {
        self.port = port
        self.isTLS = isTLS
    }

    /// Runs `body` with a server listening on a free loopback port; stops the server afterwards.
    static func withServer<T: Sendable>(
        tls: TLSConfiguration? = nil,
        handler: @escaping Handler,
        _ body: (TestHTTPServer) async throws -> T
    ) async throws -> T {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return AcceptedConnection(try AcceptedConnection.Connection(wrappingChannelSynchronously: channel))
                }
            }
        let server = TestHTTPServer(port: channel.channel.localAddress!.port!, isTLS: tls != nil)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await channel.executeThenClose { inbound in
                        for try await accepted in inbound {
                            let connection = accepted.claim()
                            server.accepted.withLock { $0 += 1 }
                            connections.addTask { await server.serve(connection, handler: handler) }
                        }
                    }
                }
            }
            defer { group.cancelAll() }
            return try await body(server)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, handler: Handler) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                let writer = ResponseWriter(outbound: outbound)
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body = []
                    case .body(let buffer):
                        body.append(contentsOf: buffer.readableBytesView)
                    case .end:
                        guard let head else { continue }
                        let request = Self.record(head, body: body)
                        recorded.withLock { $0.append(request) }
                        try await handler(request, writer)
                    }
                }
            }
        } catch {
            // DropConnection, a client that went away, or cancellation at shutdown: the connection is closed.
        }
    }

    private static func record(_ head: HTTPRequestHead, body: [UInt8]) -> RecordedRequest {
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[percentDecode(kv[0])] = kv.count == 2 ? percentDecode(kv[1]) : ""
            }
        }
        return RecordedRequest(
            method: head.method.rawValue, path: String(parts[0]), query: query,
            headers: head.headers.map { ($0.name, $0.value) }, body: body)
    }

    static func percentDecode(_ text: Substring) -> String {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "%"), bytes.count >= 2,
                let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)
            {
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
