extension KubeObject {
    /// `metadata.ownerReferences`.
    ///
    /// Reading skips entries that lack a required field (the API server never stores such entries;
    /// use ``ownerReferencesStrict()`` to see the error), so setting after reading drops them too.
    /// Setting an empty list removes the field.
    public var ownerReferences: [OwnerReference] {
        get {
            (json[path: "metadata", "ownerReferences"]?.arrayValue ?? []).compactMap { entry in
                do { return try OwnerReference(json: entry) } catch { return nil }
            }
        }
        set {
            json[path: "metadata", "ownerReferences"] = newValue.isEmpty ? nil : .array(newValue.map(\.json))
        }
    }

    /// `metadata.ownerReferences`, failing on the first malformed entry.
    ///
    /// - Throws: ``KubeObjectError`` naming the entry, e.g. `metadata.ownerReferences[1]`.
    public func ownerReferencesStrict() throws(KubeObjectError) -> [OwnerReference] {
        guard let raw = json[path: "metadata", "ownerReferences"], !raw.isNull else { return [] }
        guard let entries = raw.arrayValue else {
            throw KubeObjectError(field: "metadata.ownerReferences", reason: "is not an array")
        }
        var result: [OwnerReference] = []
        for (index, entry) in entries.enumerated() {
            do {
                result.append(try OwnerReference(json: entry))
            } catch {
                throw KubeObjectError(field: "metadata.ownerReferences[\(index)]", reason: error.reason)
            }
        }
        return result
    }

    /// The owner reference marked `controller: true`, if any.
    public var controllerReference: OwnerReference? {
        ownerReferences.first(where: \.isController)
    }

    /// Whether any owner reference names the owner with this UID.
    public func isOwned(by uid: String) -> Bool {
        ownerReferences.contains { $0.uid == uid }
    }

    /// Whether the controller reference names the owner with this UID.
    public func isControlled(by uid: String) -> Bool {
        controllerReference?.uid == uid
    }

    /// Adds `reference`, replacing an existing reference to the same UID.
    public mutating func setOwnerReference(_ reference: OwnerReference) {
        var references = ownerReferences
        if let index = references.firstIndex(where: { $0.uid == reference.uid }) {
            references[index] = reference
        } else {
            references.append(reference)
        }
        ownerReferences = references
    }

    /// Makes `reference` the controller reference (setting `controller: true`), replacing an
    /// existing reference to the same UID.
    ///
    /// - Throws: ``KubeObjectError`` when another owner already controls this object; an object
    ///   has at most one controller, and taking over another's child is a bug.
    public mutating func setControllerReference(_ reference: OwnerReference) throws(KubeObjectError) {
        if let existing = controllerReference, existing.uid != reference.uid {
            throw KubeObjectError(
                field: "metadata.ownerReferences",
                reason: "already controlled by \(existing); cannot make \(reference.kind)/\(reference.name) its controller"
            )
        }
        var reference = reference
        reference.controller = true
        setOwnerReference(reference)
    }

    /// Removes the reference to the owner with this UID; returns whether there was one.
    @discardableResult
    public mutating func removeOwnerReference(uid: String) -> Bool {
        let references = ownerReferences
        let remaining = references.filter { $0.uid != uid }
        guard remaining.count != references.count else { return false }
        ownerReferences = remaining
        return true
    }
}
