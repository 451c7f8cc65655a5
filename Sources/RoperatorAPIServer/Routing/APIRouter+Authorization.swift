import RoperatorClient

extension APIRouter {
    /// A server-side apply that would create the object needs `create` too, as kube-apiserver
    /// checks it: `nil` when allowed or when the object exists (or the request is no such apply).
    func checkCreateOnWrite(_ authorizer: Authorizer, _ attributes: RequestAttributes, _ request: APIRequest) -> APIError? {
        guard attributes.isResourceRequest, attributes.verb == "patch", attributes.subresource.isEmpty,
            !attributes.name.isEmpty,
            (try? PatchType(contentType: request.headers.first(name: "content-type") ?? "")) == .apply,
            let info = store.registry.lookup(group: attributes.group, version: attributes.version, plural: attributes.resource)
        else { return nil }
        let namespace = info.namespaced ? attributes.namespace : nil
        if (try? store.get(info, namespace: namespace, name: attributes.name)) != nil { return nil }
        var create = attributes
        create.verb = "create"
        return authorizer.check(request.user, create)
    }

    /// `SelfSubjectAccessReview`'s answer: `status` with `allowed` (and `reason` when there is one).
    func accessReviewStatus(_ spec: JSONValue?, user: AuthenticatedUser?) -> JSONValue {
        guard let authorizer else {
            return ["allowed": true, "reason": "the embedded API server allows every request"]
        }
        let attributes: RequestAttributes
        if let resource = spec?["resourceAttributes"], resource.objectValue != nil {
            func field(_ key: String) -> String { resource[key]?.stringValue ?? "" }
            attributes = RequestAttributes(
                verb: field("verb"), group: field("group"), version: field("version"), resource: field("resource"),
                subresource: field("subresource"), namespace: field("namespace"), name: field("name"))
        } else {
            let nonResource = spec?["nonResourceAttributes"]
            attributes = RequestAttributes(
                verb: nonResource?["verb"]?.stringValue ?? "", path: nonResource?["path"]?.stringValue ?? "")
        }
        let decision = authorizer.decide(user, attributes)
        var status: JSONValue = ["allowed": .bool(decision.allowed)]
        if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
        return status
    }

    /// `SelfSubjectRulesReview`'s answer: the user's resource and non-resource rules in a namespace.
    func rulesReviewStatus(namespace: String, user: AuthenticatedUser?) -> JSONValue {
        guard let authorizer else {
            return [
                "resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]],
                "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]],
                "incomplete": false,
            ]
        }
        let rules = authorizer.rules(for: user, namespace: namespace)
        var status: JSONValue = [
            "resourceRules": .array(
                rules.resource.map { rule in
                    var json = rule.json
                    if json["apiGroups"] == nil { json["apiGroups"] = .array([]) }
                    return json
                }),
            "nonResourceRules": .array(rules.nonResource.map(\.json)),
            "incomplete": .bool(!rules.errors.isEmpty),
        ]
        if !rules.errors.isEmpty {
            status["evaluationError"] = .string("[" + rules.errors.joined(separator: ", ") + "]")
        }
        return status
    }
}
