/// Per child type settings given to ``OperatorConfig/withChild(_:_:)``.
///
/// ```swift
/// let config = OperatorConfig(name: "echo", parent: echoType)
///     .withChild(.deployment, .replace)
///     .withChild(.pod, .recreate)
/// ```
public struct ChildConfig: Sendable, Hashable {
    /// How existing children of this type are updated. Default ``UpdateStrategy/replace``.
    public var updateStrategy: UpdateStrategy

    /// - Parameter updateStrategy: How existing children are updated; default `.replace`.
    public init(updateStrategy: UpdateStrategy = .replace) {
        self.updateStrategy = updateStrategy
    }

    /// Update by PUT (``UpdateStrategy/replace``).
    public static let replace = ChildConfig(updateStrategy: .replace)
    /// Delete and create again (``UpdateStrategy/recreate``).
    public static let recreate = ChildConfig(updateStrategy: .recreate)
    /// Create only, never update (``UpdateStrategy/onDelete``).
    public static let onDelete = ChildConfig(updateStrategy: .onDelete)
    /// Server-side apply, forced, with the operator as field manager (``UpdateStrategy/serverSideApply``).
    public static let serverSideApply = ChildConfig(updateStrategy: .serverSideApply)
}
