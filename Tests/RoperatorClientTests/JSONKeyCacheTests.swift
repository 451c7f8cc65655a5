import Testing

@testable import RoperatorClient

/// The parser's shared key cache must never hand back a different key than the bytes say.
@Suite struct JSONKeyCacheTests {
    @Test func keysThatLookAlikeStayDistinct() throws {
        // Same length, same first and last bytes, keys at the 8/15/16/32/33-byte boundaries, non-ASCII.
        let keys = [
            "ab", "ba", "a", "", "abcdefgh", "abcdefgX", "abcdefghijklmno", "abcdefghijklmnop",
            String(repeating: "k", count: 32), String(repeating: "k", count: 31) + "j",
            String(repeating: "k", count: 33), "é", "naïve", "名前", "x\u{0}y",
        ]
        var object: [String: JSONValue] = [:]
        for (i, key) in keys.enumerated() { object[key] = .int(Int64(i)) }
        let text = String(decoding: JSONValue.object(object).serializedBytes(), as: UTF8.self)
        for _ in 0..<3 { // later rounds hit the cache
            let parsed = try JSONValue(parsing: text)
            #expect(parsed == .object(object))
        }
    }

    @Test func repeatedKeysInNestedObjects() throws {
        let text = #"[{"name":"a","value":1},{"name":"b","value":2},{"nam":"c","valuf":3}]"#
        let parsed = try JSONValue(parsing: text)
        #expect(parsed[1]?["name"] == "b")
        #expect(parsed[2]?["nam"] == "c")
        #expect(parsed[2]?["valuf"] == 3)
        #expect(parsed[2]?["name"] == nil)
    }

    @Test func concurrentParsesAgree() async throws {
        let documents: [String] = (0..<8).map { i in
            #"{"metadata":{"name":"n\#(i)","k\#(i)":\#(i),"labels":{"app":"a\#(i)"}},"spec":{"key\#(i % 3)":true}}"#
        }
        let expected = try documents.map { try JSONValue(parsing: Array($0.utf8)) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<64 {
                let index = round % documents.count
                let document = documents[index]
                let want = expected[index]
                group.addTask { try JSONValue(parsing: document) == want }
            }
            for try await same in group { #expect(same) }
        }
    }
}
