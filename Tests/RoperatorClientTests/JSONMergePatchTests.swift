import RoperatorClient
import Testing

@Suite struct JSONMergePatchTests {
    /// Every example of RFC 7386 appendix A: (original, patch, result).
    static let rfcExamples: [(String, String, String)] = [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ]

    @Test(arguments: rfcExamples)
    func rfc7386Appendix(original: String, patch: String, expected: String) throws {
        let target = try JSONValue(parsing: original)
        let result = target.applyingMergePatch(try JSONValue(parsing: patch))
        #expect(result == (try JSONValue(parsing: expected)))
        var inPlace = target
        inPlace.applyMergePatch(try JSONValue(parsing: patch))
        #expect(inPlace == result)
    }

    /// The example of RFC 7386 section 3.
    @Test func rfc7386Section3() throws {
        let target = try JSONValue(
            parsing: #"""
                {"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}
                """#)
        let patch = try JSONValue(
            parsing: #"""
                {"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}
                """#)
        let expected = try JSONValue(
            parsing: #"""
                {"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}
                """#)
        #expect(target.applyingMergePatch(patch) == expected)
    }

    @Test func computedPatchReproducesTheTarget() throws {
        let old: JSONValue = [
            "metadata": ["name": "web", "labels": ["a": "1", "b": "2"]],
            "spec": ["replicas": 1, "ports": [80], "paused": true],
        ]
        let new: JSONValue = [
            "metadata": ["name": "web", "labels": ["a": "1", "c": "3"]],
            "spec": ["replicas": 3, "ports": [80, 443], "template": ["x": 1]],
        ]
        let patch = try #require(JSONValue.mergePatch(from: old, to: new))
        #expect(
            patch == [
                "metadata": ["labels": ["b": nil, "c": "3"]],
                "spec": ["replicas": 3, "ports": [80, 443], "paused": nil, "template": ["x": 1]],
            ])
        #expect(old.applyingMergePatch(patch) == new)
    }

    @Test func equalValuesGiveNoPatch() {
        let v: JSONValue = ["a": ["b": [1, 2]], "c": 1]
        #expect(JSONValue.mergePatch(from: v, to: v) == Optional<JSONValue>.none)
        #expect(JSONValue.mergePatch(from: ["n": 1], to: ["n": 1.0]) == Optional<JSONValue>.none)
        #expect(JSONValue.mergePatch(from: "x", to: "x") == Optional<JSONValue>.none)
        #expect(JSONValue.mergePatch(from: "x", to: "y") == "y")
        #expect(JSONValue.mergePatch(from: ["a": "x"], to: ["a": ["b": 1]]) == ["a": ["b": 1]])
    }
}
