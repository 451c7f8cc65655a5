public import Roperator
public import RoperatorClient

/// What every run creates: the parent type, the parents, and the children the handler asks for.
public enum Workload {
    public static let parentType = K8sType(
        group: "bench.roperator.io", version: "v1", kind: "BenchParent", plural: "benchparents", namespaced: true)
    public static let operatorName = "reconbench"

    public static func parentName(_ index: Int) -> String {
        "parent-\(index)"
    }

    public static func parent(_ index: Int, namespace: String, children: Int) -> KubeObject {
        KubeObject([
            "apiVersion": .string(parentType.apiVersion),
            "kind": .string(parentType.kind),
            "metadata": ["name": .string(parentName(index)), "namespace": .string(namespace)],
            "spec": ["children": .int(Int64(children)), "greeting": "hello"],
        ])
    }

    /// The `index`th ConfigMap of `parent`, as the handler returns it.
    public static func child(_ index: Int, of parent: KubeObject) -> KubeObject {
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
    public static func status(children: Int) -> JSONValue {
        ["phase": "Ready", "children": .int(Int64(children))]
    }

    /// Whether `parent` carries the handler's status for its current generation.
    public static func isConverged(_ parent: KubeObject, children: Int) -> Bool {
        guard let status = parent.status, status["phase"]?.stringValue == "Ready",
            status["children"]?.intValue == Int64(children)
        else { return false }
        return status["observedGeneration"]?.intValue == parent.generation
    }

    /// The handler under test: `children` ConfigMaps and a status, no I/O of its own.
    public static func handler(children: Int) -> ClosureHandler {
        .sync { request in
            var response = SyncResponse(status: status(children: children))
            for index in 0..<children { response.add(child(index, of: request.parent)) }
            return response
        }
    }
}

/// Runs `body(0..<count)` with at most `limit` calls in flight; the first error ends the run.
public func forEachConcurrently(
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

extension Workload {
    /// The parent with `index`, read back from a child's name (`parent-<index>-<child>`).
    public static func parentIndex(ofChild name: String) -> Int? {
        let parts = name.split(separator: "-")
        guard parts.count == 3, parts[0] == "parent" else { return nil }
        return Int(parts[1])
    }

    /// A merge patch that changes the greeting every child copies: the "spec change" of the
    /// latency measurements.
    public static func greetingPatch(_ greeting: String) -> JSONValue {
        ["spec": ["greeting": .string(greeting)]]
    }

    /// Creates `namespace`.
    public static func createNamespace(_ namespace: String, _ client: KubeClient) async throws {
        _ = try await client.create(
            .namespace, KubeObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]))
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
public func waitUntil(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw BenchmarkError("timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
