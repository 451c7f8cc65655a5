package import RoperatorClient

// The store keys objects with the client's `ObjectKey` (one key type in the package). Within the
// store a cluster-scoped object's namespace is `nil`; `storeNamespace` reads it as `""`, which
// orders first, as the key's own ordering does.
extension ObjectKey {
    /// A key from the store's spelling of a namespace (`""` for cluster-scoped objects).
    package init(storeNamespace namespace: String, name: String) {
        self.init(namespace: namespace.isEmpty ? nil : namespace, name: name)
    }

    /// The namespace, `""` for cluster-scoped objects.
    package var storeNamespace: String { namespace ?? "" }
}

/// An object's full address in the store.
struct ObjectRef: Sendable, Hashable {
    var resource: GroupResource
    var key: ObjectKey
}
