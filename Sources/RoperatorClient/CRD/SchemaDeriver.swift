import Foundation

/// Derives a structural OpenAPI v3 schema from a `Decodable` type, without macros.
///
/// It runs the type's own `init(from:)` against a recording decoder: every key decoded with
/// `decode` becomes a required property, every key decoded with `decodeIfPresent` (what
/// synthesized `Codable` does for optionals) an optional one. Nested structs, arrays, sets,
/// `[String: T]` maps, `CaseIterable` string or integer enums (`enum`), integers (`int32`/`int64`),
/// floating point, `Bool`, `Date` (`date-time`), `URL`, `Data` (`byte`) and types that state their
/// own schema (``OpenAPISchemaProviding``: `Quantity`, `IntOrString`, times, ``JSONValue``) are
/// understood; ``SchemaAnnotated`` adds descriptions and validation. A type that refers to itself
/// gets an open object (`x-kubernetes-preserve-unknown-fields`) at the point of recursion.
///
/// Limits: a custom `init(from:)` that rejects the placeholder values the deriver hands it (empty
/// strings, zero, the first enum case) fails with ``SchemaDerivationError``; keys a custom decoder
/// reads only conditionally are seen only on the path the placeholders take.
///
/// ```swift
/// let schema = try SchemaDeriver.schema(for: EchoServerSpec.self)
/// ```
public enum SchemaDeriver {
    /// The schema of `type`.
    ///
    /// - Throws: ``SchemaDerivationError`` naming the type whose decoding failed and why.
    public static func schema<T: Decodable>(for type: T.Type) throws(SchemaDerivationError) -> JSONValue {
        do {
            return try SchemaProbe().describe(T.self).schema
        } catch let error as SchemaDerivationError {
            throw error
        } catch {
            throw SchemaDerivationError(type: "\(T.self)", reason: "\(error)")
        }
    }
}

/// Why a schema could not be derived.
public struct SchemaDerivationError: Error, Sendable, CustomStringConvertible {
    /// The Swift type being described.
    public let type: String
    /// What went wrong.
    public let reason: String

    public var description: String { "cannot derive a schema for \(type): \(reason)" }
}

/// Collection and optional types, recognised by conditional conformance.
protocol ProbeOptional {
    static var wrappedSchemaType: any Decodable.Type { get }
    static var probeNone: Self { get }
}

extension Optional: ProbeOptional where Wrapped: Decodable {
    static var wrappedSchemaType: any Decodable.Type { Wrapped.self }
    static var probeNone: Self { nil }
}

protocol ProbeSequence {
    static var elementSchemaType: any Decodable.Type { get }
    static var probeEmpty: Self { get }
    static var uniqueItems: Bool { get }
}

extension Array: ProbeSequence where Element: Decodable {
    static var elementSchemaType: any Decodable.Type { Element.self }
    static var probeEmpty: Self { [] }
    static var uniqueItems: Bool { false }
}

extension Set: ProbeSequence where Element: Decodable {
    static var elementSchemaType: any Decodable.Type { Element.self }
    static var probeEmpty: Self { [] }
    static var uniqueItems: Bool { true }
}

protocol ProbeMap {
    static var valueSchemaType: any Decodable.Type { get }
    static var probeEmpty: Self { get }
}

extension Dictionary: ProbeMap where Key == String, Value: Decodable {
    static var valueSchemaType: any Decodable.Type { Value.self }
    static var probeEmpty: Self { [:] }
}

/// One derivation: the stack of struct types being described guards against recursion.
final class SchemaProbe {
    private var stack: [ObjectIdentifier] = []

    /// A value of `T` (to return from the decoder being probed) and its schema.
    func describe<T: Decodable>(_ type: T.Type) throws -> (value: T, schema: JSONValue) {
        if let leaf = Self.leaf(T.self) { return leaf }
        if let provider = T.self as? any OpenAPISchemaProviding.Type {
            return (try Self.cast(Self.example(provider), to: T.self), provider.openAPISchema)
        }
        if let optional = T.self as? any ProbeOptional.Type {
            return (try Self.cast(Self.none(optional), to: T.self), try self.schema(optional.wrappedSchemaType))
        }
        if let sequence = T.self as? any ProbeSequence.Type {
            var array: JSONValue = ["type": "array", "items": try self.schema(sequence.elementSchemaType)]
            if sequence.uniqueItems { array = Self.merging(array, ["x-kubernetes-list-type": "set"]) }
            return (try Self.cast(Self.empty(sequence), to: T.self), array)
        }
        if let map = T.self as? any ProbeMap.Type {
            return (
                try Self.cast(Self.empty(map), to: T.self),
                ["type": "object", "additionalProperties": try self.schema(map.valueSchemaType)]
            )
        }
        if let enumeration = T.self as? any (CaseIterable & RawRepresentable).Type,
            let described = try Self.enumeration(enumeration, as: T.self)
        {
            return described
        }
        let id = ObjectIdentifier(T.self)
        stack.append(id)
        defer { stack.removeLast() }
        let decoder = ProbeDecoder(probe: self)
        let value: T
        do {
            value = try T(from: decoder)
        } catch let error as SchemaDerivationError {
            throw error
        } catch {
            throw SchemaDerivationError(
                type: "\(T.self)", reason: "its init(from:) refused the placeholder values: \(error)")
        }
        var derived = decoder.recorded.schema
        if let annotated = T.self as? any SchemaAnnotated.Type {
            derived = Self.annotate(derived, with: annotated)
        }
        return (value, derived)
    }

    /// The schema of a type whose value is not needed; an open object for a type being described.
    func schema(_ type: any Decodable.Type) throws -> JSONValue {
        if stack.contains(ObjectIdentifier(type)) {
            return ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        }
        return try describeSchema(type)
    }

    private func describeSchema<T: Decodable>(_ type: T.Type) throws -> JSONValue {
        try describe(T.self).schema
    }

    // MARK: Leaves

    private static func leaf<T>(_ type: T.Type) -> (value: T, schema: JSONValue)? {
        func make<V>(_ value: V, _ schema: JSONValue) -> (value: T, schema: JSONValue)? {
            guard let typed = value as? T else { return nil }
            return (typed, schema)
        }
        switch type {
        case is String.Type: return make("", ["type": "string"])
        case is Bool.Type: return make(false, ["type": "boolean"])
        case is Int32.Type: return make(Int32(0), ["type": "integer", "format": "int32"])
        case is Int16.Type: return make(Int16(0), ["type": "integer", "format": "int32"])
        case is Int8.Type: return make(Int8(0), ["type": "integer", "format": "int32"])
        case is UInt16.Type: return make(UInt16(0), ["type": "integer", "format": "int32", "minimum": 0])
        case is UInt8.Type: return make(UInt8(0), ["type": "integer", "format": "int32", "minimum": 0])
        case is Int.Type: return make(0, ["type": "integer", "format": "int64"])
        case is Int64.Type: return make(Int64(0), ["type": "integer", "format": "int64"])
        case is UInt.Type: return make(UInt(0), ["type": "integer", "format": "int64", "minimum": 0])
        case is UInt32.Type: return make(UInt32(0), ["type": "integer", "format": "int64", "minimum": 0])
        case is UInt64.Type: return make(UInt64(0), ["type": "integer", "format": "int64", "minimum": 0])
        case is Double.Type: return make(0.0, ["type": "number", "format": "double"])
        case is Float.Type: return make(Float(0), ["type": "number", "format": "float"])
        case is Date.Type: return make(Date(timeIntervalSince1970: 0), ["type": "string", "format": "date-time"])
        case is URL.Type: return make(URL(fileURLWithPath: "/"), ["type": "string"])
        case is Data.Type: return make(Data(), ["type": "string", "format": "byte"])
        default: return nil
        }
    }

    private static func example<P: OpenAPISchemaProviding>(_ type: P.Type) -> P { P.schemaExample }
    private static func none<P: ProbeOptional>(_ type: P.Type) -> P { P.probeNone }
    private static func empty<P: ProbeSequence>(_ type: P.Type) -> P { P.probeEmpty }
    private static func empty<P: ProbeMap>(_ type: P.Type) -> P { P.probeEmpty }

    private static func cast<T>(_ value: Any, to type: T.Type) throws -> T {
        guard let typed = value as? T else {
            throw SchemaDerivationError(type: "\(T.self)", reason: "internal: placeholder of the wrong type")
        }
        return typed
    }

    /// `CaseIterable` enums with `String` or integer raw values; `nil` for other raw types.
    private static func enumeration<E: CaseIterable & RawRepresentable, T>(
        _ type: E.Type, as: T.Type
    ) throws -> (value: T, schema: JSONValue)? {
        let raw = type.allCases.map(\.rawValue)
        guard let first = type.allCases.first else {
            throw SchemaDerivationError(type: "\(E.self)", reason: "an enum without cases has no valid value")
        }
        let schema: JSONValue
        if let strings = raw as? [String] {
            schema = ["type": "string", "enum": .array(strings.map(JSONValue.string))]
        } else if let ints = raw as? [Int] {
            schema = ["type": "integer", "enum": .array(ints.map { .int(Int64($0)) })]
        } else {
            return nil
        }
        return (try cast(first, to: T.self), schema)
    }

    private static func annotate(_ schema: JSONValue, with type: any SchemaAnnotated.Type) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        if let description = type.schemaDescription { object["description"] = .string(description) }
        if var properties = object["properties"]?.objectValue {
            for (name, annotation) in type.schemaAnnotations {
                if let property = properties[name] { properties[name] = annotation.apply(to: property) }
            }
            object["properties"] = .object(properties)
        }
        return .object(object)
    }

    static func merging(_ schema: JSONValue, _ extra: [String: JSONValue]) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        object.merge(extra) { _, new in new }
        return .object(object)
    }
}
