public import Roperator

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

extension EchoServerSpec: SchemaAnnotated {
    /// Descriptions and validation for the generated CustomResourceDefinition.
    public static let schemaAnnotations: [String: FieldSchema] = [
        "serviceName": FieldSchema(
            "Name of the Service the operator creates in front of the echo server.",
            pattern: "^[a-z]([-a-z0-9]*[a-z0-9])?$", maxLength: 63),
        "message": FieldSchema("Text the server answers with; defaults to the EchoServer's name."),
        "image": FieldSchema("Container image; defaults to hashicorp/http-echo:1.0."),
    ]
}
