/// The four PATCH content types.
package enum PatchType: String, Sendable, Hashable, CaseIterable {
    /// RFC 6902, `application/json-patch+json`.
    case json = "application/json-patch+json"
    /// RFC 7386, `application/merge-patch+json`.
    case merge = "application/merge-patch+json"
    /// Kubernetes strategic merge patch, `application/strategic-merge-patch+json` (built-ins only).
    case strategic = "application/strategic-merge-patch+json"
    /// Server-side apply, `application/apply-patch+yaml` (YAML or JSON body).
    case apply = "application/apply-patch+yaml"

    /// The patch type of a Content-Type header (parameters such as `charset` are ignored).
    ///
    /// - Throws: 415 UnsupportedMediaType for anything else.
    package init(contentType: String) throws(APIError) {
        let base = String(contentType.prefix(while: { $0 != ";" }).filter { $0 != " " }).lowercased()
        guard let type = PatchType(rawValue: base) else {
            throw .unsupportedMediaType(contentType)
        }
        self = type
    }
}
