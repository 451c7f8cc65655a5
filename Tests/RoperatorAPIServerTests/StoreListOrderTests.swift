import RoperatorClient
import Testing

@testable import RoperatorAPIServer

/// The store's own key (non-optional namespace), not the client's `ObjectKey`.
private typealias ObjectKey = RoperatorAPIServer.ObjectKey

@Suite("Store: list order index")
struct StoreListOrderTests {
    private static let namespaces = ["", "default", "kube-system", "team-a", "team-b"]

    private static func randomKey(_ rng: inout SeededRandomNumberGenerator) -> ObjectKey {
        ObjectKey(
            storeNamespace: namespaces[Int.random(in: 0..<namespaces.count, using: &rng)],
            name: "obj-\(Int.random(in: 0..<4000, using: &rng))")
    }

    /// Checks every query of the index against the same question asked of a plain sorted array.
    private static func expectMatches(_ index: ObjectKeyIndex, _ reference: Set<ObjectKey>, probes: [ObjectKey]) {
        let sorted = reference.sorted()
        #expect(Array(index) == sorted)
        #expect(index.count == sorted.count)
        for probe in probes {
            let lower = index.lowerBound(probe)
            let upper = index.upperBound(probe)
            #expect(index.rank(of: lower) == sorted.count { $0 < probe }, "lowerBound \(probe)")
            #expect(index.rank(of: upper) == sorted.count { !(probe < $0) }, "upperBound \(probe)")
            #expect(Array(index[upper...]) == sorted.filter { probe < $0 })
        }
        for namespace in namespaces {
            #expect(Array(index[index.range(inNamespace: namespace)]) == sorted.filter { $0.storeNamespace == namespace })
        }
    }

    @Test func indexAgreesWithSortingThroughInsertsAndDeletes() {
        var rng = SeededRandomNumberGenerator(seed: 42)
        var index = ObjectKeyIndex()
        var reference: Set<ObjectKey> = []
        let probes = (0..<40).map { _ in Self.randomKey(&rng) }
        Self.expectMatches(index, reference, probes: probes)
        // Enough inserts to split chunks many times over.
        for _ in 0..<6000 {
            let key = Self.randomKey(&rng)
            #expect(index.insert(key) == reference.insert(key).inserted)
        }
        #expect(reference.count > 4 * ObjectKeyIndex.maxChunk)
        Self.expectMatches(index, reference, probes: probes + Array(reference.prefix(40)))
        // Churn, then delete most keys so chunks shrink, merge and disappear.
        for step in 0..<20_000 {
            let key = Self.randomKey(&rng)
            if step % 3 == 0 {
                #expect(index.insert(key) == reference.insert(key).inserted)
            } else {
                #expect(index.remove(key) == (reference.remove(key) != nil))
            }
        }
        Self.expectMatches(index, reference, probes: probes + Array(reference.prefix(40)))
        for key in reference.sorted() where key.name.hasSuffix("7") == false {
            let removed = index.remove(key)
            #expect(removed)
            reference.remove(key)
        }
        Self.expectMatches(index, reference, probes: probes)
        for key in reference { index.remove(key) }
        #expect(index.isEmpty)
        #expect(index.startIndex == index.endIndex)
        #expect(index.lowerBound(probes[0]) == index.endIndex)
    }

    /// The page the list should return: the first `limit` keys after the cursor, in key order.
    private static func expectedPage(
        _ keys: Set<ObjectKey>, namespace: String?, after: ObjectKey?, limit: Int
    ) -> (page: [ObjectKey], remaining: Int) {
        let rest = keys.filter { key in (namespace == nil || key.storeNamespace == namespace) && (after.map { $0 < key } ?? true) }
            .sorted()
        return (Array(rest.prefix(limit)), max(0, rest.count - limit))
    }

    private static func keys(of list: JSONValue) -> [ObjectKey] {
        (list["items"]?.arrayValue ?? []).map {
            ObjectKey(
                storeNamespace: $0[path: "metadata", "namespace"]?.stringValue ?? "",
                name: $0[path: "metadata", "name"]?.stringValue ?? "")
        }
    }

    @Test(arguments: [nil, "default"] as [String?])
    func paginationWithWritesBetweenPages(namespace: String?) throws {
        let f = StoreFixture()
        try f.createNamespace("other")
        var rng = SeededRandomNumberGenerator(seed: 7)
        var existing: Set<ObjectKey> = []
        var next = 0
        func create() throws {
            let ns = Int.random(in: 0..<3, using: &rng) == 0 ? "other" : "default"
            // Unpadded numbers: creation order is not name order, so inserts land mid-index.
            let name = "cm-\(Int.random(in: 0..<100_000, using: &rng))-\(next)"
            next += 1
            try f.createConfigMap(name, namespace: ns)
            existing.insert(ObjectKey(storeNamespace: ns, name: name))
        }
        for _ in 0..<1200 { try create() }
        let limit = 100
        var token: String?
        var after: ObjectKey?
        var seen: [ObjectKey] = []
        var listRV: String?
        var pages = 0
        // Continued pages show the objects as they were at the first page's version.
        var snapshot: Set<ObjectKey>?
        repeat {
            let list = try f.store.list(f.configMaps, namespace: namespace, options: ListOptions(limit: limit, continueToken: token))
            let expected = Self.expectedPage(snapshot ?? existing, namespace: namespace, after: after, limit: limit)
            if snapshot == nil { snapshot = existing }
            let page = Self.keys(of: list)
            #expect(page == expected.page)
            if let listRV {
                #expect(list[path: "metadata", "resourceVersion"]?.stringValue == listRV, "a continued list keeps its resourceVersion")
            }
            listRV = list[path: "metadata", "resourceVersion"]?.stringValue
            token = list[path: "metadata", "continue"]?.stringValue
            #expect((token != nil) == (expected.remaining > 0))
            if expected.remaining > 0 {
                #expect(list[path: "metadata", "remainingItemCount"]?.intValue == Int64(expected.remaining))
            }
            seen += page
            after = page.last
            pages += 1
            // Writes between pages: creates on both sides of the cursor and deletes of seen and unseen keys.
            for _ in 0..<30 { try create() }
            for key in existing.shuffled(using: &rng).prefix(20) {
                try f.store.delete(f.configMaps, namespace: key.storeNamespace, name: key.name)
                existing.remove(key)
            }
        } while token != nil && pages < 100
        #expect(token == nil)
        #expect(pages > 5)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 }, "pages continue in key order")
    }

    @Test func selectorPagesSkipNonMatchingObjects() throws {
        let f = StoreFixture()
        for i in 0..<700 {
            try f.createConfigMap("cm-\(i)", labels: ["even": i % 2 == 0 ? "yes" : "no"])
        }
        var token: String?
        var names: [String] = []
        repeat {
            let list = try f.store.list(
                f.configMaps, namespace: "default", options: ListOptions(labelSelector: "even=yes", limit: 64, continueToken: token))
            #expect(list[path: "metadata", "remainingItemCount"] == nil, "no count is given under a selector")
            names += Self.keys(of: list).map(\.name)
            token = list[path: "metadata", "continue"]?.stringValue
        } while token != nil
        #expect(names == (0..<700).filter { $0 % 2 == 0 }.map { "cm-\($0)" }.sorted())
    }

    @Test func watchFromStartListsOneNamespaceInKeyOrder() async throws {
        let f = StoreFixture()
        try f.createNamespace("other")
        for i in 0..<600 {
            try f.createConfigMap("cm-\(i)", namespace: i % 3 == 0 ? "other" : "default")
        }
        let events = await try f.store.watch(f.configMaps, namespace: "default").drain()
        #expect(events.allSatisfy { $0.type == .added })
        #expect(events.map { $0.object.name ?? "" } == (0..<600).filter { $0 % 3 != 0 }.map { "cm-\($0)" }.sorted())
        let all = await try f.store.watch(f.configMaps, namespace: nil).drain()
        #expect(
            all.map { "\($0.object[path: "metadata", "namespace"]?.stringValue ?? "")/\($0.object.name ?? "")" }
                == (0..<600).map { "\($0 % 3 == 0 ? "other" : "default")/cm-\($0)" }.sorted())
    }
}
