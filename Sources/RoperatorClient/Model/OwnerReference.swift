/// An entry of `metadata.ownerReferences`: the object that owns this one, for garbage collection
/// and for finding a child's controller.
///
/// ```swift
/// var child = KubeObject(type: .configMap, namespace: "default", name: "web-config")
/// child.setOwnerReference(try OwnerReference(controllerOf: parent))
/// ```
public struct OwnerReference: Sendable, Hashable, CustomStringConvertible {
    /// The owner's `apiVersion`, e.g. `example.com/v1`.
    public var apiVersion: String
    /// The owner's kind.
    public var kind: String
    /// The owner's name (same namespace as the owned object, or cluster-scoped).
    public var name: String
    /// The owner's UID; this is what identifies the owner.
    public var uid: String
    /// Whether the owner is the managing controller; at most one reference may say `true`.
    public var controller: Bool?
    /// Whether foreground deletion of the owner waits for this object to go.
    public var blockOwnerDeletion: Bool?

    public init(
        apiVersion: String,
        kind: String,
        name: String,
        uid: String,
        controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// A reference to `owner`, by default marking it as the controller and blocking its deletion
    /// until the owned object is gone (what controllers set on the children they create).
    ///
    /// - Throws: ``KubeObjectError`` when `owner` lacks `apiVersion`, `kind`, `metadata.name` or
    ///   `metadata.uid` (an object not yet read back from the server has no UID).
    public init(controllerOf owner: KubeObject, controller: Bool = true, blockOwnerDeletion: Bool = true) throws(KubeObjectError) {
        func need(_ value: String?, _ field: String) throws(KubeObjectError) -> String {
            guard let value, !value.isEmpty else {
                throw KubeObjectError(field: field, reason: "the owner has no \(field); an owner must be read from the server first")
            }
            return value
        }
        self.init(
            apiVersion: try need(owner.apiVersion, "apiVersion"),
            kind: try need(owner.kind, "kind"),
            name: try need(owner.name, "metadata.name"),
            uid: try need(owner.uid, "metadata.uid"),
            controller: controller,
            blockOwnerDeletion: blockOwnerDeletion
        )
    }

    /// A reference from its JSON form.
    ///
    /// - Throws: ``KubeObjectError`` naming the first required field that is missing or not a string.
    public init(json: JSONValue) throws(KubeObjectError) {
        func string(_ key: String) throws(KubeObjectError) -> String {
            guard let value = json[key]?.stringValue else {
                throw KubeObjectError(field: "ownerReference", reason: "field \"\(key)\" is missing or not a string")
            }
            return value
        }
        func bool(_ key: String) throws(KubeObjectError) -> Bool? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let b = value.boolValue else {
                throw KubeObjectError(field: "ownerReference", reason: "field \"\(key)\" is not a boolean")
            }
            return b
        }
        self.init(
            apiVersion: try string("apiVersion"),
            kind: try string("kind"),
            name: try string("name"),
            uid: try string("uid"),
            controller: try bool("controller"),
            blockOwnerDeletion: try bool("blockOwnerDeletion")
        )
    }

    /// The JSON form; `controller` and `blockOwnerDeletion` are written only when set.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
        ]
        if let controller { object["controller"] = .bool(controller) }
        if let blockOwnerDeletion { object["blockOwnerDeletion"] = .bool(blockOwnerDeletion) }
        return .object(object)
    }

    /// Whether this reference marks its owner as the controller.
    public var isController: Bool { controller == true }

    /// `Kind/name (uid)`, for logs.
    public var description: String { "\(kind)/\(name) (\(uid))" }
}
