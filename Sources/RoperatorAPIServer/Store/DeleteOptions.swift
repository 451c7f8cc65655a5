package import RoperatorClient

/// `DeleteOptions`: from the request body and/or query parameters.
package struct DeleteOptions: Sendable, Hashable {
    /// How dependents (objects whose `ownerReferences` name the deleted object) are treated.
    package enum Propagation: String, Sendable, Hashable {
        /// Delete the object now, then its dependents.
        case background = "Background"
        /// Keep the object (with the `foregroundDeletion` finalizer) until its blocking dependents are gone.
        case foreground = "Foreground"
        /// Remove the owner reference from the dependents and keep them.
        case orphan = "Orphan"
    }

    /// `propagationPolicy`; `nil` means the type's default (Background).
    package var propagationPolicy: Propagation?
    /// `preconditions.uid`: 409 when the object's uid differs.
    package var preconditionUID: String?
    /// `preconditions.resourceVersion`: 409 when the object's resourceVersion differs.
    package var preconditionResourceVersion: String?
    /// `gracePeriodSeconds`, recorded as `deletionGracePeriodSeconds` on objects kept by finalizers.
    package var gracePeriodSeconds: Int64?
    /// `dryRun=All`.
    package var dryRun: Bool

    package init(
        propagationPolicy: Propagation? = nil, preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil, gracePeriodSeconds: Int64? = nil, dryRun: Bool = false
    ) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }

    /// Reads a `DeleteOptions` body (kind DeleteOptions, any apiVersion); `nil` or `null` gives the defaults.
    ///
    /// The deprecated `orphanDependents` is honoured when `propagationPolicy` is absent.
    /// - Throws: 400 BadRequest for an unknown propagation policy.
    package init(body: JSONValue?) throws(APIError) {
        self.init()
        guard let body, !body.isNull else { return }
        guard body.objectValue != nil else { throw .badRequest("DeleteOptions must be a JSON object") }
        if let policy = body["propagationPolicy"]?.stringValue {
            guard let p = Propagation(rawValue: policy) else {
                throw .badRequest(
                    "propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
            }
            propagationPolicy = p
        } else if let orphan = body["orphanDependents"]?.boolValue {
            propagationPolicy = orphan ? .orphan : .background
        }
        preconditionUID = body[path: "preconditions", "uid"]?.stringValue
        preconditionResourceVersion = body[path: "preconditions", "resourceVersion"]?.stringValue
        gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue
        if let dry = body["dryRun"]?.arrayValue, dry.contains("All") { dryRun = true }
    }
}
