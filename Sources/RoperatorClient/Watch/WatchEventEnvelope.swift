/// A watch event line read only as far as its envelope, `{"type": ..., "object": ...}`: the event
/// type, and where the object's JSON is, so that the object is decoded once, into the form its
/// reader keeps (``WatchedObject``).
struct WatchEventEnvelope: Sendable {
    /// The `type` member when it is a string (`ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK`, `ERROR`).
    var type: String?
    /// The byte range of the `object` member's value.
    var object: Range<Int>?

    /// Reads the envelope of one line, checking that the whole line is well-formed JSON.
    ///
    /// - Throws: ``JSONParseError`` when it is not.
    static func read(_ line: UnsafeRawBufferPointer) throws(JSONParseError) -> WatchEventEnvelope {
        try JSONParser.reading(line) { parser throws(JSONParseError) in
            var envelope = WatchEventEnvelope()
            parser.skipWhitespace()
            if parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") {
                // A repeated member keeps its last value, as when the line is decoded whole.
                try parser.readObject { parser, key throws(JSONParseError) in
                    if key.is("type") {
                        envelope.type = try parser.parseValue().stringValue
                    } else if key.is("object") {
                        let start = parser.index
                        try parser.skipValue()
                        envelope.object = start..<parser.index
                    } else {
                        try parser.skipValue()
                    }
                }
            } else {
                try parser.skipValue()
            }
            try parser.expectEnd()
            return envelope
        }.get()
    }

    /// The envelope of the two layouts servers write, `{"object":…,"type":"T"}` (the embedded
    /// server) and `{"type":"T","object":…}` (kube-apiserver), found from the line's two ends
    /// without reading the object, so that an event costs one pass over its object.
    ///
    /// The object range is right exactly when its bytes are one JSON value: whoever reads it must
    /// check that (``WatchedObject/decode(watched:type:source:)`` does) and use ``read(_:)`` when
    /// it is not. `nil` for any other layout.
    static func guess(_ line: UnsafeRawBufferPointer) -> WatchEventEnvelope? {
        let objectFirst: StaticString = #"{"object":"#
        let typeFirst: StaticString = #"{"type":""#
        guard line.count > 20, line[line.count - 1] == UInt8(ascii: "}") else { return nil }
        if line.starts(with: bytes(objectFirst)) {
            // …,"type":"T"}
            var at = line.count - 2
            guard line[at] == UInt8(ascii: "\"") else { return nil }
            at -= 1
            let typeEnd = at + 1
            while at > 0, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(line[at]) { at -= 1 }
            let typeStart = at + 1
            let suffix: StaticString = #","type":""#
            let suffixStart = typeStart - suffix.utf8CodeUnitCount
            guard typeStart < typeEnd, suffixStart >= objectFirst.utf8CodeUnitCount,
                UnsafeRawBufferPointer(rebasing: line[suffixStart..<typeStart]).elementsEqual(bytes(suffix))
            else { return nil }
            return WatchEventEnvelope(
                type: String(decoding: UnsafeRawBufferPointer(rebasing: line[typeStart..<typeEnd]), as: UTF8.self),
                object: objectFirst.utf8CodeUnitCount..<suffixStart)
        }
        if line.starts(with: bytes(typeFirst)) {
            // {"type":"T","object":…}
            var at = typeFirst.utf8CodeUnitCount
            while at < line.count, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(line[at]) { at += 1 }
            let type = typeFirst.utf8CodeUnitCount..<at
            let infix: StaticString = #"","object":"#
            let objectStart = at + infix.utf8CodeUnitCount
            guard !type.isEmpty, objectStart < line.count - 1,
                UnsafeRawBufferPointer(rebasing: line[at..<objectStart]).elementsEqual(bytes(infix))
            else { return nil }
            return WatchEventEnvelope(
                type: String(decoding: UnsafeRawBufferPointer(rebasing: line[type]), as: UTF8.self),
                object: objectStart..<(line.count - 1))
        }
        return nil
    }

    private static func bytes(_ literal: StaticString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }
}
