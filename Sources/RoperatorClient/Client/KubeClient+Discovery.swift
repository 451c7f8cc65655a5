extension KubeClient {
    /// Finds the plural name and scope of a kind through API discovery.
    ///
    /// Results are cached per group-version; a kind missing from the cached list triggers one fresh
    /// discovery call (a CRD may have been installed since).
    ///
    /// ```swift
    /// let echo = try await client.resolve(apiVersion: "example.com/v1", kind: "EchoServer")
    /// ```
    ///
    /// - Parameters:
    ///   - apiVersion: `group/version`, or `v1` for the core group.
    ///   - kind: The kind, e.g. `Deployment`.
    /// - Throws: ``KubeClientError/Code/unknownKind`` when the group-version does not serve the kind,
    ///   ``KubeAPIError`` (404) when the group-version does not exist.
    public func resolve(apiVersion: String, kind: String) async throws -> K8sType {
        if let cached = discoveryCache.types(for: apiVersion)?.first(where: { $0.kind == kind }) {
            return cached
        }
        let fresh = try await discoverResources(apiVersion: apiVersion)
        guard let type = fresh.first(where: { $0.kind == kind }) else {
            throw KubeClientError(.unknownKind, "\(apiVersion) serves no kind \(kind)")
        }
        return type
    }

    /// Every top-level resource of a group-version (subresources such as `pods/status` are left out).
    ///
    /// - Parameter apiVersion: `group/version`, or `v1` for the core group.
    /// - Returns: The types, fetched from the server and stored in the discovery cache.
    public func discoverResources(apiVersion: String) async throws -> [K8sType] {
        let (group, version) = K8sType.split(apiVersion: apiVersion)
        let path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        let list = try await sendJSON(KubeRequest(method: "GET", path: path))
        guard let resources = list["resources"]?.arrayValue else {
            throw KubeClientError(.invalidResponse, "discovery of \(apiVersion) returned no resources array")
        }
        var types: [K8sType] = []
        for resource in resources {
            guard let name = resource["name"]?.stringValue, !name.contains("/"),
                let kind = resource["kind"]?.stringValue
            else { continue }
            types.append(
                K8sType(
                    group: group, version: version, kind: kind, plural: name,
                    namespaced: resource["namespaced"]?.boolValue ?? true))
        }
        discoveryCache.store(types, for: apiVersion)
        return types
    }

    /// Forgets cached discovery results, for one group-version or (with `nil`) all of them.
    public func invalidateDiscovery(apiVersion: String? = nil) {
        discoveryCache.invalidate(apiVersion)
    }
}
