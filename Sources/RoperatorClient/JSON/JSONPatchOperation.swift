/// One operation of an RFC 6902 JSON patch.
///
/// ```swift
/// let ops: [JSONPatchOperation] = [
///     .test(path: "/metadata/resourceVersion", value: "42"),
///     .add(path: "/metadata/finalizers/-", value: "example.com/cleanup"),
/// ]
/// let patched = try pod.applyingJSONPatch(ops)
/// ```
public enum JSONPatchOperation: Sendable, Hashable {
    /// Adds a member, inserts an array element (`-` appends), or replaces the document.
    case add(path: JSONPointer, value: JSONValue)
    /// Removes the value at `path`, which must exist.
    case remove(path: JSONPointer)
    /// Replaces the value at `path`, which must exist.
    case replace(path: JSONPointer, value: JSONValue)
    /// Removes the value at `from` and adds it at `path`.
    case move(from: JSONPointer, path: JSONPointer)
    /// Adds a copy of the value at `from` at `path`.
    case copy(from: JSONPointer, path: JSONPointer)
    /// Fails the patch unless the value at `path` equals `value` (numbers compare by value).
    case test(path: JSONPointer, value: JSONValue)

    /// The operation name as written in the `op` member.
    public var name: String {
        switch self {
        case .add: "add"
        case .remove: "remove"
        case .replace: "replace"
        case .move: "move"
        case .copy: "copy"
        case .test: "test"
        }
    }

    /// The target location.
    public var path: JSONPointer {
        switch self {
        case .add(let path, _), .remove(let path), .replace(let path, _), .move(_, let path),
            .copy(_, let path), .test(let path, _):
            path
        }
    }

    /// The JSON object form, e.g. `{"op":"add","path":"/a","value":1}`.
    public var json: JSONValue {
        var object: JSONValue = ["op": .string(name), "path": .string(path.description)]
        switch self {
        case .add(_, let value), .replace(_, let value), .test(_, let value):
            object["value"] = value
        case .move(let from, _), .copy(let from, _):
            object["from"] = .string(from.description)
        case .remove:
            break
        }
        return object
    }

    /// Reads one operation from its JSON object form.
    ///
    /// - Parameters:
    ///   - json: One element of a JSON patch array, e.g. `{"op": "add", "path": "/a", "value": 1}`.
    ///   - index: the position of the operation in its patch, reported in errors.
    /// - Throws: ``JSONPatchError`` with code `.invalidOperation` when a member is missing or
    ///   malformed.
    public init(json: JSONValue, index: Int = 0) throws(JSONPatchError) {
        func fail(_ message: String) -> JSONPatchError {
            JSONPatchError(code: .invalidOperation, operationIndex: index, path: json["path"]?.stringValue ?? "", message: message)
        }
        func pointer(_ member: String) throws(JSONPatchError) -> JSONPointer {
            guard let text = json[member]?.stringValue else { throw fail("missing string member '\(member)'") }
            do {
                return try JSONPointer(parsing: text)
            } catch {
                throw fail(error.description)
            }
        }
        func value() throws(JSONPatchError) -> JSONValue {
            // An explicit null is a value; only a missing member is an error.
            guard let v = json["value"] else { throw fail("missing member 'value'") }
            return v
        }
        guard case .object = json else { throw fail("an operation must be an object") }
        guard let op = json["op"]?.stringValue else { throw fail("missing string member 'op'") }
        switch op {
        case "add": self = .add(path: try pointer("path"), value: try value())
        case "remove": self = .remove(path: try pointer("path"))
        case "replace": self = .replace(path: try pointer("path"), value: try value())
        case "move": self = .move(from: try pointer("from"), path: try pointer("path"))
        case "copy": self = .copy(from: try pointer("from"), path: try pointer("path"))
        case "test": self = .test(path: try pointer("path"), value: try value())
        default: throw fail("unknown op '\(op)'")
        }
    }

    /// Reads a whole patch document (a JSON array of operations).
    ///
    /// - Throws: ``JSONPatchError`` naming the first malformed operation.
    public static func operations(from patch: JSONValue) throws(JSONPatchError) -> [JSONPatchOperation] {
        guard case .array(let elements) = patch else {
            throw JSONPatchError(code: .invalidOperation, operationIndex: 0, path: "", message: "a JSON patch must be an array")
        }
        var result: [JSONPatchOperation] = []
        result.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            result.append(try JSONPatchOperation(json: element, index: i))
        }
        return result
    }
}
