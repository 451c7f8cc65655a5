import RoperatorClient

/// RFC 6902 JSON patch.
enum JSONPatch {
    /// Applies the operations in order.
    ///
    /// - Throws: 400 for a malformed patch document, 422 when an operation cannot be applied
    ///   (missing path, failed `test`), as the real server answers.
    static func apply(_ patch: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        guard let ops = patch.arrayValue else {
            throw .badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        }
        var doc = target
        for op in ops {
            guard let name = op["op"]?.stringValue else { throw .badRequest("Unexpected kind: missing op") }
            guard let pathText = op["path"]?.stringValue else {
                throw .unprocessable("the server rejected our request due to an error in our request: missing path in \(name) operation")
            }
            let path = try pointer(pathText)
            switch name {
            case "add":
                guard let value = op["value"] else { throw .unprocessable("missing value in add operation") }
                doc = try add(value, at: path, in: doc, text: pathText)
            case "remove":
                doc = try remove(at: path, in: doc, text: pathText).doc
            case "replace":
                guard let value = op["value"] else { throw .unprocessable("missing value in replace operation") }
                _ = try get(path, in: doc, text: pathText)
                doc = try set(value, at: path, in: doc, text: pathText, inserting: false)
            case "move":
                guard let fromText = op["from"]?.stringValue else { throw .unprocessable("missing from in move operation") }
                let (without, value) = try remove(at: try pointer(fromText), in: doc, text: fromText)
                doc = try add(value, at: path, in: without, text: pathText)
            case "copy":
                guard let fromText = op["from"]?.stringValue else { throw .unprocessable("missing from in copy operation") }
                let value = try get(try pointer(fromText), in: doc, text: fromText)
                doc = try add(value, at: path, in: doc, text: pathText)
            case "test":
                let actual = try get(path, in: doc, text: pathText)
                if actual != (op["value"] ?? .null) {
                    throw .unprocessable("the server rejected our request due to an error in our request: testing value \(pathText) failed: test failed")
                }
            default:
                throw .badRequest("Unexpected kind: \(name)")
            }
        }
        return doc
    }

    /// Splits a JSON pointer into unescaped tokens.
    static func pointer(_ text: String) throws(APIError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw .unprocessable("JSON pointer must start with '/': \(text)") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences("~1", "/").replacingOccurrences("~0", "~")
        }
    }

    static func get(_ path: [String], in doc: JSONValue, text: String) throws(APIError) -> JSONValue {
        var current = doc
        for token in path {
            switch current {
            case .object(let o):
                guard let next = o[token] else { throw missing(text) }
                current = next
            case .array(let a):
                guard let i = Int(token), a.indices.contains(i) else { throw missing(text) }
                current = a[i]
            default:
                throw missing(text)
            }
        }
        return current
    }

    private static func missing(_ text: String) -> APIError {
        .unprocessable("the server rejected our request due to an error in our request: path \(text) does not exist")
    }

    private static func add(_ value: JSONValue, at path: [String], in doc: JSONValue, text: String) throws(APIError) -> JSONValue {
        try set(value, at: path, in: doc, text: text, inserting: true)
    }

    /// Sets (or for arrays with `inserting`, inserts) `value` at `path`; the parent must exist.
    private static func set(_ value: JSONValue, at path: [String], in doc: JSONValue, text: String, inserting: Bool)
        throws(APIError) -> JSONValue
    {
        guard let token = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch doc {
        case .object(var o):
            if rest.isEmpty {
                o[token] = value
            } else {
                guard let child = o[token] else { throw missing(text) }
                o[token] = try set(value, at: rest, in: child, text: text, inserting: inserting)
            }
            return .object(o)
        case .array(var a):
            if rest.isEmpty {
                if token == "-", inserting {
                    a.append(value)
                } else if let i = Int(token), i >= 0, inserting ? i <= a.count : i < a.count {
                    if inserting { a.insert(value, at: i) } else { a[i] = value }
                } else {
                    throw missing(text)
                }
            } else {
                guard let i = Int(token), a.indices.contains(i) else { throw missing(text) }
                a[i] = try set(value, at: rest, in: a[i], text: text, inserting: inserting)
            }
            return .array(a)
        default:
            throw missing(text)
        }
    }

    private static func remove(at path: [String], in doc: JSONValue, text: String) throws(APIError)
        -> (doc: JSONValue, removed: JSONValue)
    {
        guard let token = path.first else { throw missing(text) }
        let rest = Array(path.dropFirst())
        switch doc {
        case .object(var o):
            guard let child = o[token] else { throw missing(text) }
            if rest.isEmpty {
                o[token] = nil
                return (.object(o), child)
            }
            let (newChild, removed) = try remove(at: rest, in: child, text: text)
            o[token] = newChild
            return (.object(o), removed)
        case .array(var a):
            guard let i = Int(token), a.indices.contains(i) else { throw missing(text) }
            if rest.isEmpty {
                let removed = a.remove(at: i)
                return (.array(a), removed)
            }
            let (newChild, removed) = try remove(at: rest, in: a[i], text: text)
            a[i] = newChild
            return (.array(a), removed)
        default:
            throw missing(text)
        }
    }
}

extension StringProtocol {
    /// Plain substring replacement without Foundation.
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }
}
