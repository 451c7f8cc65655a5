/// A JSON document: the representation Roperator uses for arbitrary Kubernetes objects.
///
/// `JSONValue` keeps integers that fit in 64 bits exactly (`.int`), keeps every field it was given
/// (unknown fields are never dropped), and writes objects with their keys sorted so that the same
/// value always serializes to the same bytes.
///
/// ```swift
/// var pod = try JSONValue(parsing: #"{"kind":"Pod","metadata":{"name":"web"}}"#)
/// pod["metadata"]?["labels"] = ["app": "web"]
/// print(pod.serialized())  // {"kind":"Pod","metadata":{"labels":{"app":"web"},"name":"web"}}
/// ```
public enum JSONValue: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in an `Int64`.
    case int(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object. Key order is not significant; output sorts the keys.
    case object([String: JSONValue])
}

extension JSONValue {
    /// An empty object, `{}`.
    public static let emptyObject: JSONValue = .object([:])

    /// The string, when this is a `.string`.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, when this is an `.int`, or a `.double` with an exact integer value.
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d):
            guard d.rounded() == d, let i = Int64(exactly: d) else { return nil }
            return i
        default: return nil
        }
    }

    /// The number as a `Double`, when this is an `.int` or a `.double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The boolean, when this is a `.bool`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, when this is an `.array`.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members, when this is an `.object`.
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` of an object; `nil` when absent or when this is not an object.
    ///
    /// Setting a member on a value that is not an object turns it into an object; setting `nil`
    /// removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        set {
            var members: [String: JSONValue]
            if case .object(let o) = self {
                members = o
                // Release our reference so the dictionary is uniquely owned and mutates in place.
                self = .null
            } else {
                if newValue == nil { return }
                members = [:]
            }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` of an array; `nil` when out of range or when this is not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The value at a path of object keys, `nil` when any step is missing.
    ///
    /// ```swift
    /// let name = pod[path: "metadata", "name"]?.stringValue
    /// ```
    public subscript(path path: String...) -> JSONValue? {
        get { self[pathArray: path[...]] }
        set { self[pathArray: path[...]] = newValue }
    }

    subscript(pathArray path: ArraySlice<String>) -> JSONValue? {
        get {
            guard let first = path.first else { return self }
            return self[first]?[pathArray: path.dropFirst()]
        }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            if path.count == 1 {
                self[first] = newValue
                return
            }
            var child = self[first] ?? .emptyObject
            if newValue == nil, self[first] == nil { return }
            child[pathArray: path.dropFirst()] = newValue
            self[first] = child
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact serialized form.
    public var description: String { serialized() }
}
