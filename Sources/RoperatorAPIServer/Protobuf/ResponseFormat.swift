/// What a client's `Accept` header asks for, as far as JSON and protobuf go; kube-apiserver answers
/// in the first media type the client accepts (by `q`, then by order) that it can write.
struct ResponseFormat: Sendable, Equatable {
    /// Protobuf comes before JSON in the client's preference.
    var prefersProtobuf: Bool
    /// JSON is acceptable (also when the client sent no `Accept`, or only types this server ignores).
    var acceptsJSON: Bool

    static let json = ResponseFormat(prefersProtobuf: false, acceptsJSON: true)

    init(prefersProtobuf: Bool, acceptsJSON: Bool) {
        self.prefersProtobuf = prefersProtobuf
        self.acceptsJSON = acceptsJSON
    }

    /// Reads an `Accept` header such as `application/vnd.kubernetes.protobuf, application/json`.
    /// Media ranges with parameters other than `q` (`;as=Table`) are left to the table code.
    init(accept: String?) {
        switch accept {
        case nil, "", "application/json", "*/*":
            // What most clients send on every request: no list to parse.
            self = .json
        case let list?:
            self.init(parsingList: list)
        }
    }

    /// The general reading of an `Accept` list: media ranges ordered by `q`, then by position.
    init(parsingList accept: String) {
        var ranges: [(type: String, quality: Double)] = []
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { String($0).trimmingSpaces().lowercased() }
            guard let type = parts.first, !type.isEmpty else { continue }
            var quality = 1.0
            var otherParameters = false
            for parameter in parts.dropFirst() {
                if parameter.hasPrefix("q=") {
                    quality = Double(parameter.dropFirst(2)) ?? 1
                } else {
                    otherParameters = true
                }
            }
            if !otherParameters && quality > 0 { ranges.append((type, quality)) }
        }
        let ordered = ranges.enumerated().sorted { ($0.element.quality, -$0.offset) > ($1.element.quality, -$1.offset) }.map(\.element.type)
        let jsonTypes: Set<String> = ["application/json", "application/*", "*/*"]
        let protobufIndex = ordered.firstIndex(of: ProtobufCodec.contentType)
        let jsonIndex = ordered.firstIndex { jsonTypes.contains($0) }
        self.prefersProtobuf = protobufIndex.map { $0 < (jsonIndex ?? .max) } ?? false
        // Anything this server does not know (yaml, or no header at all) keeps the JSON answer it always gave.
        self.acceptsJSON = jsonIndex != nil || protobufIndex == nil
    }

    /// Whether to answer in protobuf, for a value that has a protobuf form or not (custom resources
    /// never have one).
    ///
    /// - Throws: 406 when the client accepts only protobuf and the value has no protobuf form.
    func usesProtobuf(hasMessage: Bool) throws(APIError) -> Bool {
        guard prefersProtobuf else { return false }
        guard hasMessage || acceptsJSON else { throw .notAcceptable() }
        return hasMessage
    }
}
