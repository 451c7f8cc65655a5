/// A failure of the client itself rather than an answer from the API server (those are ``KubeAPIError``):
/// bad configuration, a connection that failed, a response that could not be understood.
///
/// New kinds of failure can be added without breaking callers: compare with the `static let` values.
public struct KubeClientError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum _Code: Hashable {
            case invalidConfiguration, transport, invalidResponse, lineTooLong, unknownKind, shutDown
        }
        private let code: _Code
        private init(_ code: _Code) { self.code = code }

        /// The configuration (server URL, TLS material) is unusable.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The request could not be sent or the connection failed while reading the answer.
        public static let transport = Code(.transport)
        /// The server answered with something that is not what the API promises (e.g. malformed JSON).
        public static let invalidResponse = Code(.invalidResponse)
        /// A watch stream sent a line longer than ``KubeClient/Options/maxWatchLineLength``.
        public static let lineTooLong = Code(.lineTooLong)
        /// Discovery does not know the requested apiVersion and kind.
        public static let unknownKind = Code(.unknownKind)
        /// The client was used after ``KubeClient/shutdown()``.
        public static let shutDown = Code(.shutDown)

        public var description: String { "\(code)" }
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, without secrets.
    public var message: String
    /// The underlying error, when there is one (a connection, HTTP, NIOSSL or JSON parse error).
    public var underlying: (any Error)?

    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What happened; must not contain credentials.
    ///   - underlying: The error that caused it.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(code): \(message): \(underlying)" }
        return "\(code): \(message)"
    }
}
