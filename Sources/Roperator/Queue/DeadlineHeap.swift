/// A binary min-heap of deadlines, ordered by instant and then by insertion order, so keys due at
/// the same instant come out first-in first-out.
struct DeadlineHeap<Instant: InstantProtocol, Element: Sendable>: Sendable {
    struct Entry: Sendable {
        var deadline: Instant
        var sequence: UInt64
        var element: Element
    }

    private var storage: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { storage.isEmpty }
    var count: Int { storage.count }
    var first: Entry? { storage.first }

    mutating func insert(_ element: Element, at deadline: Instant) {
        storage.append(Entry(deadline: deadline, sequence: nextSequence, element: element))
        nextSequence &+= 1
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(storage[child], storage[parent]) else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func removeFirst() -> Entry? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let removed = storage.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < storage.count, Self.less(storage[left], storage[smallest]) { smallest = left }
            if right < storage.count, Self.less(storage[right], storage[smallest]) { smallest = right }
            if smallest == parent { break }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
        return removed
    }

    private static func less(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence)
    }
}
