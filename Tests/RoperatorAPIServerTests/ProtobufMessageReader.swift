/// A protobuf message decoded field by field without its schema: enough to read the server's
/// `/openapi/v2` document (gnostic's `openapi.v2.Document`) in tests.
struct ProtobufMessage: Sendable {
    enum Value: Sendable {
        case varint(UInt64)
        case bytes([UInt8])
        case fixed(UInt64)
    }

    struct DecodingError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var fields: [(number: Int, value: Value)] = []

    init(_ bytes: [UInt8]) throws {
        var index = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw DecodingError(description: "truncated varint at \(index)") }
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }
        while index < bytes.count {
            let tag = try varint()
            let number = Int(tag >> 3)
            switch tag & 7 {
            case 0:
                fields.append((number, .varint(try varint())))
            case 1, 5:
                let size = tag & 7 == 1 ? 8 : 4
                guard index + size <= bytes.count else { throw DecodingError(description: "truncated fixed field \(number)") }
                var value: UInt64 = 0
                for (shift, byte) in bytes[index..<index + size].enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
                index += size
                fields.append((number, .fixed(value)))
            case 2:
                let length = Int(try varint())
                guard length >= 0, index + length <= bytes.count else {
                    throw DecodingError(description: "field \(number) runs past the end (\(length) bytes at \(index))")
                }
                fields.append((number, .bytes(Array(bytes[index..<index + length]))))
                index += length
            default:
                throw DecodingError(description: "unsupported wire type \(tag & 7) of field \(number)")
            }
        }
    }

    /// Every length-delimited payload of field `number`, in order.
    func payloads(_ number: Int) -> [[UInt8]] {
        fields.compactMap { field in
            guard field.number == number, case .bytes(let bytes) = field.value else { return nil }
            return bytes
        }
    }

    func strings(_ number: Int) -> [String] { payloads(number).map { String(decoding: $0, as: UTF8.self) } }
    func string(_ number: Int) -> String? { strings(number).last }
    func messages(_ number: Int) throws -> [ProtobufMessage] { try payloads(number).map(ProtobufMessage.init) }
    func message(_ number: Int) throws -> ProtobufMessage? { try messages(number).last }

    func bool(_ number: Int) -> Bool {
        fields.contains { field in
            guard field.number == number, case .varint(let value) = field.value else { return false }
            return value != 0
        }
    }

    /// The `(name, value)` pairs of a gnostic `Named…` list in field `number` (name 1, value 2).
    func named(_ number: Int) throws -> [(name: String, value: ProtobufMessage)] {
        try messages(number).map { ($0.string(1) ?? "", try $0.message(2) ?? ProtobufMessage([])) }
    }
}

/// A gnostic `openapi.v2.Schema`, read through its field numbers.
struct OpenAPIV2TestSchema {
    let message: ProtobufMessage

    var ref: String? { message.string(1) }
    var format: String? { message.string(2) }
    var description: String? { message.string(4) }
    var required: [String] { message.strings(19) }
    var types: [String] { (try? message.message(22))?.strings(1) ?? [] }
    var items: OpenAPIV2TestSchema? { (try? message.message(23)).flatMap { try? $0.message(1) }.map(OpenAPIV2TestSchema.init) }
    var additionalProperties: OpenAPIV2TestSchema? {
        (try? message.message(21)).flatMap { try? $0.message(1) }.map(OpenAPIV2TestSchema.init)
    }
    var properties: [String: OpenAPIV2TestSchema] {
        let named = (try? message.message(25)).flatMap { try? $0.named(1) } ?? []
        return Dictionary(named.map { ($0.name, OpenAPIV2TestSchema(message: $0.value)) }) { first, _ in first }
    }
    /// Vendor extensions by name, their values as the YAML text.
    var extensions: [String: String] {
        let named = (try? message.named(31)) ?? []
        return Dictionary(named.map { ($0.name, $0.value.string(2) ?? "") }) { first, _ in first }
    }

    /// Every `$ref` in this schema and the schemas below it.
    var allReferences: [String] {
        var found = ref.map { [$0] } ?? []
        for property in properties.values { found += property.allReferences }
        if let items { found += items.allReferences }
        if let additionalProperties { found += additionalProperties.allReferences }
        return found
    }
}

/// A decoded `/openapi/v2` document.
struct OpenAPIV2TestDocument {
    let document: ProtobufMessage
    let definitions: [String: OpenAPIV2TestSchema]

    init(_ bytes: [UInt8]) throws {
        document = try ProtobufMessage(bytes)
        let named = try document.message(9)?.named(1) ?? []
        definitions = Dictionary(named.map { ($0.name, OpenAPIV2TestSchema(message: $0.value)) }) { first, _ in first }
    }

    /// Path items by path.
    func paths() throws -> [String: ProtobufMessage] {
        let named = try document.message(8)?.named(2) ?? []
        return Dictionary(named.map { ($0.name, $0.value) }) { first, _ in first }
    }

    /// The `$ref`s of the operations' body parameters and 200 responses.
    func operationReferences() throws -> [String] {
        var found: [String] = []
        for item in try paths().values {
            for operationField in [2, 3, 4, 5, 8] {
                guard let operation = try item.message(operationField) else { continue }
                for parameter in try operation.messages(8) {
                    if let body = try parameter.message(1)?.message(1), let schema = try body.message(5), let ref = schema.string(1) {
                        found.append(ref)
                    }
                }
                for response in try operation.message(9)?.named(1) ?? [] {
                    if let ref = try response.value.message(1)?.message(2)?.message(1)?.string(1) { found.append(ref) }
                }
            }
        }
        return found
    }
}
