public import RoperatorClient

// The schemas Kubernetes uses for these types in custom resources, so a CRD derived from Swift
// types (``SchemaDeriver``) describes them as the API server expects.

extension IntOrString: OpenAPISchemaProviding {
    /// An integer or a string.
    public static var openAPISchema: JSONValue {
        ["x-kubernetes-int-or-string": true, "anyOf": [["type": "integer"], ["type": "string"]]]
    }
    public static var schemaExample: IntOrString { .int(0) }
}

extension Time: OpenAPISchemaProviding {
    /// An RFC 3339 string.
    public static var openAPISchema: JSONValue { ["type": "string", "format": "date-time"] }
    public static var schemaExample: Time { Time("1970-01-01T00:00:00Z") }
}

extension MicroTime: OpenAPISchemaProviding {
    /// An RFC 3339 string.
    public static var openAPISchema: JSONValue { ["type": "string", "format": "date-time"] }
    public static var schemaExample: MicroTime { MicroTime("1970-01-01T00:00:00.000000Z") }
}
