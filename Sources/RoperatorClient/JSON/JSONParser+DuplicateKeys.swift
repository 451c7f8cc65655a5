/// A second, opt-in walk over a document that only looks for repeated keys.
///
/// It lives beside the parser rather than inside `parseObject` so that the hot parse path (every
/// client decode) pays nothing for a check only the embedded API server wants. It shares the
/// frames of objects and arrays with the skipping reader (JSONParser+Skip.swift) and the parser's
/// scalar, string and whitespace handling, so it accepts exactly the documents the parser accepts;
/// it builds no containers, only the keys of the object it is in.
extension JSONParser {
    /// One step from the root to the value being scanned.
    private enum PathStep {
        case key(String)
        case index(Int)
    }

    /// Every repeated key of the document, in document order.
    mutating func scanDuplicateKeys() throws(JSONParseError) -> [JSONDuplicateKey] {
        var path: [PathStep] = []
        var found: [JSONDuplicateKey] = []
        skipWhitespace()
        try scanValue(&path, &found)
        skipWhitespace()
        if index != bytes.count {
            throw error("unexpected trailing data")
        }
        return found
    }

    private mutating func scanValue(_ path: inout [PathStep], _ found: inout [JSONDuplicateKey]) throws(JSONParseError) {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try scanObject(&path, &found)
        case UInt8(ascii: "["): try scanArray(&path, &found)
        default: _ = try parseValue()
        }
    }

    private mutating func scanObject(_ path: inout [PathStep], _ found: inout [JSONDuplicateKey]) throws(JSONParseError) {
        var seen: Set<String> = []
        try walkObject { parser throws(JSONParseError) in
            let offset = parser.index
            let key = try parser.parseString()
            try parser.expectColon()
            if !seen.insert(key).inserted {
                found.append(JSONDuplicateKey(key: key, path: Self.describe(path, then: .key(key)), offset: offset))
            }
            path.append(.key(key))
            try parser.scanValue(&path, &found)
            path.removeLast()
        }
    }

    private mutating func scanArray(_ path: inout [PathStep], _ found: inout [JSONDuplicateKey]) throws(JSONParseError) {
        var position = 0
        try walkArray { parser throws(JSONParseError) in
            path.append(.index(position))
            try parser.scanValue(&path, &found)
            path.removeLast()
            position += 1
        }
    }

    /// `spec.containers[0].image`: keys joined with dots, indexes in brackets, as kube-apiserver's
    /// strict decoding errors name fields.
    private static func describe(_ path: [PathStep], then last: PathStep) -> String {
        var text = ""
        for step in path + [last] {
            switch step {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let i):
                text += "[\(i)]"
            }
        }
        return text
    }
}

extension JSONValue {
    /// The keys repeated inside an object of a UTF-8 JSON document, in document order, each
    /// repetition once (a key written three times is reported twice).
    ///
    /// ``init(parsing:)`` keeps the last value of a repeated key and says nothing; this separate,
    /// slower walk is for callers that must report repetitions, such as an API server honouring
    /// `fieldValidation`.
    ///
    /// ```swift
    /// let repeated = try JSONValue.duplicateKeys(in: Array(#"{"spec":{"replicas":1,"replicas":2}}"#.utf8))
    /// // repeated.map(\.path) == ["spec.replicas"]
    /// ```
    ///
    /// - Throws: ``JSONParseError`` when the bytes are not JSON, as ``init(parsing:)`` would.
    package static func duplicateKeys<Bytes: Collection<UInt8>>(in bytes: Bytes) throws(JSONParseError) -> [JSONDuplicateKey] {
        func scan(_ raw: UnsafeRawBufferPointer) -> Result<[JSONDuplicateKey], JSONParseError> {
            var parser = JSONParser(bytes: raw, keys: nil)
            return Result { () throws(JSONParseError) in try parser.scanDuplicateKeys() }
        }
        let result =
            bytes.withContiguousStorageIfAvailable { scan(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes(scan)
        return try result.get()
    }
}
