import RoperatorClient

/// A parsed `labelSelector` query parameter: equality (`=`, `==`, `!=`), set-based (`in`, `notin`)
/// and existence (`key`, `!key`) requirements, all of which must hold.
struct LabelSelectorMatcher: Sendable, Hashable {
    enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    var requirements: [Requirement]

    /// Parses the selector syntax of the Kubernetes API.
    ///
    /// - Throws: 400 BadRequest naming the problem.
    init(parsing text: String) throws(APIError) {
        requirements = []
        let chars = Array(text)
        var i = 0
        func skipSpaces() { while i < chars.count, chars[i] == " " { i += 1 } }
        func readToken() -> String {
            skipSpaces()
            let start = i
            while i < chars.count, !" ,=!()".contains(chars[i]) { i += 1 }
            return String(chars[start..<i])
        }
        func bad(_ why: String) -> APIError {
            .badRequest("unable to parse requirement: \(why) in label selector \"\(text)\"")
        }
        while true {
            skipSpaces()
            if i >= chars.count { break }
            if chars[i] == "!" {
                i += 1
                let key = readToken()
                guard !key.isEmpty else { throw bad("missing key after '!'") }
                requirements.append(.doesNotExist(key))
            } else {
                let key = readToken()
                guard !key.isEmpty else { throw bad("found '\(chars[i])', expected: identifier") }
                try Self.validateKey(key, selector: text)
                skipSpaces()
                if i >= chars.count || chars[i] == "," {
                    requirements.append(.exists(key))
                } else if chars[i] == "=" || chars[i] == "!" {
                    let negate = chars[i] == "!"
                    i += 1
                    guard i < chars.count || !negate else { throw bad("expected '=' after '!'") }
                    if negate {
                        guard chars[i] == "=" else { throw bad("expected '=' after '!'") }
                        i += 1
                    } else if i < chars.count, chars[i] == "=" {
                        i += 1
                    }
                    let value = readToken()
                    requirements.append(negate ? .notEquals(key, value) : .equals(key, value))
                } else {
                    let op = readToken()
                    guard op == "in" || op == "notin" else { throw bad("found '\(op)', expected: in, notin, =, ==, !=") }
                    skipSpaces()
                    guard i < chars.count, chars[i] == "(" else { throw bad("found '\(op)', expected: '('") }
                    i += 1
                    var values: Set<String> = []
                    while true {
                        let v = readToken()
                        values.insert(v)
                        skipSpaces()
                        guard i < chars.count else { throw bad("expected ')'") }
                        if chars[i] == "," {
                            i += 1
                            continue
                        }
                        guard chars[i] == ")" else { throw bad("found '\(chars[i])', expected: ',' or ')'") }
                        i += 1
                        break
                    }
                    values.remove("")
                    requirements.append(op == "in" ? .isIn(key, values) : .notIn(key, values))
                }
            }
            skipSpaces()
            if i >= chars.count { break }
            guard chars[i] == "," else { throw bad("found '\(chars[i])', expected: ','") }
            i += 1
        }
    }

    private static func validateKey(_ key: String, selector: String) throws(APIError) {
        let name = key.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        let ok =
            !name.isEmpty && name.count <= 63
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard ok else {
            throw .badRequest("unable to parse requirement: invalid label key \"\(key)\" in label selector \"\(selector)\"")
        }
    }

    /// Whether an object's `metadata.labels` satisfy every requirement.
    func matches(_ object: JSONValue) -> Bool {
        let labels = object[path: "metadata", "labels"]?.objectValue ?? [:]
        for r in requirements {
            switch r {
            case .equals(let k, let v): if labels[k]?.stringValue != v { return false }
            case .notEquals(let k, let v): if labels[k]?.stringValue == v { return false }
            case .isIn(let k, let vs):
                guard let v = labels[k]?.stringValue, vs.contains(v) else { return false }
            case .notIn(let k, let vs):
                if let v = labels[k]?.stringValue, vs.contains(v) { return false }
            case .exists(let k): if labels[k] == nil { return false }
            case .doesNotExist(let k): if labels[k] != nil { return false }
            }
        }
        return true
    }
}
