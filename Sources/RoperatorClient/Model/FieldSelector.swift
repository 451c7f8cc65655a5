/// A Kubernetes field selector: comma-separated `path=value`, `path==value` or `path!=value`
/// terms on dotted field paths, all of which must hold.
///
/// In values, `\,`, `\=` and `\\` stand for a literal comma, equals sign and backslash, as in the
/// Kubernetes syntax; ``description`` escapes them the same way.
///
/// ```swift
/// let selector = try FieldSelector(parsing: "metadata.name=web,status.phase!=Failed")
/// selector.matches(pod.json)
/// ```
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// One `path=value` or `path!=value` term.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// Dotted path of object keys, e.g. `metadata.namespace`.
        public let field: String
        /// `true` for `!=`.
        public let negated: Bool
        /// The value compared with the field's string form.
        public let value: String

        /// Creates a value from its parts; see the properties for their meaning.
        public init(field: String, negated: Bool = false, value: String) {
            self.field = field
            self.negated = negated
            self.value = value
        }

        /// Whether `object` satisfies this term. A missing field compares as the empty string,
        /// numbers and booleans as their JSON text.
        public func matches(_ object: JSONValue) -> Bool {
            let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let actual: String
            switch object[pathArray: path[...]] {
            case .string(let s)?: actual = s
            case .int(let i)?: actual = String(i)
            case .bool(let b)?: actual = b ? "true" : "false"
            case .double(let d)?: actual = JSONValue.double(d).serialized()
            case nil, .null?: actual = ""
            case .array?, .object?: return negated
            }
            return (actual == value) != negated
        }

        /// The canonical form, e.g. `metadata.name=web`.
        public var description: String {
            var escaped = ""
            for c in value {
                if c == "\\" || c == "," || c == "=" { escaped.append("\\") }
                escaped.append(c)
            }
            return field + (negated ? "!=" : "=") + escaped
        }
    }

    /// The terms, sorted by field; all must hold.
    public let requirements: [Requirement]

    /// A selector from terms; the empty list selects everything.
    public init(_ requirements: [Requirement] = []) {
        self.requirements = requirements.sorted { a, b in
            if a.field != b.field { return a.field < b.field }
            if a.negated != b.negated { return !a.negated }
            return a.value < b.value
        }
    }

    /// The selector that matches every object.
    public static let everything = FieldSelector()

    /// Whether this selector has no terms.
    public var isEmpty: Bool { requirements.isEmpty }

    /// Parses `path=value`, `path==value` and `path!=value` terms separated by commas.
    ///
    /// - Throws: ``SelectorParseError`` with the character position of the first problem.
    public init(parsing text: String) throws(SelectorParseError) {
        let characters = Array(text)
        func fail(_ position: Int, _ reason: String) -> SelectorParseError {
            SelectorParseError(kind: .field, selector: text, position: position, reason: reason)
        }
        var requirements: [Requirement] = []
        var i = 0
        if text.allSatisfy(\.isWhitespace) {
            self.init()
            return
        }
        while true {
            let termStart = i
            var field = ""
            while i < characters.count, !"=!,".contains(characters[i]) {
                field.append(characters[i])
                i += 1
            }
            field = Self.trim(field)
            if field.isEmpty { throw fail(termStart, "expected a field path") }
            if field.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                throw fail(termStart, "field path \"\(field)\" has an empty segment")
            }
            let negated: Bool
            if i + 1 < characters.count, characters[i] == "!", characters[i + 1] == "=" {
                negated = true
                i += 2
            } else if i < characters.count, characters[i] == "=" {
                negated = false
                i += (i + 1 < characters.count && characters[i + 1] == "=") ? 2 : 1
            } else {
                throw fail(i, "expected '=', '==' or '!=' after field \"\(field)\"")
            }
            var value = ""
            while i < characters.count, characters[i] != "," {
                if characters[i] == "\\" {
                    guard i + 1 < characters.count, "\\,=".contains(characters[i + 1]) else {
                        throw fail(i, "invalid escape: only '\\\\', '\\,' and '\\=' are allowed")
                    }
                    value.append(characters[i + 1])
                    i += 2
                    continue
                }
                if characters[i] == "=" { throw fail(i, "unescaped '=' in value (write '\\=')") }
                value.append(characters[i])
                i += 1
            }
            requirements.append(Requirement(field: field, negated: negated, value: Self.trim(value)))
            if i == characters.count { break }
            i += 1 // the comma
            if i == characters.count { throw fail(i, "expected a term after ','") }
        }
        self.init(requirements)
    }

    /// Whether `object` satisfies every term.
    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { $0.matches(object) }
    }

    /// The canonical string form, as sent in a `fieldSelector` query parameter.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}

extension FieldSelector {
    fileprivate static func trim(_ text: String) -> String {
        var s = Substring(text)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
