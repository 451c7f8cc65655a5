extension JSONValue {
    /// The result of applying an RFC 7386 JSON merge patch to this value.
    ///
    /// An object patch merges member by member: `null` removes a member, an object merges
    /// recursively, anything else replaces. A patch that is not an object replaces the whole value.
    ///
    /// ```swift
    /// let updated = pod.applyingMergePatch(["metadata": ["labels": ["stale": nil, "app": "web"]]])
    /// ```
    public func applyingMergePatch(_ patch: JSONValue) -> JSONValue {
        var copy = self
        copy.applyMergePatch(patch)
        return copy
    }

    /// Applies an RFC 7386 JSON merge patch in place. See ``applyingMergePatch(_:)``.
    public mutating func applyMergePatch(_ patch: JSONValue) {
        guard case .object(let patchMembers) = patch else {
            self = patch
            return
        }
        var members: [String: JSONValue]
        if case .object(let existing) = self {
            members = existing
            self = .null // keep `members` uniquely referenced
        } else {
            members = [:]
        }
        for (key, patchValue) in patchMembers {
            if case .null = patchValue {
                members.removeValue(forKey: key)
            } else if case .object = patchValue {
                var child = members.removeValue(forKey: key) ?? .null
                child.applyMergePatch(patchValue)
                members[key] = child
            } else {
                members[key] = patchValue
            }
        }
        self = .object(members)
    }

    /// The RFC 7386 merge patch that turns `old` into `new`, or `nil` when they are already equal.
    ///
    /// Numbers compare by value (`1` equals `1.0`). A merge patch cannot express an object member
    /// whose new value is `null` (null means "remove"), nor a change inside an array: arrays are
    /// replaced whole.
    ///
    /// ```swift
    /// let patch = JSONValue.mergePatch(from: live, to: desired)  // nil: nothing to send
    /// ```
    public static func mergePatch(from old: JSONValue, to new: JSONValue) -> JSONValue? {
        guard case .object(let oldMembers) = old, case .object(let newMembers) = new else {
            // Not a ternary: `cond ? nil : new` would type `nil` as JSONValue.null.
            if old.isEquivalent(to: new) { return nil }
            return new
        }
        var patch: [String: JSONValue] = [:]
        for key in oldMembers.keys where newMembers[key] == nil {
            patch[key] = .null
        }
        for (key, newValue) in newMembers {
            guard let oldValue = oldMembers[key] else {
                patch[key] = newValue
                continue
            }
            if case .object = newValue, case .object = oldValue {
                if let sub = mergePatch(from: oldValue, to: newValue) { patch[key] = sub }
            } else if case .object = newValue {
                // Replacing a non-object with an object: merging into `null` builds it fresh.
                patch[key] = newValue
            } else if !oldValue.isEquivalent(to: newValue) {
                patch[key] = newValue
            }
        }
        if patch.isEmpty { return nil }
        return .object(patch)
    }
}
