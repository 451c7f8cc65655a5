import Foundation
import RoperatorClient

extension ProtobufCodec {
    /// The JSON form of one message (not enveloped); `.null` for a zero `Time`, as Go writes it.
    func decodeMessage(_ bytes: ArraySlice<UInt8>, _ index: Int) throws(ProtobufError) -> JSONValue {
        let message = schema.messages[index]
        if let special = message.special { return try decodeSpecial(special, bytes, message: message) }
        var members: [String: JSONValue] = [:]
        var reader = ProtobufReader(bytes)
        while let (number, wire) = try reader.next() {
            // Kubernetes' decoders skip fields they do not know; so does this one.
            guard let field = message.field(number: number) else { continue }
            do throws(ProtobufError) {
                try decodeField(field, wire, into: &members)
            } catch {
                throw error.at(field.inline ? "" : field.name)
            }
        }
        return .object(members)
    }

    private func decodeField(
        _ field: ProtobufSchema.Field, _ wire: ProtobufReader.WireValue, into members: inout [String: JSONValue]
    ) throws(ProtobufError) {
        switch field.type {
        case .map(let keyType, let valueType):
            guard case .bytes(let entryBytes) = wire else { throw ProtobufError("a map entry is not length-delimited") }
            var entry = ProtobufReader(entryBytes)
            var key = ""
            var value: JSONValue?
            while let (number, part) = try entry.next() {
                if number == 1 { key = try decodeValue(.scalar(keyType), part).stringValue ?? "" }
                if number == 2 { value = try decodeValue(valueType, part) }
            }
            var map = members[field.name]?.objectValue ?? [:]
            if value == nil { value = try decodeValue(valueType, .bytes([])) } // an absent value is the zero value
            map[key] = value
            members[field.name] = .object(map)
        case .value(let valueType):
            if field.repeated {
                var items = members[field.name]?.arrayValue ?? []
                if case .scalar(let scalar) = valueType, scalar != .string, scalar != .bytes, case .bytes(let packed) = wire {
                    var reader = ProtobufReader(packed)
                    while !reader.isAtEnd { items.append(try decodeValue(valueType, .varint(try reader.varint()))) }
                } else {
                    items.append(try decodeValue(valueType, wire))
                }
                members[field.name] = .array(items)
                return
            }
            let value = try decodeValue(valueType, wire)
            if field.inline {
                for (key, member) in value.objectValue ?? [:] { members[key] = member }
                return
            }
            if value.isNull || (!field.pointer && field.dropsZero && Self.isZero(value)) {
                members[field.name] = nil
                return
            }
            members[field.name] = value
        }
    }

    /// A zero value as Go's `omitempty` sees it, or an empty struct (which Go cannot tell from unset).
    private static func isZero(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.isEmpty
        case .int(let number): number == 0
        case .bool(let flag): !flag
        case .object(let members): members.isEmpty
        case .array(let items): items.isEmpty
        case .null: true
        case .double(let number): number == 0
        }
    }

    private func decodeValue(_ type: ProtobufSchema.Value, _ wire: ProtobufReader.WireValue) throws(ProtobufError) -> JSONValue {
        switch (type, wire) {
        case (.scalar(.string), .bytes(let data)):
            return .string(String(decoding: data, as: UTF8.self))
        case (.scalar(.bytes), .bytes(let data)):
            return .string(Data(data).base64EncodedString())
        case (.scalar(.int32), .varint(let raw)):
            return .int(Int64(Int32(truncatingIfNeeded: raw)))
        case (.scalar(.int64), .varint(let raw)):
            return .int(Int64(bitPattern: raw))
        case (.scalar(.bool), .varint(let raw)):
            return .bool(raw != 0)
        case (.message(let index), .bytes(let data)):
            return try decodeMessage(data, index)
        default:
            throw ProtobufError("wrong wire type for a field of type \(type)")
        }
    }

    private func decodeSpecial(
        _ special: ProtobufSchema.Special, _ bytes: ArraySlice<UInt8>, message: ProtobufSchema.Message
    ) throws(ProtobufError) -> JSONValue {
        if special == .unknown { return try decodeUnknown(bytes) }
        var varints: [Int: UInt64] = [:]
        var strings: [Int: ArraySlice<UInt8>] = [:]
        var items: [JSONValue] = []
        var reader = ProtobufReader(bytes)
        while let (number, wire) = try reader.next() {
            if special == .array, number == 1, let field = message.field(number: 1), case .value(let type) = field.type {
                items.append(try decodeValue(type, wire))
                continue
            }
            switch wire {
            case .varint(let value): varints[number] = value
            case .bytes(let data): strings[number] = data
            default: throw ProtobufError("wrong wire type in a \(message.name)")
            }
        }
        func text(_ number: Int) -> String { strings[number].map { String(decoding: $0, as: UTF8.self) } ?? "" }
        switch special {
        case .quantity:
            return .string(text(1))
        case .intOrString:
            return varints[1] == 1 ? .string(text(3)) : .int(Int64(Int32(truncatingIfNeeded: varints[2] ?? 0)))
        case .time, .microTime:
            // Go reads an empty Time as the zero time, which it writes to JSON as null.
            guard !bytes.isEmpty else { return .null }
            let seconds = Int64(bitPattern: varints[1] ?? 0)
            if special == .time { return .string(RFC3339.format(Date(timeIntervalSince1970: Double(seconds)))) }
            let nanos = Int64(Int32(truncatingIfNeeded: varints[2] ?? 0))
            return .string(RFC3339.formatMicro(Date(timeIntervalSince1970: Double(seconds) + Double(nanos / 1000) / 1_000_000)))
        case .duration:
            return .string(GoDuration.format(nanoseconds: Int64(bitPattern: varints[1] ?? 0)))
        case .fieldsV1, .rawExtension:
            guard let raw = strings[1], !raw.isEmpty else { return special == .fieldsV1 ? .emptyObject : .null }
            if special == .rawExtension, raw.starts(with: Self.magic) { return try decodeObject(raw) }
            do {
                return try JSONValue(parsing: Array(raw))
            } catch {
                throw ProtobufError("the raw JSON of a \(message.name) does not parse: \(error)")
            }
        case .array:
            return .array(items)
        case .unknown:
            return try decodeUnknown(bytes)
        }
    }
}
