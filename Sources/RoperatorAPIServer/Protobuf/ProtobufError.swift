/// A protobuf body that does not decode, or a JSON object that does not fit its protobuf message.
package struct ProtobufError: Error, Sendable, CustomStringConvertible {
    package var description: String
    /// The envelope names a kind without a protobuf message (a custom resource, or no kind at all).
    package var isUnsupportedKind = false

    init(_ description: String, isUnsupportedKind: Bool = false) {
        self.description = description
        self.isUnsupportedKind = isUnsupportedKind
    }

    /// The same error with the JSON path of the field it happened in put in front.
    func at(_ field: String) -> ProtobufError {
        let path = description.hasPrefix(".") || description.hasPrefix("[") ? field + description : field + ": " + description
        return ProtobufError(path, isUnsupportedKind: isUnsupportedKind)
    }
}
