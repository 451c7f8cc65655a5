import RoperatorClient
import Testing

/// `JSONValue.duplicateKeys(in:)`: the opt-in walk that finds what the parse keeps quiet about.
@Suite struct JSONDuplicateKeyTests {
    static func paths(_ text: String) throws -> [String] {
        try JSONValue.duplicateKeys(in: Array(text.utf8)).map(\.path)
    }

    @Test func pathsUseDotsForMembersAndBracketsForElements() throws {
        let text = #"{"spec":{"replicas":1,"template":{"spec":{"containers":[{"a":1},{"image":"x","image":"y"}]}},"replicas":2}}"#
        #expect(try Self.paths(text) == ["spec.template.spec.containers[1].image", "spec.replicas"])
        // The parse keeps the last value, as Go's decoder does.
        #expect(try JSONValue(parsing: text)[path: "spec", "replicas"] == 2)
        #expect(try Self.paths(#"[{"op":"add","path":"/a","path":"/b"}]"#) == ["[0].path"])
        #expect(try Self.paths(#"{"a":1,"a":2,"a":3}"#) == ["a", "a"])
    }

    @Test func keysAreComparedAfterEscapesAndOnlyWithinOneObject() throws {
        #expect(try Self.paths(#"{"ab":1,"a\u0062":2}"#) == ["ab"])
        #expect(try Self.paths(#"{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}"#).isEmpty)
        #expect(try Self.paths(#"{"metadata":{"labels":{"app":"x","app":"y"}}}"#) == ["metadata.labels.app"])
    }

    @Test func offsetsPointAtTheRepetition() throws {
        let text = "{\n  \"k\": 1,\n  \"k\": 2\n}"
        let found = try JSONValue.duplicateKeys(in: Array(text.utf8))
        #expect(found == [JSONDuplicateKey(key: "k", path: "k", offset: 14)])
    }

    /// The parse notes a repeated key exactly when the walk would find one, so a server walks
    /// only the bodies that have some.
    @Test func theParseNotesRepeatedKeysExactlyWhenTheWalkFindsThem() throws {
        let documents = [
            #"{"spec":{"replicas":1,"template":{"spec":{"containers":[{"a":1},{"image":"x","image":"y"}]}},"replicas":2}}"#,
            #"[{"op":"add","path":"/a","path":"/b"}]"#, #"{"ab":1,"a\u0062":2}"#,
            #"{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}"#, #"{"metadata":{"labels":{"app":"x","app":"y"}}}"#,
            #"{"a":{},"b":[],"c":[[{"k":1}],{"k":{"k":2}}]}"#, #"[[{"x":1,"y":{"x":2,"x":3}}]]"#, "{}", "[]", "1", #""s""#,
        ]
        for text in documents {
            var repeatsKeys = true
            let value = try JSONValue(parsing: Array(text.utf8), repeatsKeys: &repeatsKeys)
            #expect(repeatsKeys == !(try Self.paths(text)).isEmpty, "\(text)")
            #expect(value == (try JSONValue(parsing: text)))
        }
    }

    @Test func malformedDocumentsFailAsTheyDoWhenParsed() throws {
        for text in [#"{"a":1,"a":}"#, #"{"a":1} x"#, "[1,", #"{"a" 1}"#] {
            #expect(throws: JSONParseError.self) { try JSONValue.duplicateKeys(in: Array(text.utf8)) }
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        }
    }
}
