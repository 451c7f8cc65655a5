public import RoperatorClient

/// A consistent snapshot of one parent and its existing children, given to ``Handler/sync(_:)``.
///
/// Children are grouped by their configured type and sorted by namespace and name, so the same
/// cluster state always yields the same request. They are decoded from the cache when first read:
/// a handler that does not look at them does not pay for them.
///
/// ```swift
/// let spec = try request.spec(as: EchoSpec.self)
/// let pods = request.children(of: .pod)
/// let config = request.child(of: .configMap, named: "settings")
/// ```
public struct SyncRequest: Sendable {
    /// The parent object, exactly as cached.
    public let parent: KubeObject
    let observed: ObservedChildren

    /// - Parameters:
    ///   - parent: The parent object.
    ///   - children: Existing children by type.
    public init(parent: KubeObject, children: [K8sType: [KubeObject]] = [:]) {
        self.parent = parent
        self.observed = ObservedChildren(decoded: children)
    }

    /// A request over children read from the caches, decoded when the handler reads them.
    init(parent: KubeObject, observed: ObservedChildren) {
        self.parent = parent
        self.observed = observed
    }

    /// `namespace/name` of the parent (just `name` for cluster-scoped parents), for messages.
    public var parentKey: ParentKey { ParentKey(parent) }

    /// Existing children of `type`, sorted by namespace and name; empty when there are none.
    public func children(of type: K8sType) -> [KubeObject] {
        observed.children(of: type)
    }

    /// Every existing child, grouped by type in no particular type order.
    public var allChildren: [K8sType: [KubeObject]] { observed.all }

    /// The existing child of `type` named `name`, or `nil`.
    ///
    /// - Parameters:
    ///   - type: A configured child type.
    ///   - name: The child's `metadata.name`.
    ///   - namespace: Needed only to tell apart namespaced children of a cluster-scoped parent;
    ///     `nil` matches any namespace.
    public func child(of type: K8sType, named name: String, namespace: String? = nil) -> KubeObject? {
        children(of: type).first { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    // MARK: Typed access

    /// The whole parent decoded as `T` (a struct mirroring your custom resource).
    ///
    /// - Throws: ``CodingFailure`` with the decoder's error.
    public func parent<T: Decodable>(as type: T.Type) throws(CodingFailure) -> T {
        try CodableBridge.decode(type, from: parent.json, what: "parent \(parentKey)")
    }

    /// The parent's `spec` decoded as `T`. A missing spec decodes as `{}`, so a type whose fields
    /// are all optional still decodes.
    ///
    /// - Throws: ``CodingFailure`` with the decoder's error.
    public func spec<T: Decodable>(as type: T.Type) throws(CodingFailure) -> T {
        try CodableBridge.decode(type, from: parent.spec ?? .emptyObject, what: "spec of parent \(parentKey)")
    }

    /// The parent's current `status` decoded as `T`, or `nil` when it has none.
    ///
    /// - Throws: ``CodingFailure`` with the decoder's error.
    public func status<T: Decodable>(as type: T.Type) throws(CodingFailure) -> T? {
        guard let status = parent.status, !status.isNull else { return nil }
        return try CodableBridge.decode(type, from: status, what: "status of parent \(parentKey)")
    }

    /// Existing children of `type`, each decoded as `T`.
    ///
    /// - Throws: ``CodingFailure`` naming the first child that does not decode.
    public func children<T: Decodable>(of type: K8sType, as decoded: T.Type) throws(CodingFailure) -> [T] {
        var result: [T] = []
        for child in children(of: type) {
            result.append(try CodableBridge.decode(decoded, from: child.json, what: Self.describe(child, type)))
        }
        return result
    }

    /// The existing child of `type` named `name` decoded as `T`, or `nil` when there is none.
    ///
    /// - Throws: ``CodingFailure`` with the decoder's error.
    public func child<T: Decodable>(
        of type: K8sType, named name: String, namespace: String? = nil, as decoded: T.Type
    ) throws(CodingFailure) -> T? {
        guard let child = child(of: type, named: name, namespace: namespace) else { return nil }
        return try CodableBridge.decode(decoded, from: child.json, what: Self.describe(child, type))
    }

    private static func describe(_ child: KubeObject, _ type: K8sType) -> String {
        "child \(type.kind) \(ParentKey(namespace: child.namespace, name: child.name ?? ""))"
    }
}
