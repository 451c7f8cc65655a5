package import RoperatorClient

extension ProtobufCodec {
    /// Whether a JSON object is of a built-in kind, that is, has a protobuf form.
    package func hasMessage(for object: JSONValue) -> Bool {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else { return false }
        return schema.message(apiVersion: apiVersion, kind: kind) != nil
    }

    /// The enveloped protobuf form of a JSON object of a built-in kind.
    ///
    /// - Throws: ``ProtobufError`` when the object names no built-in kind or a member does not
    ///   fit its protobuf field.
    package func encodeObject(_ object: JSONValue) throws(ProtobufError) -> [UInt8] {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        guard let index = schema.message(apiVersion: apiVersion, kind: kind) else {
            throw ProtobufError("\(apiVersion) \(kind) has no protobuf encoding")
        }
        var raw = ProtobufWriter()
        do throws(ProtobufError) {
            try encodeFields(of: object, message: index, into: &raw)
        } catch {
            // Paths are built as `.spec.replicas`; the outermost dot goes.
            throw error.description.hasPrefix(".") ? ProtobufError(String(error.description.dropFirst())) : error
        }
        var typeMeta = ProtobufWriter()
        typeMeta.stringField(1, apiVersion)
        typeMeta.stringField(2, kind)
        var unknown = ProtobufWriter()
        unknown.bytes(1, typeMeta.bytes)
        unknown.bytes(2, raw.bytes)
        unknown.stringField(3, "")
        unknown.stringField(4, "")
        return Self.magic + unknown.bytes
    }

    /// The JSON object of an enveloped protobuf object, with `apiVersion` and `kind` from the envelope.
    ///
    /// - Throws: ``ProtobufError`` when the bytes are not an enveloped object of a built-in kind.
    package func decodeObject(_ bytes: ArraySlice<UInt8>) throws(ProtobufError) -> JSONValue {
        guard bytes.count >= 4, bytes.prefix(4).elementsEqual(Self.magic) else {
            throw ProtobufError("the protobuf body does not start with the Kubernetes magic number")
        }
        return try decodeUnknown(bytes.dropFirst(4))
    }

    /// A `runtime.Unknown`: the object its `raw` holds, typed by its `typeMeta`.
    func decodeUnknown(_ bytes: ArraySlice<UInt8>) throws(ProtobufError) -> JSONValue {
        var reader = ProtobufReader(bytes)
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        var contentEncoding = ""
        var contentType = ""
        while let (number, value) = try reader.next() {
            guard case .bytes(let data) = value else { continue }
            switch number {
            case 1:
                var typeMeta = ProtobufReader(data)
                while let (field, part) = try typeMeta.next() {
                    guard case .bytes(let text) = part else { continue }
                    if field == 1 { apiVersion = String(decoding: text, as: UTF8.self) }
                    if field == 2 { kind = String(decoding: text, as: UTF8.self) }
                }
            case 2: raw = data
            case 3: contentEncoding = String(decoding: data, as: UTF8.self)
            case 4: contentType = String(decoding: data, as: UTF8.self)
            default: continue
            }
        }
        guard contentEncoding.isEmpty else { throw ProtobufError("unsupported contentEncoding \"\(contentEncoding)\" in a protobuf body") }
        if !contentType.isEmpty && contentType != Self.contentType {
            throw ProtobufError("unsupported contentType \"\(contentType)\" inside a protobuf body")
        }
        guard let index = schema.message(apiVersion: apiVersion, kind: kind) else {
            throw ProtobufError(
                "\(apiVersion.isEmpty ? "<no apiVersion>" : apiVersion) \(kind.isEmpty ? "<no kind>" : kind) has no protobuf encoding",
                isUnsupportedKind: true)
        }
        guard case .object(var members) = try decodeMessage(raw, index) else {
            throw ProtobufError("\(apiVersion) \(kind) is not an object")
        }
        members["apiVersion"] = .string(apiVersion)
        members["kind"] = .string(kind)
        return .object(members)
    }

    /// One frame of a protobuf watch stream: the length, then a `meta.v1.WatchEvent` (not
    /// enveloped) whose object is the enveloped object.
    package func watchFrame(type: String, object: JSONValue) throws(ProtobufError) -> [UInt8] {
        var object = try encodeObject(object)
        var raw = ProtobufWriter()
        raw.bytes(1, object)
        object = []
        var event = ProtobufWriter()
        event.stringField(1, type)
        event.bytes(2, raw.bytes)
        return ProtobufWriter.lengthPrefixed(event.bytes)
    }

    /// The events of a protobuf watch stream: `(type, object)` for each complete frame, and the
    /// bytes left over after the last complete frame.
    package func decodeWatchFrames(_ bytes: ArraySlice<UInt8>) throws(ProtobufError) -> (
        events: [(type: String, object: JSONValue)], rest: ArraySlice<UInt8>
    ) {
        var events: [(type: String, object: JSONValue)] = []
        var rest = bytes
        while rest.count >= 4 {
            let start = rest.startIndex
            let length = Int(rest[start]) << 24 | Int(rest[start + 1]) << 16 | Int(rest[start + 2]) << 8 | Int(rest[start + 3])
            guard rest.count >= 4 + length else { break }
            let frame = rest[(start + 4)..<(start + 4 + length)]
            rest = rest[(start + 4 + length)...]
            var reader = ProtobufReader(frame)
            var type = ""
            var object: JSONValue = .null
            while let (number, value) = try reader.next() {
                guard case .bytes(let data) = value else { continue }
                if number == 1 { type = String(decoding: data, as: UTF8.self) }
                if number == 2 {
                    var raw = ProtobufReader(data)
                    while let (field, part) = try raw.next() {
                        if field == 1, case .bytes(let enveloped) = part { object = try decodeObject(enveloped) }
                    }
                }
            }
            events.append((type, object))
        }
        return (events, rest)
    }
}
