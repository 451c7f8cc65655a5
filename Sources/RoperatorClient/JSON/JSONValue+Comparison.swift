extension JSONValue {
    /// JSON equality: like `==`, except that numbers compare by value, so `.int(1)` is
    /// equivalent to `.double(1.0)`. Objects compare without regard to key order, arrays
    /// element by element.
    public func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Self.numbersEqual(a, b)
        case (.double(let a), .double(let b)): return a == b
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !a[i].isEquivalent(to: b[i]) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let otherValue = b[key], value.isEquivalent(to: otherValue) else { return false }
            }
            return true
        default:
            return self == other
        }
    }

    /// Whether every field set in `self` has the same value in `other`.
    ///
    /// This is the question a controller asks before writing: "does the live object already
    /// have everything I want?" The server may add defaulted fields, which must not count as a
    /// difference. Objects are compared member by member (extra members in `other` are fine; a
    /// `null` member in `self` is satisfied by a missing or `null` member), arrays must have the
    /// same length and are compared element by element with the same rule, and numbers compare
    /// by value (`1` matches `1.0`).
    ///
    /// ```swift
    /// if !desired.isSubset(of: live) { try await client.apply(desired) }
    /// ```
    public func isSubset(of other: JSONValue) -> Bool {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            for (key, value) in mine {
                if let theirValue = theirs[key] {
                    if !value.isSubset(of: theirValue) { return false }
                } else if case .null = value {
                    continue
                } else {
                    return false
                }
            }
            return true
        case (.array(let mine), .array(let theirs)):
            guard mine.count == theirs.count else { return false }
            for i in mine.indices where !mine[i].isSubset(of: theirs[i]) { return false }
            return true
        default:
            return isEquivalent(to: other)
        }
    }

    private static func numbersEqual(_ i: Int64, _ d: Double) -> Bool {
        // Compare in the integer domain when the double is integral, so large values stay exact.
        guard let exact = Int64(exactly: d) else { return false }
        return exact == i
    }
}
