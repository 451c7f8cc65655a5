import NIOCore
import RoperatorClient
import NIOHTTP1

extension APIError {
    /// 401 for a request without valid credentials.
    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 413 for a body over ``HTTPListener/maximumBodySize``.
    static let requestEntityTooLarge = APIError(
        code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(HTTPListener.maximumBodySize)")
}

extension APIResponse {
    /// The `Status` answer for an error, with its HTTP code and extra headers (such as `Retry-After`).
    init(error: APIError) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in error.headers.sorted(by: { $0.key < $1.key }) {
            headers.add(name: name, value: value)
        }
        self.init(
            status: HTTPResponseStatus(statusCode: error.code),
            headers: headers,
            body: .buffer(ByteBuffer(bytes: error.statusJSON.serializedBytes()))
        )
    }
}
