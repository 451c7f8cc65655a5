extension CompactObject {
    /// An object's compact JSON and the few fields caches index, read in one pass over the
    /// object's bytes, without decoding the rest.
    package struct Scan: Sendable {
        /// The object without `metadata.managedFields`, its other bytes as they came.
        package let compact: CompactObject
        /// `apiVersion`, `kind`, and of `metadata` only `name`, `namespace`, `uid`,
        /// `resourceVersion`, `generation`, `deletionTimestamp`, `labels` and `ownerReferences`,
        /// decoded: read them with ``KubeObject``'s accessors.
        package let head: KubeObject
    }

    /// The `metadata` members ``Scan/head`` keeps.
    private static let headMetadata: Set<String> = [
        "name", "namespace", "uid", "resourceVersion", "generation", "deletionTimestamp", "labels", "ownerReferences",
    ]

    /// An object kept as these bytes (well-formed JSON of one object).
    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads one object's JSON into its compact form without `metadata.managedFields` and the
    /// fields caches index. Decoding the result's ``object`` gives the same object as decoding
    /// `json` and dropping `metadata.managedFields`.
    ///
    /// - Returns: `nil` when `json` is not a JSON object.
    /// - Throws: ``JSONParseError`` when `json` is not well-formed JSON.
    package static func scan(droppingManagedFields json: UnsafeRawBufferPointer) throws(JSONParseError) -> Scan? {
        let found = try JSONParser.reading(json) { parser throws(JSONParseError) -> (head: JSONValue, cuts: [Range<Int>])? in
            parser.skipWhitespace()
            guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") else { return nil }
            var head: [String: JSONValue] = [:]
            var cuts: [Range<Int>] = []
            try parser.readObject { parser, key, _ throws(JSONParseError) in
                switch key {
                case "apiVersion", "kind":
                    head[key] = try parser.parseValue()
                case "metadata":
                    head[key] = try readMetadata(&parser, cuts: &cuts)
                default:
                    try parser.skipValue()
                }
            }
            try parser.expectEnd()
            return (.object(head), cuts)
        }.get()
        guard let found else { return nil }
        return Scan(compact: CompactObject(bytes: copy(json, leavingOut: found.cuts)), head: KubeObject(found.head))
    }

    /// Reads `metadata` (the value at the parser's index): the members the head keeps, decoded, and
    /// the byte ranges to leave out for its `managedFields` members, each with one separating comma.
    private static func readMetadata(_ parser: inout JSONParser, cuts: inout [Range<Int>]) throws(JSONParseError) -> JSONValue {
        guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") else {
            return try parser.parseValue()
        }
        var kept: [String: JSONValue] = [:]
        /// Where the last member that stays ends, for a `managedFields` that is the last member.
        var keptEnd: Int?
        try parser.readObject { parser, key, memberStart throws(JSONParseError) in
            if key == "managedFields" {
                try parser.skipValue()
                let valueEnd = parser.index
                parser.skipWhitespace()
                if parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: ",") {
                    cuts.append(memberStart..<(parser.index + 1))
                } else {
                    cuts.append((keptEnd ?? memberStart)..<valueEnd)
                }
                parser.index = valueEnd
                return
            }
            if headMetadata.contains(key) {
                kept[key] = try parser.parseValue()
            } else {
                try parser.skipValue()
            }
            keptEnd = parser.index
        }
        return .object(kept)
    }

    /// `json` without the byte ranges in `cuts` (which may overlap).
    private static func copy(_ json: UnsafeRawBufferPointer, leavingOut cuts: [Range<Int>]) -> [UInt8] {
        guard !cuts.isEmpty else { return Array(json) }
        var out: [UInt8] = []
        out.reserveCapacity(json.count)
        var from = 0
        for cut in cuts.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if cut.lowerBound > from { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: json[from..<cut.lowerBound])) }
            from = max(from, cut.upperBound)
        }
        if from < json.count { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: json[from...])) }
        return out
    }
}
