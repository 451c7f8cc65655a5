/// The `spec` of a `FeatureFlags`.
public struct FeatureFlagsSpec: Codable, Sendable, Hashable {
    /// Flag names and whether each is on.
    public var flags: [String: Bool]

    /// - Parameter flags: Flag names and whether each is on.
    public init(flags: [String: Bool]) {
        self.flags = flags
    }
}
