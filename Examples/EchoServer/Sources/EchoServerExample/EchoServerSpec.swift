/// The `spec` of an `EchoServer`.
public struct EchoServerSpec: Codable, Sendable, Hashable {
    /// Name of the Service put in front of the echo server.
    public var serviceName: String
    /// What the server answers; the EchoServer's name when absent.
    public var message: String?
    /// Container image; ``EchoServer/defaultImage`` when absent.
    public var image: String?

    /// - Parameters:
    ///   - serviceName: The Service's name.
    ///   - message: The answer text.
    ///   - image: The container image.
    public init(serviceName: String, message: String? = nil, image: String? = nil) {
        self.serviceName = serviceName
        self.message = message
        self.image = image
    }
}
