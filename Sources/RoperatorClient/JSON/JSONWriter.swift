/// Writes `JSONValue`s as compact UTF-8 JSON, object keys in byte order of their UTF-8 or, when
/// the order does not matter to the reader, in the dictionaries' own order (no sort at all).
///
/// Writes into its own growable buffer rather than a `[UInt8]`: every `Array.append` checks
/// uniqueness and capacity through generic code, which cost as much as the writing itself.
struct JSONWriter: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether object members are written in `keyOrder`; otherwise in dictionary order, which is
    /// not stable between processes or even between equal dictionaries.
    let sortedKeys: Bool

    init(capacity: Int = 256, sortedKeys: Bool = true) {
        self.capacity = max(capacity, 16)
        start = .allocate(capacity: self.capacity)
        self.sortedKeys = sortedKeys
    }

    deinit { start.deallocate() }

    /// What has been written so far.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: start, count: count)) }

    /// Calls `body` with what has been written so far, without copying it.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: start, count: count))
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): writeInt(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let a):
            append(UInt8(ascii: "["))
            var first = true
            for element in a {
                if !first { append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            append(UInt8(ascii: "]"))
        case .object(let o):
            append(UInt8(ascii: "{"))
            var first = true
            if sortedKeys, o.count > 1 {
                // Sorting the pairs, not the keys, avoids a hash lookup per member; sorting them in
                // a temporary (stack) buffer avoids an array's allocation and generic tuple handling.
                withUnsafeTemporaryAllocation(of: (key: String, value: JSONValue).self, capacity: o.count) { buffer in
                    var pairs = buffer
                    _ = pairs.initialize(from: o)
                    pairs.sort { Self.keyOrder($0.key, $1.key) }
                    for (key, member) in pairs {
                        writeMember(key, member, first: first)
                        first = false
                    }
                    pairs.deinitialize()
                }
            } else {
                for (key, member) in o {
                    writeMember(key, member, first: first)
                    first = false
                }
            }
            append(UInt8(ascii: "}"))
        }
    }

    /// Writes an object without its `metadata.managedFields` (what caches keep), without copying
    /// the object to remove it first.
    mutating func writeDroppingManagedFields(_ value: JSONValue) {
        guard case .object(let top) = value, case .object(let metadata)? = top["metadata"], metadata["managedFields"] != nil
        else {
            write(value)
            return
        }
        append(UInt8(ascii: "{"))
        var first = true
        for (key, member) in top {
            guard key == "metadata" else {
                writeMember(key, member, first: first)
                first = false
                continue
            }
            if !first { append(UInt8(ascii: ",")) }
            first = false
            writeString(key)
            append(UInt8(ascii: ":"))
            append(UInt8(ascii: "{"))
            var firstInMetadata = true
            for (field, value) in metadata where field != "managedFields" {
                writeMember(field, value, first: firstInMetadata)
                firstInMetadata = false
            }
            append(UInt8(ascii: "}"))
        }
        append(UInt8(ascii: "}"))
    }

    @inline(__always)
    private mutating func writeMember(_ key: String, _ member: JSONValue, first: Bool) {
        if !first { append(UInt8(ascii: ",")) }
        writeString(key)
        append(UInt8(ascii: ":"))
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

    // MARK: The buffer

    /// Makes room for `n` more bytes.
    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if capacity - count < n { grow(to: count + n) }
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.initialize(from: start, count: count)
        start.deallocate()
        start = bigger
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (start + count).initialize(from: base, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    private mutating func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    // MARK: Scalars

    private mutating func writeInt(_ value: Int64) {
        if value == 0 {
            append(UInt8(ascii: "0"))
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
            if value < 0 { append(UInt8(ascii: "-")) }
            append(UnsafeBufferPointer(rebasing: buf[i..<20]))
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
        var text = value.description
        text.withUTF8 { append($0) }
    }

    private static let hex: StaticString = "0123456789abcdef"

    private mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            // Room for the common case, no escapes, up front: one capacity check per string.
            reserve(utf8.count + 2)
            start[count] = UInt8(ascii: "\"")
            count += 1
            let n = utf8.count
            var i = 0
            var runStart = 0
            while i < n {
                let stop: Int
                if n - i >= 8 {
                    // Eight bytes at a time: most strings need no escape at all.
                    let word = UnsafeRawPointer(utf8.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if !Self.needsEscape(word) {
                        i += 8
                        continue
                    }
                    stop = i + 8
                } else {
                    stop = n
                }
                while i < stop {
                    let b = utf8[i]
                    if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                        append(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                        writeEscape(b)
                        runStart = i + 1
                    }
                    i += 1
                }
            }
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<n]))
            append(UInt8(ascii: "\""))
        }
    }

    /// Whether any of the eight bytes is a control character, `"` or a backslash. Exact, not a
    /// filter: each test is the classic "has a zero byte" / "has a byte below n" bit trick, which
    /// may mark the wrong byte but never reports one when there is none.
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let quoteZero = (quote &- ones) & ~quote & highs
        let backslashZero = (backslash &- ones) & ~backslash & highs
        return (control | quoteZero | backslashZero) != 0
    }

    private mutating func writeEscape(_ b: UInt8) {
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
            append(Self.hex.utf8Start[Int(b >> 4)])
            append(Self.hex.utf8Start[Int(b & 0xF)])
        }
    }
}

extension JSONValue {
    /// Whether a member named `a` comes before one named `b` where ``serialized(sortedKeys:)``
    /// sorts them: the byte order of their UTF-8, as Go's encoding/json orders map keys.
    package static func memberOrder(_ a: String, _ b: String) -> Bool {
        JSONWriter.keyOrder(a, b)
    }

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

    /// Calls `body` with the compact UTF-8 encoding (as ``serializedBytes(sortedKeys:)`` writes
    /// it) in a buffer that lives only for the call: for copying it straight into an outgoing
    /// buffer, without an array in between.
    package func withSerializedBytes<Result>(
        sortedKeys: Bool = true, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        // Most objects an API server answers with fit: the buffer grows at most once or twice.
        var writer = JSONWriter(capacity: 4096, sortedKeys: sortedKeys)
        writer.write(self)
        return try writer.withBytes(body)
    }

    /// The compact encoding as a `String`.
    ///
    /// - Parameter sortedKeys: as for `serializedBytes(sortedKeys:)`; sorted by default.
    public func serialized(sortedKeys: Bool = true) -> String {
        String(decoding: serializedBytes(sortedKeys: sortedKeys), as: UTF8.self)
    }
}
