/// One entry of `status.conditions` in the standard `metav1.Condition` shape.
///
/// ```swift
/// parent.setCondition(StatusCondition(type: "Ready", status: .true, reason: "ChildrenReady"))
/// ```
public struct StatusCondition: Sendable, Hashable {
    /// `True`, `False` or `Unknown`.
    public enum Status: String, Sendable, Hashable {
        case `true` = "True"
        case `false` = "False"
        case unknown = "Unknown"
    }

    /// The condition type, e.g. `Ready`; unique within an object's conditions.
    public var type: String
    /// Whether the condition holds.
    public var status: Status
    /// A CamelCase machine-readable reason.
    public var reason: String?
    /// A human-readable message.
    public var message: String?
    /// RFC 3339 time the status last changed. ``KubeObject/setCondition(_:now:)`` fills it in.
    public var lastTransitionTime: String?
    /// The `metadata.generation` the condition was computed from.
    public var observedGeneration: Int64?

    public init(
        type: String,
        status: Status,
        reason: String? = nil,
        message: String? = nil,
        lastTransitionTime: String? = nil,
        observedGeneration: Int64? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }

    /// A condition from its JSON form.
    ///
    /// - Throws: ``KubeObjectError`` when `type` or `status` is missing or invalid.
    public init(json: JSONValue) throws(KubeObjectError) {
        guard let type = json["type"]?.stringValue else {
            throw KubeObjectError(field: "condition", reason: "field \"type\" is missing or not a string")
        }
        guard let raw = json["status"]?.stringValue, let status = Status(rawValue: raw) else {
            throw KubeObjectError(field: "condition \"\(type)\"", reason: "field \"status\" must be True, False or Unknown")
        }
        self.init(
            type: type,
            status: status,
            reason: json["reason"]?.stringValue,
            message: json["message"]?.stringValue,
            lastTransitionTime: json["lastTransitionTime"]?.stringValue,
            observedGeneration: json["observedGeneration"]?.intValue
        )
    }

    /// The JSON form; optional fields are written only when set.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["type": .string(type), "status": .string(status.rawValue)]
        if let reason { object["reason"] = .string(reason) }
        if let message { object["message"] = .string(message) }
        if let lastTransitionTime { object["lastTransitionTime"] = .string(lastTransitionTime) }
        if let observedGeneration { object["observedGeneration"] = .int(observedGeneration) }
        return .object(object)
    }
}
