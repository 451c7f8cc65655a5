extension K8sResource {
    /// Decodes a typed value from an untyped object, straight from its `JSONValue` (no byte round trip).
    ///
    /// Fields the type does not model are dropped; see the models' documentation.
    ///
    /// - Throws: The decoder's `DecodingError`, naming the path of the offending field.
    public init(_ object: KubeObject) throws {
        self = try JSONValueDecoder().decode(Self.self, from: object.json)
    }

    /// The value as an untyped object. `apiVersion` and `kind` are filled in from the type when the
    /// encoding lacks them (a custom resource struct with synthesized `Codable` does not write them).
    ///
    /// - Throws: The encoder's error, or ``KubeObjectError`` when the value does not encode to an object.
    public func kubeObject() throws -> KubeObject {
        let json = try JSONValueEncoder().encode(self)
        guard var object = json.objectValue else {
            throw KubeObjectError(field: "", reason: "\(Self.self) encoded to \(json.serialized()), not an object")
        }
        if object["apiVersion"] == nil { object["apiVersion"] = .string(Self.apiVersion) }
        if object["kind"] == nil { object["kind"] = .string(Self.kind) }
        return KubeObject(.object(object))
    }
}
