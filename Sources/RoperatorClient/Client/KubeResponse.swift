/// A successful (2xx) answer from ``KubeClient/request(method:path:query:body:contentType:headers:)``.
public struct KubeResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Response headers, names as the server sent them.
    public var headers: [(name: String, value: String)]
    /// The whole body.
    public var body: [UInt8]

    /// A response, as received.
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body parsed as JSON.
    ///
    /// - Throws: ``KubeClientError/Code/invalidResponse`` with the parse error (and its byte offset) as the cause.
    public func json() throws -> JSONValue {
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw KubeClientError(.invalidResponse, "response body is not valid JSON", underlying: error)
        }
    }
}
