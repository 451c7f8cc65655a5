/// `JSONValue` is `Codable`, so a Codable struct can carry raw JSON (for example an unstructured
/// `spec` field). With ``JSONValueEncoder``/``JSONValueDecoder`` the value passes through
/// untouched; with other coders (Foundation's `JSONEncoder`/`JSONDecoder`, YAML coders) it is
/// written and read through the generic containers.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let ours = decoder as? ValueDecoder {
            self = ours.value
            return
        }
        // A generic decoder only tells what a value is by attempting each kind. A type mismatch
        // is the expected answer "not this kind", so only that error moves on to the next kind.
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
            return
        }
        if let b = try Self.attempt({ try single.decode(Bool.self) }) {
            self = .bool(b)
        } else if let d = try Self.attempt({ try single.decode(Double.self) }) {
            // Integers are read again as Int64 so that values beyond 2^53 stay exact.
            if d.rounded() == d, abs(d) <= 9.3e18, let i = Self.exactInteger(single) {
                self = .int(i)
            } else {
                self = .double(d)
            }
        } else if let s = try Self.attempt({ try single.decode(String.self) }) {
            self = .string(s)
        } else if let object = try Self.attempt({ try decoder.container(keyedBy: JSONCodingKey.self) }) {
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(object.allKeys.count)
            for key in object.allKeys {
                members[key.stringValue] = try object.decode(JSONValue.self, forKey: key)
            }
            self = .object(members)
        } else {
            var array = try decoder.unkeyedContainer()
            var elements: [JSONValue] = []
            if let count = array.count { elements.reserveCapacity(count) }
            while !array.isAtEnd {
                elements.append(try array.decode(JSONValue.self))
            }
            self = .array(elements)
        }
    }

    private static func attempt<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch is DecodingError {
            return nil
        }
    }

    /// The number as an `Int64`, when the decoder can read it as one.
    ///
    /// The value is already known to be a number, so a failure here only means "written with a
    /// fraction or exponent" (Foundation reports that with an error that is not a `DecodingError`).
    private static func exactInteger(_ container: any SingleValueDecodingContainer) -> Int64? {
        do {
            return try container.decode(Int64.self)
        } catch {
            return nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if let ours = encoder as? ValueEncoder {
            ours.storage = .value(self)
            return
        }
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let elements):
            var c = encoder.unkeyedContainer()
            for element in elements { try c.encode(element) }
        case .object(let members):
            var c = encoder.container(keyedBy: JSONCodingKey.self)
            for (key, value) in members {
                // A member that is null must stay null here: it is data, not an absent optional.
                if case .null = value {
                    try c.encodeNil(forKey: JSONCodingKey(stringValue: key))
                } else {
                    try c.encode(value, forKey: JSONCodingKey(stringValue: key))
                }
            }
        }
    }
}
