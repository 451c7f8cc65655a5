/// A byte-level JSON parser over UTF-8 input.
///
/// It works on an `UnsafeRawBufferPointer` so the hot loop has no bounds-check or ARC traffic, and
/// it builds `String`s straight from runs of unescaped bytes.
struct JSONParser: ~Copyable {
    // Not private: the duplicate-key scan (JSONParser+DuplicateKeys.swift) walks the same bytes.
    let bytes: UnsafeRawBufferPointer
    var index: Int = 0
    var depth: Int = 0
    /// Members of the objects being parsed, innermost last. Collecting them first lets each
    /// dictionary be allocated at its final size, so no key is hashed twice by a resize.
    private var memberStack: [JSONParserMember] = []
    /// Elements of the arrays being parsed, innermost last, so each array is allocated once.
    private var elementStack: [JSONValue] = []
    /// Deeper documents are rejected instead of overflowing the stack.
    static let maxDepth = 512
    /// Whether an object parsed so far repeated one of its keys (the last value was kept).
    private(set) var repeatedKey = false

    /// Repeated keys reuse their `String` (see ``JSONKeyCache``).
    private let keys: JSONKeyCacheAccess?

    init(bytes: UnsafeRawBufferPointer, keys: JSONKeyCacheAccess?) {
        self.bytes = bytes
        self.keys = keys
    }

    /// Parses a whole document with the shared key cache when it is free.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<JSONValue, JSONParseError> {
        parseNotingRepeatedKeys(bytes).map(\.value)
    }

    /// ``parse(_:)``, also telling whether an object in the document repeats a key.
    static func parseNotingRepeatedKeys(_ bytes: UnsafeRawBufferPointer) -> Result<(value: JSONValue, repeatsKeys: Bool), JSONParseError> {
        JSONKeyCache.withShared { keys in
            var parser = JSONParser(bytes: bytes, keys: keys)
            return Result { () throws(JSONParseError) in
                let value = try parser.parseDocument()
                return (value, parser.repeatedKey)
            }
        }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index != bytes.count {
            throw error("unexpected trailing data")
        }
        return value
    }

    func error(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? index, reason: reason)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                index += 1
            default:
                return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw error("unexpected character '\(Self.printable(bytes[index]))'")
        }
    }

    private static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7f).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw error("invalid literal", at: start) }
        let p = literal.utf8Start
        for i in 0..<count where bytes[index + i] != p[i] {
            throw error("invalid literal", at: start)
        }
        index += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth)") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1 // {
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([:])
        }
        let base = memberStack.count
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString(isKey: true)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            memberStack.append(JSONParserMember(key: key, value: try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                var members = [String: JSONValue](minimumCapacity: memberStack.count - base)
                // A repeated key keeps its last value, as Go's decoder does.
                for i in base..<memberStack.count {
                    members[memberStack[i].key] = memberStack[i].value
                }
                if members.count != memberStack.count - base { repeatedKey = true }
                memberStack.removeSubrange(base...)
                return .object(members)
            }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1 // [
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array([])
        }
        let base = elementStack.count
        while true {
            skipWhitespace()
            elementStack.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                let elements = Array(elementStack[base...])
                elementStack.removeSubrange(base...)
                return .array(elements)
            }
            throw error("expected ',' or ']'")
        }
    }

    mutating func parseString(isKey: Bool = false) throws(JSONParseError) -> String {
        let open = index
        index += 1 // opening quote
        let start = index
        // Fast path: no escapes. Control characters are invalid inside strings.
        // Skip 8 bytes at a time while none of them is a quote, a backslash or a control character.
        if let base = bytes.baseAddress {
            while bytes.count - index >= 8 {
                let word = (base + index).loadUnaligned(as: UInt64.self)
                if Self.needsAttention(word) { break }
                index += 8
            }
        }
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let length = index - start
                let s: String
                if isKey, length <= JSONKeyCache.maxLength, let keys, let base = bytes.baseAddress {
                    s = keys.string(base + start, length: length, readable: bytes.count - start)
                } else {
                    s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in string") }
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated string", at: open) }
        // Slow path: copy what we have and decode escapes.
        var out: [UInt8] = []
        out.reserveCapacity(index - start + 16)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    Self.appendUTF8(scalar, to: &out)
                default:
                    throw error("invalid escape '\\\(Self.printable(e))'", at: index - 2)
                }
            default:
                if b < 0x20 { throw error("control character in string") }
                out.append(b)
                index += 1
            }
        }
        throw error("unterminated string", at: open)
    }

    /// Whether any byte of `word` is `"`, `\\` or below 0x20 (exact as a yes/no answer).
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return (quote | backslash | control) != 0
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    /// Decodes the 4 hex digits after `\u`, joining a surrogate pair when one follows.
    /// Lone surrogates become U+FFFD, as Go's encoding/json does.
    private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try parseHex4()
        if (0xD800..<0xDC00).contains(first) {
            if bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let save = index
                index += 2
                let second = try parseHex4()
                if (0xDC00..<0xE000).contains(second) {
                    let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    return Unicode.Scalar(combined) ?? "\u{FFFD}"
                }
                index = save
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(first) ?? "\u{FFFD}"
    }

    private static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        for unit in UTF8.encode(scalar)! { out.append(unit) }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            throw error("invalid number", at: start)
        }
        // Integer part, accumulated as a negative number so Int64.min fits.
        var acc: Int64 = 0
        var overflow = false
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                throw error("leading zero in number", at: start)
            }
        } else {
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                let d = Int64(bytes[index] &- UInt8(ascii: "0"))
                if !overflow {
                    let (m, o1) = acc.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(d)
                    if o1 || o2 { overflow = true } else { acc = s }
                }
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fracStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            if index == fracStart { throw error("expected digits after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let expStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            if index == expStart { throw error("expected digits in exponent") }
        }
        if isInteger && !overflow {
            if negative { return .int(acc) }
            if acc != .min { return .int(-acc) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let d = Double(text) else { throw error("invalid number", at: start) }
        // Beyond Double's range the value would become infinity, which JSON cannot write back;
        // Go's decoder refuses such numbers too.
        guard d.isFinite else { throw error("number out of range", at: start) }
        return .double(d)
    }
}

extension JSONValue {
    /// Parses UTF-8 JSON bytes.
    ///
    /// - Throws: ``JSONParseError`` with the byte offset of the first problem.
    public init<Bytes: Collection<UInt8>>(parsing bytes: Bytes) throws(JSONParseError) {
        var repeatsKeys = false
        try self.init(parsing: bytes, repeatsKeys: &repeatsKeys)
    }

    /// Parses UTF-8 JSON bytes and tells whether an object in them repeats a key (the value keeps
    /// the last, as Go's decoder does). Noting it costs nothing: a server that must report
    /// repeated keys walks the bytes for them (``duplicateKeys(in:)``) only when there are some.
    ///
    /// - Throws: ``JSONParseError`` with the byte offset of the first problem.
    package init<Bytes: Collection<UInt8>>(parsing bytes: Bytes, repeatsKeys: inout Bool) throws(JSONParseError) {
        let result =
            bytes.withContiguousStorageIfAvailable { buffer in
                JSONParser.parseNotingRepeatedKeys(UnsafeRawBufferPointer(buffer))
            }
            ?? Array(bytes).withUnsafeBytes { raw in
                JSONParser.parseNotingRepeatedKeys(raw)
            }
        let parsed = try result.get()
        repeatsKeys = parsed.repeatsKeys
        self = parsed.value
    }

    /// Parses a JSON string.
    ///
    /// - Throws: ``JSONParseError`` with the byte offset of the first problem.
    public init(parsing string: String) throws(JSONParseError) {
        var s = string
        let result = s.withUTF8 { buffer in
            JSONParser.parse(UnsafeRawBufferPointer(buffer))
        }
        self = try result.get()
    }
}
