import NIOCore
import NIOHTTP1

/// Writes one HTTP/1.1 request, head and body, as the bytes a pooled connection sends in one write.
///
/// The caller supplies the framing headers (`Host`, `Content-Length`); the writer adds nothing.
/// Names must be tokens and values free of control characters other than tab, so that no header
/// can end the head early or smuggle a second request.
enum HTTPRequestWriter {
    /// Why a request cannot be written; nothing was sent.
    struct InvalidRequest: Error, Sendable, CustomStringConvertible {
        var reason: String
        var description: String { "invalid HTTP request: \(reason)" }
    }

    /// The request's bytes, allocated once at their final size.
    static func bytes(
        head: HTTPRequestHead, body: ByteBuffer?, allocator: ByteBufferAllocator
    ) throws(InvalidRequest) -> ByteBuffer {
        let method = head.method.rawValue
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else {
            throw InvalidRequest(reason: "method \"\(method)\"")
        }
        guard !head.uri.isEmpty, head.uri.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw InvalidRequest(reason: "target \"\(head.uri)\"")
        }
        var size = method.utf8.count + head.uri.utf8.count + 14 // " ", " HTTP/1.1\r\n", "\r\n"
        for (name, value) in head.headers {
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                throw InvalidRequest(reason: "header name \"\(name)\"")
            }
            guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else {
                throw InvalidRequest(reason: "control character in the value of header \(name)")
            }
            size += name.utf8.count + value.utf8.count + 4
        }
        let bodyBytes = body?.readableBytes ?? 0
        var buffer = allocator.buffer(capacity: size + bodyBytes)
        buffer.writeString(method)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(head.uri)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        for (name, value) in head.headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        if let body, bodyBytes > 0 { buffer.writeImmutableBuffer(body) }
        return buffer
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
