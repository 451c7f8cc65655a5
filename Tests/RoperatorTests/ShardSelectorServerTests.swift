@testable import Roperator
import RoperatorAPIServer
import RoperatorClient
import RoperatorTesting
import Testing

/// KEP-5866's `shardSelector` in the embedded API server, through the client over loopback HTTP.
@Suite("Sharding: server-side shard selector")
struct ShardSelectorServerTests {
    @Test("Lists and watches with the members' selectors partition the objects; a bad selector is a 400")
    func partition() async throws {
        try await LeaseTestFixture.with { fixture in
            let client = fixture.client
            for index in 0..<120 {
                _ = try await client.create(.configMap, KubeObject(type: .configMap, namespace: "default", name: "cm-\(index)"))
            }
            let ring = HashRing(members: ["a", "b", "c"], virtualNodes: 16)
            var seen: [String: String] = [:]
            for member in ring.members {
                let selector = ring.selector(of: member).expression
                let list = try await client.list(.configMap, namespace: "default", pageSize: 7, shardSelector: selector)
                for object in list.items {
                    let uid = try #require(object.uid)
                    #expect(seen[uid] == nil, "\(uid) listed twice")
                    seen[uid] = member
                    #expect(ring.owner(ofUID: uid) == member)
                }
            }
            #expect(seen.count == 120)

            // A watch from "now" gets only the new objects of its share.
            let list = try await client.list(.configMap, namespace: "default")
            let selector = ring.selector(of: "a")
            let events = try await client.watch(
                .configMap, namespace: "default", resourceVersion: list.resourceVersion, allowBookmarks: false,
                timeoutSeconds: 30, shardSelector: selector.expression)
            var created: [String: Bool] = [:]
            for index in 0..<30 {
                let object = try await client.create(.configMap, KubeObject(type: .configMap, namespace: "default", name: "new-\(index)"))
                created[try #require(object.uid)] = selector.matches(uid: object.uid!, namespace: "default")
            }
            let expected = created.values.count(where: { $0 })
            try #require(expected > 0)
            var received = 0
            for try await event in events {
                guard case .added(let object) = event else { continue }
                #expect(created[object.uid ?? ""] == true, "an object of another share arrived")
                received += 1
                if received == expected { break }
            }
            #expect(received == expected)

            await #expect(throws: KubeAPIError.self) {
                _ = try await client.list(.configMap, shardSelector: "shardRange(object.metadata.name, '0x0', '0x1')")
            }
        }
    }
}
