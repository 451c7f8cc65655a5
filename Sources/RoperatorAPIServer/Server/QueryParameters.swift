/// The decoded query string of a request. Keeps every value of a repeated key, in order.
struct QueryParameters: Sendable {
    private(set) var pairs: [(name: String, value: String)]

    init(_ query: String) {
        pairs = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = item.firstIndex(of: "=") {
                pairs.append((Self.decode(item[..<equals]), Self.decode(item[item.index(after: equals)...])))
            } else {
                pairs.append((Self.decode(item), ""))
            }
        }
    }

    /// The first value of `name`, or `nil` when absent.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// `true` for `true`/`1` (how Go's strconv.ParseBool and the real server read flags), `false` when absent.
    func flag(_ name: String) -> Bool {
        guard let value = self[name]?.lowercased() else { return false }
        return value == "true" || value == "1" || value == "t"
    }

    /// An integer parameter; `nil` when absent or empty.
    func integer(_ name: String) throws(QueryParameterError) -> Int64? {
        guard let value = self[name], !value.isEmpty else { return nil }
        guard let number = Int64(value) else { throw QueryParameterError(name: name, value: value) }
        return number
    }

    /// Percent-decodes a query component, reading `+` as a space as HTML forms and Go's url.ParseQuery do.
    static func decode(_ component: Substring) -> String {
        // Most components (fieldManager=x, limit=500) have nothing to decode.
        if !component.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) { return String(component) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.utf8.count)
        var iterator = component.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if let high = iterator.next(), let low = iterator.next(),
                    let h = hexValue(high), let l = hexValue(low)
                {
                    bytes.append(h << 4 | l)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-decodes a path segment (`+` stays a plus there).
    static func decodePathSegment(_ segment: Substring) -> String {
        guard segment.utf8.contains(UInt8(ascii: "%")) else { return String(segment) }
        var bytes: [UInt8] = []
        var iterator = segment.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let h = hexValue(high), let l = hexValue(low)
            {
                bytes.append(h << 4 | l)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A query parameter whose value does not parse.
struct QueryParameterError: Error, Sendable {
    var name: String
    var value: String
}
