import Yams

/// YAML that could not be read, or a YAML value with no JSON equivalent.
///
/// The message names the line and column but never quotes the document, which may hold secrets
/// (kubeconfigs do).
public struct YAMLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One-based line of the problem, when known.
    public let line: Int?
    /// One-based column of the problem, when known.
    public let column: Int?
    /// What was wrong.
    public let reason: String

    /// Creates a value from its parts; see the properties for their meaning.
    public init(line: Int?, column: Int?, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// The message as shown to people; never contains secrets.
    public var description: String {
        guard let line else { return "invalid YAML: \(reason)" }
        if let column { return "invalid YAML at line \(line), column \(column): \(reason)" }
        return "invalid YAML at line \(line): \(reason)"
    }
}

extension JSONValue {
    /// Reads a single YAML document (YAML 1.1 scalars, as kubectl reads them): plain integers become
    /// `.int`, other numbers `.double`, `true`/`false`/`yes`/`no`/`on`/`off` booleans, `~`/`null`/empty
    /// values `.null`, and quoted scalars always stay strings. Timestamps stay strings. Anchors,
    /// aliases and `<<` merge keys are resolved; non-string keys are turned into their text.
    /// An empty document is `.null`.
    ///
    /// ```swift
    /// let pod = try JSONValue(yaml: "kind: Pod\nmetadata:\n  name: web\n")
    /// ```
    ///
    /// - Throws: ``YAMLParseError`` with the line of the problem; also when the text holds more
    ///   than one document (use ``documents(yaml:)``).
    public init(yaml: String) throws(YAMLParseError) {
        let documents = try JSONValue.allDocuments(yaml: yaml)
        guard documents.count <= 1 else {
            throw YAMLParseError(line: documents[1].line, column: nil, reason: "expected a single document, found several")
        }
        self = documents.first?.value ?? .null
    }

    /// Reads every document of a YAML stream separated by `---`, leaving out empty ones (as kubectl does).
    ///
    /// ```swift
    /// let objects = try JSONValue.documents(yaml: manifest)
    /// ```
    ///
    /// - Throws: ``YAMLParseError`` with the line of the problem.
    public static func documents(yaml: String) throws(YAMLParseError) -> [JSONValue] {
        try allDocuments(yaml: yaml).map(\.value).filter { !$0.isNull }
    }

    /// This value as a YAML document: keys sorted, two-space indentation, strings quoted whenever
    /// they would otherwise read back as another type (`"yes"`, `"123"`, `""`).
    public func yamlString() -> String {
        JSONValue.yamlString(documents: [self])
    }

    /// Several values as a YAML stream, each document starting with `---`.
    public static func yamlString(documents: [JSONValue]) -> String {
        let nodes = documents.map(\.yamlNode)
        do {
            return try Yams.serialize(
                nodes: nodes, indent: 2, width: -1, allowUnicode: true, explicitStart: documents.count > 1
            )
        } catch {
            // The emitter fails only on invalid event sequences, which a Node tree cannot produce.
            preconditionFailure("YAML emitter rejected a JSON value: \(error)")
        }
    }
}

// MARK: - Reading

extension JSONValue {
    private static func allDocuments(yaml: String) throws(YAMLParseError) -> [(value: JSONValue, line: Int?)] {
        do {
            let parser = try Parser(yaml: yaml, resolver: .default)
            var result: [(JSONValue, Int?)] = []
            // Aliases let a few hundred bytes name billions of values ("billion laughs"); without
            // aliases a document cannot hold more values than it has bytes.
            var budget = max(yaml.utf8.count, 1_000) * yamlExpansionFactor
            while let node = try parser.nextRoot() {
                result.append((try JSONValue(yamlNode: node, budget: &budget), node.mark?.line))
            }
            return result
        } catch let error as YAMLParseError {
            throw error
        } catch let error as YamlError {
            throw YAMLParseError(error)
        } catch {
            throw YAMLParseError(line: nil, column: nil, reason: "\(error)")
        }
    }

    /// How many values a YAML text may expand to, per byte of text.
    private static let yamlExpansionFactor = 10

    private init(yamlNode node: Node, budget: inout Int) throws(YAMLParseError) {
        func fail(_ reason: String) -> YAMLParseError {
            YAMLParseError(line: node.mark?.line, column: node.mark?.column, reason: reason)
        }
        budget -= 1
        guard budget >= 0 else {
            throw fail("aliases expand to too many values (more than \(JSONValue.yamlExpansionFactor) per byte of YAML)")
        }
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null:
                self = .null
            case .bool:
                guard let b = node.bool else { throw fail("\"\(scalar.string)\" is not a boolean") }
                self = .bool(b)
            case .int:
                if let i = node.int {
                    self = .int(Int64(i))
                } else if let d = Double(scalar.string.replacingOccurrences(of: "_", with: "")), d.isFinite {
                    // Too large for Int64: keep the magnitude, as a JSON decoder would.
                    self = .double(d)
                } else {
                    throw fail("\"\(scalar.string)\" is not an integer")
                }
            case .float:
                guard let d = node.float else { throw fail("\"\(scalar.string)\" is not a number") }
                guard d.isFinite else { throw fail("\(scalar.string) has no JSON representation") }
                self = .double(d)
            default:
                // Strings, timestamps, binary and custom tags keep their text.
                self = .string(scalar.string)
            }
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            elements.reserveCapacity(sequence.count)
            for element in sequence {
                elements.append(try JSONValue(yamlNode: element, budget: &budget))
            }
            self = .array(elements)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            var merged: [String: JSONValue] = [:]
            for (key, value) in mapping {
                if Tag.Name(rawValue: key.tag.rawValue) == .merge {
                    // `<<: *base` or `<<: [*a, *b]`: earlier sources win, explicit keys win over all.
                    let sources = value.sequence.map(Array.init) ?? [value]
                    for source in sources {
                        guard case .object(let object) = try JSONValue(yamlNode: source, budget: &budget) else {
                            throw fail("a '<<' merge key needs a mapping or a list of mappings")
                        }
                        merged.merge(object) { first, _ in first }
                    }
                    continue
                }
                guard let keyScalar = key.scalar else {
                    throw YAMLParseError(line: key.mark?.line, column: key.mark?.column, reason: "mapping keys must be scalars")
                }
                members[keyScalar.string] = try JSONValue(yamlNode: value, budget: &budget)
            }
            members.merge(merged) { explicit, _ in explicit }
            self = .object(members)
        case .alias:
            throw fail("unresolved alias")
        }
    }
}

extension YAMLParseError {
    init(_ error: YamlError) {
        func text(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            self.init(line: mark.line, column: mark.column, reason: text(problem, context))
        case .duplicatedKeysInMapping(let duplicates, let context):
            self.init(
                line: context.mark.line, column: context.mark.column,
                reason: "duplicate mapping keys " + duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            )
        case .reader(let problem, let offset, _, _):
            self.init(line: nil, column: nil, reason: offset.map { "\(problem) at byte \($0)" } ?? problem)
        case .no, .memory, .writer, .emitter, .representer, .dataCouldNotBeDecoded:
            self.init(line: nil, column: nil, reason: "\(error)")
        }
    }
}

// MARK: - Writing

extension JSONValue {
    fileprivate var yamlNode: Node {
        switch self {
        case .null:
            return .scalar(Node.Scalar("null", Tag(.null), .plain))
        case .bool(let b):
            return .scalar(Node.Scalar(b ? "true" : "false", Tag(.bool), .plain))
        case .int(let i):
            return .scalar(Node.Scalar(String(i), Tag(.int), .plain))
        case .double(let d):
            let text = d.isNaN ? ".nan" : d.isInfinite ? (d < 0 ? "-.inf" : ".inf") : "\(d)"
            return .scalar(Node.Scalar(text, Tag(.float), .plain))
        case .string(let s):
            return JSONValue.stringNode(s)
        case .array(let elements):
            return .sequence(Node.Sequence(elements.map(\.yamlNode), Tag(.seq), .block))
        case .object(let members):
            let pairs = members.sorted { $0.key < $1.key }.map { (JSONValue.stringNode($0.key), $0.value.yamlNode) }
            return .mapping(Node.Mapping(pairs, Tag(.map), .block))
        }
    }

    /// A string scalar, quoted when a plain scalar would read back as something else.
    private static func stringNode(_ s: String) -> Node {
        let plain = Node.scalar(Node.Scalar(s))
        let ambiguous = Resolver.default.resolveTag(of: plain) != .str
        let style: Node.Scalar.Style = ambiguous ? .doubleQuoted : (s.contains("\n") ? .literal : .any)
        return .scalar(Node.Scalar(s, Tag(.str), style))
    }
}
