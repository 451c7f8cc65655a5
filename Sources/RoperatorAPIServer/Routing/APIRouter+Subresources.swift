import RoperatorClient

extension APIRouter {
    /// `<plural>/<name>/scale`: get, update and patch of the `Scale`.
    func performScale(_ verb: APIVerb, info: ResourceInfo, path: ResourcePath, request: APIRequest) throws(APIError)
        -> APIResponse
    {
        let name = path.name ?? ""
        switch verb {
        case .get:
            return .json(try store.scale(info, namespace: path.namespace, name: name))
        case .update:
            return .json(
                try store.replaceScale(
                    info, namespace: path.namespace, name: name, scale: try Self.decodeObject(request),
                    options: try Self.writeOptions(request)))
        case .patch:
            let type = try PatchType(contentType: request.headers.first(name: "content-type") ?? "")
            return .json(
                try store.patchScale(
                    info, namespace: path.namespace, name: name, type: type, body: request.bodyBytes,
                    options: try Self.writeOptions(request)))
        default:
            throw .methodNotAllowed()
        }
    }

    /// `SelfSubjectAccessReview` and `SelfSubjectRulesReview`: answered from the server's
    /// authorization (RBAC when enforced, else everything is allowed) for the requesting user.
    func performReview(_ verb: APIVerb, info: ResourceInfo, request: APIRequest) throws(APIError) -> APIResponse {
        guard verb == .create else { throw .methodNotAllowed() }
        var review = try Self.decodeObject(request)
        guard review.objectValue != nil else { throw .badRequest("the body of the request must be a JSON object") }
        if let kind = review["kind"]?.stringValue, !kind.isEmpty, kind != info.kind {
            throw .badRequest("the kind of the object (\(kind)) does not match the kind on the URL (\(info.kind))")
        }
        review["kind"] = .string(info.kind)
        review["apiVersion"] = .string(info.apiVersion)
        review["metadata"] = ["creationTimestamp": .null]
        if review["spec"] == nil { review["spec"] = .emptyObject }
        switch info.kind {
        case "SelfSubjectAccessReview":
            guard review[path: "spec", "resourceAttributes"] != nil || review[path: "spec", "nonResourceAttributes"] != nil
            else {
                throw .invalid(
                    group: info.group, kind: info.kind, name: "",
                    causes: [
                        .init(
                            reason: "FieldValueRequired", field: "spec.resourceAttributes",
                            message: "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified")
                    ])
            }
            review["status"] = accessReviewStatus(review["spec"], user: request.user)
        default:
            let namespace = review[path: "spec", "namespace"]?.stringValue ?? ""
            review["status"] = rulesReviewStatus(namespace: namespace, user: request.user)
        }
        return try .object(review, status: .created, format: request.responseFormat)
    }
}
