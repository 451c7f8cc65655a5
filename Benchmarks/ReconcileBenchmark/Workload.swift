import Roperator
import RoperatorClient

/// What every run creates: the parent type, the parents, and the children the handler asks for.
enum Workload {
    static let parentType = K8sType(group: "bench.roperator.io", version: "v1", kind: "BenchParent", plural: "benchparents", namespaced: true)
    static let operatorName = "reconbench"

    static func parentName(_ index: Int) -> String {
        "parent-\(index)"
    }

    static func parent(_ index: Int, namespace: String, children: Int) -> KubeObject {
        KubeObject([
            "apiVersion": .string(parentType.apiVersion),
            "kind": .string(parentType.kind),
            "metadata": ["name": .string(parentName(index)), "namespace": .string(namespace)],
            "spec": ["children": .int(Int64(children)), "greeting": "hello"],
        ])
    }

    /// The `index`th ConfigMap of `parent`, as the handler returns it.
    static func child(_ index: Int, of parent: KubeObject) -> KubeObject {
        let parentName = parent.name ?? ""
        return KubeObject([
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": ["name": .string("\(parentName)-\(index)"), "namespace": .string(parent.namespace ?? "")],
            "data": [
                "parent": .string(parentName),
                "index": .string(String(index)),
                "greeting": parent.spec?["greeting"] ?? "",
            ],
        ])
    }

    /// The status the handler returns.
    static func status(children: Int) -> JSONValue {
        ["phase": "Ready", "children": .int(Int64(children))]
    }

    /// Whether `parent` carries the handler's status for its current generation.
    static func isConverged(_ parent: KubeObject, children: Int) -> Bool {
        guard let status = parent.status, status["phase"]?.stringValue == "Ready",
            status["children"]?.intValue == Int64(children)
        else { return false }
        return status["observedGeneration"]?.intValue == parent.generation
    }

    /// The handler under test: `children` ConfigMaps and a status, no I/O of its own.
    static func handler(children: Int) -> ClosureHandler {
        .sync { request in
            var response = SyncResponse(status: status(children: children))
            for index in 0..<children { response.add(child(index, of: request.parent)) }
            return response
        }
    }
}

/// Runs `body(0..<count)` with at most `limit` calls in flight; the first error ends the run.
func forEachConcurrently(
    _ count: Int, limit: Int, _ body: @escaping @Sendable (Int) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        while next < min(limit, count) {
            let index = next
            group.addTask { try await body(index) }
            next += 1
        }
        while try await group.next() != nil {
            if next < count {
                let index = next
                group.addTask { try await body(index) }
                next += 1
            }
        }
    }
}
