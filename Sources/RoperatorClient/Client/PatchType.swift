/// How a patch body is interpreted by the API server.
public enum PatchType: Sendable, Hashable {
    /// RFC 7386 JSON merge patch (`application/merge-patch+json`).
    case merge
    /// RFC 6902 JSON patch, an array of operations (`application/json-patch+json`).
    case jsonPatch
    /// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`); built-in types only.
    case strategicMerge
    /// Server-side apply (`application/apply-patch+yaml`, JSON is valid YAML) as `fieldManager`;
    /// `force` takes ownership of fields other managers own instead of failing with a conflict.
    case apply(fieldManager: String, force: Bool = false)

    /// The `Content-Type` header value.
    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .jsonPatch: "application/json-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }
}
