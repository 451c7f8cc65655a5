import RoperatorClient

/// A desired child in a ``SyncResponse`` that the runtime refuses to apply.
///
/// Reported like a handler error (Warning Event, log, metric, retry); the other, valid children of
/// the same response are still applied.
public struct InvalidChildError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum _Code: Sendable, Hashable {
        case missingAPIVersion, missingKind, missingName, typeNotConfigured, namespaceMismatch, namespaceRequired,
            clusterScopedChildOfNamespacedParent, duplicate, ownedByAnotherController, existsWithoutOwner,
            invalidOwnerReference
    }

    /// Why the child was refused.
    public struct Code: Sendable, Hashable {
        fileprivate let code: _Code
        /// `apiVersion` is missing or empty.
        public static let missingAPIVersion = Code(code: .missingAPIVersion)
        /// `kind` is missing or empty.
        public static let missingKind = Code(code: .missingKind)
        /// `metadata.name` is missing or empty (`generateName` is not supported: children need
        /// stable names to be diffed).
        public static let missingName = Code(code: .missingName)
        /// The type was not declared with ``OperatorConfig/withChild(_:_:)``.
        public static let typeNotConfigured = Code(code: .typeNotConfigured)
        /// A namespaced child of a namespaced parent names another namespace, or a cluster-scoped
        /// child names a namespace.
        public static let namespaceMismatch = Code(code: .namespaceMismatch)
        /// A namespaced child of a cluster-scoped parent has no namespace.
        public static let namespaceRequired = Code(code: .namespaceRequired)
        /// Kubernetes cannot garbage-collect a cluster-scoped object owned by a namespaced one.
        public static let clusterScopedChildOfNamespacedParent = Code(code: .clusterScopedChildOfNamespacedParent)
        /// The same child appears twice in one response.
        public static let duplicate = Code(code: .duplicate)
        /// An object with this name exists and is controlled by a different owner.
        public static let ownedByAnotherController = Code(code: .ownedByAnotherController)
        /// An object with this name exists and has no controller; it is not adopted, because it
        /// may belong to a person or another tool.
        public static let existsWithoutOwner = Code(code: .existsWithoutOwner)
        /// `metadata.ownerReferences` holds an entry without `apiVersion`, `kind`, `name` or `uid`.
        public static let invalidOwnerReference = Code(code: .invalidOwnerReference)
    }

    /// Why the child was refused.
    public let code: Code
    /// `kind namespace/name` of the child, as far as known.
    public let child: String
    /// Details.
    public let message: String

    init(_ code: Code, child: KubeObject, _ message: String) {
        self.code = code
        self.child = "\(child.kind ?? "?") \(ParentKey(namespace: child.namespace, name: child.name ?? "?"))"
        self.message = message
    }

    /// A readable message naming the child.
    public var description: String { "invalid desired child \(child): \(message)" }
}
