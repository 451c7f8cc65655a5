extension ProtobufWriter {
    /// A varint field, written whatever its value (Kubernetes writes zeros of value fields too).
    mutating func varintField(_ field: Int, _ value: UInt64) {
        tag(field, wireType: 0)
        varint(value)
    }

    /// A string field, written also when empty.
    mutating func stringField(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// A 4-byte big-endian length and the bytes: one frame of a protobuf watch stream.
    static func lengthPrefixed(_ message: [UInt8]) -> [UInt8] {
        let count = UInt32(message.count)
        return [UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)] + message
    }
}
