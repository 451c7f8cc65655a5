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
                try parser.readObject { parser, key, _ throws(JSONParseError) in
                    switch key {
                    case "type":
                        envelope.type = try parser.parseValue().stringValue
                    case "object":
                        let start = parser.index
                        try parser.skipValue()
                        envelope.object = start..<parser.index
                    default:
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
}
