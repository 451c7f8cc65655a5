public import RoperatorClient

/// One rule of a Kubernetes `ClusterRole` or `Role` (`rbac.authorization.k8s.io/v1` `PolicyRule`):
/// these verbs on these resources of these API groups, optionally only for the named objects.
public struct RBACRule: Sendable, Hashable, CustomStringConvertible {
    /// API groups; `""` is the core group.
    public var apiGroups: [String]
    /// Resources by plural, subresources as `plural/subresource`.
    public var resources: [String]
    /// Object names the rule is limited to; empty means every object.
    public var resourceNames: [String]
    /// Verbs such as `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`.
    public var verbs: [String]

    /// A rule; see the properties.
    public init(apiGroups: [String], resources: [String], resourceNames: [String] = [], verbs: [String]) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.verbs = verbs
    }

    /// The rule as the API writes it (empty `resourceNames` left out).
    public var json: JSONValue {
        var rule: [String: JSONValue] = [
            "apiGroups": .array(apiGroups.map(JSONValue.string)),
            "resources": .array(resources.map(JSONValue.string)),
            "verbs": .array(verbs.map(JSONValue.string)),
        ]
        if !resourceNames.isEmpty { rule["resourceNames"] = .array(resourceNames.map(JSONValue.string)) }
        return .object(rule)
    }

    public var description: String { json.serialized() }
}
