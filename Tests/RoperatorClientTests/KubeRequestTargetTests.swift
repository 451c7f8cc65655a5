@testable import RoperatorClient
import Testing

/// The request target: the path, then the query percent-encoded as RFC 3986 asks.
@Suite struct KubeRequestTargetTests {
    static func request(_ query: [(name: String, value: String)]) -> KubeRequest {
        KubeRequest(method: "GET", path: "/api/v1/namespaces/default/pods", query: query, body: nil, contentType: nil, headers: [])
    }

    @Test func unreservedCharactersStayAsTheyAre() {
        let plain = "AZaz09-._~"
        #expect(KubeRequest.encode(plain) == plain)
        #expect(Self.request([]).target == "/api/v1/namespaces/default/pods")
        #expect(Self.request([("fieldManager", "my-operator")]).target == "/api/v1/namespaces/default/pods?fieldManager=my-operator")
    }

    @Test func everythingElseIsPercentEncoded() {
        #expect(KubeRequest.encode("app in (a,b)") == "app%20in%20%28a%2Cb%29")
        #expect(KubeRequest.encode("a=b&c/d?e") == "a%3Db%26c%2Fd%3Fe")
        #expect(KubeRequest.encode("é") == "%C3%A9")
        #expect(KubeRequest.encode("") == "")
        let target = Self.request([("labelSelector", "tier!=web"), ("limit", "5")]).target
        #expect(target == "/api/v1/namespaces/default/pods?labelSelector=tier%21%3Dweb&limit=5")
    }
}
