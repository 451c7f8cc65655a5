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
    private static let headMetadata: [StaticString] = [
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
            guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") else {
                try parser.skipValue()
                try parser.expectEnd()
                return nil
            }
            var head: [String: JSONValue] = [:]
            var cuts: [Range<Int>] = []
            try parser.readObject { parser, key throws(JSONParseError) in
                if key.is("apiVersion") {
                    head["apiVersion"] = try parser.parseValue()
                } else if key.is("kind") {
                    head["kind"] = try parser.parseValue()
                } else if key.is("metadata") {
                    head["metadata"] = try readMetadata(&parser, cuts: &cuts)
                } else {
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
        try parser.readObject { parser, key throws(JSONParseError) in
            if key.is("managedFields") {
                let memberStart = key.start
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
            if let wanted = headMetadata.first(where: { key.is($0) }) {
                kept[wanted.description] = try parser.parseValue()
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
        // The runs to keep, so that the copy is allocated at its exact size (a cache keeps it).
        var kept: [Range<Int>] = []
        var from = 0
        for cut in cuts.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if cut.lowerBound > from { kept.append(from..<cut.lowerBound) }
            from = max(from, cut.upperBound)
        }
        if from < json.count { kept.append(from..<json.count) }
        let count = kept.reduce(0) { $0 + $1.count }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var at = 0
            for run in kept {
                UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[at..<(at + run.count)])).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: json[run]))
                at += run.count
            }
            initialized = count
        }
    }
}
