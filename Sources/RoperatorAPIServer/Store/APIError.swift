package import RoperatorClient

/// An API error as the Kubernetes API server reports it: an HTTP status code and a `Status` body.
///
/// The store throws these; the HTTP layer answers with `code` and `statusJSON`.
package struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// HTTP status code, e.g. 404.
    package var code: Int
    /// `Status.reason`, e.g. `NotFound`.
    package var reason: String
    /// Human readable message, the same text a real API server sends.
    package var message: String
    /// `Status.details`: name, group, kind and causes; `nil` for none.
    package var details: JSONValue?
    /// Extra response headers the HTTP layer should send (e.g. `Retry-After`).
    package var headers: [String: String]

    /// - Parameters:
    ///   - code: HTTP status code.
    ///   - reason: `Status.reason`.
    ///   - message: `Status.message`.
    ///   - details: `Status.details`.
    package init(code: Int, reason: String, message: String, details: JSONValue? = nil, headers: [String: String] = [:]) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = headers
    }

    /// The `Status` object for the response body.
    package var statusJSON: JSONValue {
        var status: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        if let details { status["details"] = details }
        return status
    }

    package var description: String { "\(code) \(reason): \(message)" }

    /// Builds `details` the way the real server does: empty parts are left out.
    static func details(name: String?, group: String?, kind: String?, causes: [JSONValue] = []) -> JSONValue? {
        var d: [String: JSONValue] = [:]
        if let name, !name.isEmpty { d["name"] = .string(name) }
        if let group, !group.isEmpty { d["group"] = .string(group) }
        if let kind, !kind.isEmpty { d["kind"] = .string(kind) }
        if !causes.isEmpty { d["causes"] = .array(causes) }
        return d.isEmpty ? JSONValue?.none : .object(d)
    }

    /// `plural.group` or `plural` for the core group, as used in messages.
    static func qualified(_ plural: String, group: String) -> String {
        group.isEmpty ? plural : "\(plural).\(group)"
    }
}

extension APIError {
    /// 404 `<plural> "<name>" not found`.
    package static func notFound(group: String, plural: String, name: String) -> APIError {
        APIError(
            code: 404, reason: "NotFound", message: "\(qualified(plural, group: group)) \"\(name)\" not found",
            details: details(name: name, group: group, kind: plural))
    }

    /// 404 for a path that names no served resource.
    package static func notFound(message: String = "the server could not find the requested resource") -> APIError {
        APIError(code: 404, reason: "NotFound", message: message, details: .object([:]))
    }

    /// 409 `<plural> "<name>" already exists`.
    package static func alreadyExists(group: String, plural: String, name: String) -> APIError {
        APIError(
            code: 409, reason: "AlreadyExists", message: "\(qualified(plural, group: group)) \"\(name)\" already exists",
            details: details(name: name, group: group, kind: plural))
    }

    /// 409 `Operation cannot be fulfilled on <plural> "<name>": <why>`.
    package static func conflict(group: String, plural: String, name: String, why: String, causes: [JSONValue] = [])
        -> APIError
    {
        APIError(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(qualified(plural, group: group)) \"\(name)\": \(why)",
            details: details(name: name, group: group, kind: plural, causes: causes))
    }

    /// The stale-resourceVersion conflict.
    package static func staleResourceVersion(group: String, plural: String, name: String) -> APIError {
        conflict(
            group: group, plural: plural, name: name,
            why: "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// One cause of a 422 Invalid error.
    package struct FieldCause: Sendable, Hashable {
        /// `FieldValueInvalid`, `FieldValueRequired`, `FieldValueForbidden`, ...
        package var reason: String
        /// Dotted path, e.g. `metadata.name`.
        package var field: String
        /// What is wrong, e.g. `Invalid value: "A": a lowercase RFC 1123 subdomain ...`.
        package var message: String

        package init(reason: String = "FieldValueInvalid", field: String, message: String) {
            self.reason = reason
            self.field = field
            self.message = message
        }
    }

    /// 422 `<Kind> "<name>" is invalid: <field>: <message>`.
    package static func invalid(group: String, kind: String, name: String, causes: [FieldCause]) -> APIError {
        let parts = causes.map { "\($0.field): \($0.message)" }
        let summary = parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
        let kindName = group.isEmpty ? kind : "\(kind).\(group)"
        return APIError(
            code: 422, reason: "Invalid", message: "\(kindName) \"\(name)\" is invalid: \(summary)",
            details: details(
                name: name, group: group, kind: kind,
                causes: causes.map {
                    ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)]
                }))
    }

    /// 410 Expired, for resource versions and continue tokens that fell out of the retained window.
    package static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    /// 400 BadRequest.
    package static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    /// 403 Forbidden.
    package static func forbidden(_ message: String, details: JSONValue? = nil) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: message, details: details)
    }

    /// 415 UnsupportedMediaType.
    package static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(
            code: 415, reason: "UnsupportedMediaType",
            message: "the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                + " (got \(contentType))")
    }

    /// 405 MethodNotAllowed.
    package static func methodNotAllowed(_ message: String = "the server does not allow this method on the requested resource")
        -> APIError
    {
        APIError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    /// 500 InternalError.
    package static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }

    /// 422 for a request the server understood but cannot carry out (JSON patch test failures and the like).
    package static func unprocessable(_ message: String) -> APIError {
        APIError(code: 422, reason: "Invalid", message: message)
    }
}
