import RoperatorClient

/// One injected failure: which requests it hits, how often, and what they get instead of an answer.
///
/// ```swift
/// // Every second list fails with 503 until removed.
/// server.faults.add(FaultRule(.serviceUnavailable, verbs: [.list], probability: 0.5))
/// // The next three writes get 429 with Retry-After: 1.
/// server.faults.add(FaultRule(.tooManyRequests(retryAfterSeconds: 1), verbs: [.create, .update, .patch], count: 3))
/// ```
public struct FaultRule: Sendable, Hashable {
    /// The error returned instead of the real answer.
    public enum Failure: Sendable, Hashable {
        /// 500 InternalError.
        case internalError
        /// 503 ServiceUnavailable.
        case serviceUnavailable
        /// 429 TooManyRequests with a `Retry-After` header.
        case tooManyRequests(retryAfterSeconds: Int)
        /// 409 Conflict, as if another writer had won.
        case conflict
    }

    /// What the hit requests get.
    public var failure: Failure
    /// The verbs hit; empty means every verb.
    public var verbs: Set<APIVerb>
    /// Resource plurals hit (e.g. `configmaps`); empty means every resource.
    public var resources: Set<String>
    /// The chance that a matching request fails, 0...1.
    public var probability: Double
    /// How many requests this rule fails before it retires itself; `nil` for no limit.
    public var count: Int?

    /// - Parameters:
    ///   - failure: the error returned.
    ///   - verbs: verbs hit; empty (the default) for all.
    ///   - resources: resource plurals hit; empty (the default) for all.
    ///   - probability: chance that a matching request fails; 1 (the default) fails every one.
    ///   - count: fail at most this many requests; `nil` (the default) for no limit.
    public init(_ failure: Failure, verbs: Set<APIVerb> = [], resources: Set<String> = [], probability: Double = 1, count: Int? = nil) {
        self.failure = failure
        self.verbs = verbs
        self.resources = resources
        self.probability = probability
        self.count = count
    }

    func matches(verb: APIVerb, resource: String) -> Bool {
        (verbs.isEmpty || verbs.contains(verb)) && (resources.isEmpty || resources.contains(resource))
    }
}

extension FaultRule.Failure {
    /// The `Status` error a hit request gets.
    func error(resource: String, name: String?) -> APIError {
        switch self {
        case .internalError:
            return .internalError("injected fault")
        case .serviceUnavailable:
            return APIError(
                code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request (injected fault)")
        case .tooManyRequests(let seconds):
            return APIError(
                code: 429, reason: "TooManyRequests", message: "too many requests, please try again later (injected fault)",
                details: ["retryAfterSeconds": .int(Int64(seconds))], headers: ["Retry-After": String(seconds)])
        case .conflict:
            return APIError(
                code: 409, reason: "Conflict",
                message: "Operation cannot be fulfilled on \(resource) \"\(name ?? "")\": injected conflict, please retry",
                details: name.map { JSONValue.object(["name": .string($0), "kind": .string(resource)]) })
        }
    }
}
