/// A key that appears more than once in one JSON object, found by
/// ``JSONValue/duplicateKeys(in:)``. Parsing keeps the last value of such a key, as Go's decoder
/// does; kube-apiserver reports the repetition under `fieldValidation=Warn` or `Strict`.
package struct JSONDuplicateKey: Sendable, Hashable {
    /// The repeated key.
    package var key: String
    /// Where the key is, in kube-apiserver's notation: members joined with `.`, array elements as
    /// `[i]` (`spec.template.spec.containers[0].imagePullPolicy`, or `[1].path` under a top-level array).
    package var path: String
    /// Byte offset of the repeated occurrence's opening quote.
    package var offset: Int

    /// Creates a value from its parts; see the properties for their meaning.
    package init(key: String, path: String, offset: Int) {
        self.key = key
        self.path = path
        self.offset = offset
    }
}
