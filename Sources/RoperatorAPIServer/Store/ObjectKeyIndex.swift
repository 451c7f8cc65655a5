/// The keys of one group-resource in list order (`ObjectKey`'s `<`), kept up to date on every
/// insert and delete so that a list page starts with a binary search instead of a sort of everything.
///
/// Stored as sorted chunks of at most `maxChunk` keys rather than one array: an insert into the
/// middle of 20,000 keys then moves at most a chunk's worth of keys, not half of all of them, and
/// creates whose names do not arrive in order (`obj-10` sorts before `obj-2`) stay cheap.
struct ObjectKeyIndex: Collection {
    /// Every chunk is non-empty and sorted, and every key of a chunk is below every key of the next.
    private var chunks: [[ObjectKey]] = []
    /// How many keys the index holds.
    private(set) var count = 0

    /// A chunk is split in two when it grows past this.
    static let maxChunk = 512

    /// A place in the index. Always normalized: `offset` is within its chunk, or the position is
    /// `endIndex` (`chunk == chunks.count`, `offset == 0`), so equal places compare equal.
    struct Index: Comparable {
        fileprivate var chunk: Int
        fileprivate var offset: Int

        static func < (a: Index, b: Index) -> Bool {
            a.chunk != b.chunk ? a.chunk < b.chunk : a.offset < b.offset
        }
    }

    init() {}

    var startIndex: Index { Index(chunk: 0, offset: 0) }
    var endIndex: Index { Index(chunk: chunks.count, offset: 0) }
    var isEmpty: Bool { count == 0 }

    subscript(position: Index) -> ObjectKey { chunks[position.chunk][position.offset] }

    func index(after i: Index) -> Index {
        i.offset + 1 < chunks[i.chunk].count ? Index(chunk: i.chunk, offset: i.offset + 1) : Index(chunk: i.chunk + 1, offset: 0)
    }

    /// The first position whose key satisfies `isAtOrPast`, or `endIndex`. `isAtOrPast` must be
    /// false for a prefix of the keys and true for the rest (e.g. `{ bound <= $0 }`).
    func firstIndex(atOrPast isAtOrPast: (ObjectKey) -> Bool) -> Index {
        // The first chunk whose last key qualifies holds the answer; chunks are never empty.
        var low = 0
        var high = chunks.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrPast(chunks[mid][chunks[mid].count - 1]) { high = mid } else { low = mid + 1 }
        }
        guard low < chunks.count else { return endIndex }
        let chunk = chunks[low]
        var lo = 0
        var hi = chunk.count - 1 // the last key qualifies
        while lo < hi {
            let mid = (lo + hi) / 2
            if isAtOrPast(chunk[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return Index(chunk: low, offset: lo)
    }

    /// The first position whose key is not below `key`.
    func lowerBound(_ key: ObjectKey) -> Index { firstIndex { !($0 < key) } }

    /// The first position whose key is above `key`: where a page continuing after `key` starts.
    func upperBound(_ key: ObjectKey) -> Index { firstIndex { key < $0 } }

    /// The positions of the keys in `namespace`, which are contiguous because keys order by
    /// namespace first.
    func range(inNamespace namespace: String) -> Range<Index> {
        let start = lowerBound(ObjectKey(storeNamespace: namespace, name: ""))
        let end = firstIndex { namespace < $0.storeNamespace }
        return start..<end
    }

    /// How many keys lie before `position`.
    func rank(of position: Index) -> Int {
        if position.chunk == chunks.count { return count }
        var before = position.offset
        for chunk in chunks[..<position.chunk] { before += chunk.count }
        return before
    }

    /// Adds `key`; nothing happens when it is already there.
    ///
    /// - Returns: whether the key was added.
    @discardableResult
    mutating func insert(_ key: ObjectKey) -> Bool {
        guard !chunks.isEmpty else {
            chunks.append([key])
            count = 1
            return true
        }
        var at = lowerBound(key)
        if at.chunk < chunks.count, chunks[at.chunk][at.offset] == key { return false }
        if at.chunk == chunks.count {
            // Past the last key: append to the last chunk.
            at = Index(chunk: chunks.count - 1, offset: chunks[chunks.count - 1].count)
        }
        chunks[at.chunk].insert(key, at: at.offset)
        count += 1
        if chunks[at.chunk].count > Self.maxChunk {
            let upper = Array(chunks[at.chunk][(Self.maxChunk / 2)...])
            chunks[at.chunk].removeSubrange((Self.maxChunk / 2)...)
            chunks.insert(upper, at: at.chunk + 1)
        }
        return true
    }

    /// Removes `key`; nothing happens when it is not there.
    ///
    /// - Returns: whether the key was removed.
    @discardableResult
    mutating func remove(_ key: ObjectKey) -> Bool {
        let at = lowerBound(key)
        guard at.chunk < chunks.count, chunks[at.chunk][at.offset] == key else { return false }
        chunks[at.chunk].remove(at: at.offset)
        count -= 1
        if chunks[at.chunk].isEmpty {
            chunks.remove(at: at.chunk)
        } else if chunks[at.chunk].count < Self.maxChunk / 8 {
            mergeSmall(at.chunk)
        }
        return true
    }

    /// Joins a chunk that deletes have left small with a neighbour, so that churn (creates and
    /// deletes over a long run) cannot leave thousands of nearly empty chunks behind.
    private mutating func mergeSmall(_ i: Int) {
        if i + 1 < chunks.count, chunks[i].count + chunks[i + 1].count <= Self.maxChunk {
            let next = chunks.remove(at: i + 1)
            chunks[i].append(contentsOf: next)
        } else if i > 0, chunks[i - 1].count + chunks[i].count <= Self.maxChunk {
            let small = chunks.remove(at: i)
            chunks[i - 1].append(contentsOf: small)
        }
    }
}
