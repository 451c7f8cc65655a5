package import RoperatorClient

/// One served resource at one group-version: everything discovery and the store need to know.
package struct ResourceInfo: Sendable, Hashable {
    /// API group, `""` for core.
    package var group: String
    /// Version served, e.g. `v1`.
    package var version: String
    /// Kind, e.g. `ConfigMap`.
    package var kind: String
    /// Kind of the list, e.g. `ConfigMapList`.
    package var listKind: String
    /// URL plural, e.g. `configmaps`.
    package var plural: String
    /// Singular, e.g. `configmap`.
    package var singular: String
    /// Short names for kubectl, e.g. `["cm"]`.
    package var shortNames: [String]
    /// Categories, e.g. `["all"]`.
    package var categories: [String]
    /// Whether objects live in namespaces.
    package var namespaced: Bool
    /// Verbs for discovery.
    package var verbs: [String]
    /// Whether `<plural>/status` is a subresource (then main writes ignore `status`).
    package var hasStatus: Bool
    /// Whether this resource is served because of a CustomResourceDefinition.
    package var isCustom: Bool
    /// The CRD's `openAPIV3Schema` for this version, when there is one.
    package var schema: JSONValue? {
        didSet { structuralSchema = Self.structural(schema, isCustom: isCustom) }
    }
    /// `schema` parsed for pruning, defaulting and validation of custom resources; `nil` for
    /// built-in kinds and CRD versions without a schema.
    package private(set) var structuralSchema: StructuralSchema?
    /// Whether this version is the storage version (CRDs; built-ins have one version).
    package var isStorageVersion: Bool

    package static let standardVerbs = [
        "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch",
    ]

    package init(
        group: String, version: String, kind: String, plural: String, singular: String? = nil,
        shortNames: [String] = [], categories: [String] = [], namespaced: Bool = true,
        verbs: [String] = ResourceInfo.standardVerbs, hasStatus: Bool = false, isCustom: Bool = false,
        schema: JSONValue? = nil, listKind: String? = nil, isStorageVersion: Bool = true
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.listKind = listKind ?? kind + "List"
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.shortNames = shortNames
        self.categories = categories
        self.namespaced = namespaced
        self.verbs = verbs
        self.hasStatus = hasStatus
        self.isCustom = isCustom
        self.schema = schema
        self.structuralSchema = Self.structural(schema, isCustom: isCustom)
        self.isStorageVersion = isStorageVersion
    }

    private static func structural(_ schema: JSONValue?, isCustom: Bool) -> StructuralSchema? {
        guard isCustom, let schema else { return nil }
        let parsed = StructuralSchema(parsing: schema)
        // A root that keeps every field and checks nothing but being an object costs nothing to skip.
        if parsed.prunesNothing, parsed == StructuralSchema.preserveEverything { return nil }
        return parsed
    }

    /// `group/version`, or `version` for the core group.
    package var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The storage key: objects are shared by every version of a group-resource.
    package var groupResource: GroupResource { GroupResource(group: group, resource: plural) }

    /// The client-side description of this type.
    package var type: K8sType {
        K8sType(group: group, version: version, kind: kind, plural: plural, namespaced: namespaced)
    }
}

/// A group and a resource plural: the unit of storage, shared by all served versions.
package struct GroupResource: Sendable, Hashable, CustomStringConvertible {
    package var group: String
    package var resource: String

    package init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }

    package var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

/// A served API group with its versions, for `/apis` discovery.
package struct APIGroupInfo: Sendable, Hashable {
    /// Group name, `""` for core.
    package var name: String
    /// Served versions, preferred first.
    package var versions: [String]
    /// The preferred version.
    package var preferredVersion: String { versions[0] }
}
