import RoperatorClient
import Testing

@Suite struct JSONPatchTests {
    private func apply(_ document: String, _ patch: String) throws -> JSONValue {
        try JSONValue(parsing: document).applyingJSONPatch(try JSONValue(parsing: patch))
    }

    /// RFC 6902 appendix A examples that succeed: (document, patch, result).
    static let succeeding: [(String, String, String)] = [
        // A.1 adding an object member
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"baz":"qux","foo":"bar"}"#),
        // A.2 adding an array element
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","qux","baz"]}"#),
        // A.3 removing an object member
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, #"{"foo":"bar"}"#),
        // A.4 removing an array element
        (#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","baz"]}"#),
        // A.5 replacing a value
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#, #"{"baz":"boo","foo":"bar"}"#),
        // A.6 moving a value
        (
            #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
            #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
            #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#
        ),
        // A.7 moving an array element
        (
            #"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
            #"{"foo":["all","cows","eat","grass"]}"#
        ),
        // A.8 testing a value: success
        (
            #"{"baz":"qux","foo":["a",2,"c"]}"#,
            #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
            #"{"baz":"qux","foo":["a",2,"c"]}"#
        ),
        // A.10 adding a nested member object
        (
            #"{"foo":"bar"}"#, #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
            #"{"foo":"bar","child":{"grandchild":{}}}"#
        ),
        // A.11 ignoring unrecognized elements
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, #"{"foo":"bar","baz":"qux"}"#),
        // A.14 ~ escape ordering
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10}]"#, #"{"/":9,"~1":10}"#),
        // A.16 adding an array value
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, #"{"foo":["bar",["abc","def"]]}"#),
        // copy, and add replacing the root
        (#"{"a":{"b":1}}"#, #"[{"op":"copy","from":"/a","path":"/c"}]"#, #"{"a":{"b":1},"c":{"b":1}}"#),
        (#"{"a":1}"#, #"[{"op":"add","path":"","value":[1]}]"#, #"[1]"#),
        // add with an explicit null value
        (#"{}"#, #"[{"op":"add","path":"/n","value":null}]"#, #"{"n":null}"#),
    ]

    @Test(arguments: succeeding)
    func rfc6902Appendix(document: String, patch: String, expected: String) throws {
        #expect(try apply(document, patch) == (try JSONValue(parsing: expected)))
    }

    @Test func a9TestFailureNamesTheOperation() throws {
        #expect {
            try apply(#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/baz","value":"bar"}]"#)
        } throws: { error in
            guard let e = error as? JSONPatchError else { return false }
            return e.code == .testFailed && e.operationIndex == 1 && e.path == "/baz"
        }
    }

    @Test func a12AddingToANonexistentTarget() throws {
        #expect {
            try apply(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#)
        } throws: { error in
            guard let e = error as? JSONPatchError else { return false }
            return e.code == .pathNotFound && e.operationIndex == 0 && e.path == "/baz/bat"
        }
    }

    @Test func a15ComparingStringsAndNumbers() throws {
        #expect(throws: JSONPatchError.self) {
            try apply(#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":"10"}]"#)
        }
    }

    @Test func testComparesNumbersByValue() throws {
        #expect(throws: Never.self) { try apply(#"{"a":1}"#, #"[{"op":"test","path":"/a","value":1.0}]"#) }
    }

    @Test func patchIsAtomic() throws {
        let doc: JSONValue = ["a": 1]
        var copy = doc
        #expect(throws: JSONPatchError.self) {
            try copy.applyJSONPatch([.replace(path: "/a", value: 2), .remove(path: "/missing")])
        }
        #expect(copy == doc)
    }

    @Test(arguments: [
        (#"[{"path":"/a"}]"#, "missing string member 'op'"),
        (#"[{"op":"add","path":"/a"}]"#, "missing member 'value'"),
        (#"[{"op":"move","path":"/a"}]"#, "missing string member 'from'"),
        (#"[{"op":"frob","path":"/a"}]"#, "unknown op 'frob'"),
        (#"[{"op":"remove","path":"a"}]"#, "must be empty or start with '/'"),
    ])
    func malformedOperations(patch: String, message: String) throws {
        #expect {
            try apply("{}", patch)
        } throws: { error in
            guard let e = error as? JSONPatchError else { return false }
            return e.code == .invalidOperation && e.message.contains(message)
        }
    }

    @Test func invalidLocations() throws {
        let doc: JSONValue = ["a": ["b": [1, 2]]]
        #expect {
            try doc.applyingJSONPatch([.add(path: "/a/b/3", value: 0)])
        } throws: { ($0 as? JSONPatchError)?.code == .invalidPath }
        #expect {
            try doc.applyingJSONPatch([.move(from: "/a", path: "/a/b/c")])
        } throws: { ($0 as? JSONPatchError)?.code == .invalidPath }
        #expect {
            try doc.applyingJSONPatch([.replace(path: "/x", value: 0)])
        } throws: { ($0 as? JSONPatchError)?.code == .pathNotFound }
        #expect {
            try doc.applyingJSONPatch([.copy(from: "/zz", path: "/x")])
        } throws: { ($0 as? JSONPatchError)?.code == .pathNotFound }
    }

    @Test func operationsRoundTripThroughJSON() throws {
        let ops: [JSONPatchOperation] = [
            .add(path: "/a~1b", value: ["x": 1]), .remove(path: "/c/0"), .replace(path: "/d", value: nil),
            .move(from: "/e", path: "/f"), .copy(from: "/g", path: "/h"), .test(path: "/i", value: "j"),
        ]
        let json = JSONValue.array(ops.map(\.json))
        #expect(try JSONPatchOperation.operations(from: json) == ops)
        #expect(ops[0].json == ["op": "add", "path": "/a~1b", "value": ["x": 1]])
    }
}
