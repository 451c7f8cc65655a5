/// The `status` the operator writes on a `FeatureFlags`.
public struct FeatureFlagsStatus: Codable, Sendable, Hashable {
    /// The ConfigMap's name.
    public var configMap: String
    /// The flags that are on, sorted.
    public var enabled: [String]
    /// A sentence for people.
    public var message: String

    /// - Parameters: see the properties.
    public init(configMap: String, enabled: [String], message: String) {
        self.configMap = configMap
        self.enabled = enabled
        self.message = message
    }
}
