/// The `scale` subresource of a custom resource: where its replica counts live.
public struct ScaleSubresource: Sendable, Hashable {
    /// JSONPath of the desired replicas, e.g. `.spec.replicas`.
    public var specReplicasPath: String
    /// JSONPath of the observed replicas, e.g. `.status.replicas`.
    public var statusReplicasPath: String
    /// JSONPath of the serialized label selector in the status, for HorizontalPodAutoscalers.
    public var labelSelectorPath: String?

    /// A scale subresource; see the properties.
    public init(specReplicasPath: String, statusReplicasPath: String, labelSelectorPath: String? = nil) {
        self.specReplicasPath = specReplicasPath
        self.statusReplicasPath = statusReplicasPath
        self.labelSelectorPath = labelSelectorPath
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "specReplicasPath": .string(specReplicasPath), "statusReplicasPath": .string(statusReplicasPath),
        ]
        if let labelSelectorPath { object["labelSelectorPath"] = .string(labelSelectorPath) }
        return .object(object)
    }
}
