public import RoperatorClient

/// Builds CustomResourceDefinitions for tests.
public enum CustomResourceDefinitions {
    /// A CRD for `type` with a permissive schema (every field allowed and preserved) and a
    /// `status` subresource, which is what an operator's parent type needs in a test.
    ///
    /// ```swift
    /// let crd = CustomResourceDefinitions.make(for: K8sType(group: "example.com", version: "v1", kind: "Echo"))
    /// ```
    ///
    /// - Parameters:
    ///   - type: The custom type; its group must not be empty.
    ///   - statusSubresource: Whether to declare the `status` subresource. Default `true`.
    /// - Returns: The `apiextensions.k8s.io/v1` CustomResourceDefinition as JSON.
    public static func make(for type: K8sType, statusSubresource: Bool = true) -> JSONValue {
        var version: JSONValue = [
            "name": .string(type.version),
            "served": true,
            "storage": true,
            "schema": [
                "openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
            ],
        ]
        if statusSubresource { version["subresources"] = ["status": .object([:])] }
        return [
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("\(type.plural).\(type.group)")],
            "spec": [
                "group": .string(type.group),
                "names": [
                    "kind": .string(type.kind),
                    "listKind": .string("\(type.kind)List"),
                    "plural": .string(type.plural),
                    "singular": .string(type.kind.lowercased()),
                ],
                "scope": .string(type.namespaced ? "Namespaced" : "Cluster"),
                "versions": [version],
            ],
        ]
    }

    /// The CRD of `type`: derived from its Swift type when one was registered (an
    /// `OperatorConfig` built from a ``CustomResource`` registers it), otherwise
    /// ``make(for:statusSubresource:)``.
    ///
    /// - Throws: ``SchemaDerivationError`` when the registered type's schema cannot be derived.
    public static func definition(for type: K8sType) throws(SchemaDerivationError) -> JSONValue {
        try CustomResourceRegistry.definition(for: type) ?? make(for: type)
    }
}
