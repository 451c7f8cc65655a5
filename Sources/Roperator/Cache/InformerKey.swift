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

    var description: String {
        "\(type) in \(namespace ?? "all namespaces")\(labelSelector.map { " selecting \($0)" } ?? "")"
    }
}
