import RoperatorClient
import Testing

@Suite struct JSONComparisonTests {
    @Test func equivalenceTreatsNumbersByValue() {
        #expect(JSONValue.int(1).isEquivalent(to: .double(1.0)))
        #expect(!JSONValue.int(1).isEquivalent(to: .double(1.5)))
        #expect(!JSONValue.int(.max).isEquivalent(to: .double(9_223_372_036_854_775_807)))
        #expect(JSONValue(["a": [1, ["b": 2]]]).isEquivalent(to: ["a": [1.0, ["b": 2.0]]]))
        #expect(!JSONValue(["a": 1]).isEquivalent(to: ["a": 1, "b": 2]))
        #expect(!JSONValue.string("1").isEquivalent(to: .int(1)))
    }

    @Test func desiredIsSubsetOfLiveWithServerDefaults() throws {
        let desired = try JSONValue(
            parsing: #"{"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":2,"ports":[{"port":80}]}}"#)
        let live = try JSONValue(
            parsing: #"""
                {"metadata":{"name":"web","labels":{"app":"web"},"uid":"u","resourceVersion":"7"},
                 "spec":{"replicas":2.0,"ports":[{"port":80,"protocol":"TCP"}],"sessionAffinity":"None"},"status":{}}
                """#)
        #expect(desired.isSubset(of: live))
        #expect(!live.isSubset(of: desired))
    }

    @Test func subsetDetectsChanges() {
        let live: JSONValue = ["spec": ["replicas": 2, "ports": [["port": 80], ["port": 443]]]]
        #expect(!JSONValue(["spec": ["replicas": 3]]).isSubset(of: live))
        #expect(!JSONValue(["spec": ["ports": [["port": 80]]]]).isSubset(of: live), "arrays must have the same length")
        #expect(!JSONValue(["spec": ["ports": [["port": 443], ["port": 80]]]]).isSubset(of: live), "arrays compare in order")
        #expect(!JSONValue(["spec": ["missing": 1]]).isSubset(of: live))
        #expect(JSONValue(["spec": ["missing": nil]]).isSubset(of: live), "null matches an absent field")
        #expect(JSONValue.emptyObject.isSubset(of: live))
        #expect(!JSONValue(["spec": "x"]).isSubset(of: live))
    }
}

extension JSONValue {
    fileprivate init(_ value: JSONValue) { self = value }
}
