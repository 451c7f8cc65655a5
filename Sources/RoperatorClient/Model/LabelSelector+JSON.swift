extension LabelSelector {
    /// A selector from its JSON form (`metav1.LabelSelector`): `matchLabels` and `matchExpressions`
    /// with the operators `In`, `NotIn`, `Exists` and `DoesNotExist`.
    ///
    /// An empty object, or `null`, selects everything.
    ///
    /// ```swift
    /// let selector = try LabelSelector(json: deployment[path: "spec", "selector"] ?? nil)
    /// ```
    ///
    /// - Throws: ``SelectorParseError`` naming the offending member when the form is malformed.
    public init(json: JSONValue) throws(SelectorParseError) {
        func fail(_ reason: String) -> SelectorParseError {
            SelectorParseError(kind: .label, selector: json.serialized(), position: nil, reason: reason)
        }
        if json.isNull {
            self.init()
            return
        }
        guard let object = json.objectValue else { throw fail("must be an object") }
        var requirements: [Requirement] = []
        if let matchLabels = object["matchLabels"], !matchLabels.isNull {
            guard let labels = matchLabels.objectValue else { throw fail("matchLabels must be an object") }
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
                guard let string = value.stringValue else { throw fail("matchLabels.\(key) must be a string") }
                requirements.append(try Requirement(key: key, operator: .equals, values: [string]))
            }
        }
        if let expressions = object["matchExpressions"], !expressions.isNull {
            guard let list = expressions.arrayValue else { throw fail("matchExpressions must be an array") }
            for (index, expression) in list.enumerated() {
                let at = "matchExpressions[\(index)]"
                guard let key = expression["key"]?.stringValue else { throw fail("\(at).key must be a string") }
                guard let opName = expression["operator"]?.stringValue else {
                    throw fail("\(at).operator must be a string")
                }
                let op: Operator
                switch opName {
                case "In": op = .in
                case "NotIn": op = .notIn
                case "Exists": op = .exists
                case "DoesNotExist": op = .doesNotExist
                default: throw fail("\(at).operator \"\(opName)\" is not one of In, NotIn, Exists, DoesNotExist")
                }
                var values: [String] = []
                if let rawValues = expression["values"], !rawValues.isNull {
                    guard let array = rawValues.arrayValue else { throw fail("\(at).values must be an array") }
                    for value in array {
                        guard let string = value.stringValue else { throw fail("\(at).values must hold strings") }
                        values.append(string)
                    }
                }
                requirements.append(try Requirement(key: key, operator: op, values: values))
            }
        }
        self.init(requirements)
    }

    /// The JSON form: equality requirements as `matchLabels`, the rest as `matchExpressions`.
    ///
    /// `!=` is written as `NotIn` with one value (the same meaning). `nil` when the selector uses
    /// `>` or `<`, which `metav1.LabelSelector` cannot express (dropping them would widen it).
    public var json: JSONValue? {
        var matchLabels: [String: JSONValue] = [:]
        var expressions: [JSONValue] = []
        for requirement in requirements {
            let values = JSONValue.array(requirement.values.map(JSONValue.string))
            switch requirement.operator {
            case .equals where matchLabels[requirement.key] == nil:
                matchLabels[requirement.key] = .string(requirement.values[0])
            case .equals, .in:
                expressions.append(["key": .string(requirement.key), "operator": "In", "values": values])
            case .notEquals, .notIn:
                expressions.append(["key": .string(requirement.key), "operator": "NotIn", "values": values])
            case .exists:
                expressions.append(["key": .string(requirement.key), "operator": "Exists"])
            case .doesNotExist:
                expressions.append(["key": .string(requirement.key), "operator": "DoesNotExist"])
            case .greaterThan, .lessThan:
                return nil
            }
        }
        var result: [String: JSONValue] = [:]
        if !matchLabels.isEmpty { result["matchLabels"] = .object(matchLabels) }
        if !expressions.isEmpty { result["matchExpressions"] = .array(expressions) }
        return .object(result)
    }
}
