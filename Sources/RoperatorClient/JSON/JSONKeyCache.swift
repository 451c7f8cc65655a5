/// Object keys the parser has built before, shared by all parses in the process.
///
/// Kubernetes documents use the same few hundred keys over and over (`name`, `containerPort`,
/// `lastTransitionTime`, ...). Building a `String` validates UTF-8 and, past 15 bytes, allocates;
/// a hit here costs a hash of the bytes and a byte comparison and returns the stored `String`.
/// Direct-mapped: a collision replaces the slot. Parses never wait for the cache: when another
/// thread holds it, the key is built directly.
struct JSONKeyCache: ~Copyable {
    /// Longer keys are rare and cost more to compare than they save.
    static let maxLength = 32
    fileprivate static let slotCount = 512

    fileprivate struct Slot {
        var length: Int
        var string: String
    }

    fileprivate let slots: UnsafeMutablePointer<Slot>
    /// `maxLength` bytes per slot: the UTF-8 of the slot's key.
    fileprivate let keyBytes: UnsafeMutableRawPointer

    private init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Slot(length: -1, string: ""), count: Self.slotCount)
        keyBytes = .allocate(byteCount: Self.slotCount * Self.maxLength, alignment: 8)
        keyBytes.initializeMemory(as: UInt8.self, repeating: 0, count: Self.slotCount * Self.maxLength)
    }

    deinit {
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
        keyBytes.deallocate()
    }

    private static let shared = Lock(JSONKeyCache())

    /// Runs `body` with the shared cache when no other thread is using it, else with `nil`
    /// (a parse never waits for the cache). The cache is taken once per document, not per key.
    static func withShared<R: Sendable>(_ body: (JSONKeyCacheAccess?) -> R) -> R {
        let result = shared.withLockIfAvailable { (cache: inout JSONKeyCache) -> R in
            body(JSONKeyCacheAccess(slots: UnsafeMutableRawPointer(cache.slots), keyBytes: cache.keyBytes))
        }
        if let result { return result }
        return body(nil)
    }

    @inline(__always)
    fileprivate static func hash(_ key: UnsafeRawPointer, length: Int, readable: Int) -> Int {
        var first: UInt64 = 0
        if readable >= 8 {
            first = key.loadUnaligned(as: UInt64.self)
            if length < 8 { first &= (1 &<< UInt64(length &* 8)) &- 1 }
        } else {
            for i in 0..<length { first |= UInt64(key.load(fromByteOffset: i, as: UInt8.self)) &<< UInt64(i &* 8) }
        }
        var last: UInt64 = 0
        if length > 8 { last = key.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) }
        let mixed = (first ^ (last &* 0x9E37_79B9) ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 32)
    }

    @inline(__always)
    fileprivate static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var i = 0
        while count - i >= 8 {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }
}

/// The shared key cache while its lock is held, for one parse.
struct JSONKeyCacheAccess {
    fileprivate let slots: UnsafeMutableRawPointer
    fileprivate let keyBytes: UnsafeMutableRawPointer

    /// The string of the unescaped UTF-8 key bytes `key[0..<length]` (`length` ≤ ``JSONKeyCache/maxLength``).
    ///
    /// - Parameter readable: how many bytes from `key` may be read (at least `length`); reading
    ///   a whole word past the key is cheaper than reading it byte by byte.
    @inline(__always)
    func string(_ key: UnsafeRawPointer, length: Int, readable: Int) -> String {
        let hash = JSONKeyCache.hash(key, length: length, readable: readable)
        let index = hash & (JSONKeyCache.slotCount - 1)
        let slot = slots.assumingMemoryBound(to: JSONKeyCache.Slot.self) + index
        let stored = keyBytes + index * JSONKeyCache.maxLength
        if slot.pointee.length == length, JSONKeyCache.equal(key, UnsafeRawPointer(stored), length) {
            return slot.pointee.string
        }
        let string = String(decoding: UnsafeRawBufferPointer(start: key, count: length), as: UTF8.self)
        stored.copyMemory(from: key, byteCount: length)
        slot.pointee = JSONKeyCache.Slot(length: length, string: string)
        return string
    }
}
