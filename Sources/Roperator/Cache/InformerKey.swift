import RoperatorClient

/// What one informer watches: a type, optionally one namespace, optionally a label selector.
///
/// Operators of one `OperatorGroup` that ask for equal keys share one informer and one cache.
struct InformerKey: Sendable, Hashable, CustomStringConvertible {
    /// The watched type.
    var type: K8sType
    /// The namespace, or `nil` for all namespaces (and for cluster-scoped types).
    var namespace: String?
    /// A label selector in string form, or `nil` for every object.
    var labelSelector: String?

    /// Creates a key.
    init(type: K8sType, namespace: String? = nil, labelSelector: String? = nil) {
        self.type = type
        self.namespace = type.namespaced ? namespace : nil
        self.labelSelector = labelSelector?.isEmpty == true ? nil : labelSelector
    }

    /// The `resource` label of the cache metrics: `<plural>.<group>` (`configmaps` for the core
    /// group), then `/<namespace>` and `?<selector>` when the cache is limited to one.
    var metricsLabel: String {
        let resource = type.group.isEmpty ? type.plural : "\(type.plural).\(type.group)"
        return resource + (namespace.map { "/\($0)" } ?? "") + (labelSelector.map { "?\($0)" } ?? "")
    }

    var description: String {
        "\(type) in \(namespace ?? "all namespaces")\(labelSelector.map { " selecting \($0)" } ?? "")"
    }
}
