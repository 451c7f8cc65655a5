/// Options of a delete call (`metav1.DeleteOptions`).
public struct DeleteOptions: Sendable, Hashable {
    /// What happens to dependents (objects whose ownerReferences point at the deleted one).
    public struct PropagationPolicy: Sendable, Hashable, CustomStringConvertible {
        /// The policy as the API spells it.
        public var rawValue: String
        /// A policy by name.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Dependents are deleted in the background after the owner is gone.
        public static let background = PropagationPolicy("Background")
        /// The owner stays (with a `foregroundDeletion` finalizer) until its blocking dependents are deleted.
        public static let foreground = PropagationPolicy("Foreground")
        /// Dependents are left, their ownerReferences removed.
        public static let orphan = PropagationPolicy("Orphan")
    }

    /// What happens to dependents; `nil` uses the type's default.
    public var propagationPolicy: PropagationPolicy?
    /// Delete only if the object still has this UID (it was not deleted and re-created meanwhile).
    public var preconditionUID: String?
    /// Delete only if the object is still at this resourceVersion.
    public var preconditionResourceVersion: String?
    /// Seconds before the object is deleted; `0` means immediately; `nil` uses the type's default.
    public var gracePeriodSeconds: Int?

    /// Options; all default to the server's behaviour.
    public init(
        propagationPolicy: PropagationPolicy? = nil,
        preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil,
        gracePeriodSeconds: Int? = nil
    ) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
    }

    /// The `DeleteOptions` body, `nil` when every option is at its default.
    var body: JSONValue? {
        var object: [String: JSONValue] = [:]
        if let propagationPolicy { object["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { object["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        var preconditions: [String: JSONValue] = [:]
        if let preconditionUID { preconditions["uid"] = .string(preconditionUID) }
        if let preconditionResourceVersion { preconditions["resourceVersion"] = .string(preconditionResourceVersion) }
        if !preconditions.isEmpty { object["preconditions"] = .object(preconditions) }
        guard !object.isEmpty else { return nil }
        object["apiVersion"] = "v1"
        object["kind"] = "DeleteOptions"
        return .object(object)
    }
}
