@testable import Roperator
import RoperatorClient
import Testing

/// A sync's children are decoded from the cache when the handler (or the Applier) reads them.
@Suite struct ObservedChildrenTests {
    private static func configMap(_ name: String, namespace: String = "default") -> CachedObject {
        CachedObject(
            KubeObject([
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": .string(name), "namespace": .string(namespace), "resourceVersion": "7"],
                "data": ["k": .string(name)],
            ]))
    }

    private static func secret(_ name: String) -> CachedObject {
        CachedObject(
            KubeObject([
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": "default"],
            ]))
    }

    @Test func nothingIsDecodedUntilRead() {
        let observed = ObservedChildren(cached: [.configMap: [Self.configMap("b"), Self.configMap("a")], .secret: [Self.secret("s")]])
        #expect(observed.decodedSoFar.isEmpty)
        let request = SyncRequest(parent: KubeObject(["metadata": ["name": "p"]]), observed: observed)
        #expect(request.parent.name == "p")
        #expect(observed.decodedSoFar.isEmpty)

        // Reading one type decodes that type only, sorted by namespace and name.
        #expect(request.children(of: .configMap).map(\.name) == ["a", "b"])
        #expect(request.children(of: .configMap)[0].json["data"]?["k"] == "a")
        #expect(Set(observed.decodedSoFar.keys) == [.configMap])
        #expect(request.children(of: .pod).isEmpty)

        // Everything, on request.
        #expect(request.allChildren.mapValues { $0.map(\.name) } == [.configMap: ["a", "b"], .secret: ["s"]])
        #expect(Set(observed.decodedSoFar.keys) == [.configMap, .secret])
    }

    @Test func sortedByNamespaceThenName() {
        let observed = ObservedChildren(cached: [
            .configMap: [Self.configMap("a", namespace: "z"), Self.configMap("b", namespace: "a"), Self.configMap("a", namespace: "a")]
        ])
        #expect(observed.children(of: .configMap).map { "\($0.namespace ?? "")/\($0.name ?? "")" } == ["a/a", "a/b", "z/a"])
    }

    @Test func decodedChildrenGivenByHandAreSortedToo() {
        let b = KubeObject(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "b"]])
        let a = KubeObject(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a"]])
        let request = SyncRequest(parent: KubeObject(["metadata": ["name": "p"]]), children: [.configMap: [b, a], .pod: []])
        #expect(request.children(of: .configMap).map(\.name) == ["a", "b"])
        #expect(request.allChildren[.pod] == [])
    }
}
