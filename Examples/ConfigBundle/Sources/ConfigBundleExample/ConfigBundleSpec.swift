/// The `spec` of a `ConfigBundle`.
public struct ConfigBundleSpec: Codable, Sendable, Hashable {
    /// Keys and values applied to the ConfigMap.
    public var data: [String: String]
    /// The ConfigMap's name; the ConfigBundle's name when absent.
    public var configMapName: String?

    /// - Parameters: see the properties.
    public init(data: [String: String], configMapName: String? = nil) {
        self.data = data
        self.configMapName = configMapName
    }
}
