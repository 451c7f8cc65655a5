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

    /// Moves past one string, decoding it only when it has escapes (to check them).
    mutating func skipString() throws(JSONParseError) {
        let open = index
        index += 1
        if let base = bytes.baseAddress {
            while bytes.count - index >= 8, !Self.needsAttention((base + index).loadUnaligned(as: UInt64.self)) {
                index += 8
            }
        }
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if b == UInt8(ascii: "\\") {
                index = open
                _ = try parseString()
                return
            }
            if b < 0x20 { throw error("control character in string") }
            index += 1
        }
        throw error("unterminated string", at: open)
    }

    /// Calls `member` for each member of the object at `index` with the member's key and the offset
    /// of the key's opening quote, `index` at its value; `member` must move past the value.
    /// Returns after the closing brace.
    mutating func readObject(
        _ member: (inout JSONParser, String, Int) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
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
            let memberStart = index
            let key = try parseString(isKey: true)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            try member(&self, key, memberStart)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return
            }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func skipObject() throws(JSONParseError) {
        try readObject { parser, _, _ throws(JSONParseError) in try parser.skipValue() }
    }

    private mutating func skipArray() throws(JSONParseError) {
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
            try skipValue()
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return
            }
            throw error("expected ',' or ']'")
        }
    }

    /// Requires that only whitespace is left.
    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        if index != bytes.count { throw error("unexpected trailing data") }
    }
}
