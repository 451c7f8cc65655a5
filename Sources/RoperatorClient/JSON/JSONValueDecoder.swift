import Foundation

/// Decodes `Decodable` values straight from a ``JSONValue``, without `JSONDecoder` or bytes in between.
///
/// Errors are the standard `DecodingError`s; their `debugDescription` starts with the coding path
/// written as `spec.containers[0].image`, so a log line says exactly which field was wrong.
/// Integers are exact: a value that does not fit the requested type is an error, never truncated.
/// `Date` reads RFC 3339 (any number of fractional digits, `Z` or an offset), `Data` base64.
///
/// ```swift
/// let spec = try JSONValueDecoder().decode(Spec.self, from: object["spec"] ?? .null)
/// ```
public struct JSONValueDecoder: Sendable {
    /// Values made available to `init(from:)` implementations through `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// A decoder; `userInfo` is passed to the types being decoded.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// Decodes a `T` from `value`.
    ///
    /// - Throws: `DecodingError` naming the coding path, or whatever `T.init(from:)` throws.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: value, codingPath: [], userInfo: userInfo).unwrap(value, as: T.self, at: [])
    }
}

extension JSONValue {
    /// Decodes a `Decodable` type from this value with ``JSONValueDecoder``.
    ///
    /// ```swift
    /// let spec = try pod["spec"]?.decode(PodSpec.self)
    /// ```
    ///
    /// - Throws: `DecodingError` naming the coding path, or whatever `T.init(from:)` throws.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONValueDecoder().decode(type, from: self)
    }
}

/// `spec.containers[0].image`.
func describeCodingPath(_ path: [any CodingKey]) -> String {
    if path.isEmpty { return "<root>" }
    var out = ""
    for key in path {
        if let i = key.intValue {
            out += "[\(i)]"
        } else {
            if !out.isEmpty { out += "." }
            out += key.stringValue
        }
    }
    return out
}

extension JSONValue {
    /// A short description of the kind of value, for error messages.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): "bool \(b)"
        case .int(let i): "number \(i)"
        case .double(let d): "number \(d)"
        case .string(let s): s.utf8.count <= 64 ? "string \"\(s)\"" : "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

final class ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    init(value: JSONValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.value = value
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    static func mismatch(_ type: Any.Type, expected: String, found: JSONValue, at path: [any CodingKey]) -> DecodingError {
        let context = DecodingError.Context(
            codingPath: path, debugDescription: "at \(describeCodingPath(path)): expected \(expected), found \(found.kindDescription)")
        if case .null = found { return .valueNotFound(type, context) }
        return .typeMismatch(type, context)
    }

    static func corrupted(_ message: String, at path: [any CodingKey]) -> DecodingError {
        .dataCorrupted(.init(codingPath: path, debugDescription: "at \(describeCodingPath(path)): \(message)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw Self.mismatch([String: JSONValue].self, expected: "an object", found: value, at: codingPath)
        }
        return KeyedDecodingContainer(KeyedValueDecodingContainer<Key>(members: members, decoder: self, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw Self.mismatch([JSONValue].self, expected: "an array", found: value, at: codingPath)
        }
        return UnkeyedValueDecodingContainer(elements: elements, decoder: self, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func unwrapBool(_ v: JSONValue, at path: [any CodingKey]) throws -> Bool {
        guard case .bool(let b) = v else { throw Self.mismatch(Bool.self, expected: "a bool", found: v, at: path) }
        return b
    }

    func unwrapString(_ v: JSONValue, at path: [any CodingKey]) throws -> String {
        guard case .string(let s) = v else { throw Self.mismatch(String.self, expected: "a string", found: v, at: path) }
        return s
    }

    func unwrapDouble(_ v: JSONValue, at path: [any CodingKey]) throws -> Double {
        switch v {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw Self.mismatch(Double.self, expected: "a number", found: v, at: path)
        }
    }

    func unwrapFloat(_ v: JSONValue, at path: [any CodingKey]) throws -> Float {
        let d = try unwrapDouble(v, at: path)
        let f = Float(d)
        guard f.isFinite else { throw Self.corrupted("number \(d) does not fit in Float", at: path) }
        return f
    }

    func unwrapInteger<I: FixedWidthInteger>(_ v: JSONValue, as type: I.Type, at path: [any CodingKey]) throws -> I {
        switch v {
        case .int(let i):
            guard let r = I(exactly: i) else { throw Self.corrupted("number \(i) does not fit in \(I.self)", at: path) }
            return r
        case .double(let d):
            guard let r = I(exactly: d) else { throw Self.corrupted("number \(d) is not a whole number that fits in \(I.self)", at: path) }
            return r
        default:
            throw Self.mismatch(I.self, expected: "an integer", found: v, at: path)
        }
    }

    func unwrap<T: Decodable>(_ v: JSONValue, as type: T.Type, at path: [any CodingKey]) throws -> T {
        if T.self == JSONValue.self { return v as! T }
        if T.self == Date.self {
            let s = try unwrapString(v, at: path)
            guard let date = RFC3339.parse(s) else { throw Self.corrupted("\"\(s)\" is not an RFC 3339 timestamp", at: path) }
            return date as! T
        }
        if T.self == Data.self {
            let s = try unwrapString(v, at: path)
            guard let data = Data(base64Encoded: s) else { throw Self.corrupted("string is not valid base64", at: path) }
            return data as! T
        }
        if T.self == URL.self {
            let s = try unwrapString(v, at: path)
            guard let url = URL(string: s) else { throw Self.corrupted("\"\(s)\" is not a URL", at: path) }
            return url as! T
        }
        if T.self == Decimal.self {
            switch v {
            case .int(let i): return Decimal(i) as! T
            case .double(let d): return Decimal(d) as! T
            default: throw Self.mismatch(Decimal.self, expected: "a number", found: v, at: path)
            }
        }
        return try T(from: ValueDecoder(value: v, codingPath: path, userInfo: sendableUserInfo))
    }
}

extension ValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try unwrapBool(value, at: codingPath) }
    func decode(_ type: String.Type) throws -> String { try unwrapString(value, at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try unwrapDouble(value, at: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try unwrapFloat(value, at: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unwrapInteger(value, as: type, at: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unwrapInteger(value, as: type, at: codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unwrap(value, as: type, at: codingPath) }
}

struct KeyedValueDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let decoder: ValueDecoder
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let v = members[key.stringValue] else {
            let path = codingPath + [key]
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "at \(describeCodingPath(path)): required field is missing"))
        }
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.unwrapBool(member(key), at: codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.unwrapString(member(key), at: codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.unwrapDouble(member(key), at: codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.unwrapFloat(member(key), at: codingPath + [key]) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try decoder.unwrapInteger(member(key), as: type, at: codingPath + [key])
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.unwrap(member(key), as: type, at: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: member(key), codingPath: codingPath + [key], userInfo: decoder.sendableUserInfo).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: member(key), codingPath: codingPath + [key], userInfo: decoder.sendableUserInfo).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: members["super"] ?? .null, codingPath: codingPath + [JSONCodingKey.super], userInfo: decoder.sendableUserInfo)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key], userInfo: decoder.sendableUserInfo)
    }
}

struct UnkeyedValueDecodingContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let decoder: ValueDecoder
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(elements: [JSONValue], decoder: ValueDecoder, codingPath: [any CodingKey]) {
        self.elements = elements
        self.decoder = decoder
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var path: [any CodingKey] { codingPath + [JSONCodingKey(intValue: currentIndex)] }

    private mutating func next(_ type: Any.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(codingPath: path, debugDescription: "at \(describeCodingPath(path)): the array has only \(elements.count) elements"))
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if elements[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    private mutating func take<T>(_ type: T.Type, _ unwrap: (ValueDecoder, JSONValue, [any CodingKey]) throws -> T) throws -> T {
        let p = path
        let v = try next(type)
        return try unwrap(decoder, v, p)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try take(type) { try $0.unwrapBool($1, at: $2) } }
    mutating func decode(_ type: String.Type) throws -> String { try take(type) { try $0.unwrapString($1, at: $2) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try take(type) { try $0.unwrapDouble($1, at: $2) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try take(type) { try $0.unwrapFloat($1, at: $2) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try take(type) { try $0.unwrapInteger($1, as: type, at: $2) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try take(type) { try $0.unwrap($1, as: type, at: $2) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let p = path
        return try ValueDecoder(value: next([String: JSONValue].self), codingPath: p, userInfo: decoder.sendableUserInfo).container(
            keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let p = path
        return try ValueDecoder(value: next([JSONValue].self), codingPath: p, userInfo: decoder.sendableUserInfo).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let p = path
        return ValueDecoder(value: try next(JSONValue.self), codingPath: p, userInfo: decoder.sendableUserInfo)
    }
}
