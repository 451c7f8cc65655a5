import RoperatorClient

/// One `rules` entry of a Role or ClusterRole, matched as kube-apiserver's RBAC authorizer matches
/// it: `*` in verbs, API groups and resources; `*/<subresource>`; `resourceNames` (empty: any);
/// `nonResourceURLs` with a trailing `*` as a prefix.
struct PolicyRule: Sendable, Hashable {
    var verbs: [String]
    var apiGroups: [String]
    var resources: [String]
    var resourceNames: [String]
    var nonResourceURLs: [String]

    init(verbs: [String], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [], nonResourceURLs: [String] = [])
    {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// A rule from its JSON form; missing lists are empty.
    init(json: JSONValue) {
        func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(
            verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
            resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    var json: JSONValue {
        var rule: [String: JSONValue] = ["verbs": .array(verbs.map(JSONValue.string))]
        if !apiGroups.isEmpty || !resources.isEmpty { rule["apiGroups"] = .array(apiGroups.map(JSONValue.string)) }
        if !resources.isEmpty { rule["resources"] = .array(resources.map(JSONValue.string)) }
        if !resourceNames.isEmpty { rule["resourceNames"] = .array(resourceNames.map(JSONValue.string)) }
        if !nonResourceURLs.isEmpty { rule["nonResourceURLs"] = .array(nonResourceURLs.map(JSONValue.string)) }
        return .object(rule)
    }

    /// Whether the rule allows the request.
    func allows(_ request: RequestAttributes) -> Bool {
        guard Self.matches(verbs, request.verb) else { return false }
        if request.isResourceRequest {
            return Self.matches(apiGroups, request.group)
                && matchesResource(request)
                && (resourceNames.isEmpty || resourceNames.contains(request.name))
        }
        return nonResourceURLs.contains { url in
            if url == "*" || url == request.path { return true }
            guard url.hasSuffix("*") else { return false }
            return request.path.hasPrefix(String(url.dropLast()))
        }
    }

    /// `value` or `*` is in `list` (a loop: this runs for every rule on every request).
    private static func matches(_ list: [String], _ value: String) -> Bool {
        for entry in list where entry == value || entry == "*" { return true }
        return false
    }

    private func matchesResource(_ request: RequestAttributes) -> Bool {
        let combined = request.combinedResource
        for resource in resources {
            if resource == "*" || resource == combined { return true }
            // `*/scale` grants that subresource of every resource.
            if !request.subresource.isEmpty, resource.count == request.subresource.count + 2,
                resource.hasPrefix("*/"), resource.hasSuffix(request.subresource)
            {
                return true
            }
        }
        return false
    }
}
