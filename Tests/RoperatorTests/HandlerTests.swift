import Testing
@testable import Roperator

struct EchoSpec: Codable, Equatable {
    var replicas: Int
    var message: String?
}

struct EchoStatus: Codable, Equatable {
    var ready: Int
}

struct ConfigMapModel: Codable, Equatable {
    struct Metadata: Codable, Equatable { var name: String; var namespace: String? }
    var apiVersion = "v1"
    var kind = "ConfigMap"
    var metadata: Metadata
    var data: [String: String]?
}

@Suite struct HandlerTests {
    let parentType = K8sType(group: "example.com", version: "v1", kind: "EchoServer")

    func parent(spec: JSONValue? = ["replicas": 3, "message": "hi"]) -> KubeObject {
        var object = KubeObject(type: parentType, namespace: "default", name: "web")
        object.spec = spec
        object.status = ["ready": 1]
        return object
    }

    func request() -> SyncRequest {
        var b = KubeObject(type: .configMap, namespace: "default", name: "b")
        b.json["data"] = ["k": "v"]
        let a = KubeObject(type: .configMap, namespace: "default", name: "a")
        return SyncRequest(parent: parent(), children: [.configMap: [b, a], .pod: []])
    }

    @Test func childrenByTypeAndName() throws {
        let req = request()
        #expect(req.children(of: .configMap).map(\.name) == ["a", "b"])
        #expect(req.children(of: .pod).isEmpty)
        #expect(req.children(of: .secret).isEmpty)
        #expect(req.child(of: .configMap, named: "b")?.json["data"] == ["k": "v"])
        #expect(req.child(of: .configMap, named: "b", namespace: "other") == nil)
        #expect(req.child(of: .configMap, named: "zzz") == nil)
        #expect(req.parentKey.description == "default/web")
        #expect(ParentKey(KubeObject(type: .namespace, name: "tmp")).description == "tmp")
    }

    @Test func typedDecoding() throws {
        let req = request()
        #expect(try req.spec(as: EchoSpec.self) == EchoSpec(replicas: 3, message: "hi"))
        #expect(try req.status(as: EchoStatus.self) == EchoStatus(ready: 1))
        let maps = try req.children(of: .configMap, as: ConfigMapModel.self)
        #expect(maps.map(\.metadata.name) == ["a", "b"])
        #expect(maps[1].data == ["k": "v"])
        #expect(try req.child(of: .configMap, named: "a", as: ConfigMapModel.self)?.data == nil)
        #expect(try req.child(of: .configMap, named: "none", as: ConfigMapModel.self) == nil)
    }

    @Test func decodeErrorCarriesCause() {
        let req = SyncRequest(parent: parent(spec: ["replicas": "three"]))
        do {
            _ = try req.spec(as: EchoSpec.self)
            Issue.record("expected a decoding failure")
        } catch {
            #expect(error.operation == .decoding)
            #expect(error.what == "spec of parent default/web")
            #expect(error.underlying is DecodingError)
        }
    }

    @Test func responseAcceptsRawAndEncodable() throws {
        var response = try SyncResponse(status: EchoStatus(ready: 2), resyncAfter: .seconds(5))
        #expect(response.status == ["ready": 2])
        response.add(KubeObject(type: .configMap, namespace: "default", name: "raw"))
        response.add(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"]] as JSONValue)
        try response.add(ConfigMapModel(metadata: .init(name: "typed", namespace: "default"), data: ["x": "y"]))
        #expect(response.children.map(\.name) == ["raw", "s", "typed"])
        #expect(response.children[2].json["data"] == ["x": "y"])
        #expect(response.children[2].kind == "ConfigMap")
        #expect(throws: CodingFailure.self) { try response.add(42) }
        try response.setStatus(EchoStatus(ready: 3))
        #expect(response.status == ["ready": 3])
    }

    @Test func closureHandlerAndDefaultFinalize() async throws {
        let handler: some Handler = .sync { request in
            SyncResponse(status: ["seen": .string(request.parent.name ?? "")])
        }
        let req = request()
        #expect(try await handler.sync(req).status == ["seen": "web"])
        let finalized = try await handler.finalize(req)
        #expect(finalized == .done(status: ["ready": 1]))
        #expect(finalized.isDone)

        let retrying = ClosureHandler(sync: { _ in SyncResponse() }, finalize: { _ in .retry(after: .seconds(2)) })
        #expect(try await retrying.finalize(req).outcome == .retry(after: .seconds(2)))
    }

    struct TypeHandler: Handler {
        func sync(_ request: SyncRequest) async throws -> SyncResponse {
            let spec = try request.spec(as: EchoSpec.self)
            return try SyncResponse(status: EchoStatus(ready: spec.replicas))
        }
    }

    @Test func protocolHandlerDefaultFinalize() async throws {
        let handler = TypeHandler()
        #expect(try await handler.sync(request()).status == ["ready": 3])
        #expect(try await handler.finalize(request()).isDone)
    }
}

@Suite struct SyncResponseLiteralTests {
    /// Dictionary literals must pick the `JSONValue` initializer (no `try`, no Encodable detour).
    @Test func literalStatusNeedsNoTry() {
        let response = SyncResponse(status: ["phase": "Ready", "replicas": 2])
        #expect(response.status == .object(["phase": .string("Ready"), "replicas": .int(2)]))
        let finalize = FinalizeResponse.done(status: ["phase": "Gone"])
        #expect(finalize.status?["phase"] == "Gone")
    }
}
