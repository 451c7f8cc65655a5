import RoperatorClient
import RoperatorAPIServer
import Testing

/// Leases (`coordination.k8s.io/v1`) as leader election uses them: MicroTime fields normalized
/// to six fractional digits, integer fields validated, optimistic concurrency, a Holder column.
@Suite("Embedded API server: Leases")
struct APIServerLeaseTests {
    static let path = "/apis/coordination.k8s.io/v1/namespaces/default/leases"

    static func lease(_ spec: JSONValue) -> JSONValue {
        ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "l"], "spec": spec]
    }

    @Test func microTimesRoundTripAndAreNormalized() async throws {
        try await withTestServer { _, client in
            let created = try await client.request(
                .POST, Self.path,
                json: Self.lease([
                    "holderIdentity": "a", "leaseDurationSeconds": 15, "leaseTransitions": 0,
                    "acquireTime": "2026-01-02T03:04:05Z", "renewTime": "2026-01-02T05:04:05.123456+02:00",
                ]))
            #expect(created.status == 201)
            let spec = try created.json["spec"]
            #expect(spec?["acquireTime"] == "2026-01-02T03:04:05.000000Z")
            #expect(spec?["renewTime"] == "2026-01-02T03:04:05.123456Z")
            #expect(spec?["leaseDurationSeconds"] == 15)

            var updated = try created.json
            updated[path: "spec", "renewTime"] = "2026-01-02T03:04:06.5Z"
            let replaced = try await client.request(.PUT, Self.path + "/l", json: updated)
            #expect(replaced.status == 200)
            #expect(try replaced.json[path: "spec", "renewTime"] == "2026-01-02T03:04:06.500000Z")
            let read = try await client.request(.GET, Self.path + "/l")
            #expect(try read.json[path: "spec", "renewTime"] == "2026-01-02T03:04:06.500000Z")

            // The stale resourceVersion of `created`: a conflict, as leader election relies on.
            let stale = try await client.request(.PUT, Self.path + "/l", json: try created.json)
            #expect(stale.status == 409)
        }
    }

    @Test func invalidSpecsAreRefused() async throws {
        try await withTestServer { _, client in
            let badTime = try await client.request(.POST, Self.path, json: Self.lease(["renewTime": "yesterday"]))
            #expect(badTime.status == 400)
            let badDuration = try await client.request(.POST, Self.path, json: Self.lease(["leaseDurationSeconds": 0]))
            #expect(badDuration.status == 422)
            #expect(try badDuration.json["message"]?.stringValue?.contains("spec.leaseDurationSeconds") == true)
            let badTransitions = try await client.request(.POST, Self.path, json: Self.lease(["leaseTransitions": -1]))
            #expect(badTransitions.status == 422)
            let badHolder = try await client.request(.POST, Self.path, json: Self.lease(["holderIdentity": 7]))
            #expect(badHolder.status == 400)
        }
    }

    @Test func tablesShowTheHolder() async throws {
        try await withTestServer { _, client in
            _ = try await client.request(.POST, Self.path, json: Self.lease(["holderIdentity": "pod-1_abc", "leaseDurationSeconds": 15]))
            let table = try await client.request(.GET, Self.path, headers: [("Accept", APIServerTableTests.tableAccept)]).json
            #expect(table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Name", "Holder", "Age"])
            #expect(table["rows"]?[0]?["cells"]?.arrayValue?.prefix(2) == ["l", "pod-1_abc"])
        }
    }
}
