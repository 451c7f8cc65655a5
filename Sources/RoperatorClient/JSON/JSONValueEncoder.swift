import Foundation

/// Encodes `Encodable` values straight to ``JSONValue``, without `JSONEncoder` or bytes in between.
///
/// - `nil` optionals in keyed containers are omitted, never written as `null` (even when the
///   optional reaches the encoder through a generic `encode`). An explicit `encodeNil(forKey:)`
///   still writes `null`, which a merge patch needs to delete a field.
/// - `Date` becomes an RFC 3339 string in UTC (`2026-11-25T03:04:05Z`, with microseconds when
///   the date has a fraction), `Data` base64, `URL` its absolute string.
/// - Integers are exact. A `UInt64` above `Int64.max` and non-finite floating-point values
///   cannot be represented and throw `EncodingError.invalidValue`.
///
/// ```swift
/// let json = try JSONValueEncoder().encode(spec)
/// ```
public struct JSONValueEncoder: Sendable {
    /// Values made available to `encode(to:)` implementations through `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// An encoder; `userInfo` is passed to the types being encoded.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// Encodes `value`.
    ///
    /// - Throws: `EncodingError`, or whatever the value's `encode(to:)` throws.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = ValueEncoder(codingPath: [], userInfo: userInfo)
        return try encoder.wrap(value, at: [])?.build() ?? .null
    }
}

extension JSONValue {
    /// Encodes an `Encodable` value to a `JSONValue` with ``JSONValueEncoder``.
    ///
    /// ```swift
    /// struct Spec: Codable { var replicas: Int; var image: String? }
    /// let json = try JSONValue(encoding: Spec(replicas: 3, image: nil))  // {"replicas":3}
    /// ```
    ///
    /// - Throws: `EncodingError`, or whatever the value's `encode(to:)` throws.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONValueEncoder().encode(value)
    }
}

/// Lets the encoder recognise a `nil` optional that arrives through a generic `encode<T>`.
protocol OptionalMarker {
    var isNone: Bool { get }
}

extension Optional: OptionalMarker {
    var isNone: Bool { self == nil }
}

/// A node of the value being encoded. Containers are reference types because the `Encoder`
/// protocol hands out containers that are written after they are returned.
enum EncodingSlot {
    case value(JSONValue)
    case object(EncodingObject)
    case array(EncodingArray)
    /// Filled by a `superEncoder`, resolved when the tree is built.
    case deferred(ValueEncoder)

    func build() -> JSONValue {
        switch self {
        case .value(let v): return v
        case .object(let o):
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(o.members.count)
            for (k, v) in o.members { members[k] = v.build() }
            return .object(members)
        case .array(let a): return .array(a.elements.map { $0.build() })
        case .deferred(let e): return e.storage?.build() ?? .emptyObject
        }
    }
}

final class EncodingObject {
    var members: [String: EncodingSlot] = [:]
}

final class EncodingArray {
    var elements: [EncodingSlot] = []
}

/// Identifies array positions and `super` in coding paths.
struct JSONCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    static let `super` = JSONCodingKey(stringValue: "super")
}

final class ValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]
    var storage: EncodingSlot?

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    init(codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: EncodingObject
        if case .object(let existing) = storage {
            object = existing
        } else {
            object = EncodingObject()
            storage = .object(object)
        }
        return KeyedEncodingContainer(KeyedValueEncodingContainer<Key>(object: object, encoder: self, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: EncodingArray
        if case .array(let existing) = storage {
            array = existing
        } else {
            array = EncodingArray()
            storage = .array(array)
        }
        return UnkeyedValueEncodingContainer(array: array, encoder: self, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        self
    }

    /// Encodes one value; `nil` means "a nil optional: leave the member out".
    func wrap<T: Encodable>(_ value: T, at path: [any CodingKey]) throws -> EncodingSlot? {
        switch value {
        case let json as JSONValue: return .value(json)
        case let date as Date: return .value(.string(RFC3339.format(date)))
        case let data as Data: return .value(.string(data.base64EncodedString()))
        case let url as URL: return .value(.string(url.absoluteString))
        case let decimal as Decimal:
            guard let d = Double(decimal.description) else {
                throw EncodingError.invalidValue(
                    decimal, .init(codingPath: path, debugDescription: "Decimal \(decimal) is not a JSON number"))
            }
            return .value(Self.number(d))
        default: break
        }
        if let optional = value as? any OptionalMarker, optional.isNone { return nil }
        let child = ValueEncoder(codingPath: path, userInfo: sendableUserInfo)
        try value.encode(to: child)
        return child.storage ?? .value(.emptyObject)
    }

    private static func number(_ d: Double) -> JSONValue {
        if let i = Int64(exactly: d) { return .int(i) }
        return .double(d)
    }

    func boxDouble(_ value: Double, at path: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "\(value) cannot be written as JSON"))
        }
        return .double(value)
    }

    func boxFloat(_ value: Float, at path: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "\(value) cannot be written as JSON"))
        }
        // Through the shortest decimal form, so 0.1 as Float stays 0.1 and not 0.10000000149011612.
        return .double(Double(value.description) ?? Double(value))
    }

    func boxUnsigned<U: FixedWidthInteger & UnsignedInteger>(_ value: U, at path: [any CodingKey]) throws -> JSONValue {
        guard let i = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: path, debugDescription: "\(value) does not fit in a 64-bit signed JSON integer"))
        }
        return .int(i)
    }
}

extension ValueEncoder: SingleValueEncodingContainer {
    func encodeNil() throws { storage = .value(.null) }
    func encode(_ value: Bool) throws { storage = .value(.bool(value)) }
    func encode(_ value: String) throws { storage = .value(.string(value)) }
    func encode(_ value: Double) throws { storage = .value(try boxDouble(value, at: codingPath)) }
    func encode(_ value: Float) throws { storage = .value(try boxFloat(value, at: codingPath)) }
    func encode(_ value: Int) throws { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int8) throws { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int16) throws { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int32) throws { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int64) throws { storage = .value(.int(value)) }
    func encode(_ value: UInt) throws { storage = .value(try boxUnsigned(value, at: codingPath)) }
    func encode(_ value: UInt8) throws { storage = .value(.int(Int64(value))) }
    func encode(_ value: UInt16) throws { storage = .value(.int(Int64(value))) }
    func encode(_ value: UInt32) throws { storage = .value(.int(Int64(value))) }
    func encode(_ value: UInt64) throws { storage = .value(try boxUnsigned(value, at: codingPath)) }
    func encode<T: Encodable>(_ value: T) throws {
        storage = try wrap(value, at: codingPath) ?? .value(.null)
    }
}

struct KeyedValueEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: EncodingObject
    let encoder: ValueEncoder
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { object.members[key.stringValue] = .value(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try encoder.boxDouble(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try encoder.boxFloat(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(try encoder.boxUnsigned(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(try encoder.boxUnsigned(value, at: codingPath + [key]), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let slot = try encoder.wrap(value, at: codingPath + [key]) {
            object.members[key.stringValue] = slot
        } else {
            object.members.removeValue(forKey: key.stringValue)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<
        NestedKey
    > {
        let nested = EncodingObject()
        object.members[key.stringValue] = .object(nested)
        return KeyedEncodingContainer(
            KeyedValueEncodingContainer<NestedKey>(object: nested, encoder: encoder, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = EncodingArray()
        object.members[key.stringValue] = .array(nested)
        return UnkeyedValueEncodingContainer(array: nested, encoder: encoder, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: JSONCodingKey.super) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let child = ValueEncoder(codingPath: codingPath + [key], userInfo: encoder.sendableUserInfo)
        object.members[key.stringValue] = .deferred(child)
        return child
    }
}

struct UnkeyedValueEncodingContainer: UnkeyedEncodingContainer {
    let array: EncodingArray
    let encoder: ValueEncoder
    let codingPath: [any CodingKey]

    var count: Int { array.elements.count }

    private var nextPath: [any CodingKey] { codingPath + [JSONCodingKey(intValue: array.elements.count)] }
    private func append(_ value: JSONValue) { array.elements.append(.value(value)) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try encoder.boxDouble(value, at: nextPath)) }
    mutating func encode(_ value: Float) throws { append(try encoder.boxFloat(value, at: nextPath)) }
    mutating func encode(_ value: Int) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.int(value)) }
    mutating func encode(_ value: UInt) throws { append(try encoder.boxUnsigned(value, at: nextPath)) }
    mutating func encode(_ value: UInt8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(try encoder.boxUnsigned(value, at: nextPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        // Array positions matter, so a nil optional element stays `null`.
        array.elements.append(try encoder.wrap(value, at: nextPath) ?? .value(.null))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        let nested = EncodingObject()
        array.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedValueEncodingContainer<NestedKey>(object: nested, encoder: encoder, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let nested = EncodingArray()
        array.elements.append(.array(nested))
        return UnkeyedValueEncodingContainer(array: nested, encoder: encoder, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let child = ValueEncoder(codingPath: nextPath, userInfo: encoder.sendableUserInfo)
        array.elements.append(.deferred(child))
        return child
    }
}
