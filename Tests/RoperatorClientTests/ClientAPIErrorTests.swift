import RoperatorClient
import Testing

@Suite("KubeAPIError")
struct ClientAPIErrorTests {
    @Test func decodesStatus() throws {
        let body: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 422, "reason": "Invalid",
            "message": "EchoServer.example.com \"e\" is invalid",
            "details": [
                "name": "e", "group": "example.com", "kind": "EchoServer",
                "causes": [["reason": "FieldValueRequired", "message": "Required value", "field": "spec.replicas"]],
            ],
        ]
        let error = KubeAPIError(httpStatus: 422, body: body.serializedBytes())
        #expect(error.code == 422)
        #expect(error.reason == .invalid)
        #expect(error.isInvalid)
        #expect(error.details?.kind == "EchoServer")
        #expect(error.details?.causes == [.init(reason: "FieldValueRequired", message: "Required value", field: "spec.replicas")])
        #expect("\(error)".contains("EchoServer.example.com \"e\""))
    }

    struct PredicateCase: Sendable, CustomStringConvertible {
        var code: Int
        var reason: String
        var gone = false
        var conflict = false
        var exists = false
        var description: String { "\(code) \(reason)" }
    }

    @Test(arguments: [
        PredicateCase(code: 410, reason: "Expired", gone: true),
        PredicateCase(code: 410, reason: "Gone", gone: true),
        PredicateCase(code: 409, reason: "AlreadyExists", exists: true),
        PredicateCase(code: 409, reason: "Conflict", conflict: true),
        PredicateCase(code: 404, reason: "NotFound"),
    ])
    func predicates(_ testCase: PredicateCase) {
        let (code, reason, gone, conflict, exists) = (testCase.code, testCase.reason, testCase.gone, testCase.conflict, testCase.exists)
        let error = KubeAPIError(code: code, reason: .init(reason), message: "")
        #expect(error.isGone == gone)
        #expect(error.isConflict == conflict)
        #expect(error.isAlreadyExists == exists)
        #expect(error.isNotFound == (code == 404))
    }

    @Test func nonStatusBodyKeepsCodeAndText() {
        let error = KubeAPIError(httpStatus: 404, body: Array("404 page not found".utf8))
        #expect(error.isNotFound)
        #expect(error.message == "404 page not found")
    }
}
