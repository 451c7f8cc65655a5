import RoperatorClient
import RoperatorAPIServer
import Testing

/// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`: server-side printing.
@Suite("Embedded API server: Table answers")
struct APIServerTableTests {
    static let tableAccept =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

    @Test func listAndGetAnswerTablesWithPartialObjectMetadata() async throws {
        try await withTestServer { _, client in
            let service: JSONValue = [
                "apiVersion": "v1", "kind": "Service", "metadata": ["name": "front"],
                "spec": ["type": "NodePort", "clusterIP": "10.0.0.7", "ports": [["port": 80, "nodePort": 30080, "protocol": "TCP"]]],
            ]
            #expect(try await client.request(.POST, "/api/v1/namespaces/default/services", json: service).status == 201)

            let list = try await client.request(.GET, "/api/v1/namespaces/default/services", headers: [("Accept", Self.tableAccept)])
            #expect(list.status == 200)
            #expect(list.contentType == "application/json;as=Table;v=v1;g=meta.k8s.io")
            let table = try list.json
            #expect(table["kind"] == "Table")
            #expect(table["apiVersion"] == "meta.k8s.io/v1")
            #expect(table[path: "metadata", "resourceVersion"]?.stringValue?.isEmpty == false)
            let names = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"])
            let row = try #require(table["rows"]?[0])
            #expect(row["cells"]?.arrayValue?.prefix(5) == ["front", "NodePort", "10.0.0.7", "<none>", "80:30080/TCP"])
            #expect(row[path: "object", "kind"] == "PartialObjectMetadata")
            #expect(row[path: "object", "metadata", "name"] == "front")
            #expect(row[path: "object", "spec"] == nil)

            let one = try await client.request(
                .GET, "/api/v1/namespaces/default/services/front?includeObject=Object", headers: [("Accept", Self.tableAccept)])
            let oneTable = try one.json
            #expect(oneTable["rows"]?.arrayValue?.count == 1)
            #expect(oneTable["rows"]?[0]?[path: "object", "spec", "type"] == "NodePort")

            // Plain JSON first in Accept: the plain answer.
            let plain = try await client.request(.GET, "/api/v1/namespaces/default/services", headers: [("Accept", "application/json")])
            #expect(try plain.json["kind"] == "ServiceList")
            let bad = try await client.request(
                .GET, "/api/v1/namespaces/default/services?includeObject=Everything", headers: [("Accept", Self.tableAccept)])
            #expect(bad.status == 400)
        }
    }

    @Test func namesAndAgesForCustomResourcesWithoutPrinterColumns() async throws {
        try await withTestServer { _, client in
            #expect(
                try await client.request(.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: widgetCRD()).status == 201)
            try await waitUntil("widgets are served") {
                try await client.request(
                    .POST, "/apis/example.com/v1/namespaces/default/widgets",
                    json: ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"]]
                ).status == 201
            }
            let table = try await client.request(
                .GET, "/apis/example.com/v1/namespaces/default/widgets", headers: [("Accept", Self.tableAccept)]
            ).json
            #expect(table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Name", "Age"])
            let age = try #require(table["rows"]?[0]?["cells"]?[1]?.stringValue)
            #expect(age.hasSuffix("s"), "a fresh object is seconds old: \(age)")
        }
    }
}
