/// Names one object of a known type: `namespace/name`, or `name` for cluster-scoped objects.
///
/// The one key type of the package: the runtime's work queue and caches key parents and children
/// with it (as `ParentKey` in `Roperator`).
///
/// ```swift
/// let key = ObjectKey(namespace: "default", name: "web")
/// print(key)   // default/web
/// ```
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Namespace; `nil` for cluster-scoped objects.
    public var namespace: String?
    /// Name.
    public var name: String

    /// - Parameters:
    ///   - namespace: Namespace, `nil` for cluster-scoped objects.
    ///   - name: Name.
    public init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of `object` (its namespace and name).
    public init(_ object: KubeObject) {
        self.init(namespace: object.namespace, name: object.name ?? "")
    }

    /// `namespace/name`, or `name` when cluster-scoped.
    public var description: String {
        if let namespace { return "\(namespace)/\(name)" }
        return name
    }

    /// Orders by namespace, then name.
    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}
