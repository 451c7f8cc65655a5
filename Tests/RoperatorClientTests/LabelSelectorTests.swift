import RoperatorClient
import Testing

@Suite struct LabelSelectorTests {
    /// (input, canonical form)
    static let canonical: [(String, String)] = [
        ("", ""),
        ("   ", ""),
        ("a=b", "a=b"),
        ("a==b", "a=b"),
        ("a!=b", "a!=b"),
        (" a = b ", "a=b"),
        ("a=", "a="),
        ("a in (y,x)", "a in (x,y)"),
        ("a in(x)", "a in (x)"),
        ("a notin ( x , y, x )", "a notin (x,y)"),
        ("a", "a"),
        ("!a", "!a"),
        ("! a", "!a"),
        ("z=1,a", "a,z=1"),
        ("app=web, tier in (frontend,cache), !legacy", "app=web,!legacy,tier in (cache,frontend)"),
        ("example.com/role=db", "example.com/role=db"),
        ("a in (x,,y)", "a in (,x,y)"),
        ("n>3", "n>3"),
        ("n<10", "n<10"),
        ("a=in", "a=in"),
        ("in=x", "in=x"),
    ]

    @Test(arguments: canonical)
    func parsesToCanonicalForm(input: String, expected: String) throws {
        let selector = try LabelSelector(parsing: input)
        #expect(selector.description == expected)
        // The canonical form parses back to the same selector.
        #expect(try LabelSelector(parsing: selector.description) == selector)
    }

    /// (selector, labels, matches)
    static let matching: [(String, [String: String], Bool)] = [
        ("", [:], true),
        ("a=b", ["a": "b"], true),
        ("a=b", ["a": "c"], false),
        ("a=b", [:], false),
        ("a!=b", [:], true),
        ("a!=b", ["a": "b"], false),
        ("a!=b", ["a": "c"], true),
        ("a in (x,y)", ["a": "y"], true),
        ("a in (x,y)", ["a": "z"], false),
        ("a in (x,y)", [:], false),
        ("a notin (x,y)", [:], true),
        ("a notin (x,y)", ["a": "x"], false),
        ("a notin (x,y)", ["a": "z"], true),
        ("a", ["a": ""], true),
        ("a", ["b": "a"], false),
        ("!a", [:], true),
        ("!a", ["a": "x"], false),
        ("a=", ["a": ""], true),
        ("a=", [:], false),
        ("a=b,c", ["a": "b", "c": "d"], true),
        ("a=b,c", ["a": "b"], false),
        ("n>3", ["n": "4"], true),
        ("n>3", ["n": "3"], false),
        ("n>3", ["n": "x"], false),
        ("n<3", ["n": "-1"], true),
    ]

    @Test(arguments: matching)
    func matches(selector: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(labels) == expected)
    }

    /// (input, position, fragment of the reason)
    static let errors: [(String, Int, String)] = [
        ("a in (x", 7, "expected ',' or ')'"),
        ("a in ()", 6, "at least one value"),
        ("a in x", 5, "expected '('"),
        ("a=b,", 4, "after ','"),
        (",a", 0, "expected a label key"),
        ("a b", 2, "after key \"a\""),
        ("a=b c", 4, "expected ',' or end of input"),
        ("-a=b", 0, "alphanumeric"),
        ("a=b_", 2, "alphanumeric"),
        ("a=(", 2, "expected a label value"),
        ("Example.com/x=y", 0, "lowercase DNS subdomain"),
        ("/x=y", 0, "is empty"),
        ("p/=y", 0, "empty name part"),
        ("a=\(String(repeating: "v", count: 64))", 2, "longer than 63"),
        ("\(String(repeating: "k", count: 64))=v", 0, "longer than 63"),
        ("n>x", 2, "integer"),
        ("!", 1, "expected a label key"),
        ("a notin", 7, "expected '('"),
    ]

    @Test(arguments: errors)
    func reportsErrorsWithPosition(input: String, position: Int, reason: String) {
        #expect {
            try LabelSelector(parsing: input)
        } throws: { error in
            guard let error = error as? SelectorParseError else { return false }
            return error.kind == .label && error.selector == input && error.position == position
                && error.reason.contains(reason) && error.description.contains("at position \(position)")
        }
    }

    @Test func errorDescriptionIsReadable() {
        let error = #expect(throws: SelectorParseError.self) { try LabelSelector(parsing: "app in (web") }
        #expect(error?.description == #"invalid label selector "app in (web": at position 11: expected ',' or ')', found end of input"#)
    }

    @Test func fromJSONForm() throws {
        let json: JSONValue = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "tier", "operator": "In", "values": ["b", "a"]],
                ["key": "env", "operator": "NotIn", "values": ["prod"]],
                ["key": "canary", "operator": "Exists"],
                ["key": "legacy", "operator": "DoesNotExist"],
            ],
        ]
        let selector = try LabelSelector(json: json)
        #expect(selector.description == "app=web,canary,env notin (prod),!legacy,tier in (a,b)")
        #expect(selector == (try LabelSelector(parsing: "app=web,tier in (a,b),env notin (prod),canary,!legacy")))
        #expect(selector.matches(["app": "web", "tier": "a", "canary": "1"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "canary": "1", "legacy": "y"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "canary": "1", "env": "prod"]))
        // Round trip through the JSON form.
        #expect(try LabelSelector(json: #require(selector.json)) == selector)
        #expect(try LabelSelector(json: .null).isEmpty)
        #expect(try LabelSelector(json: [:]).isEmpty)
    }

    @Test func jsonFormOfInequalities() throws {
        let selector = try LabelSelector(parsing: "a!=b")
        #expect(selector.json == ["matchExpressions": [["key": "a", "operator": "NotIn", "values": ["b"]]]])
        #expect(try LabelSelector(json: #require(selector.json)).matches(["a": "c"]))
        #expect(try LabelSelector(parsing: "n>1").json == nil)
    }

    static let badJSON: [(JSONValue, String)] = [
        (["matchExpressions": [["key": "a", "operator": "Gt", "values": ["1"]]]], "matchExpressions[0].operator \"Gt\""),
        (["matchExpressions": [["key": "a", "operator": "In"]]], "at least one value"),
        (["matchExpressions": [["key": "a", "operator": "Exists", "values": ["x"]]]], "takes no values"),
        (["matchExpressions": [["operator": "Exists"]]], "matchExpressions[0].key"),
        (["matchLabels": ["a": 1]], "matchLabels.a must be a string"),
        (["matchLabels": "a=b"], "matchLabels must be an object"),
        (["matchLabels": ["a": "bad value"]], "may contain only"),
        ("x", "must be an object"),
    ]

    @Test(arguments: badJSON)
    func rejectsMalformedJSON(json: JSONValue, reason: String) {
        let error = #expect(throws: SelectorParseError.self) { try LabelSelector(json: json) }
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func buildsFromRequirementsAndMatchesObjects() throws {
        let selector = try LabelSelector(matchLabels: ["app": "web", "tier": "db"])
        #expect(selector.description == "app=web,tier=db")
        var object = KubeObject(type: .configMap, namespace: "default", name: "x")
        object.labels = ["app": "web", "tier": "db", "extra": "1"]
        #expect(selector.matches(object))
        object.labels["tier"] = "cache"
        #expect(!selector.matches(object))
        let combined = selector.and(try LabelSelector(parsing: "!legacy"))
        #expect(combined.description == "app=web,!legacy,tier=db")
        #expect(LabelSelector.everything.matches(object))
        #expect(throws: SelectorParseError.self) {
            try LabelSelector.Requirement(key: "a", operator: .equals, values: ["x", "y"])
        }
    }

    @Test(arguments: ["a", "a.b-c_d", "example.com/a", "a-b.example.com/x.y", String(repeating: "x", count: 63)])
    func validKeys(key: String) {
        #expect(LabelValidation.keyProblem(key) == nil)
    }

    @Test(arguments: ["", "-a", "a-", "a b", "a/b/c", "EXAMPLE.com/a", "ex..com/a", String(repeating: "x", count: 64)])
    func invalidKeys(key: String) {
        #expect(LabelValidation.keyProblem(key) != nil)
    }
}

@Suite struct FieldSelectorTests {
    static let pod: JSONValue = [
        "metadata": ["name": "web", "namespace": "prod"],
        "spec": ["nodeName": "n1", "priority": 5, "hostNetwork": true],
        "status": ["phase": "Running"],
    ]

    /// (selector, matches the pod above)
    static let cases: [(String, Bool)] = [
        ("", true),
        ("metadata.name=web", true),
        ("metadata.name==web", true),
        ("metadata.name!=web", false),
        ("metadata.name=web,metadata.namespace!=dev", true),
        ("metadata.name=web,metadata.namespace!=prod", false),
        ("spec.priority=5", true),
        ("spec.hostNetwork=true", true),
        ("spec.missing=", true),
        ("spec.missing!=x", true),
        ("spec.missing=x", false),
        (" status.phase = Running ", true),
    ]

    @Test(arguments: cases)
    func matches(selector: String, expected: Bool) throws {
        #expect(try FieldSelector(parsing: selector).matches(Self.pod) == expected)
    }

    @Test func canonicalFormAndEscapes() throws {
        let selector = try FieldSelector(parsing: #"metadata.namespace!=y,metadata.name==a\,b\=c\\d"#)
        #expect(selector.requirements.first?.value == #"a,b=c\d"#)
        #expect(selector.description == #"metadata.name=a\,b\=c\\d,metadata.namespace!=y"#)
        #expect(try FieldSelector(parsing: selector.description) == selector)
        #expect(selector.matches(["metadata": ["name": #"a,b=c\d"#, "namespace": "z"]]))
    }

    /// (input, position, fragment of the reason)
    static let errors: [(String, Int, String)] = [
        ("metadata.name", 13, "expected '=', '==' or '!='"),
        ("=x", 0, "expected a field path"),
        ("a=b,", 4, "after ','"),
        ("a..b=c", 0, "empty segment"),
        (#"a=b\x"#, 3, "invalid escape"),
        ("a=b=c", 3, "unescaped '='"),
    ]

    @Test(arguments: errors)
    func reportsErrors(input: String, position: Int, reason: String) {
        let error = #expect(throws: SelectorParseError.self) { try FieldSelector(parsing: input) }
        #expect(error?.kind == .field)
        #expect(error?.position == position)
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }
}
