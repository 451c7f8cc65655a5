import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RoperatorClient
import RoperatorAPIServer
import Testing

/// `application/vnd.kubernetes.protobuf` for built-in kinds: the table-driven codec, request and
/// response bodies over real HTTP, lists and watch streams.
@Suite("Protobuf")
struct ProtobufTests {
    static let codec = ProtobufCodec()
    static let prefersProtobuf = [("Accept", "application/vnd.kubernetes.protobuf, application/json")]

    /// JSON → protobuf → JSON gives the same object, for every sample kind.
    @Test(arguments: ProtobufSample.all)
    func codecRoundTrip(sample: ProtobufSample) throws {
        let object = try sample.object
        let bytes = try Self.codec.encodeObject(object)
        #expect(bytes.starts(with: [0x6b, 0x38, 0x73, 0x00]))
        let decoded = try Self.codec.decodeObject(bytes[...])
        #expect(decoded == object, "\(sample.kind) came back as \(decoded.serialized())")
    }

    /// Go writes zeros of value fields; those with `omitempty` mean "unset" and give no JSON
    /// member, while zeros of pointer fields are meaningful and stay.
    @Test func zerosFollowGoSemantics() throws {
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "zeros", "generateName": "", "uid": ""],
            "spec": ["replicas": 0, "minReadySeconds": 0, "paused": false, "progressDeadlineSeconds": 0, "strategy": .emptyObject],
        ]
        let decoded = try Self.codec.decodeObject(try Self.codec.encodeObject(deployment)[...])
        #expect(
            decoded == [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "zeros"],
                "spec": ["replicas": 0, "progressDeadlineSeconds": 0],
            ])
    }

    @Test func badInputGetsAClearError() throws {
        let wrongType: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "spec": ["replicas": "three"]]
        #expect {
            try Self.codec.encodeObject(wrongType)
        } throws: { error in
            String(describing: error) == #"spec.replicas: expected a 32-bit integer, got "three""#
        }
        let valid = try Self.codec.encodeObject(try ProtobufSample.all[0].object)
        #expect(throws: ProtobufError.self) { try Self.codec.decodeObject(valid.dropLast(3)) }
        #expect(throws: ProtobufError.self) { try Self.codec.decodeObject(valid.dropFirst()) }
    }

    /// Created from a protobuf body and read back as protobuf: the decoded answer equals the JSON
    /// answer for the same object, and holds every field of the sample.
    @Test(arguments: ProtobufSample.all.filter { $0.path != nil })
    func createAndGetOverHTTP(sample: ProtobufSample) async throws {
        try await withTestServer { _, client in
            let object = try sample.object
            let path = try #require(sample.path)
            let name = try #require(object[path: "metadata", "name"]?.stringValue)
            let created = try await Self.send(client, .POST, path, protobuf: object)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.contentType == ProtobufCodec.contentType)
            let fromCreate = try Self.codec.decodeObject(created.body[...])
            let json = try await client.request(.GET, "\(path)/\(name)").json
            let protobuf = try await client.request(.GET, "\(path)/\(name)", headers: Self.prefersProtobuf)
            #expect(protobuf.contentType == ProtobufCodec.contentType)
            let fromGet = try Self.codec.decodeObject(protobuf.body[...])
            #expect(fromGet == json, "protobuf: \(fromGet.serialized())\njson: \(json.serialized())")
            #expect(fromCreate == json)
            // The server owns `status` (a subresource) and `deletionGracePeriodSeconds`; the rest must be kept.
            var written = object
            written["status"] = nil
            written["metadata"]?["deletionGracePeriodSeconds"] = nil
            #expect(Self.isSubset(written, of: json), "stored: \(json.serialized())")
        }
    }

    /// Update, patch and delete answer in protobuf when the client prefers it; a protobuf update
    /// body replaces the object.
    @Test func updatePatchDeleteAnswerInProtobuf() async throws {
        try await withTestServer { _, client in
            let path = "/apis/apps/v1/namespaces/default/deployments"
            var deployment = try ProtobufSample.all[0].object
            #expect(try await Self.send(client, .POST, path, protobuf: deployment).status == 201)
            let stored = try await client.request(.GET, "\(path)/web").json
            deployment["metadata"]?["resourceVersion"] = stored[path: "metadata", "resourceVersion"]
            deployment["spec"]?["replicas"] = 4
            let updated = try await Self.send(client, .PUT, "\(path)/web", protobuf: deployment)
            #expect(updated.status == 200, "\(updated.text)")
            #expect(try Self.codec.decodeObject(updated.body[...])[path: "spec", "replicas"] == 4)

            let patched = try await client.request(
                .PATCH, "\(path)/web", json: ["spec": ["replicas": 0]], contentType: "application/merge-patch+json",
                headers: Self.prefersProtobuf)
            #expect(patched.contentType == ProtobufCodec.contentType)
            #expect(try Self.codec.decodeObject(patched.body[...])[path: "spec", "replicas"] == 0)

            // DeleteOptions in protobuf, as client-go's typed clients send them: the precondition counts.
            let wrongUID: JSONValue = ["apiVersion": "apps/v1", "kind": "DeleteOptions", "preconditions": ["uid": "wrong"]]
            #expect(try await Self.send(client, .DELETE, "\(path)/web", protobuf: wrongUID).status == 409)
            let deleted = try await client.request(.DELETE, "\(path)/web", headers: Self.prefersProtobuf)
            #expect(deleted.status == 200)
            #expect(deleted.contentType == ProtobufCodec.contentType)
            let status = try Self.codec.decodeObject(deleted.body[...])
            #expect(status["kind"] == "Status")
            #expect(status["status"] == "Success")
            #expect(status[path: "details", "name"] == "web")
        }
    }

    /// A list answered in protobuf is the `<Kind>List` message and decodes to the JSON list.
    @Test func listInProtobuf() async throws {
        try await withTestServer { _, client in
            let path = "/apis/apps/v1/namespaces/default/deployments"
            var deployment = try ProtobufSample.all[0].object
            for name in ["a", "b", "c"] {
                deployment["metadata"]?["name"] = .string(name)
                #expect(try await Self.send(client, .POST, path, protobuf: deployment).status == 201)
            }
            let json = try await client.request(.GET, path).json
            let answer = try await client.request(.GET, path, headers: Self.prefersProtobuf)
            #expect(answer.contentType == ProtobufCodec.contentType)
            let list = try Self.codec.decodeObject(answer.body[...])
            #expect(list["kind"] == "DeploymentList")
            #expect(list[path: "metadata", "resourceVersion"] == json[path: "metadata", "resourceVersion"])
            let items = try #require(list["items"]?.arrayValue)
            #expect(items.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["a", "b", "c"])
            // List items carry no apiVersion and kind in protobuf; everything else is the JSON list's.
            let jsonItems = try #require(json["items"]?.arrayValue).map { item -> JSONValue in
                var item = item
                item["apiVersion"] = nil
                item["kind"] = nil
                return item
            }
            #expect(items == jsonItems)
        }
    }

    /// A watch asked for in protobuf is a stream of length-prefixed WatchEvent frames.
    @Test func watchInProtobuf() async throws {
        try await withTestServer { _, client in
            let path = "/apis/apps/v1/namespaces/default/deployments"
            var request = HTTPClientRequest(url: client.baseURL + path + "?watch=1&timeoutSeconds=30")
            if let token = client.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            request.headers.add(name: "Accept", value: "application/vnd.kubernetes.protobuf, application/json")
            let response = try await client.client.execute(request, timeout: .seconds(60))
            #expect(response.headers.first(name: "content-type") == ProtobufCodec.watchContentType)
            let deployment = try ProtobufSample.all[0].object
            #expect(try await Self.send(client, .POST, path, protobuf: deployment).status == 201)
            #expect(try await client.request(.DELETE, "\(path)/web").status == 200)
            var pending: [UInt8] = []
            var events: [(type: String, object: JSONValue)] = []
            for try await chunk in response.body {
                pending += chunk.readableBytesView
                let (decoded, rest) = try Self.codec.decodeWatchFrames(pending[...])
                events += decoded
                pending = Array(rest)
                if events.count >= 2 { break }
            }
            #expect(events.map(\.type) == ["ADDED", "DELETED"])
            #expect(events.first?.object["kind"] == "Deployment")
            #expect(events.first?.object[path: "spec", "replicas"] == 0)
            #expect(Self.isSubset(deployment, of: events.first?.object ?? .null))
        }
    }

    /// Custom resources are never protobuf: a protobuf body is refused with 415, a client that
    /// also accepts JSON gets JSON, one that accepts only protobuf gets 406.
    @Test func customResourcesStayJSON() async throws {
        try await withTestServer { _, client in
            #expect(
                try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: widgetCRD()).status == 201)
            let path = "/apis/example.com/v1/namespaces/default/widgets"
            try await waitUntil("the widget resource is served") {
                try await client.request(.GET, path).status == 200
            }
            let widget: JSONValue = ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"]]
            let refused = try await Self.send(client, .POST, path, bytes: Self.envelope(apiVersion: "example.com/v1", kind: "Widget"))
            #expect(refused.status == 415, "\(refused.text)")
            #expect(try await client.request(.POST, path, json: widget).status == 201)
            let answer = try await client.request(.GET, "\(path)/w", headers: Self.prefersProtobuf)
            #expect(answer.status == 200)
            #expect(answer.contentType == "application/json")
            let onlyProtobuf = try await client.request(.GET, "\(path)/w", headers: [("Accept", "application/vnd.kubernetes.protobuf")])
            #expect(onlyProtobuf.status == 406)
        }
    }

    // MARK: Support

    /// Sends a JSON object as an enveloped protobuf body, asking for protobuf back.
    static func send(_ client: TestHTTPClient, _ method: HTTPMethod, _ path: String, protobuf object: JSONValue) async throws
        -> TestResponse
    {
        try await send(client, method, path, bytes: try codec.encodeObject(object))
    }

    static func send(_ client: TestHTTPClient, _ method: HTTPMethod, _ path: String, bytes: [UInt8]) async throws -> TestResponse {
        var request = HTTPClientRequest(url: client.baseURL + path)
        request.method = method
        if let token = client.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Content-Type", value: ProtobufCodec.contentType)
        request.headers.add(name: "Accept", value: "application/vnd.kubernetes.protobuf, application/json")
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await client.client.execute(request, timeout: .seconds(30))
        var body: [UInt8] = []
        for try await chunk in response.body { body += chunk.readableBytesView }
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// An envelope with an empty object of any apiVersion and kind.
    static func envelope(apiVersion: String, kind: String) -> [UInt8] {
        func field(_ number: UInt8, _ bytes: [UInt8]) -> [UInt8] { [number << 3 | 2, UInt8(bytes.count)] + bytes }
        let typeMeta = field(1, Array(apiVersion.utf8)) + field(2, Array(kind.utf8))
        return [0x6b, 0x38, 0x73, 0x00] + field(1, typeMeta) + field(2, [])
    }

    /// Whether every member of `part` is in `whole` with the same value (arrays element by element).
    static func isSubset(_ part: JSONValue, of whole: JSONValue) -> Bool {
        switch (part, whole) {
        case (.object(let members), .object(let wholeMembers)):
            members.allSatisfy { key, value in wholeMembers[key].map { isSubset(value, of: $0) } ?? false }
        case (.array(let items), .array(let wholeItems)):
            items.count == wholeItems.count && zip(items, wholeItems).allSatisfy { isSubset($0, of: $1) }
        default:
            part == whole
        }
    }
}
