package import RoperatorClient

/// Where a resource's scale subresource finds the replica count and the selector, as a CRD's
/// `subresources.scale` declares them (`.spec.replicas`, `.status.replicas`, `.status.selector`).
package struct ScalePaths: Sendable, Hashable {
    /// Field names of the desired replica count.
    package var specReplicas: [String]
    /// Field names of the observed replica count.
    package var statusReplicas: [String]
    /// Field names of the selector: a string for custom resources, a `LabelSelector` object for
    /// built-in workloads.
    package var labelSelector: [String]?

    /// Deployments, ReplicaSets and StatefulSets.
    package static let builtIn = ScalePaths(
        specReplicas: ["spec", "replicas"], statusReplicas: ["status", "replicas"], labelSelector: ["spec", "selector"])

    package init(specReplicas: [String], statusReplicas: [String], labelSelector: [String]?) {
        self.specReplicas = specReplicas
        self.statusReplicas = statusReplicas
        self.labelSelector = labelSelector
    }

    /// From a CRD version's `subresources.scale`; `nil` without `specReplicasPath`.
    init?(crd scale: JSONValue) {
        func path(_ key: String) -> [String]? {
            guard let text = scale[key]?.stringValue, text.hasPrefix(".") else { return nil }
            return text.dropFirst().split(separator: ".").map(String.init)
        }
        guard let spec = path("specReplicasPath"), let status = path("statusReplicasPath") else { return nil }
        self.init(specReplicas: spec, statusReplicas: status, labelSelector: path("labelSelectorPath"))
    }
}
