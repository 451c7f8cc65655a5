import NIOCore
import NIOHTTP1

/// One HTTP request as the API layer sees it: method, path, decoded query, headers and the whole body.
struct APIRequest: Sendable {
    var method: HTTPMethod
    /// The path without the query string, still percent-encoded.
    var path: String
    var query: QueryParameters
    var headers: HTTPHeaders
    var body: ByteBuffer
    /// Who sent it, when authentication is on; `nil` when it is off.
    var user: AuthenticatedUser?

    init(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: ByteBuffer, user: AuthenticatedUser? = nil) {
        self.method = method
        if let mark = uri.firstIndex(of: "?") {
            self.path = String(uri[..<mark])
            self.query = QueryParameters(String(uri[uri.index(after: mark)...]))
        } else {
            self.path = uri
            self.query = QueryParameters("")
        }
        self.headers = headers
        self.body = body
        self.user = user
    }

    /// The media type of the body without parameters, lower-cased; `nil` when none was sent.
    var contentType: String? {
        guard let raw = headers.first(name: "content-type") else { return nil }
        let type = raw.split(separator: ";", maxSplits: 1).first.map(String.init) ?? raw
        let trimmed = type.trimmingSpaces().lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The body bytes.
    var bodyBytes: [UInt8] { Array(body.readableBytesView) }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
