import RoperatorClient

extension JSONValue {
    /// Sets member `key` to `value` unless it is present.
    mutating func setDefault(_ key: String, _ value: @autoclosure () -> JSONValue) {
        if self[key] == nil { self[key] = value() }
    }

    /// Changes member `key` in place when it is present.
    mutating func modify(_ key: String, _ body: (inout JSONValue) -> Void) {
        guard var member = self[key] else { return }
        self[key] = nil // the member is uniquely referenced while it changes
        body(&member)
        self[key] = member
    }

    /// Changes each element of the array in member `key` in place, when it is present.
    mutating func modifyEach(_ key: String, _ body: (inout JSONValue) -> Void) {
        guard case .array(var items)? = self[key] else { return }
        self[key] = nil
        for i in items.indices { body(&items[i]) }
        self[key] = .array(items)
    }
}

extension JSONValue {
    /// The value at a path of object keys given as an array; setting creates the objects on the way.
    subscript(fields path: [String]) -> JSONValue? {
        get {
            var node: JSONValue? = self
            for key in path { node = node?[key] }
            return node
        }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            var child = self[first] ?? .emptyObject
            child[fields: Array(path.dropFirst())] = newValue
            if path.count == 1 { self[first] = newValue } else { self[first] = child }
        }
    }
}
