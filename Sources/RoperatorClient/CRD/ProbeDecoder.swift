/// What one probed `init(from:)` asked for.
final class ProbeRecord {
    var properties: [(name: String, schema: JSONValue)] = []
    var required: [String] = []
    /// Set when the type decoded itself from a single value.
    var single: JSONValue?
    /// Set when the type decoded itself from an array (the element schema).
    var items: JSONValue?

    func add(_ name: String, _ schema: JSONValue, required isRequired: Bool) {
        if let index = properties.firstIndex(where: { $0.name == name }) {
            properties[index].schema = schema
        } else {
            properties.append((name, schema))
        }
        if isRequired, !required.contains(name) { required.append(name) }
    }

    var schema: JSONValue {
        if let single { return single }
        if let items { return ["type": "array", "items": items] }
        var object: [String: JSONValue] = ["type": "object"]
        if !properties.isEmpty {
            object["properties"] = .object(Dictionary(properties.map { ($0.name, $0.schema) }) { _, new in new })
        }
        if !required.isEmpty { object["required"] = .array(required.sorted().map(JSONValue.string)) }
        return .object(object)
    }
}

/// The recording decoder ``SchemaDeriver`` hands to a type's `init(from:)`.
final class ProbeDecoder: Decoder {
    let probe: SchemaProbe
    let recorded = ProbeRecord()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(probe: SchemaProbe) { self.probe = probe }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(ProbeKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { ProbeUnkeyedContainer(decoder: self) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { ProbeSingleValueContainer(decoder: self) }
}

struct ProbeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (value, schema) = try decoder.probe.describe(T.self)
        decoder.recorded.add(key.stringValue, schema, required: !(T.self is any ProbeOptional.Type))
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        decoder.recorded.add(key.stringValue, try decoder.probe.schema(T.self), required: false)
        return nil
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(false, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required("", key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(Double(0), key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(Float(0), key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(Int(0), key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(Int8(0), key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(Int16(0), key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(Int32(0), key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(Int64(0), key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(UInt(0), key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(UInt8(0), key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(UInt16(0), key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(UInt32(0), key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(UInt64(0), key) }

    /// A required leaf: its schema comes from the generic path, the placeholder is `zero`.
    private func required<T: Decodable>(_ zero: T, _ key: Key) throws -> T {
        decoder.recorded.add(key.stringValue, try decoder.probe.schema(T.self), required: true)
        return zero
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        decoder.recorded.add(key.stringValue, try decoder.probe.schema(T.self), required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let nested = ProbeDecoder(probe: decoder.probe)
        defer { decoder.recorded.add(key.stringValue, nested.recorded.schema, required: true) }
        return KeyedDecodingContainer(ProbeKeyedContainer<NestedKey>(decoder: nested))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SchemaDerivationError(type: "\(Key.self)", reason: "nested unkeyed containers are not supported")
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
}

/// An array decoded by hand: one element is probed for the item schema, then the array ends.
struct ProbeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex >= 1 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decode(T.self, generic: ()) }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(Bool.self, generic: ()) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(String.self, generic: ()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(Double.self, generic: ()) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(Float.self, generic: ()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(Int.self, generic: ()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(Int8.self, generic: ()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(Int16.self, generic: ()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(Int32.self, generic: ()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(Int64.self, generic: ()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(UInt.self, generic: ()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(UInt8.self, generic: ()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(UInt16.self, generic: ()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(UInt32.self, generic: ()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(UInt64.self, generic: ()) }

    private mutating func decode<T: Decodable>(_ type: T.Type, generic: Void) throws -> T {
        let (value, schema) = try decoder.probe.describe(T.self)
        decoder.recorded.items = schema
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaDerivationError(type: "\(NestedKey.self)", reason: "nested containers in arrays are not supported")
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SchemaDerivationError(type: "array", reason: "nested arrays decoded by hand are not supported")
    }

    mutating func superDecoder() throws -> any Decoder { decoder }
}

/// A type that decodes itself from one value (a wrapper): its schema is that value's.
struct ProbeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decode(T.self, generic: ()) }

    private func decode<T: Decodable>(_ type: T.Type, generic: Void) throws -> T {
        let (value, schema) = try decoder.probe.describe(T.self)
        decoder.recorded.single = schema
        return value
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decode(Bool.self as Bool.Type, generic: ()) }
    func decode(_ type: String.Type) throws -> String { try decode(String.self as String.Type, generic: ()) }
    func decode(_ type: Double.Type) throws -> Double { try decode(Double.self as Double.Type, generic: ()) }
    func decode(_ type: Float.Type) throws -> Float { try decode(Float.self as Float.Type, generic: ()) }
    func decode(_ type: Int.Type) throws -> Int { try decode(Int.self as Int.Type, generic: ()) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(Int8.self as Int8.Type, generic: ()) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(Int16.self as Int16.Type, generic: ()) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(Int32.self as Int32.Type, generic: ()) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(Int64.self as Int64.Type, generic: ()) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(UInt.self as UInt.Type, generic: ()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(UInt8.self as UInt8.Type, generic: ()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(UInt16.self as UInt16.Type, generic: ()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(UInt32.self as UInt32.Type, generic: ()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(UInt64.self as UInt64.Type, generic: ()) }
}
