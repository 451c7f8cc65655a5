import NIOCore
import NIOHTTP1
@testable import RoperatorClient
import Testing

/// The pooled connections' own HTTP/1.1: requests written as bytes, responses read from bytes in
/// pieces of any size.
@Suite("HTTP/1.1 wire")
struct HTTPWireTests {
    /// Feeds `text` to a fresh parser in pieces of `piece` bytes; returns the response and the
    /// bytes left over after it.
    private static func parse(
        _ text: String, piece: Int, limit: Int = 1 << 20, head: Bool = false, closeAtEnd: Bool = false
    ) throws -> (response: HTTPResponseParser.Response?, leftover: Int) {
        var parser = HTTPResponseParser(bodyLimit: limit, isHeadRequest: head)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + piece)
            if let response = try parser.feed(ByteBuffer(bytes: bytes[offset..<end])) {
                // What arrived with the last piece beyond the response stays buffered.
                return (response, parser.leftoverBytes + (bytes.count - end))
            }
            offset = end
        }
        return (closeAtEnd ? parser.connectionClosed() : nil, 0)
    }

    /// Every piece size from 1 byte to the whole response gives the same answer.
    private static func parseInEveryPieceSize(
        _ text: String, head: Bool = false, closeAtEnd: Bool = false
    ) throws -> HTTPResponseParser.Response {
        let whole = try #require(try parse(text, piece: text.utf8.count, head: head, closeAtEnd: closeAtEnd).response)
        for piece in 1..<max(2, text.utf8.count) {
            let split = try #require(try parse(text, piece: piece, head: head, closeAtEnd: closeAtEnd).response)
            #expect(split.status == whole.status && split.body == whole.body && split.keepAlive == whole.keepAlive)
            #expect(split.headers.map { "\($0.name)=\($0.value)" } == whole.headers.map { "\($0.name)=\($0.value)" })
        }
        return whole
    }

    @Test func contentLengthBodyInAnyPieces() throws {
        let response = try Self.parseInEveryPieceSize(
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-Note:  spaced\t \r\n\r\n{\"a\":\"b c\"}")
        #expect(response.status == 201)
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"a\":\"b c\"}")
        #expect(response.headers["content-type"] == ["application/json"])
        #expect(response.headers["X-Note"] == ["spaced"])
        #expect(response.keepAlive)
    }

    @Test func chunkedBodyWithExtensionsAndTrailersInAnyPieces() throws {
        let response = try Self.parseInEveryPieceSize(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\nA\r\n, chunked!\r\n0\r\nTrailer: x\r\n\r\n")
        #expect(String(decoding: response.body, as: UTF8.self) == "hello, chunked!")
        #expect(response.keepAlive)
    }

    @Test func interimAnswersAreSkipped() throws {
        let response = try Self.parseInEveryPieceSize(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: 1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        #expect(response.status == 200)
        #expect(response.headers["X"].isEmpty)
        #expect(response.body == Array("ok".utf8))
    }

    @Test("no body after HEAD, 204 and 304, whatever the headers announce")
    func answersWithoutABody() throws {
        let head = try #require(try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", piece: 7, head: true).response)
        #expect(head.body.isEmpty && head.keepAlive)
        for status in ["204 No Content", "304 Not Modified"] {
            let (response, leftover) = try Self.parse("HTTP/1.1 \(status)\r\nContent-Length: 3\r\n\r\n", piece: 100)
            #expect(response?.body.isEmpty == true)
            #expect(leftover == 0)
        }
    }

    @Test func keepAliveFollowsTheVersionAndConnectionHeader() throws {
        let cases: [(String, Bool)] = [
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true),
            ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false),
            ("HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 0\r\n\r\n", false),
            ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false),
            ("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", true),
        ]
        for (text, keepAlive) in cases {
            let response = try #require(try Self.parse(text, piece: 5).response)
            #expect(response.keepAlive == keepAlive, "\(text)")
        }
    }

    @Test func bodyWithoutLengthRunsUntilTheClose() throws {
        let response = try Self.parseInEveryPieceSize("HTTP/1.1 200 OK\r\n\r\nall of it", closeAtEnd: true)
        #expect(response.body == Array("all of it".utf8))
        #expect(!response.keepAlive)
        // A close in the middle of a framed body completes nothing.
        var parser = HTTPResponseParser(bodyLimit: 100)
        #expect(try parser.feed(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nall")) == nil)
        #expect(parser.connectionClosed() == nil)
        #expect(parser.hasBegun)
    }

    @Test func bytesBeyondTheResponseAreLeftOver() throws {
        let (response, leftover) = try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 408", piece: 1000)
        #expect(response?.body == [UInt8(ascii: "x")])
        #expect(leftover == 12)
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n",
        "HTTP/1.1 200 OK\r\n\r\n0123456789012345678901234",
    ])
    func bodyOverTheLimitIsRefused(text: String) throws {
        var parser = HTTPResponseParser(bodyLimit: 10)
        #expect(throws: HTTPTransportError.self) {
            _ = try parser.feed(ByteBuffer(string: text))
        }
    }

    @Test(arguments: [
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\u{1}b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    ])
    func malformedResponsesAreNamed(text: String) throws {
        var parser = HTTPResponseParser(bodyLimit: 1 << 20)
        #expect(throws: HTTPResponseParser.MalformedResponse.self) {
            _ = try parser.feed(ByteBuffer(string: text))
        }
    }

    @Test func requestIsOneBufferOfHeadAndBody() throws {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "example:6443")
        headers.add(name: "Content-Length", value: "2")
        let head = HTTPRequestHead(version: .http1_1, method: .PATCH, uri: "/api/v1/x?dryRun=All", headers: headers)
        let buffer = try HTTPRequestWriter.bytes(head: head, body: ByteBuffer(string: "{}"), allocator: ByteBufferAllocator())
        #expect(
            String(buffer: buffer) == "PATCH /api/v1/x?dryRun=All HTTP/1.1\r\nHost: example:6443\r\nContent-Length: 2\r\n\r\n{}")
    }

    @Test(arguments: ["X-Evil: a\r\nInjected: b", "Bad Name: x", "X-Null: a\u{0}"])
    func headersThatCouldEndTheHeadAreRefused(field: String) throws {
        let colon = try #require(field.firstIndex(of: ":"))
        var headers = HTTPHeaders()
        headers.add(name: String(field[..<colon]), value: String(field[field.index(after: colon)...].dropFirst()))
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: headers)
        #expect(throws: HTTPRequestWriter.InvalidRequest.self) {
            _ = try HTTPRequestWriter.bytes(head: head, body: nil, allocator: ByteBufferAllocator())
        }
    }
}
