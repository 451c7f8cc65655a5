/// The custom resource types the process has declared (by building an operator configuration
/// from them), so tools such as the TestKit can install their definitions without being told.
///
/// Owns one `Lock`-guarded map from resource type to the Swift type that describes it.
public enum CustomResourceRegistry {
    private static let resources = Lock<[K8sType: any CustomResource.Type]>([:])

    /// Records `resource` so ``definition(for:)`` can build its CRD.
    public static func register<Resource: CustomResource>(_ resource: Resource.Type) {
        resources.withLock { $0[Resource.type] = Resource.self }
    }

    /// The CRD of a registered type, or `nil` when `type` was not registered.
    ///
    /// - Throws: ``SchemaDerivationError`` when the registered type's schema cannot be derived.
    public static func definition(for type: K8sType) throws(SchemaDerivationError) -> JSONValue? {
        guard let resource = resources.withLock({ $0[type] }) else { return nil }
        return try resource.customResourceDefinition()
    }
}
