package import RoperatorClient

extension StructuralSchema {
    /// Everything wrong with `value`, as the causes of a 422 Invalid in the real server's words.
    ///
    /// A node whose value equals the old object's value at the same place is not checked again
    /// (validation ratcheting, on by default since Kubernetes 1.30): an object stored before its CRD
    /// got stricter can still be updated elsewhere.
    ///
    /// - Parameters:
    ///   - value: the pruned object.
    ///   - old: the stored object on update, `nil` on create.
    ///   - isRoot: skip `apiVersion`, `kind` and `metadata`, which the server validates itself.
    package func validationCauses(_ value: JSONValue, old: JSONValue?, isRoot: Bool = true) -> [APIError.FieldCause] {
        var causes: [APIError.FieldCause] = []
        validate(value, old: old, path: "", isRoot: isRoot, into: &causes)
        return causes
    }

    private func validate(
        _ value: JSONValue, old: JSONValue?, path: String, isRoot: Bool = false, into causes: inout [APIError.FieldCause]
    ) {
        if let old, old == value { return }
        if value.isNull {
            if nullable || (types.isEmpty && !isIntOrString) { return }
            causes.append(typeInvalid(path: path, actual: "null"))
            return
        }
        let actual = Self.typeName(value)
        if isIntOrString {
            guard actual == "integer" || actual == "string" else {
                causes.append(typeInvalid(path: path, actual: actual, expected: "integer,string"))
                return
            }
        } else if !types.isEmpty, !Self.matches(value, actual: actual, types: types) {
            causes.append(typeInvalid(path: path, actual: actual))
            return
        }
        if let enumValues, !enumValues.contains(where: { $0.isEquivalent(to: value) }) {
            let supported = enumValues.map { "\"" + Self.goQuoteBody($0.stringValue ?? $0.serialized()) + "\"" }
            causes.append(
                .init(
                    reason: "FieldValueNotSupported", field: path,
                    message: "Unsupported value: \(Self.describe(value)): supported values: \(supported.joined(separator: ", "))"))
        }
        switch value {
        case .string(let s):
            validateString(s, path: path, into: &causes)
        case .int, .double:
            validateNumber(value, path: path, into: &causes)
        case .array(let elements):
            validateArray(elements, path: path, into: &causes)
        case .object(let members):
            validateObject(members, old: old?.objectValue, path: path, isRoot: isRoot, into: &causes)
        default:
            break
        }
        validateCombinators(value, path: path, into: &causes)
    }

    private func validateString(_ s: String, path: String, into causes: inout [APIError.FieldCause]) {
        let length = s.unicodeScalars.count
        if let maxLength, length > maxLength {
            causes.append(
                .init(
                    reason: "FieldValueTooLong", field: path,
                    message: "Too long: may not be more than \(maxLength) \(maxLength == 1 ? "byte" : "bytes")"))
        }
        if let minLength, length < minLength {
            causes.append(invalid(path, .string(s), "should be at least \(minLength) chars long"))
        }
        if let pattern {
            // A pattern the regex engine cannot compile cannot be enforced; the CRD was accepted, so let it pass.
            if let regex = try? Regex(pattern), (try? regex.firstMatch(in: s)) == nil {
                causes.append(invalid(path, .string(s), "should match '\(pattern)'"))
            }
        }
    }

    private func validateNumber(_ value: JSONValue, path: String, into causes: inout [APIError.FieldCause]) {
        guard let n = value.doubleValue else { return }
        if let maximum {
            if exclusiveMaximum ? n >= maximum : n > maximum {
                let relation = exclusiveMaximum ? "less than" : "less than or equal to"
                causes.append(invalid(path, value, "should be \(relation) \(Self.goNumber(maximum))"))
            }
        }
        if let minimum {
            if exclusiveMinimum ? n <= minimum : n < minimum {
                let relation = exclusiveMinimum ? "greater than" : "greater than or equal to"
                causes.append(invalid(path, value, "should be \(relation) \(Self.goNumber(minimum))"))
            }
        }
        if let multipleOf, multipleOf > 0 {
            let quotient = n / multipleOf
            if quotient != quotient.rounded() {
                causes.append(invalid(path, value, "should be a multiple of \(Self.goNumber(multipleOf))"))
            }
        }
    }

    /// The real server's cause for an array or object over its `maxItems` / `maxProperties`.
    private static func tooMany(_ path: String, count: Int, limit: Int) -> APIError.FieldCause {
        .init(
            reason: "FieldValueTooMany", field: path,
            message: "Too many: \(count): must have at most \(limit) \(limit == 1 ? "item" : "items")")
    }

    private func validateArray(_ elements: [JSONValue], path: String, into causes: inout [APIError.FieldCause]) {
        if let maxItems, elements.count > maxItems {
            causes.append(Self.tooMany(path, count: elements.count, limit: maxItems))
        }
        if let minItems, elements.count < minItems {
            causes.append(invalid(path, .int(Int64(elements.count)), "should have at least \(minItems) items"))
        }
        guard let items else { return }
        for (i, element) in elements.enumerated() {
            items.validate(element, old: nil, path: "\(path)[\(i)]", into: &causes)
        }
    }

    private func validateObject(
        _ members: [String: JSONValue], old: [String: JSONValue]?, path: String, isRoot: Bool,
        into causes: inout [APIError.FieldCause]
    ) {
        func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        if let maxProperties, members.count > maxProperties {
            causes.append(Self.tooMany(path, count: members.count, limit: maxProperties))
        }
        if let minProperties, members.count < minProperties {
            causes.append(invalid(path, .int(Int64(members.count)), "should have at least \(minProperties) properties"))
        }
        for key in required where members[key] == nil {
            causes.append(.init(reason: "FieldValueRequired", field: child(key), message: "Required value"))
        }
        if isEmbeddedResource, !members.isEmpty {
            for key in ["apiVersion", "kind"] {
                switch members[key] {
                case nil:
                    causes.append(
                        .init(
                            reason: "FieldValueRequired", field: child(key), message: "Required value: must not be empty"))
                case .string(let s)? where !s.isEmpty:
                    break
                case let other?:
                    causes.append(
                        .init(
                            field: child(key),
                            message: "Invalid value: \(Self.describe(other)): must be a non-empty string"))
                }
            }
        }
        let skipsResourceFields = isRoot || isEmbeddedResource
        for key in members.keys.sorted() {
            if skipsResourceFields, Self.resourceFields.contains(key) { continue }
            guard let schema = properties[key] ?? additionalProperties else { continue }
            schema.validate(members[key]!, old: old?[key], path: child(key), into: &causes)
        }
    }

    private func validateCombinators(_ value: JSONValue, path: String, into causes: inout [APIError.FieldCause]) {
        for schema in allOf { schema.validate(value, old: nil, path: path, into: &causes) }
        if !anyOf.isEmpty {
            let results = anyOf.map { $0.validationCauses(value, old: nil, isRoot: false, at: path) }
            if !results.contains(where: \.isEmpty) {
                causes.append(invalid(path, value, "must validate at least one schema (anyOf)", inBody: false))
                causes.append(contentsOf: results.min { $0.count < $1.count } ?? [])
            }
        }
        if !oneOf.isEmpty {
            let results = oneOf.map { $0.validationCauses(value, old: nil, isRoot: false, at: path) }
            let passing = results.filter(\.isEmpty).count
            if passing != 1 {
                causes.append(invalid(path, value, "must validate one and only one schema (oneOf)", inBody: false))
                if passing == 0 { causes.append(contentsOf: results.min { $0.count < $1.count } ?? []) }
            }
        }
        if let not, not.validationCauses(value, old: nil, isRoot: false, at: path).isEmpty {
            causes.append(invalid(path, value, "must not validate the schema (not)", inBody: false))
        }
    }

    private func validationCauses(_ value: JSONValue, old: JSONValue?, isRoot: Bool, at path: String) -> [APIError.FieldCause] {
        var causes: [APIError.FieldCause] = []
        validate(value, old: old, path: path, isRoot: isRoot, into: &causes)
        return causes
    }

    // MARK: Messages

    private func typeInvalid(path: String, actual: String, expected: String? = nil) -> APIError.FieldCause {
        let expected = expected ?? types.joined(separator: ",")
        return .init(
            reason: "FieldValueTypeInvalid", field: path,
            message: "Invalid value: \"\(actual)\": \(path) in body must be of type \(expected): \"\(actual)\"")
    }

    private func invalid(_ path: String, _ value: JSONValue, _ problem: String, inBody: Bool = true) -> APIError.FieldCause {
        .init(field: path, message: "Invalid value: \(Self.describe(value)): \(path)\(inBody ? " in body" : "") \(problem)")
    }

    /// The JSON type of a value in OpenAPI's words.
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Integers are numbers; a number with no fraction is an integer.
    private static func matches(_ value: JSONValue, actual: String, types: [String]) -> Bool {
        if types.contains(actual) { return true }
        if actual == "integer", types.contains("number") { return true }
        if actual == "number", types.contains("integer"), value.intValue != nil { return true }
        return false
    }

    /// A bad value as the server prints it: strings quoted, numbers and booleans bare.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "\"null\""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): goNumber(d)
        case .string(let s): "\"" + goQuoteBody(s) + "\""
        case .array, .object: value.serialized()
        }
    }

    /// A Double as Go's `%v` prints it for the values schemas use.
    static func goNumber(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e6 { return String(Int64(d)) }
        return String(d)
    }

    private static func goQuoteBody(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
