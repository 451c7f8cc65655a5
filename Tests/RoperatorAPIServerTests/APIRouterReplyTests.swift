import NIOCore
import NIOHTTP1
import RoperatorClient
import Testing

@testable import RoperatorAPIServer

/// Which answers the router makes on the event loop and which in a task of their own.
@Suite struct APIRouterReplyTests {
    let fixture = StoreFixture()

    var router: APIRouter {
        APIRouter(
            store: fixture.store, faults: FaultInjector(), requests: RequestCounter(),
            discovery: DiscoveryDocuments(registry: fixture.store.registry),
            openAPI: OpenAPIDocuments(registry: fixture.store.registry, kubernetesVersion: "v1.33.0"),
            version: VersionInfo(gitVersion: "v1.33.0"), bookmarkInterval: .seconds(60), defaultWatchTimeout: .seconds(1800))
    }

    func get(_ uri: String) -> APIRequest {
        APIRequest(method: .GET, uri: uri, headers: HTTPHeaders(), body: ByteBuffer())
    }

    /// A list may be large: gathering and serializing it on the event loop would hold up every
    /// other connection the loop serves, so it is answered from a task; a single object is not.
    @Test func aListIsAnsweredInATaskAndAGetOnTheLoop() async throws {
        for index in 0..<3 { try fixture.createConfigMap("c\(index)") }

        guard case .later(let work) = router.respond(get("/api/v1/namespaces/default/configmaps")) else {
            Issue.record("a list was answered on the event loop")
            return
        }
        let listed = await work()
        #expect(listed.status == .ok)
        guard case .buffer(let body) = listed.body else {
            Issue.record("a list's body is not a buffer")
            return
        }
        let items = try JSONValue(parsing: Array(body.readableBytesView))["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0[path: "metadata", "name"]?.stringValue }.sorted() == ["c0", "c1", "c2"])

        guard case .now(let got) = router.respond(get("/api/v1/namespaces/default/configmaps/c1")) else {
            Issue.record("a get of one object went to a task")
            return
        }
        #expect(got.status == .ok)

        // An error found while listing is the task's answer.
        guard case .later(let failing) = router.respond(get("/api/v1/namespaces/default/configmaps?labelSelector=%3D%3D%3D")) else {
            Issue.record("a list was answered on the event loop")
            return
        }
        #expect(await failing().status == .badRequest)
    }
}
