import RoperatorClient
import Testing

@Suite struct YAMLTests {
    @Test func scalarsKeepTheirTypes() throws {
        let value = try JSONValue(
            yaml: """
                int: 42
                negative: -7
                big: 9223372036854775807
                float: 1.5
                exp: 1e3
                yes: yes
                quotedYes: "yes"
                single: 'no'
                on: on
                true: true
                null1: null
                null2: ~
                empty:
                string: hello world
                quotedInt: "42"
                timestamp: 2024-01-02T03:04:05Z
                version: 1.20
                list: [1, "2", three]
                nested:
                  a:
                    - x: 1
                """)
        #expect(value["int"] == .int(42))
        #expect(value["negative"] == .int(-7))
        #expect(value["big"] == .int(Int64.max))
        #expect(value["float"] == .double(1.5))
        #expect(value["exp"] == .double(1000))
        #expect(value["yes"] == .bool(true))
        #expect(value["quotedYes"] == .string("yes"))
        #expect(value["single"] == .string("no"))
        #expect(value["on"] == .bool(true))
        #expect(value["true"] == .bool(true))
        #expect(value["null1"] == .null)
        #expect(value["null2"] == .null)
        #expect(value["empty"] == .null)
        #expect(value["string"] == .string("hello world"))
        #expect(value["quotedInt"] == .string("42"))
        #expect(value["timestamp"] == .string("2024-01-02T03:04:05Z"))
        #expect(value["version"] == .double(1.2))
        #expect(value["list"] == [1, "2", "three"])
        #expect(value[path: "nested", "a"]?[0]?["x"] == .int(1))
    }

    @Test func integerTooLargeForInt64BecomesDouble() throws {
        let value = try JSONValue(yaml: "n: 99999999999999999999")
        #expect(value["n"] == .double(1e20))
    }

    @Test func multipleDocuments() throws {
        let documents = try JSONValue.documents(
            yaml: """
                ---
                kind: A
                ---
                # only a comment
                ---
                kind: B
                ...
                ---
                kind: C
                """)
        #expect(documents == [["kind": "A"], ["kind": "B"], ["kind": "C"]])
        #expect(try JSONValue.documents(yaml: "").isEmpty)
        #expect(try JSONValue(yaml: "") == .null)
    }

    @Test func singleDocumentInitRejectsStreams() {
        let error = #expect(throws: YAMLParseError.self) { try JSONValue(yaml: "a: 1\n---\nb: 2\n") }
        #expect(error?.line == 3)
    }

    @Test func anchorsAndMergeKeys() throws {
        let value = try JSONValue(
            yaml: """
                base: &base
                  a: 1
                  b: 2
                derived:
                  <<: *base
                  b: 3
                copy: *base
                """)
        #expect(value["derived"] == ["a": 1, "b": 3])
        #expect(value["copy"] == ["a": 1, "b": 2])
    }

    /// (document, line of the error, fragment of the reason)
    static let errors: [(String, Int, String)] = [
        ("a: 1\nb: [1, 2\nc: 3\n", 3, "did not find expected ',' or ']' (while parsing a flow sequence at line 2)"),
        ("a: 1\n  b: 2\n", 2, "mapping values are not allowed"),
        ("a: 1\na: 2\n", 1, "duplicate mapping keys \"a\""),
        ("x: .inf\n", 1, "no JSON representation"),
        ("a:\n  - b\n  c: d\n", 3, "did not find expected '-' indicator"),
    ]

    @Test(arguments: errors)
    func errorsNameTheLine(yaml: String, line: Int, reason: String) {
        let error = #expect(throws: YAMLParseError.self) { try JSONValue(yaml: yaml) }
        #expect(error?.line == line, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("line \(line)") == true)
    }

    @Test func errorsDoNotQuoteTheDocument() {
        let error = #expect(throws: YAMLParseError.self) { try JSONValue(yaml: "token: s3cr3t-value\n  bad: [") }
        #expect(error.map { !$0.description.contains("s3cr3t") } == true)
    }

    @Test func writesYAMLThatReadsBack() throws {
        let value: JSONValue = [
            "kind": "ConfigMap",
            "data": ["yes": "yes", "number": "123", "empty": "", "multi": "line one\nline two\n", "colon": "a: b", "null": "null"],
            "n": 5, "d": 2.5, "b": false, "z": nil,
            "list": [1, ["k": "v"], []], "obj": [:],
        ]
        let text = value.yamlString()
        #expect(text.hasPrefix("b: false\n"))
        #expect(text.contains("kind: ConfigMap\n"))
        #expect(try JSONValue(yaml: text) == value)
    }

    @Test func writesStreams() throws {
        let text = JSONValue.yamlString(documents: [["a": 1], ["b": "x"]])
        #expect(text == "---\na: 1\n---\nb: x\n")
        #expect(try JSONValue.documents(yaml: text) == [["a": 1], ["b": "x"]])
    }
}
