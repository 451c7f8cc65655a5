import RoperatorClient

/// Where the parent's status is written: the `status` subresource when the CRD declares one,
/// else the main resource (where a CRD without the subresource keeps `status`).
enum StatusTarget: Sendable, Hashable {
    case subresource
    case mainResource

    /// Reads the parent's CRD. Built-in types and unreadable CRDs (e.g. no RBAC to read CRDs)
    /// default to the subresource, which every built-in type with a status has.
    /// A wrong guess is corrected by the status writer: a 404 from the subresource of a parent
    /// that exists switches to the main resource.
    static func detect(for type: K8sType, client: KubeClient) async -> StatusTarget {
        guard !type.group.isEmpty, !K8sType.builtIn.contains(type) else { return .subresource }
        let crd: KubeObject
        do {
            crd = try await client.get(.customResourceDefinition, name: "\(type.plural).\(type.group)")
        } catch {
            return .subresource
        }
        if let versions = crd.json[path: "spec", "versions"]?.arrayValue,
            let version = versions.first(where: { $0["name"]?.stringValue == type.version })
        {
            if version[path: "subresources", "status"] != nil { return .subresource }
            return crd.json[path: "spec", "subresources", "status"] != nil ? .subresource : .mainResource
        }
        return crd.json[path: "spec", "subresources", "status"] != nil ? .subresource : .mainResource
    }
}
