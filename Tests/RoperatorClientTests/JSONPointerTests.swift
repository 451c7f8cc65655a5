import RoperatorClient
import Testing

@Suite struct JSONPointerTests {
    @Test func parsesAndEscapes() throws {
        let p = try JSONPointer(parsing: "/a/b~1c/0/~0~1x/")
        #expect(p.tokens == ["a", "b/c", "0", "~/x", ""])
        #expect(p.description == "/a/b~1c/0/~0~1x/")
        #expect(try JSONPointer(parsing: "").tokens.isEmpty)
        #expect(JSONPointer(tokens: ["~1"]).description == "/~01")
        #expect(JSONPointer.escape("a/b~c") == "a~1b~0c")
    }

    @Test func rejectsMalformedPointers() {
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "a/b") }
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "/a~") }
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "/a~2") }
    }

    /// The examples of RFC 6901 section 5.
    @Test func rfc6901Examples() throws {
        let doc = try JSONValue(
            parsing: #"""
                {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}
                """#)
        #expect(doc[pointer: ""] == doc)
        #expect(doc[pointer: "/foo"] == ["bar", "baz"])
        #expect(doc[pointer: "/foo/0"] == "bar")
        #expect(doc[pointer: "/"] == 0)
        #expect(doc[pointer: "/a~1b"] == 1)
        #expect(doc[pointer: "/c%d"] == 2)
        #expect(doc[pointer: "/e^f"] == 3)
        #expect(doc[pointer: "/g|h"] == 4)
        #expect(doc[pointer: "/i\\j"] == 5)
        #expect(doc[pointer: "/k\"l"] == 6)
        #expect(doc[pointer: "/ "] == 7)
        #expect(doc[pointer: "/m~0n"] == 8)
        #expect(doc[pointer: "/foo/2"] == nil)
        #expect(doc[pointer: "/foo/01"] == nil)
        #expect(doc[pointer: "/foo/-"] == nil)
    }

    @Test func setAddRemove() throws {
        var doc: JSONValue = ["spec": ["containers": [["name": "a"]]]]
        try doc.set("img", at: "/spec/containers/0/image")
        #expect(doc[pointer: "/spec/containers/0/image"] == "img")
        try doc.add(["name": "b"], at: "/spec/containers/-")
        try doc.add(["name": "first"], at: "/spec/containers/0")
        #expect(doc[pointer: "/spec/containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["first", "a", "b"])
        let removed = try doc.remove(at: "/spec/containers/1")
        #expect(removed == ["name": "a", "image": "img"])
        #expect(doc[pointer: "/spec/containers"]?.arrayValue?.count == 2)
        try doc.replace(at: "/spec/containers/1/name", with: "c")
        #expect(doc[pointer: "/spec/containers/1/name"] == "c")
        #expect(throws: JSONPointerError.self) { try doc.replace(at: "/spec/missing", with: 1) }
        #expect(throws: JSONPointerError.self) { try doc.set(1, at: "/nope/deeper") }
        #expect(throws: JSONPointerError.self) { try doc.add(1, at: "/spec/containers/5") }
        #expect(throws: JSONPointerError.self) { try doc.remove(at: "/spec/containers/-") }
        #expect(throws: JSONPointerError.self) { try doc.remove(at: "") }
        try doc.set(["whole": true], at: "")
        #expect(doc == ["whole": true])
    }

    @Test func failedMutationLeavesTheDocumentIntact() throws {
        var doc: JSONValue = ["a": ["b": [1, 2]]]
        let before = doc
        #expect(throws: JSONPointerError.self) { try doc.set(3, at: "/a/b/7") }
        #expect(doc == before)
    }
}
