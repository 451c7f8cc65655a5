import Foundation
import RoperatorClient

extension ProtobufCodec {
    /// Writes the fields of one message (not enveloped) from its JSON form, in field-number order.
    /// JSON members without a protobuf field are left out, as kube-apiserver's Go types drop them.
    func encodeFields(of value: JSONValue, message index: Int, into writer: inout ProtobufWriter) throws(ProtobufError) {
        let message = schema.messages[index]
        if let special = message.special { return try encodeSpecial(special, value, message: message, into: &writer) }
        guard case .object(let members) = value else { throw ProtobufError("expected an object, got \(Self.describe(value))") }
        for field in message.fields {
            do throws(ProtobufError) {
                try encodeField(field, members: members, object: value, into: &writer)
            } catch {
                throw error.at(field.inline ? "" : "." + field.name)
            }
        }
    }

    private func encodeField(
        _ field: ProtobufSchema.Field, members: [String: JSONValue], object: JSONValue, into writer: inout ProtobufWriter
    ) throws(ProtobufError) {
        if field.inline, case .value(.message(let nested)) = field.type {
            var inner = ProtobufWriter()
            try encodeFields(of: object, message: nested, into: &inner)
            writer.bytes(field.number, inner.bytes)
            return
        }
        guard let member = members[field.name], !member.isNull else { return }
        switch field.type {
        case .map(let keyType, let valueType):
            guard case .object(let entries) = member else { throw ProtobufError("expected an object, got \(Self.describe(member))") }
            for key in entries.keys.sorted() {
                var entry = ProtobufWriter()
                try encodeValue(.scalar(keyType), .string(key), number: 1, into: &entry)
                if let entryValue = entries[key], !entryValue.isNull {
                    do throws(ProtobufError) {
                        try encodeValue(valueType, entryValue, number: 2, into: &entry)
                    } catch {
                        throw error.at("[\(key)]")
                    }
                }
                writer.bytes(field.number, entry.bytes)
            }
        case .value(let valueType):
            guard field.repeated else {
                return try encodeValue(valueType, member, number: field.number, into: &writer)
            }
            guard case .array(let items) = member else { throw ProtobufError("expected an array, got \(Self.describe(member))") }
            for (position, item) in items.enumerated() where !item.isNull {
                do throws(ProtobufError) {
                    try encodeValue(valueType, item, number: field.number, into: &writer)
                } catch {
                    throw error.at("[\(position)]")
                }
            }
        }
    }

    private func encodeValue(
        _ type: ProtobufSchema.Value, _ value: JSONValue, number: Int, into writer: inout ProtobufWriter
    ) throws(ProtobufError) {
        switch type {
        case .scalar(.string):
            guard case .string(let text) = value else { throw ProtobufError("expected a string, got \(Self.describe(value))") }
            writer.stringField(number, text)
        case .scalar(.bytes):
            guard case .string(let text) = value, let data = Data(base64Encoded: text) else {
                throw ProtobufError("expected base64 data, got \(Self.describe(value))")
            }
            writer.bytes(number, Array(data))
        case .scalar(.int32):
            guard let integer = value.intValue, let narrow = Int32(exactly: integer) else {
                throw ProtobufError("expected a 32-bit integer, got \(Self.describe(value))")
            }
            writer.varintField(number, UInt64(bitPattern: Int64(narrow)))
        case .scalar(.int64):
            guard let integer = value.intValue else { throw ProtobufError("expected an integer, got \(Self.describe(value))") }
            writer.varintField(number, UInt64(bitPattern: integer))
        case .scalar(.bool):
            guard case .bool(let flag) = value else { throw ProtobufError("expected a boolean, got \(Self.describe(value))") }
            writer.varintField(number, flag ? 1 : 0)
        case .message(let index):
            var nested = ProtobufWriter()
            try encodeFields(of: value, message: index, into: &nested)
            writer.bytes(number, nested.bytes)
        }
    }

    private func encodeSpecial(
        _ special: ProtobufSchema.Special, _ value: JSONValue, message: ProtobufSchema.Message, into writer: inout ProtobufWriter
    ) throws(ProtobufError) {
        switch special {
        case .quantity:
            switch value {
            case .string(let text): writer.stringField(1, text)
            case .int, .double: writer.stringField(1, value.serialized()) // a quantity may be a JSON number
            default: throw ProtobufError("expected a quantity, got \(Self.describe(value))")
            }
        case .intOrString:
            if case .string(let text) = value {
                writer.varintField(1, 1)
                writer.varintField(2, 0)
                writer.stringField(3, text)
            } else if let integer = value.intValue, let narrow = Int32(exactly: integer) {
                writer.varintField(1, 0)
                writer.varintField(2, UInt64(bitPattern: Int64(narrow)))
                writer.stringField(3, "")
            } else {
                throw ProtobufError("expected an integer or a string, got \(Self.describe(value))")
            }
        case .time, .microTime:
            guard case .string(let text) = value, let date = RFC3339.parse(text) else {
                throw ProtobufError("expected an RFC 3339 time, got \(Self.describe(value))")
            }
            let instant = date.timeIntervalSince1970
            var seconds = Int64(instant.rounded(.down))
            var micros = Int64(((instant - Double(seconds)) * 1_000_000).rounded())
            if micros >= 1_000_000 {
                seconds += 1
                micros -= 1_000_000
            }
            writer.varintField(1, UInt64(bitPattern: seconds))
            writer.varintField(2, UInt64(micros * 1000))
        case .duration:
            guard case .string(let text) = value, let nanoseconds = GoDuration.parse(text) else {
                throw ProtobufError("expected a duration, got \(Self.describe(value))")
            }
            writer.varintField(1, UInt64(bitPattern: nanoseconds))
        case .fieldsV1, .rawExtension:
            writer.bytes(1, value.serializedBytes(sortedKeys: true))
        case .unknown:
            var typeMeta = ProtobufWriter()
            typeMeta.stringField(1, value["apiVersion"]?.stringValue ?? "")
            typeMeta.stringField(2, value["kind"]?.stringValue ?? "")
            writer.bytes(1, typeMeta.bytes)
            writer.bytes(2, value.serializedBytes(sortedKeys: true))
            writer.stringField(3, "")
            writer.stringField(4, "application/json")
        case .array:
            guard case .array(let items) = value else { throw ProtobufError("expected an array, got \(Self.describe(value))") }
            guard let field = message.field(number: 1), case .value(let type) = field.type else { return }
            for item in items { try encodeValue(type, item, number: 1, into: &writer) }
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}
