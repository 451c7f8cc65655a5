/// The `status` the operator writes on a `WebApp`.
public struct WebAppStatus: Codable, Sendable, Hashable {
    /// Pods the Deployment has, as it last reported.
    public var replicas: Int32
    /// Pods that are ready.
    public var readyReplicas: Int32
    /// The label selector of the Pods, serialized, for the scale subresource.
    public var selector: String

    /// - Parameters:
    ///   - replicas: Pods the Deployment has.
    ///   - readyReplicas: Pods that are ready.
    ///   - selector: The Pods' label selector.
    public init(replicas: Int32, readyReplicas: Int32, selector: String) {
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.selector = selector
    }
}
