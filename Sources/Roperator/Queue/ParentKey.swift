public import RoperatorClient

/// Identifies a parent in the work queue: `namespace/name`, or `name` for cluster-scoped parents.
public struct ParentKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Namespace; `nil` for cluster-scoped parents.
    public var namespace: String?
    /// Name.
    public var name: String

    /// - Parameters:
    ///   - namespace: Namespace, `nil` for cluster-scoped parents.
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
    public static func < (lhs: ParentKey, rhs: ParentKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }

    /// FNV-1a over the description: stable across processes (unlike `hashValue`), so a key always
    /// lands in the same shard.
    var stableHash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (namespace ?? "").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0x2f) &* 0x100_0000_01b3
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
