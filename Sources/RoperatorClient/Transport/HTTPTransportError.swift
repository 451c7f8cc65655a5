/// Why one exchange on a pooled HTTP/1.1 connection failed; the client wraps it in a
/// ``KubeClientError`` with code `transport`.
struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        /// The connection was closed before the request was written: nothing reached the server.
        case notSent
        /// The connection closed (or could not be written to) before any byte of the response arrived.
        case closedBeforeResponse
        /// The connection closed in the middle of a response.
        case closedDuringResponse
        /// The exchange did not finish within the request timeout.
        case timedOut
        /// The response body grew beyond the configured limit.
        case bodyTooLarge
        /// The caller's task was cancelled.
        case cancelled
        /// The pool was shut down.
        case shutDown
    }

    var kind: Kind
    /// Extra detail, e.g. the timeout or the limit.
    var detail: String = ""
    /// What the connection reported, when it reported something.
    var underlying: (any Error)? = nil

    /// Whether a request that failed this way on a kept-alive connection may go out again on a new
    /// one: the connection closed before any byte of the response arrived, which is how a
    /// connection the server closed while it sat idle fails (the close may still be unread when the
    /// request is written).
    var isStaleConnection: Bool { kind == .notSent || kind == .closedBeforeResponse }

    var description: String {
        let text: String =
            switch kind {
            case .notSent: "connection closed before the request was sent"
            case .closedBeforeResponse: "connection closed before the response began"
            case .closedDuringResponse: "connection closed during the response"
            case .timedOut: "request timed out"
            case .bodyTooLarge: "response body exceeds the size limit"
            case .cancelled: "request cancelled"
            case .shutDown: "the client was shut down"
            }
        let described = detail.isEmpty ? text : "\(text) (\(detail))"
        return underlying.map { "\(described): \($0)" } ?? described
    }
}
