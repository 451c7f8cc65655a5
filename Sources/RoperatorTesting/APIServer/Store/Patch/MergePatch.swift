import RoperatorClient

/// RFC 7386 JSON merge patch.
enum MergePatch {
    /// `target` with `patch` merged in: objects merge member by member, `null` removes a member,
    /// anything else (arrays included) replaces.
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let members) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in members {
            if value.isNull {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
