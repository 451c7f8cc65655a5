public import RoperatorClient

/// What one informer watches: a type, optionally one namespace, optionally a label selector.
///
/// Operators of one ``OperatorGroup`` that ask for equal keys share one informer and one cache.
public struct InformerKey: Sendable, Hashable, CustomStringConvertible {
    /// The watched type.
    public var type: K8sType
    /// The namespace, or `nil` for all namespaces (and for cluster-scoped types).
    public var namespace: String?
    /// A label selector in string form, or `nil` for every object.
    public var labelSelector: String?

    /// Creates a key.
    public init(type: K8sType, namespace: String? = nil, labelSelector: String? = nil) {
        self.type = type
        self.namespace = type.namespaced ? namespace : nil
        self.labelSelector = labelSelector?.isEmpty == true ? nil : labelSelector
    }

    public var description: String {
        "\(type) in \(namespace ?? "all namespaces")\(labelSelector.map { " selecting \($0)" } ?? "")"
    }
}
