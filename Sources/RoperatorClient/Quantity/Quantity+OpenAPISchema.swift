// The schema Kubernetes uses for quantities in custom resources, so a CRD derived from Swift
// types (``SchemaDeriver``) describes them as the API server expects.

extension Quantity: OpenAPISchemaProviding {
    /// An integer or a string in the quantity grammar.
    public static var openAPISchema: JSONValue {
        [
            "x-kubernetes-int-or-string": true,
            "anyOf": [["type": "integer"], ["type": "string"]],
            "pattern":
                #"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"#,
        ]
    }
    public static var schemaExample: Quantity { Quantity(0) }
}
