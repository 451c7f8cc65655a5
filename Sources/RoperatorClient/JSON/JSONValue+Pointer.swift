extension JSONValue {
    /// The value a JSON pointer refers to; `nil` when it does not resolve.
    ///
    /// ```swift
    /// let image = pod[pointer: "/spec/containers/0/image"]?.stringValue
    /// ```
    public subscript(pointer pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let i = JSONPointer.arrayIndex(token), i < elements.count else { return nil }
                current = elements[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Adds a value with RFC 6902 `add` semantics: an object member is created or replaced, an
    /// array element is inserted before the index (which may equal the count), and the token `-`
    /// appends to an array. The empty pointer replaces the whole document.
    ///
    /// - Throws: ``JSONPointerError`` when the parent does not exist or the index is invalid.
    public mutating func add(_ value: JSONValue, at pointer: JSONPointer) throws(JSONPointerError) {
        try store(value, at: pointer, inserting: true)
    }

    /// Sets the value at an existing location, or creates an object member; `-` appends to an array.
    ///
    /// Unlike ``add(_:at:)``, an array index replaces the element instead of inserting before it.
    ///
    /// - Throws: ``JSONPointerError`` when the parent does not exist or the index is out of range.
    public mutating func set(_ value: JSONValue, at pointer: JSONPointer) throws(JSONPointerError) {
        try store(value, at: pointer, inserting: false)
    }

    /// `add` (`inserting`: an index may equal the count and shifts later elements) or `set`
    /// (an index must exist and is overwritten); both create object members and append on `-`.
    private mutating func store(_ value: JSONValue, at pointer: JSONPointer, inserting: Bool) throws(JSONPointerError) {
        guard let last = pointer.tokens.last else {
            self = value
            return
        }
        try withParent(of: pointer) { (parent: inout JSONValue) throws(JSONPointerError) in
            switch parent {
            case .object(var members):
                parent = .null // keep `members` uniquely referenced
                members[last] = value
                parent = .object(members)
            case .array(var elements):
                let count = elements.count
                let index: Int
                if last == "-" {
                    index = count
                } else {
                    guard let i = JSONPointer.arrayIndex(last), inserting ? i <= count : i < count else {
                        let range = inserting ? "0...\(count)" : "0..<\(count)"
                        throw JSONPointerError(pointer: pointer.description, reason: "array index '\(last)' is out of range \(range)")
                    }
                    index = i
                }
                parent = .null
                if inserting || index == count {
                    elements.insert(value, at: index)
                } else {
                    elements[index] = value
                }
                parent = .array(elements)
            default:
                throw JSONPointerError(pointer: pointer.description, reason: "parent is neither an object nor an array")
            }
        }
    }

    /// Replaces the value at a location that must already exist (RFC 6902 `replace`).
    ///
    /// - Throws: ``JSONPointerError`` when nothing is at `pointer`.
    public mutating func replace(at pointer: JSONPointer, with value: JSONValue) throws(JSONPointerError) {
        guard self[pointer: pointer] != nil else {
            throw JSONPointerError(pointer: pointer.description, reason: "no value at this location")
        }
        try set(value, at: pointer)
    }

    /// Removes and returns the value at `pointer`; array elements after it shift down.
    ///
    /// - Throws: ``JSONPointerError`` when nothing is at `pointer`, or for the root pointer.
    @discardableResult
    public mutating func remove(at pointer: JSONPointer) throws(JSONPointerError) -> JSONValue {
        guard let last = pointer.tokens.last else {
            throw JSONPointerError(pointer: "", reason: "the whole document cannot be removed")
        }
        return try withParent(of: pointer) { (parent: inout JSONValue) throws(JSONPointerError) -> JSONValue in
            switch parent {
            case .object(var members):
                parent = .null
                let removed = members.removeValue(forKey: last)
                parent = .object(members)
                guard let removed else {
                    throw JSONPointerError(pointer: pointer.description, reason: "member '\(last)' does not exist", isNotFound: true)
                }
                return removed
            case .array(var elements):
                guard let i = JSONPointer.arrayIndex(last), i < elements.count else {
                    throw JSONPointerError(
                        pointer: pointer.description, reason: "array index '\(last)' is out of range 0..<\(elements.count)")
                }
                parent = .null
                let removed = elements.remove(at: i)
                parent = .array(elements)
                return removed
            default:
                throw JSONPointerError(pointer: pointer.description, reason: "parent is neither an object nor an array")
            }
        }
    }

    /// Runs `body` on the container holding the last token of `pointer`, in place.
    ///
    /// Each level takes its child out of the container before recursing, so the containers stay
    /// uniquely referenced and mutate without copying.
    private mutating func withParent<R>(
        of pointer: JSONPointer,
        _ body: (inout JSONValue) throws(JSONPointerError) -> R
    ) throws(JSONPointerError) -> R {
        try descend(pointer.tokens.dropLast(), pointer: pointer, body)
    }

    private mutating func descend<R>(
        _ tokens: ArraySlice<String>,
        pointer: JSONPointer,
        _ body: (inout JSONValue) throws(JSONPointerError) -> R
    ) throws(JSONPointerError) -> R {
        guard let token = tokens.first else { return try body(&self) }
        let rest = tokens.dropFirst()
        switch self {
        case .object(var members):
            guard var child = members[token] else {
                throw JSONPointerError(pointer: pointer.description, reason: "member '\(token)' does not exist", isNotFound: true)
            }
            self = .null
            members[token] = .null
            let result = Result { () throws(JSONPointerError) -> R in try child.descend(rest, pointer: pointer, body) }
            members[token] = child
            self = .object(members)
            return try result.get()
        case .array(var elements):
            guard let i = JSONPointer.arrayIndex(token), i < elements.count else {
                throw JSONPointerError(pointer: pointer.description, reason: "array index '\(token)' does not exist", isNotFound: true)
            }
            self = .null
            var child = elements[i]
            elements[i] = .null
            let result = Result { () throws(JSONPointerError) -> R in try child.descend(rest, pointer: pointer, body) }
            elements[i] = child
            self = .array(elements)
            return try result.get()
        default:
            throw JSONPointerError(
                pointer: pointer.description, reason: "'\(token)' is inside a value that is neither an object nor an array",
                isNotFound: true)
        }
    }
}
