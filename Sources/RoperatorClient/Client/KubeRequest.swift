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
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
