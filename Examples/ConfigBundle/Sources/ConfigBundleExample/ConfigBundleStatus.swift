/// The `status` the operator writes on a `ConfigBundle`.
public struct ConfigBundleStatus: Codable, Sendable, Hashable {
    /// The ConfigMap's name.
    public var configMap: String
    /// How many keys the operator applies.
    public var appliedKeys: Int
    /// Keys in the ConfigMap that the bundle does not set: someone else's, kept by server-side apply.
    public var otherKeys: [String]
    /// A sentence for people.
    public var message: String

    /// - Parameters: see the properties.
    public init(configMap: String, appliedKeys: Int, otherKeys: [String], message: String) {
        self.configMap = configMap
        self.appliedKeys = appliedKeys
        self.otherKeys = otherKeys
        self.message = message
    }
}
