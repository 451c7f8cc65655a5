/// Where an object lives within its group-resource: namespace (`""` for cluster-scoped) and name.
/// Ordered by namespace then name, the order of lists and continue tokens.
package struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var namespace: String
    package var name: String

    package init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    package static func < (a: ObjectKey, b: ObjectKey) -> Bool {
        a.namespace != b.namespace ? a.namespace < b.namespace : a.name < b.name
    }

    package var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// An object's full address in the store.
struct ObjectRef: Sendable, Hashable {
    var resource: GroupResource
    var key: ObjectKey
}
