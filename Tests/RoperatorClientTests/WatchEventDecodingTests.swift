@testable import RoperatorClient
import Testing

/// One watch line to one event: the envelope is read without decoding the object, the object is
/// decoded once in the reader's form, and every malformed line is a clear error.
@Suite struct WatchEventDecodingTests {
    func decode(_ line: String) throws -> WatchEventReader<KubeObject>.Event {
        try WatchEventReader<KubeObject>.decode(ArraySlice(line.utf8), type: .configMap)
    }

    func failure(_ line: String) -> KubeClientError? {
        do {
            _ = try decode(line)
            return nil
        } catch {
            return error as? KubeClientError
        }
    }

    @Test("the object is decoded and completed whichever member comes first; other members are ignored")
    func objectEvents() throws {
        let line = #"{"object":{"metadata":{"name":"a","resourceVersion":"5"},"data":{"k":"v"}},"extra":[1,{}],"type":"MODIFIED"}"#
        guard case .modified(let object) = try decode(line) else {
            Issue.record("not a MODIFIED event")
            return
        }
        #expect(object.apiVersion == "v1" && object.kind == "ConfigMap")
        #expect(object.name == "a" && object.resourceVersion == "5")
        #expect(object.json["data"] == ["k": "v"])

        let added = try decode(#"{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}}"#)
        guard case .added(let b) = added else {
            Issue.record("not an ADDED event")
            return
        }
        #expect(b.name == "b")
        guard case .deleted = try decode(#"{"type":"DELETED","object":{"metadata":{"name":"c"}}}"#) else {
            Issue.record("not a DELETED event")
            return
        }
        // A repeated member keeps its last value, as when the line is decoded whole.
        guard case .added = try decode(#"{"type":"DELETED","type":"ADDED","object":{"metadata":{"name":"d"}}}"#) else {
            Issue.record("the last type did not win")
            return
        }
    }

    @Test("both servers' layouts are read from the line's ends; a line that only looks like one is read member by member")
    func layouts() throws {
        let object = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"type":"x"}}"#
        for line in [#"{"object":\#(object),"type":"ADDED"}"#, #"{"type":"ADDED","object":\#(object)}"#] {
            #expect(Array(line.utf8).withUnsafeBytes { WatchEventEnvelope.guess($0) }?.type == "ADDED")
            guard case .added(let decoded) = try decode(line) else {
                Issue.record("not ADDED: \(line)")
                continue
            }
            #expect(decoded.json == (try JSONValue(parsing: object)))
        }
        // The guessed object range holds more than the object: the member-by-member read decides.
        let lookalikes = [
            #"{"object":{"metadata":{"name":"b"}},"extra":{"y":2},"type":"ADDED"}"#,
            #"{"type":"ADDED","object":{"metadata":{"name":"b"}},"extra":{"type":"DELETED"}}"#,
            #"{"object":{"metadata":{"name":"b"}},"type":"DELETED","type":"ADDED"}"#,
        ]
        for line in lookalikes {
            guard case .added(let decoded) = try decode(line) else {
                Issue.record("not ADDED: \(line)")
                continue
            }
            #expect(decoded.name == "b" && decoded.json["extra"] == nil, "\(line)")
        }
        let guessed = try #require(Array(#"{"object":{"a":1},"type":"MODIFIED"}"#.utf8).withUnsafeBytes { WatchEventEnvelope.guess($0) })
        #expect(guessed.type == "MODIFIED" && guessed.object == 10..<17)
        #expect(Array(#"{"type":"ADDED","object":{}}"#.utf8).withUnsafeBytes { WatchEventEnvelope.guess($0) }?.object == 25..<27)
        #expect(Array(#" {"object":{},"type":"ADDED"}"#.utf8).withUnsafeBytes { WatchEventEnvelope.guess($0) } == nil)
        #expect(Array(#"{"object":{},"type":"added"}"#.utf8).withUnsafeBytes { WatchEventEnvelope.guess($0) } == nil)
    }

    @Test("a bookmark carries its resourceVersion; an ERROR event is the server's Status as an error")
    func bookmarkAndError() throws {
        guard
            case .bookmark(let version) = try decode(
                #"{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"9"}}}"#)
        else {
            Issue.record("not a bookmark")
            return
        }
        #expect(version == "9")
        let error =
            #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#
        #expect(throws: KubeAPIError.self) { try decode(error) }
        do {
            _ = try decode(error)
        } catch let apiError as KubeAPIError {
            #expect(apiError.isGone)
        }
    }

    @Test("malformed lines are invalid responses that say what is wrong")
    func malformed() {
        let cases: [(line: String, says: String)] = [
            (#"{"type":"ADDED","object":{}} trailing"#, "not JSON"),
            (#"{"type":"ADDED","object":{"a":"\q"}}"#, "not JSON"),
            (#"{"type":"ADDED","object":{"#, "not JSON"),
            (#"{"type":"ADDED"}"#, "without type or object"),
            (#"{"object":{}}"#, "without type or object"),
            (#"{"type":7,"object":{}}"#, "without type or object"),
            (#"[1,2]"#, "without type or object"),
            (#"{"type":"ADDED","object":[1]}"#, "not a JSON object"),
            (#"{"type":"ADDED","object":null}"#, "not a JSON object"),
            (#"{"type":"RENAMED","object":{}}"#, "unknown event type RENAMED"),
        ]
        for (line, says) in cases {
            let error = failure(line)
            #expect(error?.code == .invalidResponse, "\(line)")
            #expect(error?.message.contains(says) == true, "\(line): \(error?.message ?? "no error")")
        }
    }
}
