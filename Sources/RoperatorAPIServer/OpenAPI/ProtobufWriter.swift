/// Just enough of the protocol buffers wire format to write messages field by field: varints,
/// strings and nested messages. Used for the OpenAPI v2 document, which clients only read as protobuf.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func tag(_ field: Int, wireType: UInt64) {
        varint(UInt64(field) << 3 | wireType)
    }

    /// A length-delimited field holding raw bytes.
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        tag(field, wireType: 2)
        varint(UInt64(value.count))
        bytes += value
    }

    /// A string field (skipped when empty, as proto3 does).
    mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        bytes(field, Array(value.utf8))
    }

    /// A bool field (skipped when false).
    mutating func bool(_ field: Int, _ value: Bool) {
        guard value else { return }
        tag(field, wireType: 0)
        varint(1)
    }

    /// A nested message field.
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        bytes(field, nested.bytes)
    }
}
