/// An error answered by the API server: the typed form of a `Status` object (or of a non-`Status`
/// error body, in which case ``reason`` is ``Reason/unknown`` and ``message`` holds the start of the body).
///
/// ```swift
/// do {
///     _ = try await client.get(.configMap, namespace: "default", name: "missing")
/// } catch let error as KubeAPIError where error.isNotFound {
///     // create it
/// }
/// ```
///
/// The message never contains request headers, so an `Authorization` value cannot leak through it.
public struct KubeAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// HTTP status code (`Status.code`, or the response status when the body has none).
    public var code: Int
    /// Machine-readable reason (`Status.reason`).
    public var reason: Reason
    /// Human-readable message (`Status.message`), or the start of a non-`Status` body.
    public var message: String
    /// Extra detail about the object concerned (`Status.details`).
    public var details: Details?

    /// - Parameters:
    ///   - code: HTTP status code.
    ///   - reason: Machine-readable reason.
    ///   - message: Human-readable message.
    ///   - details: Extra detail, when the server sent any.
    public init(code: Int, reason: Reason, message: String, details: Details? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    /// A `metav1.Status` reason. Open-ended: the server may send reasons this list does not name.
    public struct Reason: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The reason as the server spelled it; empty when it sent none.
        public var rawValue: String

        /// A reason as the server spells it.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        /// A reason from a literal, e.g. `"NotFound"`.
        public init(stringLiteral value: String) { self.rawValue = value }

        public var description: String { rawValue.isEmpty ? "Unknown" : rawValue }

        /// No reason given (or a non-`Status` body).
        public static let unknown = Reason("")
        /// The object or resource does not exist (404).
        public static let notFound = Reason("NotFound")
        /// Create of a name that is taken (409).
        public static let alreadyExists = Reason("AlreadyExists")
        /// A stale resourceVersion or failed precondition (409).
        public static let conflict = Reason("Conflict")
        /// The requested resourceVersion is too old (watch or list with a compacted version).
        public static let gone = Reason("Gone")
        /// Same meaning as ``gone``; some servers send `Expired` for an expired `continue` token.
        public static let expired = Reason("Expired")
        /// Validation failed; see ``KubeAPIError/Details/causes`` (422).
        public static let invalid = Reason("Invalid")
        /// Malformed request (400).
        public static let badRequest = Reason("BadRequest")
        /// Credentials missing or rejected (401).
        public static let unauthorized = Reason("Unauthorized")
        /// Authorization (RBAC) denied the request (403).
        public static let forbidden = Reason("Forbidden")
        /// The resource does not support the verb (405).
        public static let methodNotAllowed = Reason("MethodNotAllowed")
        /// No acceptable response encoding (406).
        public static let notAcceptable = Reason("NotAcceptable")
        /// The request body is too large (413).
        public static let requestEntityTooLarge = Reason("RequestEntityTooLarge")
        /// The patch or body content type is not supported (415).
        public static let unsupportedMediaType = Reason("UnsupportedMediaType")
        /// Throttled by API priority and fairness (429); retry later.
        public static let tooManyRequests = Reason("TooManyRequests")
        /// Server-side failure (500).
        public static let internalError = Reason("InternalError")
        /// The server cannot serve now (503).
        public static let serviceUnavailable = Reason("ServiceUnavailable")
        /// The request could not complete in time (504).
        public static let timeout = Reason("Timeout")
        /// The server gave up on the request; it may be retried.
        public static let serverTimeout = Reason("ServerTimeout")
    }

    /// `Status.details`: which object the error is about, and per-field causes.
    public struct Details: Sendable, Hashable {
        /// Name of the object concerned.
        public var name: String?
        /// API group of the object concerned.
        public var group: String?
        /// Kind (or resource) of the object concerned.
        public var kind: String?
        /// UID of the object concerned.
        public var uid: String?
        /// Seconds the client should wait before retrying, when the server suggests it.
        public var retryAfterSeconds: Int?
        /// Individual causes, e.g. one per invalid field.
        public var causes: [Cause]

        /// Details as decoded from `Status.details`.
        public init(
            name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
            retryAfterSeconds: Int? = nil, causes: [Cause] = []
        ) {
            self.name = name
            self.group = group
            self.kind = kind
            self.uid = uid
            self.retryAfterSeconds = retryAfterSeconds
            self.causes = causes
        }
    }

    /// One entry of `Status.details.causes`, e.g. a validation failure on one field.
    public struct Cause: Sendable, Hashable {
        /// e.g. `FieldValueRequired`.
        public var reason: String?
        /// Human-readable description.
        public var message: String?
        /// e.g. `spec.replicas`.
        public var field: String?

        /// A cause as decoded from `Status.details.causes`.
        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// The object (or the resource type) does not exist.
    public var isNotFound: Bool { reason == .notFound || (reason == .unknown && code == 404) }
    /// A create collided with an existing name.
    public var isAlreadyExists: Bool { reason == .alreadyExists }
    /// A write lost a race (stale resourceVersion or failed precondition), HTTP 409 other than AlreadyExists.
    public var isConflict: Bool { reason == .conflict || (code == 409 && reason != .alreadyExists) }
    /// The resourceVersion asked for is no longer available: relist.
    public var isGone: Bool { code == 410 || reason == .gone || reason == .expired }
    /// The object failed validation.
    public var isInvalid: Bool { reason == .invalid || code == 422 }
    /// The server throttled the request.
    public var isTooManyRequests: Bool { reason == .tooManyRequests || code == 429 }
    /// The credentials were rejected (after one refresh).
    public var isUnauthorized: Bool { code == 401 }
    /// RBAC denied the request.
    public var isForbidden: Bool { code == 403 }

    public var description: String {
        var text = "Kubernetes API error \(code) \(reason): \(message)"
        if let details, let name = details.name {
            var kind = details.kind ?? "object"
            if let group = details.group, !group.isEmpty { kind += ".\(group)" }
            text += " (\(kind) \"\(name)\")"
        }
        return text
    }

    /// Longest stretch of a non-`Status` body kept in ``message``.
    static let maxBodyExcerpt = 512
}

extension KubeAPIError {
    /// Reads a `Status` object; `nil` when `json` is not one (no `kind: Status` and no `code`/`reason`).
    ///
    /// - Parameters:
    ///   - json: The decoded body or watch `ERROR` event object.
    ///   - httpStatus: The response status, used when the `Status` carries no `code`.
    public init?(status json: JSONValue, httpStatus: Int? = nil) {
        guard json.objectValue != nil else { return nil }
        let isStatus = json["kind"]?.stringValue == "Status"
        guard isStatus || json["reason"] != nil || json["code"] != nil else { return nil }
        let code = json["code"]?.intValue.map(Int.init) ?? httpStatus ?? 500
        var details: Details?
        if let d = json["details"], d.objectValue != nil {
            let causes = (d["causes"]?.arrayValue ?? []).map {
                Cause(reason: $0["reason"]?.stringValue, message: $0["message"]?.stringValue, field: $0["field"]?.stringValue)
            }
            details = Details(
                name: d["name"]?.stringValue, group: d["group"]?.stringValue, kind: d["kind"]?.stringValue,
                uid: d["uid"]?.stringValue, retryAfterSeconds: d["retryAfterSeconds"]?.intValue.map(Int.init),
                causes: causes)
        }
        self.init(
            code: code, reason: Reason(json["reason"]?.stringValue ?? ""),
            message: json["message"]?.stringValue ?? "", details: details)
    }

    /// The error for a failed response: its `Status` body when it has one, else the code and the start of the body.
    ///
    /// - Parameters:
    ///   - httpStatus: Response status code.
    ///   - body: Response body bytes.
    public init(httpStatus: Int, body: [UInt8]) {
        let json: JSONValue?
        do {
            json = try JSONValue(parsing: body)
        } catch {
            // Not JSON (a proxy's HTML page, plain text): reported below with the body's text.
            json = nil
        }
        if let json, let status = KubeAPIError(status: json, httpStatus: httpStatus) {
            self = status
            return
        }
        let excerpt = body.prefix(Self.maxBodyExcerpt)
        var text = String(decoding: excerpt, as: UTF8.self)
        if body.count > Self.maxBodyExcerpt { text += "… (\(body.count) bytes)" }
        self.init(code: httpStatus, reason: Self.defaultReason(forHTTPStatus: httpStatus), message: text)
    }

    /// The reason the API server would use for a bare HTTP status.
    static func defaultReason(forHTTPStatus code: Int) -> Reason {
        switch code {
        case 400: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 406: .notAcceptable
        case 409: .conflict
        case 410: .gone
        case 413: .requestEntityTooLarge
        case 415: .unsupportedMediaType
        case 422: .invalid
        case 429: .tooManyRequests
        case 500: .internalError
        case 503: .serviceUnavailable
        case 504: .timeout
        default: .unknown
        }
    }
}
