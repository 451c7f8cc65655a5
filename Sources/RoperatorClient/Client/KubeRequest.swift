/// One API call before credentials and retries are applied.
struct KubeRequest: Sendable {
    var method: String
    /// Path below the server URL, starting with `/`, not yet percent-encoded beyond what segments need.
    var path: String
    var query: [(name: String, value: String)] = []
    var body: [UInt8]? = nil
    var contentType: String? = nil
    var headers: [(name: String, value: String)] = []

    /// GET, HEAD, PUT and DELETE may be sent twice without changing the outcome, so 5xx and
    /// connection failures are retried for them; POST and PATCH only when the server refused them (429).
    var isIdempotent: Bool { ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method) }

    /// `path?query` with the query percent-encoded.
    var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func encode(_ text: String) -> String {
        // Most names and values (field managers, label selectors of plain words) need nothing.
        guard !text.utf8.allSatisfy(isUnreserved) else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0xF))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
