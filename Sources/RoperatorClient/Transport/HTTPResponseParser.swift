import NIOCore
import NIOHTTP1

/// Reads the HTTP/1.1 responses of one pooled connection from its bytes, one response per request.
///
/// Framing follows RFC 9112, section 6.3: no body for a `HEAD` request or a 1xx, 204 or 304
/// status; a chunked body when `Transfer-Encoding` ends with `chunked`; otherwise
/// `Content-Length`; otherwise the body runs until the server closes the connection. Interim 1xx
/// answers are skipped. Bytes arrive in pieces of any size; what a piece holds beyond the end of
/// a response stays buffered (a server that sends more than it was asked for is caught by the
/// caller, which has no request pending for it).
///
/// With ``streamsSuccessfulBody``, the body of a 2xx response is not collected: its pieces are
/// handed on as they arrive (``takeStreamedBody()``), for a watch that streams for minutes.
struct HTTPResponseParser {
    /// A whole response.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        /// Whether the connection may carry another request (HTTP/1.1 without `Connection: close`,
        /// or HTTP/1.0 with `Connection: keep-alive`; never after a body that ran until the close).
        var keepAlive: Bool
    }

    /// Why the bytes are not an HTTP/1.1 response.
    struct MalformedResponse: Error, Sendable, CustomStringConvertible {
        var reason: String
        var description: String { "malformed HTTP response: \(reason)" }
    }

    private enum State {
        /// Waiting for the status line and headers.
        case head
        /// A body of known length; `remaining` bytes to go.
        case body(remaining: Int)
        /// Waiting for a chunk-size line.
        case chunkSize
        /// Inside a chunk.
        case chunkData(remaining: Int)
        /// The CRLF after a chunk's data.
        case chunkEnd
        /// Trailer lines after the last chunk, up to an empty line.
        case trailers
        /// A body delimited by the connection's close.
        case untilClose
    }

    /// Largest status line and header section accepted.
    static let headLimit = 64 * 1024

    private let bodyLimit: Int
    private let isHeadRequest: Bool
    private var state = State.head
    private var input: ByteBuffer?
    /// Where the search for the end of the head resumes (bytes already searched).
    private var searched = 0
    private var status = 0
    private var version: (major: Int, minor: Int) = (1, 1)
    private var headers = HTTPHeaders()
    private var keepAlive = true
    private var body: [UInt8] = []
    private let streamsSuccessfulBody: Bool
    /// Whether the body under way is handed on in pieces rather than collected.
    private var streamingBody = false
    /// The pieces of a streamed body read since the last ``takeStreamedBody()``.
    private var streamed: [ByteBuffer] = []

    /// - Parameters:
    ///   - bodyLimit: Largest body accepted; more fails with ``HTTPTransportError/Kind/bodyTooLarge``.
    ///     For a streamed body, the largest chunk.
    ///   - isHeadRequest: The request was a `HEAD`: its response has no body whatever it announces.
    ///   - streamsSuccessfulBody: Hand on the body of a 2xx response in pieces (``finalHead``,
    ///     ``takeStreamedBody()``) instead of collecting it; other bodies are still collected.
    init(bodyLimit: Int, isHeadRequest: Bool = false, streamsSuccessfulBody: Bool = false) {
        self.bodyLimit = bodyLimit
        self.isHeadRequest = isHeadRequest
        self.streamsSuccessfulBody = streamsSuccessfulBody
    }

    /// The status and headers of the final (non-1xx) response, once read.
    private(set) var finalHead: (status: Int, headers: HTTPHeaders)?

    /// Whether the response's body is being streamed (a 2xx answer with ``streamsSuccessfulBody``).
    var isStreamingBody: Bool { streamingBody }

    /// Takes the pieces of a streamed body read so far, in order.
    mutating func takeStreamedBody() -> [ByteBuffer] {
        guard !streamed.isEmpty else { return [] }
        defer { streamed = [] }
        return streamed
    }

    /// Whether any byte of the response (interim answers included) has arrived.
    private(set) var hasBegun = false

    /// Takes the next bytes of the connection.
    ///
    /// - Returns: The response once its last byte arrived, else `nil`.
    /// - Throws: ``MalformedResponse`` or ``HTTPTransportError`` (`bodyTooLarge`).
    mutating func feed(_ bytes: ByteBuffer) throws -> Response? {
        if bytes.readableBytes > 0 { hasBegun = true }
        if input == nil || input!.readableBytes == 0 {
            input = bytes
        } else {
            input!.writeImmutableBuffer(bytes)
        }
        return try advance()
    }

    /// The connection closed: completes a body that runs until the close.
    ///
    /// - Returns: That response, or `nil` when the close cut a response short (or none began).
    mutating func connectionClosed() -> Response? {
        guard case .untilClose = state else { return nil }
        return finish()
    }

    /// Bytes received beyond the response.
    var leftoverBytes: Int { input?.readableBytes ?? 0 }

    private mutating func advance() throws -> Response? {
        while var buffer = input, buffer.readableBytes > 0 {
            input = nil // unique, so that reads below do not copy
            defer { input = buffer }
            switch state {
            case .head:
                guard let end = Self.endOfHead(in: buffer, from: searched) else {
                    searched = max(0, buffer.readableBytes - 3)
                    if buffer.readableBytes > Self.headLimit {
                        throw MalformedResponse(reason: "status line and headers longer than \(Self.headLimit) bytes")
                    }
                    return nil
                }
                searched = 0
                let headBytes = buffer.readSlice(length: end)!
                buffer.moveReaderIndex(forwardBy: 4)
                try readHead(headBytes)
                if (100..<200).contains(status) {
                    guard status != 101 else { throw MalformedResponse(reason: "unexpected 101 Switching Protocols") }
                    status = 0
                    headers = HTTPHeaders()
                    continue
                }
                try chooseFraming()
                finalHead = (status, headers)
                streamingBody = streamsSuccessfulBody && (200..<300).contains(status)
                if case .head = state { return finish() }
            case .body(let remaining):
                let count = min(remaining, buffer.readableBytes)
                take(count, from: &buffer)
                if count == remaining { return finish() }
                state = .body(remaining: remaining - count)
            case .chunkSize:
                guard let line = try Self.readLine(&buffer) else { return nil }
                let size = try Self.chunkSize(line)
                if size == 0 {
                    state = .trailers
                } else {
                    guard size <= bodyLimit - body.count else { throw tooLarge() }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let count = min(remaining, buffer.readableBytes)
                take(count, from: &buffer)
                state = count == remaining ? .chunkEnd : .chunkData(remaining: remaining - count)
            case .chunkEnd:
                guard buffer.readableBytes >= 2 else { return nil }
                guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw MalformedResponse(reason: "chunk not followed by CRLF") }
                state = .chunkSize
            case .trailers:
                guard let line = try Self.readLine(&buffer) else { return nil }
                if line.readableBytes == 0 { return finish() }
            case .untilClose:
                take(buffer.readableBytes, from: &buffer)
                guard streamingBody || body.count <= bodyLimit else { throw tooLarge() }
            }
        }
        return nil
    }

    /// Decides how the body is delimited, from the status, the request method and the headers.
    private mutating func chooseFraming() throws {
        if isHeadRequest || status == 204 || status == 304 {
            state = .head
            return
        }
        let encodings = headers[canonicalForm: "transfer-encoding"]
        if let last = encodings.last {
            if last.lowercased() == "chunked" {
                state = .chunkSize
            } else {
                state = .untilClose
                keepAlive = false
            }
            return
        }
        let lengths = headers["content-length"]
        if let first = lengths.first {
            guard let length = Int(first), length >= 0, lengths.allSatisfy({ $0 == first }) else {
                throw MalformedResponse(reason: "invalid Content-Length \(lengths.joined(separator: ", "))")
            }
            guard length <= bodyLimit || streamsSuccessfulBody && (200..<300).contains(status) else { throw tooLarge() }
            if !streamsSuccessfulBody { body.reserveCapacity(length) }
            state = length == 0 ? .head : .body(remaining: length)
            return
        }
        state = .untilClose
        keepAlive = false
    }

    private func tooLarge() -> HTTPTransportError {
        HTTPTransportError(kind: .bodyTooLarge, detail: "limit \(bodyLimit) bytes")
    }

    private mutating func take(_ count: Int, from buffer: inout ByteBuffer) {
        guard count > 0 else { return }
        if streamingBody {
            streamed.append(buffer.readSlice(length: count)!)
            return
        }
        buffer.withUnsafeReadableBytes { body.append(contentsOf: $0.prefix(count)) }
        buffer.moveReaderIndex(forwardBy: count)
    }

    /// Completes the response; what follows it stays in `input`.
    private mutating func finish() -> Response {
        state = .head
        return Response(status: status, headers: headers, body: body, keepAlive: keepAlive)
    }

    /// Parses the status line and the header lines (the head without its final empty line).
    private mutating func readHead(_ head: ByteBuffer) throws {
        try head.withUnsafeReadableBytes { bytes throws in
            var lineStart = 0
            var first = true
            var newHeaders = HTTPHeaders()
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                while lineEnd + 1 < bytes.count, !(bytes[lineEnd] == 0x0D && bytes[lineEnd + 1] == 0x0A) { lineEnd += 1 }
                if lineEnd + 1 >= bytes.count { lineEnd = bytes.count }
                let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                if first {
                    try readStatusLine(line)
                    first = false
                } else {
                    let (name, value) = try Self.headerField(line)
                    newHeaders.add(name: name, value: value)
                }
                lineStart = lineEnd + 2
            }
            headers = newHeaders
        }
        keepAlive = Self.keepsAlive(version: version, connection: headers[canonicalForm: "connection"])
    }

    /// `HTTP/1.1 200 OK`: the version and a three-digit status; the reason phrase is ignored.
    private mutating func readStatusLine(_ line: UnsafeRawBufferPointer) throws {
        guard line.count >= 12, line.starts(with: "HTTP/".utf8), line[5] >= 0x30, line[5] <= 0x39, line[6] == 0x2E,
            line[7] >= 0x30, line[7] <= 0x39, line[8] == 0x20
        else { throw MalformedResponse(reason: "bad status line \(Self.quoted(line))") }
        version = (Int(line[5] - 0x30), Int(line[7] - 0x30))
        guard version.major == 1 else { throw MalformedResponse(reason: "unsupported version \(Self.quoted(line))") }
        var code = 0
        for index in 9..<12 {
            let digit = line[index]
            guard digit >= 0x30, digit <= 0x39 else { throw MalformedResponse(reason: "bad status code \(Self.quoted(line))") }
            code = code * 10 + Int(digit - 0x30)
        }
        guard line.count == 12 || line[12] == 0x20, code >= 100 else {
            throw MalformedResponse(reason: "bad status line \(Self.quoted(line))")
        }
        status = code
    }

    /// `Name: value`, the value without surrounding spaces and tabs.
    private static func headerField(_ line: UnsafeRawBufferPointer) throws -> (String, String) {
        guard let colon = line.firstIndex(of: 0x3A), colon > 0 else {
            throw MalformedResponse(reason: "bad header line \(quoted(line))")
        }
        for byte in line[..<colon] where !HTTPRequestWriter.isTokenByte(byte) {
            throw MalformedResponse(reason: "bad header name \(quoted(line))")
        }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        for byte in line[start..<end] where byte < 0x20 && byte != 0x09 || byte == 0x7F {
            throw MalformedResponse(reason: "control character in header \(quoted(line))")
        }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        return (name, value)
    }

    private static func keepsAlive(version: (major: Int, minor: Int), connection: [Substring]) -> Bool {
        let tokens = connection.map { $0.lowercased() }
        if version.minor >= 1 { return !tokens.contains("close") }
        return tokens.contains("keep-alive")
    }

    /// The chunk size of a chunk-size line (hex digits, optionally `;extensions`).
    private static func chunkSize(_ line: ByteBuffer) throws -> Int {
        var size = 0
        var digits = 0
        for byte in line.readableBytesView {
            let value: Int
            switch byte {
            case 0x30...0x39: value = Int(byte - 0x30)
            case 0x41...0x46: value = Int(byte - 0x41 + 10)
            case 0x61...0x66: value = Int(byte - 0x61 + 10)
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                guard digits > 0 else { throw MalformedResponse(reason: "bad chunk size") }
                return size
            default: throw MalformedResponse(reason: "bad chunk size")
            }
            digits += 1
            guard digits <= 15 else { throw MalformedResponse(reason: "chunk size too large") }
            size = size * 16 + value
        }
        guard digits > 0 else { throw MalformedResponse(reason: "bad chunk size") }
        return size
    }

    /// Reads one CRLF-terminated line (without the CRLF), or `nil` while it is incomplete.
    private static func readLine(_ buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: 0x0A) else {
            if view.count > headLimit { throw MalformedResponse(reason: "line longer than \(headLimit) bytes") }
            return nil
        }
        let length = newline - view.startIndex
        guard length >= 1, view[newline - 1] == 0x0D else { throw MalformedResponse(reason: "line not ended by CRLF") }
        let line = buffer.readSlice(length: length - 1)!
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    /// The offset of the CRLFCRLF that ends the head, searching from `from`.
    private static func endOfHead(in buffer: ByteBuffer, from: Int) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= 4 else { return nil }
            var index = from
            while index + 3 < bytes.count {
                if bytes[index + 3] != 0x0A {
                    index += bytes[index + 3] == 0x0D ? 1 : 4
                    continue
                }
                if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D { return index }
                index += 1
            }
            return nil
        }
    }

    private static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        "\"" + String(decoding: bytes.prefix(80), as: UTF8.self) + "\""
    }
}
