/// Reads the fields of one protocol buffers message, one at a time.
struct ProtobufReader {
    /// A field's value as the wire carries it.
    enum WireValue {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed32(UInt32)
    }

    private let data: ArraySlice<UInt8>
    private var index: Int

    init(_ data: ArraySlice<UInt8>) {
        self.data = data
        self.index = data.startIndex
    }

    /// The next field, or `nil` at the end of the message.
    mutating func next() throws(ProtobufError) -> (number: Int, value: WireValue)? {
        guard index < data.endIndex else { return nil }
        let key = try varint()
        let number = Int(key >> 3)
        guard number > 0 else { throw ProtobufError("field number 0 in a protobuf message") }
        switch key & 7 {
        case 0:
            return (number, .varint(try varint()))
        case 1:
            return (number, .fixed64(try fixed(8)))
        case 2:
            let length = try varint()
            guard length <= UInt64(data.endIndex - index) else { throw ProtobufError("a protobuf field is cut short") }
            let value = data[index..<(index + Int(length))]
            index += Int(length)
            return (number, .bytes(value))
        case 5:
            return (number, .fixed32(UInt32(try fixed(4))))
        default:
            throw ProtobufError("unsupported protobuf wire type \(key & 7) for field \(number)")
        }
    }

    mutating func varint() throws(ProtobufError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < data.endIndex, shift < 64 else { throw ProtobufError("a protobuf varint is cut short or too long") }
            let byte = data[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    private mutating func fixed(_ count: Int) throws(ProtobufError) -> UInt64 {
        guard data.endIndex - index >= count else { throw ProtobufError("a protobuf field is cut short") }
        var value: UInt64 = 0
        for offset in 0..<count { value |= UInt64(data[index + offset]) << (8 * UInt64(offset)) }
        index += count
        return value
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { index >= data.endIndex }
}
