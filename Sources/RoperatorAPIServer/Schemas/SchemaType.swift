/// One node of a built-in kind's schema, in the form the store walks on every write: what JSON a
/// field holds, and for lists and maps how strategic merge patch and server-side apply merge them.
///
/// References to other definitions stay references (``ref(_:)``) and are resolved by
/// ``BuiltInDefinitions/resolve(_:)`` while walking, so recursive definitions cost nothing.
package indirect enum SchemaType: Sendable, Hashable {
    /// A struct: known fields, required fields, and how a patch treats it.
    case object(ObjectSchema)
    /// A map with values of one type (`additionalProperties`).
    case map(SchemaType, mapType: String?)
    /// A list.
    case array(ArraySchema)
    /// A string; `format` is `byte` (base64), `date-time`, ... or `nil`.
    case string(format: String?)
    /// A signed integer of `bits` bits (32 or 64), as Go's `int32`/`int64` fields.
    case integer(bits: Int)
    case number
    case boolean
    /// `IntOrString`: a number or a string.
    case intOrString
    /// `resource.Quantity`: a string or number, stored in canonical form.
    case quantity
    /// Anything: `RawExtension`, `FieldsV1`, apiextensions `JSON`.
    case any
    /// Another definition, by name (`io.k8s.api.core.v1.PodSpec`).
    case ref(String)
}

/// A struct's fields.
package struct ObjectSchema: Sendable, Hashable {
    /// The definition's short name (`PodSpec`), for decoding errors worded as Go's.
    package var goName: String
    package var properties: [String: SchemaType]
    package var required: [String]
    /// `x-kubernetes-map-type: atomic`: server-side apply replaces it whole.
    package var isAtomic: Bool
    /// `x-kubernetes-preserve-unknown-fields`: unknown fields are kept.
    package var preservesUnknownFields: Bool
}

/// A list's items and merge semantics.
package struct ArraySchema: Sendable, Hashable {
    package var items: SchemaType
    /// `x-kubernetes-list-type`: `atomic`, `set` or `map`; `nil` when not declared.
    package var listType: String?
    /// `x-kubernetes-list-map-keys`.
    package var listMapKeys: [String]
    /// `x-kubernetes-patch-strategy`, e.g. `merge` or `merge,retainKeys`.
    package var patchStrategy: String?
    /// `x-kubernetes-patch-merge-key`.
    package var patchMergeKey: String?
}
