/// Walking over a value without building it, for readers that want a few members of a document
/// and the byte ranges of the rest (the watch stream's event envelope, a cache's compact copy).
///
/// A skip accepts exactly what ``JSONParser/parseValue()`` accepts: strings are checked for
/// control characters and bad escapes, numbers and literals by the parser's own code.
extension JSONParser {
    /// Runs `body` on a parser over `bytes`, with the shared key cache when it is free.
    static func reading<R: Sendable>(
        _ bytes: UnsafeRawBufferPointer, _ body: (inout JSONParser) throws(JSONParseError) -> R
    ) -> Result<R, JSONParseError> {
        JSONKeyCache.withShared { keys in
            var parser = JSONParser(bytes: bytes, keys: keys)
            return Result { () throws(JSONParseError) in try body(&parser) }
        }
    }

    /// Moves past one value.
    mutating func skipValue() throws(JSONParseError) {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try skipObject()
        case UInt8(ascii: "["): try skipArray()
        case UInt8(ascii: "\""): try skipString()
        default: _ = try parseValue()
        }
    }

    /// Moves past one string, checking its escapes without decoding it.
    mutating func skipString() throws(JSONParseError) {
        let open = index
        index += 1
        while true {
            if let base = bytes.baseAddress {
                while bytes.count - index >= 8, !Self.needsAttention((base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                }
            }
            guard index < bytes.count else { throw error("unterminated string", at: open) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if b == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { throw error("unterminated string", at: open) }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    continue
                case UInt8(ascii: "u"):
                    // Any four hex digits: the parser turns lone surrogates into U+FFFD, never an error.
                    _ = try parseHex4()
                    continue
                default:
                    throw error("invalid escape '\\\(String(UnicodeScalar(e)))'", at: index - 2)
                }
            }
            if b < 0x20 { throw error("control character in string") }
            index += 1
        }
    }

    /// Calls `member` for each member of the object at `index`, `index` at the member's value;
    /// `member` must move past the value. Returns after the closing brace. Keys are compared as
    /// bytes (``JSONMemberKey``), not made into strings.
    mutating func readObject(
        _ member: (inout JSONParser, JSONMemberKey) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        try walkObject { parser throws(JSONParseError) in
            let key = try parser.readKey()
            try parser.expectColon()
            try member(&parser, key)
        }
    }

    /// Moves past one object; its keys are checked, not read.
    private mutating func skipObject() throws(JSONParseError) {
        try walkObject { parser throws(JSONParseError) in
            try parser.skipString()
            try parser.expectColon()
            try parser.skipValue()
        }
    }

    /// The frame of an object: `member` is called at each key's opening quote and must move past
    /// the member's value.
    mutating func walkObject(_ member: (inout JSONParser) throws(JSONParseError) -> Void) throws(JSONParseError) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw error("expected an object") }
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            try member(&self)
            if try closes(UInt8(ascii: "}"), "object") { return }
        }
    }

    /// The frame of an array: `element` is called at each element and must move past it.
    mutating func walkArray(_ element: (inout JSONParser) throws(JSONParseError) -> Void) throws(JSONParseError) {
        try enter()
        index += 1 // [
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            if try closes(UInt8(ascii: "]"), "array") { return }
        }
    }

    /// After a member or element: `true` past the closing bracket, `false` past a comma.
    private mutating func closes(_ closing: UInt8, _ container: String) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input in \(container)") }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            return false
        }
        guard bytes[index] == closing else { throw error("expected ',' or '\(Character(UnicodeScalar(closing)))'") }
        index += 1
        depth -= 1
        return true
    }

    /// Moves past the `:` after a key and the whitespace around it.
    mutating func expectColon() throws(JSONParseError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
        index += 1
        skipWhitespace()
    }

    /// Reads the key at `index` (its opening quote): its bytes when it has no escapes, else decoded.
    private mutating func readKey() throws(JSONParseError) -> JSONMemberKey {
        let open = index
        try skipString()
        let raw = UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<(index - 1)])
        guard raw.contains(UInt8(ascii: "\\")) else { return JSONMemberKey(start: open, raw: raw, decoded: nil) }
        let end = index
        index = open
        let decoded = try parseString()
        index = end
        return JSONMemberKey(start: open, raw: nil, decoded: decoded)
    }

    private mutating func skipArray() throws(JSONParseError) {
        try walkArray { parser throws(JSONParseError) in try parser.skipValue() }
    }

    /// Requires that only whitespace is left.
    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        if index != bytes.count { throw error("unexpected trailing data") }
    }
}

/// A member's key as ``JSONParser/readObject(_:)`` hands it out: compared with the keys a reader
/// wants without making a string of every key.
struct JSONMemberKey {
    /// The offset of the key's opening quote.
    let start: Int
    /// The key's bytes between the quotes, when it has no escapes.
    let raw: UnsafeRawBufferPointer?
    /// The decoded key, when it has escapes.
    let decoded: String?

    /// Whether the key is `literal`.
    func `is`(_ literal: StaticString) -> Bool {
        matches(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Whether the key is `string`.
    func `is`(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    private func matches(_ wanted: UnsafeRawBufferPointer) -> Bool {
        if let raw { return raw.count == wanted.count && raw.elementsEqual(wanted) }
        return decoded.map { $0.utf8.elementsEqual(wanted) } ?? false
    }
}
