/// The `type` of a Kubernetes Event.
public enum EventType: String, Sendable, Hashable {
    /// Something went as expected.
    case normal = "Normal"
    /// Something needs attention: a failed sync, an invalid child.
    case warning = "Warning"
}
