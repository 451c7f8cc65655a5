extension LabelSelector {
    /// Parses the string syntax: comma-separated requirements `a=b`, `a==b`, `a!=b`,
    /// `a in (x,y)`, `a notin (x,y)`, `a` (exists), `!a` (does not exist), `a>1`, `a<1`, with
    /// whitespace allowed around every token. The empty string selects everything.
    ///
    /// ```swift
    /// let selector = try LabelSelector(parsing: "env notin (prod), app")
    /// ```
    ///
    /// - Throws: ``SelectorParseError`` with the character position of the first problem.
    public init(parsing text: String) throws(SelectorParseError) {
        var parser = LabelSelectorParser(text: text)
        self.init(try parser.parse())
    }
}

/// Recursive-descent parser over a token stream, in the style of the Kubernetes lexer: an
/// identifier is any run of characters other than whitespace and `!=(),<>`, so keywords (`in`,
/// `notin`) are recognized by position, not by the lexer.
struct LabelSelectorParser {
    enum Token: Equatable {
        case identifier(String)
        case equals, doubleEquals, notEquals, bang, open, close, comma, greater, less
        case end

        var display: String {
            switch self {
            case .identifier(let s): "\"\(s)\""
            case .equals: "'='"
            case .doubleEquals: "'=='"
            case .notEquals: "'!='"
            case .bang: "'!'"
            case .open: "'('"
            case .close: "')'"
            case .comma: "','"
            case .greater: "'>'"
            case .less: "'<'"
            case .end: "end of input"
            }
        }
    }

    let text: String
    private let characters: [Character]
    private var tokens: [(token: Token, position: Int)] = []
    private var index = 0

    init(text: String) {
        self.text = text
        self.characters = Array(text)
    }

    private func error(_ position: Int, _ reason: String) -> SelectorParseError {
        SelectorParseError(kind: .label, selector: text, position: position, reason: reason)
    }

    private static func isSpecial(_ c: Character) -> Bool {
        c.isWhitespace || "!=(),<>".contains(c)
    }

    private mutating func tokenize() {
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            let start = i
            let next: Character? = i + 1 < characters.count ? characters[i + 1] : nil
            let token: Token
            switch c {
            case "=" where next == "=": token = .doubleEquals; i += 2
            case "=": token = .equals; i += 1
            case "!" where next == "=": token = .notEquals; i += 2
            case "!": token = .bang; i += 1
            case "(": token = .open; i += 1
            case ")": token = .close; i += 1
            case ",": token = .comma; i += 1
            case ">": token = .greater; i += 1
            case "<": token = .less; i += 1
            default:
                while i < characters.count, !Self.isSpecial(characters[i]) { i += 1 }
                token = .identifier(String(characters[start..<i]))
            }
            tokens.append((token, start))
        }
        tokens.append((.end, characters.count))
    }

    private var current: (token: Token, position: Int) { tokens[index] }

    private mutating func advance() -> (token: Token, position: Int) {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    mutating func parse() throws(SelectorParseError) -> [LabelSelector.Requirement] {
        tokenize()
        var requirements: [LabelSelector.Requirement] = []
        if current.token == .end { return requirements }
        while true {
            requirements.append(try parseRequirement())
            let separator = advance()
            switch separator.token {
            case .end: return requirements
            case .comma:
                if current.token == .end { throw error(current.position, "expected a requirement after ','") }
            default: throw error(separator.position, "expected ',' or end of input, found \(separator.token.display)")
            }
        }
    }

    private mutating func parseKey() throws(SelectorParseError) -> (String, Int) {
        let t = advance()
        guard case .identifier(let key) = t.token else {
            throw error(t.position, "expected a label key, found \(t.token.display)")
        }
        if let problem = LabelValidation.keyProblem(key) { throw error(t.position, problem) }
        return (key, t.position)
    }

    private mutating func parseRequirement() throws(SelectorParseError) -> LabelSelector.Requirement {
        let start = current.position
        if current.token == .bang {
            _ = advance()
            let (key, _) = try parseKey()
            return try make(start, key, .doesNotExist, [])
        }
        let (key, _) = try parseKey()
        let t = current
        switch t.token {
        case .comma, .end:
            return try make(start, key, .exists, [])
        case .equals, .doubleEquals, .notEquals:
            _ = advance()
            let value = try parseSingleValue()
            return try make(start, key, t.token == .notEquals ? .notEquals : .equals, [value])
        case .greater, .less:
            _ = advance()
            let valueToken = advance()
            guard case .identifier(let value) = valueToken.token, Int64(value) != nil else {
                throw error(valueToken.position, "expected an integer after \(t.token.display), found \(valueToken.token.display)")
            }
            return try make(start, key, t.token == .greater ? .greaterThan : .lessThan, [value])
        case .identifier("in"), .identifier("notin"):
            _ = advance()
            let values = try parseValueList()
            return try make(start, key, t.token == .identifier("in") ? .in : .notIn, values)
        default:
            throw error(
                t.position, "expected '=', '==', '!=', 'in', 'notin', ',' or end of input after key \"\(key)\", found \(t.token.display)")
        }
    }

    /// The value after `=`/`!=`; an empty value is allowed (`a=` selects an empty label).
    private mutating func parseSingleValue() throws(SelectorParseError) -> String {
        let t = current
        switch t.token {
        case .comma, .end:
            return ""
        case .identifier(let value):
            _ = advance()
            if let problem = LabelValidation.valueProblem(value) { throw error(t.position, problem) }
            return value
        default:
            throw error(t.position, "expected a label value, found \(t.token.display)")
        }
    }

    private mutating func parseValueList() throws(SelectorParseError) -> [String] {
        let open = advance()
        guard open.token == .open else { throw error(open.position, "expected '(', found \(open.token.display)") }
        if current.token == .close { throw error(current.position, "expected at least one value in '( )'") }
        var values: [String] = []
        while true {
            // Kubernetes accepts empty members (`(a,,b)`), meaning the empty value.
            let t = current
            switch t.token {
            case .identifier(let value):
                _ = advance()
                if let problem = LabelValidation.valueProblem(value) { throw error(t.position, problem) }
                values.append(value)
            case .comma, .close:
                values.append("")
            default:
                throw error(t.position, "expected a label value, found \(t.token.display)")
            }
            let separator = advance()
            switch separator.token {
            case .close: return values
            case .comma: continue
            default: throw error(separator.position, "expected ',' or ')', found \(separator.token.display)")
            }
        }
    }

    private func make(
        _ position: Int, _ key: String, _ op: LabelSelector.Operator, _ values: [String]
    ) throws(SelectorParseError) -> LabelSelector.Requirement {
        do {
            return try LabelSelector.Requirement(key: key, operator: op, values: values)
        } catch {
            throw self.error(position, error.reason)
        }
    }
}
