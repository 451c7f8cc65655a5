/// An RFC 6901 JSON pointer: a path of reference tokens into a ``JSONValue``.
///
/// The textual form escapes `~` as `~0` and `/` as `~1`; ``tokens`` holds the unescaped tokens.
/// The empty pointer `""` refers to the whole document.
///
/// ```swift
/// let pointer = try JSONPointer(parsing: "/metadata/annotations/example.com~1owner")
/// let owner = pod[pointer: pointer]?.stringValue
/// ```
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first.
    public var tokens: [String]

    /// A pointer made of already-unescaped tokens.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// The pointer to the whole document.
    public static let root = JSONPointer(tokens: [])

    /// Parses the textual form, for example `"/a/b~1c/0"`.
    ///
    /// - Throws: ``JSONPointerError`` when the text is neither empty nor starts with `/`, or
    ///   contains a `~` not followed by `0` or `1`.
    public init(parsing text: String) throws(JSONPointerError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.utf8.first == UInt8(ascii: "/") else {
            throw JSONPointerError(pointer: text, reason: "a JSON pointer must be empty or start with '/'")
        }
        var result: [String] = []
        for raw in text.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard raw.contains(UInt8(ascii: "~")) else {
                result.append(String(decoding: raw, as: UTF8.self))
                continue
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(raw.count)
            var i = raw.startIndex
            while i < raw.endIndex {
                let b = raw[i]
                if b == UInt8(ascii: "~") {
                    let next = raw.index(after: i)
                    guard next < raw.endIndex else {
                        throw JSONPointerError(pointer: text, reason: "'~' at the end of a token")
                    }
                    switch raw[next] {
                    case UInt8(ascii: "0"): bytes.append(UInt8(ascii: "~"))
                    case UInt8(ascii: "1"): bytes.append(UInt8(ascii: "/"))
                    default: throw JSONPointerError(pointer: text, reason: "'~' must be followed by '0' or '1'")
                    }
                    i = raw.index(after: next)
                } else {
                    bytes.append(b)
                    i = raw.index(after: i)
                }
            }
            result.append(String(decoding: bytes, as: UTF8.self))
        }
        tokens = result
    }

    /// The escaped textual form, for example `"/a/b~1c/0"`.
    public var description: String {
        var out = ""
        for token in tokens {
            out += "/"
            out += Self.escape(token)
        }
        return out
    }

    /// Escapes one reference token (`~` to `~0`, `/` to `~1`).
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var out = ""
        out.reserveCapacity(token.utf8.count + 4)
        for c in token.unicodeScalars {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The pointer with `token` added at the end.
    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    /// The pointer to the containing value; `nil` for the root.
    public var parent: JSONPointer? {
        tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
    }

    /// Whether `self` is `other` or lies inside it.
    public func hasPrefix(_ other: JSONPointer) -> Bool {
        tokens.starts(with: other.tokens)
    }

    /// The array index a token denotes: decimal digits without a leading zero.
    static func arrayIndex(_ token: String) -> Int? {
        let utf8 = token.utf8
        guard let first = utf8.first, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        if first == UInt8(ascii: "0") && utf8.count > 1 { return nil }
        return Int(token)
    }
}

extension JSONPointer: ExpressibleByStringLiteral {
    /// A pointer from a literal; an invalid literal is a programming error and traps.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value)
        } catch {
            preconditionFailure("invalid JSON pointer literal: \(error)")
        }
    }
}

extension JSONPointer: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
