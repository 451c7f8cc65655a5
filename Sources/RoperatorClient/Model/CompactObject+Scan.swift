extension CompactObject {
    /// An object's compact JSON and the few fields caches index, read in one pass over the
    /// object's bytes, without decoding the rest.
    package struct Scan: Sendable {
        /// The object without `metadata.managedFields`, its other bytes as they came.
        package let compact: CompactObject
        /// `apiVersion`, when it is a string.
        package let apiVersion: String?
        /// `kind`, when it is a string.
        package let kind: String?
        /// The members of `metadata` caches index.
        package let metadata: Metadata
    }

    /// The members of `metadata` caches index, each as ``KubeObject``'s accessor of the same name
    /// reads it (a member of another JSON type reads as `nil`; a repeated member as its last value).
    package struct Metadata: Sendable {
        package var name: String?
        package var namespace: String?
        package var uid: String?
        package var resourceVersion: String?
        package var generation: Int64?
        package var deletionTimestamp: String?
        /// The value of the label the scan was asked for.
        package var label: String?
        /// The owner references that decode, in order.
        package var ownerReferences: [OwnerReference] = []

        /// Whether deletion has been requested.
        package var isBeingDeleted: Bool { deletionTimestamp != nil }
        /// The owner reference with `controller: true`.
        package var controllerReference: OwnerReference? { ownerReferences.first(where: \.isController) }
    }

    /// An object kept as these bytes (well-formed JSON of one object).
    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads one object's JSON into its compact form without `metadata.managedFields` and the
    /// fields caches index. Decoding the result's ``object`` gives the same object as decoding
    /// `json` and dropping `metadata.managedFields`.
    ///
    /// - Parameter label: A label whose value ``Metadata/label`` reads.
    /// - Returns: `nil` when `json` is not a JSON object.
    /// - Throws: ``JSONParseError`` when `json` is not well-formed JSON.
    package static func scan(droppingManagedFields json: UnsafeRawBufferPointer, readingLabel label: String? = nil)
        throws(JSONParseError) -> Scan?
    {
        try JSONParser.reading(json) { parser throws(JSONParseError) -> Scan? in
            guard try parser.startsWithObject() else { return nil }
            var apiVersion: String?
            var kind: String?
            var metadata = Metadata()
            var cuts: [Range<Int>] = []
            try parser.readObject { parser, key throws(JSONParseError) in
                if key.is("apiVersion") {
                    apiVersion = try parser.parseValue().stringValue
                } else if key.is("kind") {
                    kind = try parser.parseValue().stringValue
                } else if key.is("metadata") {
                    metadata = try readMetadata(&parser, label: label, cuts: &cuts)
                } else {
                    try parser.skipValue()
                }
            }
            try parser.expectEnd()
            return Scan(
                compact: CompactObject(bytes: copy(parser.bytes, leavingOut: cuts)), apiVersion: apiVersion, kind: kind,
                metadata: metadata)
        }.get()
    }

    /// The `metadata.resourceVersion` of one object's JSON, read without decoding or copying
    /// anything else: what a writer that learns the object from a watch needs of a write's answer.
    ///
    /// - Returns: `nil` when `json` is not an object or has no string resourceVersion.
    /// - Throws: ``JSONParseError`` when `json` is not well-formed JSON.
    package static func resourceVersion(in json: UnsafeRawBufferPointer) throws(JSONParseError) -> String? {
        try JSONParser.reading(json) { parser throws(JSONParseError) -> String? in
            guard try parser.startsWithObject() else { return nil }
            var version: String?
            try parser.readObject { parser, key throws(JSONParseError) in
                guard key.is("metadata"), parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") else {
                    try parser.skipValue()
                    return
                }
                try parser.readObject { parser, key throws(JSONParseError) in
                    if key.is("resourceVersion") {
                        version = try parser.parseValue().stringValue
                    } else {
                        try parser.skipValue()
                    }
                }
            }
            try parser.expectEnd()
            return version
        }.get()
    }

    /// Reads `metadata` (the value at the parser's index): the members caches index, and the byte
    /// ranges to leave out for its `managedFields` members, each with one separating comma.
    private static func readMetadata(
        _ parser: inout JSONParser, label: String?, cuts: inout [Range<Int>]
    ) throws(JSONParseError) -> Metadata {
        var metadata = Metadata()
        guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") else {
            try parser.skipValue()
            return metadata
        }
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
            if key.is("name") {
                metadata.name = try parser.parseValue().stringValue
            } else if key.is("namespace") {
                metadata.namespace = try parser.parseValue().stringValue
            } else if key.is("uid") {
                metadata.uid = try parser.parseValue().stringValue
            } else if key.is("resourceVersion") {
                metadata.resourceVersion = try parser.parseValue().stringValue
            } else if key.is("generation") {
                metadata.generation = try parser.parseValue().intValue
            } else if key.is("deletionTimestamp") {
                metadata.deletionTimestamp = try parser.parseValue().stringValue
            } else if key.is("labels") {
                metadata.label = try readLabel(&parser, label)
            } else if key.is("ownerReferences") {
                metadata.ownerReferences = (try parser.parseValue().arrayValue ?? []).compactMap { entry in
                    try? OwnerReference(json: entry)
                }
            } else {
                try parser.skipValue()
            }
            keptEnd = parser.index
        }
        return metadata
    }

    /// The value of `label` in the labels at the parser's index (`nil` when they are not an object
    /// or lack it), decoding no other label.
    private static func readLabel(_ parser: inout JSONParser, _ label: String?) throws(JSONParseError) -> String? {
        guard let label, parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") else {
            try parser.skipValue()
            return nil
        }
        var value: String?
        try parser.readObject { parser, key throws(JSONParseError) in
            if key.is(label) {
                value = try parser.parseValue().stringValue
            } else {
                try parser.skipValue()
            }
        }
        return value
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

extension JSONParser {
    /// Whether the document (from the parser's index) is an object; when it is not, its one value
    /// is read past and the end of the input required, so a malformed document still throws.
    mutating func startsWithObject() throws(JSONParseError) -> Bool {
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "{") { return true }
        try skipValue()
        try expectEnd()
        return false
    }
}
