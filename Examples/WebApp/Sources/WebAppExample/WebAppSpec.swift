public import Roperator

/// The `spec` of a `WebApp`.
public struct WebAppSpec: Codable, Sendable, Hashable {
    /// Container image to run.
    public var image: String
    /// How many Pods; 1 when absent.
    public var replicas: Int32?
    /// The container's port, which the Service forwards port 80 to; 8080 when absent.
    public var port: Int32?

    /// - Parameters:
    ///   - image: The container image.
    ///   - replicas: How many Pods.
    ///   - port: The container's port.
    public init(image: String, replicas: Int32? = nil, port: Int32? = nil) {
        self.image = image
        self.replicas = replicas
        self.port = port
    }
}

extension WebAppSpec: SchemaAnnotated {
    /// Descriptions and validation for the generated CustomResourceDefinition.
    public static let schemaAnnotations: [String: FieldSchema] = [
        "image": FieldSchema("Container image to run.", minLength: 1),
        "replicas": FieldSchema("How many Pods; 1 when absent.", minimum: 0, maximum: 100),
        "port": FieldSchema("The container's port; 8080 when absent.", minimum: 1, maximum: 65535),
    ]
}
