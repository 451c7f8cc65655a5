extension CustomResource {
    /// The `apiextensions.k8s.io/v1` `CustomResourceDefinition` for this resource: names, scope,
    /// one served and stored version with the structural schema derived from ``Spec`` and
    /// ``Status``, the status subresource (unless the status is ``NoStatus``), the scale
    /// subresource and printer columns when declared.
    ///
    /// - Throws: ``SchemaDerivationError`` when a schema cannot be derived.
    public static func customResourceDefinition() throws(SchemaDerivationError) -> JSONValue {
        var properties: [String: JSONValue] = ["spec": try SchemaDeriver.schema(for: Spec.self)]
        let hasStatus = Status.self != NoStatus.self
        if hasStatus {
            var status = try SchemaDeriver.schema(for: Status.self)
            if includesRoperatorStatusFields { status = Self.addingRoperatorStatusFields(to: status) }
            properties["status"] = status
        }
        var root: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if let resourceDescription { root["description"] = .string(resourceDescription) }

        var version: [String: JSONValue] = [
            "name": .string(Self.version), "served": true, "storage": true,
            "schema": ["openAPIV3Schema": .object(root)],
        ]
        var subresources: [String: JSONValue] = [:]
        if hasStatus { subresources["status"] = .emptyObject }
        if let scale { subresources["scale"] = scale.json }
        if !subresources.isEmpty { version["subresources"] = .object(subresources) }
        if !printerColumns.isEmpty { version["additionalPrinterColumns"] = .array(printerColumns.map(\.json)) }

        var names: [String: JSONValue] = [
            "kind": .string(kind), "listKind": .string(kind + "List"), "plural": .string(plural),
            "singular": .string(kind.lowercased()),
        ]
        if !shortNames.isEmpty { names["shortNames"] = .array(shortNames.map(JSONValue.string)) }
        if !categories.isEmpty { names["categories"] = .array(categories.map(JSONValue.string)) }
        return [
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": ["name": .string(definitionName)],
            "spec": [
                "group": .string(group),
                "names": .object(names),
                "scope": namespaced ? "Namespaced" : "Cluster",
                "versions": [.object(version)],
            ],
        ]
    }

    /// ``customResourceDefinition()`` as YAML for `kubectl apply -f -`, with a header comment
    /// saying where it comes from.
    ///
    /// - Throws: ``SchemaDerivationError`` when a schema cannot be derived.
    public static func customResourceDefinitionYAML() throws(SchemaDerivationError) -> String {
        let yaml = (try customResourceDefinition()).yamlString()
        return "# Generated from the Swift type \(Self.self) by Roperator; do not edit.\n" + yaml
    }

    /// `observedGeneration` and `conditions` (a list keyed by `type`), which Roperator writes.
    private static func addingRoperatorStatusFields(to status: JSONValue) -> JSONValue {
        guard var object = status.objectValue else { return status }
        var properties = object["properties"]?.objectValue ?? [:]
        if properties["observedGeneration"] == nil {
            properties["observedGeneration"] = ["type": "integer", "format": "int64"]
        }
        if properties["conditions"] == nil {
            properties["conditions"] = [
                "type": "array",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["type"],
                "items": [
                    "type": "object",
                    "required": ["type", "status"],
                    "properties": [
                        "type": ["type": "string"],
                        "status": ["type": "string", "enum": ["True", "False", "Unknown"]],
                        "reason": ["type": "string"],
                        "message": ["type": "string"],
                        "lastTransitionTime": ["type": "string", "format": "date-time"],
                        "observedGeneration": ["type": "integer", "format": "int64"],
                    ],
                ],
            ]
        }
        object["properties"] = .object(properties)
        return .object(object)
    }
}
