extension K8sType {
    /// `/api/v1` for the core group, `/apis/<group>/<version>` otherwise.
    var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The URL path of a collection, an object or an object's subresource.
    ///
    /// - Parameters:
    ///   - namespace: Namespace of a namespaced type; `nil` addresses all namespaces (lists and watches).
    ///     Ignored for cluster-scoped types.
    ///   - name: Object name; `nil` for the collection.
    ///   - subresource: e.g. `status`.
    func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = groupVersionPath
        if namespaced, let namespace {
            path += "/namespaces/" + KubeRequest.encode(namespace)
        }
        path += "/" + plural
        if let name {
            path += "/" + KubeRequest.encode(name)
            if let subresource { path += "/" + subresource }
        }
        return path
    }
}
