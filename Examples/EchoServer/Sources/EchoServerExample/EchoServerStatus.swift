/// The `status` the operator writes on an `EchoServer`.
public struct EchoServerStatus: Codable, Sendable, Hashable {
    /// A sentence about where the echo server stands, derived from its Pod.
    public var message: String
    /// The Pod's `status.phase` (`Pending`, `Running`, ...), absent before the Pod exists.
    public var podPhase: String?
    /// The Service in front of the Pod.
    public var serviceName: String

    /// - Parameters:
    ///   - message: The sentence.
    ///   - podPhase: The Pod's phase.
    ///   - serviceName: The Service's name.
    public init(message: String, podPhase: String?, serviceName: String) {
        self.message = message
        self.podPhase = podPhase
        self.serviceName = serviceName
    }
}
