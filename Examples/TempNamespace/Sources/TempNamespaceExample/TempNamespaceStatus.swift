/// The `status` the operator writes on a `TempNamespace`.
public struct TempNamespaceStatus: Codable, Sendable, Hashable {
    /// The lifecycle stage.
    public enum Phase: String, Codable, Sendable {
        /// The namespace exists (or is being created) and the deadline is ahead.
        case active = "Active"
        /// The deadline passed; the namespace is deleted or being deleted.
        case expired = "Expired"
        /// The TempNamespace itself is being deleted.
        case deleting = "Deleting"
    }

    /// The lifecycle stage.
    public var phase: Phase
    /// The namespace's name.
    public var namespace: String
    /// The deadline as an RFC 3339 time.
    public var expiresAt: String
    /// A sentence for people.
    public var message: String

    /// - Parameters: see the properties.
    public init(phase: Phase, namespace: String, expiresAt: String, message: String) {
        self.phase = phase
        self.namespace = namespace
        self.expiresAt = expiresAt
        self.message = message
    }
}
