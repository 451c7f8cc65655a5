import RoperatorClient
import Yams

/// Request bodies that may be YAML (server-side apply) or JSON.
enum YAMLBody {
    /// Parses JSON, or YAML when the body is not JSON.
    ///
    /// - Throws: 400 BadRequest carrying the parser's message.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        let jsonError: JSONParseError
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            jsonError = error
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badRequest("error decoding request body: not UTF-8 (\(jsonError))")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .badRequest("error decoding YAML: \(error)")
        }
        guard let node else { throw .badRequest("error decoding YAML: empty document") }
        return try convert(node)
    }

    /// Converts a YAML node with the core schema's scalar resolution (ints, floats, booleans, null).
    static func convert(_ node: Node) throws(APIError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { return .null }
                if let b = node.bool { return .bool(b) }
                if let i = node.int { return .int(Int64(i)) }
                if let d = node.float, scalar.string.contains(where: { $0.isNumber }) { return .double(d) }
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let k = key.scalar?.string else { throw .badRequest("error decoding YAML: non-scalar mapping key") }
                members[k] = try convert(value)
            }
            return .object(members)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try convert(item)) }
            return .array(items)
        case .alias:
            throw .badRequest("error decoding YAML: aliases are not supported")
        }
    }
}
