/// The Kubernetes resource a request path names: what a span is called after and described by.
///
/// Parsed only when a span records, so that requests pay nothing for it otherwise. Paths that name
/// no resource (`/version`, discovery documents, `/openapi/v2`) give `nil`.
struct ResourcePath: Sendable, Hashable {
    /// API group; empty for the core group (`/api/v1`).
    var group: String
    /// Plural resource name, e.g. `pods`.
    var resource: String
    /// Subresource such as `status` or `scale`.
    var subresource: String?
    var namespace: String?
    var name: String?

    /// The resource of a path such as `/api/v1/namespaces/default/pods/web/status`.
    init?(path: String) {
        var segments = path.split(separator: "/")[...]
        switch segments.popFirst() {
        case "api":
            group = ""
        case "apis":
            guard let named = segments.popFirst() else { return nil }
            group = String(named)
        default:
            return nil
        }
        guard segments.popFirst() != nil, !segments.isEmpty else { return nil } // the version
        // `namespaces/{ns}/{resource}`; but `namespaces/{ns}/status` and `.../finalize` are the
        // namespace object's own subresources.
        if segments.count >= 3, segments.first == "namespaces",
            !Self.namespaceSubresources.contains(segments[segments.startIndex + 2])
        {
            namespace = String(segments[segments.startIndex + 1])
            segments = segments.dropFirst(2)
        }
        resource = String(segments.removeFirst())
        name = segments.popFirst().map(String.init)
        subresource = segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    private static let namespaceSubresources: Set<Substring> = ["status", "finalize"]

    /// `resource/subresource` (e.g. `pods/status`), the low-cardinality part of a span name.
    var qualifiedResource: String {
        subresource.map { "\(resource)/\($0)" } ?? resource
    }

    /// The Kubernetes API verb (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
    /// `deletecollection`) of an HTTP method on this path.
    func verb(method: String, watch: Bool) -> String {
        switch method {
        case "GET", "HEAD": watch ? "watch" : (name == nil ? "list" : "get")
        case "POST": "create"
        case "PUT": "update"
        case "PATCH": "patch"
        case "DELETE": name == nil ? "deletecollection" : "delete"
        default: method.lowercased()
        }
    }
}
