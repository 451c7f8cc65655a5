import Foundation
package import RoperatorClient

/// What decoding a built-in object by its schema found besides type errors: fields the schema does
/// not have (dropped) and required fields that are missing.
package struct BuiltInDecodingReport: Sendable {
    /// Paths of unknown fields, worded as the API server's strict decoding errors
    /// (`spec.template.spec.containers[0].colour`).
    package var unknownFields: [String] = []
    /// Paths of required fields that are absent (`spec.selector`).
    package var missingRequired: [String] = []
}

/// A value that Go's decoder would refuse for a built-in kind, worded like its error.
package struct BuiltInDecodingError: Error, Sendable {
    package var message: String
}

extension BuiltInDefinitions {
    /// The error Kubernetes gives for a string that is not a quantity.
    static let quantityFormatMessage =
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    /// Decodes `object` as the API server decodes a built-in kind into its Go types: a value of the
    /// wrong JSON type fails, integers must fit their field, `null`s and unknown fields are dropped,
    /// quantities are rewritten in canonical form.
    ///
    /// - Returns: the unknown fields dropped and the required fields missing.
    /// - Throws: ``BuiltInDecodingError`` for the first value Go's decoder would refuse.
    package func decode(_ object: inout JSONValue, as root: SchemaType) throws(BuiltInDecodingError)
        -> BuiltInDecodingReport
    {
        var walker = DecodingWalker(definitions: self)
        if case .replace(let value) = try walker.walk(object, root, goField: nil) { object = value }
        return walker.report
    }
}

/// One pass over an object by its schema; see ``BuiltInDefinitions/decode(_:as:)``.
private struct DecodingWalker {
    let definitions: BuiltInDefinitions
    var report = BuiltInDecodingReport()
    /// Field names and list positions from the root, for messages.
    var path: [PathElement] = []

    enum PathElement {
        case field(String)
        case index(Int)
    }

    enum Change {
        case keep
        case replace(JSONValue)
        case drop
    }

    var pathString: String {
        var text = ""
        for element in path {
            switch element {
            case .field(let name): text += text.isEmpty ? name : "." + name
            case .index(let i): text += "[\(i)]"
            }
        }
        return text
    }

    /// The field path as Go's decoder names it: field names only.
    var goPath: String {
        var names: [String] = []
        for case .field(let name) in path { names.append(name) }
        return names.joined(separator: ".")
    }

    mutating func walk(_ value: JSONValue, _ type: SchemaType, goField: String?) throws(BuiltInDecodingError) -> Change {
        switch type {
        case .ref:
            return try walk(value, definitions.resolve(type), goField: goField)
        case .any:
            return .keep
        case .object(let schema):
            guard case .object(let members) = value else { throw mismatch(value, goType: schema.goName, goField: goField) }
            var changed: [String: JSONValue]?
            for (key, member) in members {
                let outcome: Change
                if member.isNull {
                    outcome = .drop
                } else if let field = schema.properties[key] {
                    path.append(.field(key))
                    outcome = try walk(member, field, goField: schema.goName)
                    path.removeLast()
                } else if schema.preservesUnknownFields {
                    outcome = .keep
                } else {
                    path.append(.field(key))
                    report.unknownFields.append(pathString)
                    path.removeLast()
                    outcome = .drop
                }
                switch outcome {
                case .keep: break
                case .replace(let new):
                    if changed == nil { changed = members }
                    changed![key] = new
                case .drop:
                    if changed == nil { changed = members }
                    changed![key] = nil
                }
            }
            for name in schema.required where (changed ?? members)[name] == nil {
                path.append(.field(name))
                report.missingRequired.append(pathString)
                path.removeLast()
            }
            return changed.map { .replace(.object($0)) } ?? .keep
        case .map(let valueType, _):
            guard case .object(let members) = value else {
                throw mismatch(value, goType: "map[string]\(Self.goType(valueType))", goField: goField)
            }
            var changed: [String: JSONValue]?
            for (key, member) in members {
                let outcome: Change
                if member.isNull {
                    outcome = .drop
                } else {
                    path.append(.field(key))
                    outcome = try walk(member, valueType, goField: goField)
                    path.removeLast()
                }
                switch outcome {
                case .keep: break
                case .replace(let new):
                    if changed == nil { changed = members }
                    changed![key] = new
                case .drop:
                    if changed == nil { changed = members }
                    changed![key] = nil
                }
            }
            return changed.map { .replace(.object($0)) } ?? .keep
        case .array(let list):
            guard case .array(let items) = value else {
                throw mismatch(value, goType: "[]\(Self.goType(list.items))", goField: goField)
            }
            var changed: [JSONValue]?
            for (index, item) in items.enumerated() where !item.isNull {
                path.append(.index(index))
                let outcome = try walk(item, list.items, goField: goField)
                path.removeLast()
                if case .replace(let new) = outcome {
                    if changed == nil { changed = items }
                    changed![index] = new
                }
            }
            return changed.map { .replace(.array($0)) } ?? .keep
        case .string(let format):
            guard case .string(let text) = value else { throw mismatch(value, goType: "string", goField: goField) }
            if format == "byte", Data(base64Encoded: text) == nil {
                throw BuiltInDecodingError(message: "illegal base64 data in \(pathString)")
            }
            return .keep
        case .integer(let bits):
            guard case .int(let number) = value else {
                throw mismatch(value, goType: "int\(bits)", goField: goField)
            }
            if bits == 32, Int32(exactly: number) == nil {
                throw mismatch(value, goType: "int32", goField: goField)
            }
            return .keep
        case .number:
            switch value {
            case .int, .double: return .keep
            default: throw mismatch(value, goType: "float64", goField: goField)
            }
        case .boolean:
            guard case .bool = value else { throw mismatch(value, goType: "bool", goField: goField) }
            return .keep
        case .intOrString:
            switch value {
            case .string: return .keep
            case .int(let number) where Int32(exactly: number) != nil: return .keep
            default: throw mismatch(value, goType: "int32", goField: goField)
            }
        case .quantity:
            let text: String
            switch value {
            case .string(let s): text = s
            case .int(let i): text = String(i)
            case .double(let d): text = String(d)
            default: throw mismatch(value, goType: "resource.Quantity", goField: goField)
            }
            let canonical: String
            do {
                canonical = try Quantity(text).canonical
            } catch {
                throw BuiltInDecodingError(message: BuiltInDefinitions.quantityFormatMessage)
            }
            return value == .string(canonical) ? .keep : .replace(.string(canonical))
        }
    }

    /// Go's `json: cannot unmarshal <what> into Go struct field <Struct>.<path> of type <type>`.
    func mismatch(_ value: JSONValue, goType: String, goField: String?) -> BuiltInDecodingError {
        let what: String
        switch value {
        case .null: what = "null"
        case .bool: what = "bool"
        case .int(let i): what = "number \(i)"
        case .double(let d): what = d.isFinite ? "number \(d)" : "number"
        case .string: what = "string"
        case .array: what = "array"
        case .object: what = "object"
        }
        guard let goField else {
            return BuiltInDecodingError(message: "json: cannot unmarshal \(what) into Go value of type \(goType)")
        }
        return BuiltInDecodingError(
            message: "json: cannot unmarshal \(what) into Go struct field \(goField).\(goPath) of type \(goType)")
    }

    static func goType(_ type: SchemaType) -> String {
        switch type {
        case .ref(let name): return "v1." + (name.split(separator: ".").last.map(String.init) ?? name)
        case .object(let o): return o.goName
        case .map(let v, _): return "map[string]\(goType(v))"
        case .array(let a): return "[]\(goType(a.items))"
        case .string: return "string"
        case .integer(let bits): return "int\(bits)"
        case .number: return "float64"
        case .boolean: return "bool"
        case .intOrString: return "intstr.IntOrString"
        case .quantity: return "resource.Quantity"
        case .any: return "interface {}"
        }
    }
}
