/// Writes `JSONValue`s as compact UTF-8 JSON, object keys in byte order of their UTF-8 or, when
/// the order does not matter to the reader, in the dictionaries' own order (no sort at all).
struct JSONWriter {
    var bytes: [UInt8] = []
    /// Whether object members are written in `keyOrder`; otherwise in dictionary order, which is
    /// not stable between processes or even between equal dictionaries.
    let sortedKeys: Bool

    init(capacity: Int = 256, sortedKeys: Bool = true) {
        bytes.reserveCapacity(capacity)
        self.sortedKeys = sortedKeys
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): writeInt(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let a):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in a {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let o):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            if sortedKeys, o.count > 1 {
                // Sorting the pairs, not the keys, avoids a hash lookup per member.
                for (key, member) in o.sorted(by: { Self.keyOrder($0.key, $1.key) }) {
                    writeMember(key, member, first: first)
                    first = false
                }
            } else {
                for (key, member) in o {
                    writeMember(key, member, first: first)
                    first = false
                }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    @inline(__always)
    private mutating func writeMember(_ key: String, _ member: JSONValue, first: Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        write(member)
    }

    /// Byte-wise order of the UTF-8 encoding, the order Go's encoding/json uses for map keys.
    ///
    /// Compares the contiguous UTF-8 bytes directly: `String`'s `<` compares Unicode scalars after
    /// normalization, and walking the `utf8` views element by element costs several times more.
    @inline(__always)
    static func keyOrder(_ a: String, _ b: String) -> Bool {
        let order = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in
                let common = min(a.count, b.count)
                var i = 0
                while i < common {
                    if a[i] != b[i] { return a[i] < b[i] }
                    i += 1
                }
                return a.count < b.count
            }
        }
        // Bridged strings without contiguous UTF-8 take the element-wise path.
        return (order ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    @inline(__always)
    private mutating func append(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private mutating func writeInt(_ value: Int64) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        // 20 digits hold UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var i = 20
            while magnitude > 0 {
                i -= 1
                buf[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<20]))
        }
    }

    private mutating func writeDouble(_ value: Double) {
        // JSON has no NaN or infinity; Go's encoder refuses them, we write null rather than invalid JSON.
        guard value.isFinite else {
            append("null")
            return
        }
        if value.rounded() == value, abs(value) < 1e15 {
            writeInt(Int64(value))
            return
        }
        // Swift's description is the shortest representation that round-trips.
        bytes.append(contentsOf: value.description.utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") { continue }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                switch b {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                default:
                    append("\\u00")
                    bytes.append(Self.hex[Int(b >> 4)])
                    bytes.append(Self.hex[Int(b & 0xF)])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// The compact UTF-8 encoding.
    ///
    /// - Parameter sortedKeys: `true` (the default) writes object members in byte order of their
    ///   keys' UTF-8, the same output for equal values in every process: for comparing, hashing
    ///   and files. `false` writes them in dictionary order, which is faster and still parses to an
    ///   equal value: for HTTP bodies and other output no one compares byte for byte.
    ///
    /// ```swift
    /// let body = object.serializedBytes(sortedKeys: false)
    /// ```
    public func serializedBytes(sortedKeys: Bool = true) -> [UInt8] {
        var writer = JSONWriter(sortedKeys: sortedKeys)
        writer.write(self)
        return writer.bytes
    }

    /// The compact encoding as a `String`.
    ///
    /// - Parameter sortedKeys: as for `serializedBytes(sortedKeys:)`; sorted by default.
    public func serialized(sortedKeys: Bool = true) -> String {
        String(decoding: serializedBytes(sortedKeys: sortedKeys), as: UTF8.self)
    }
}
