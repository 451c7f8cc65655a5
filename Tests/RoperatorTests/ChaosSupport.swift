import Foundation
import Roperator
import RoperatorClient
import RoperatorTesting

/// How big and how long a chaos run is. `swift test` runs a scale that fits in under two minutes
/// on a busy 2-core machine; `ROPERATOR_SOAK=1` runs the issue's full shape for longer.
///
/// Overrides: `ROPERATOR_CHAOS_PARENTS`, `ROPERATOR_CHAOS_SECONDS` (length of the fault phase),
/// `ROPERATOR_CHAOS_SEED`.
struct ChaosScale: Sendable, CustomStringConvertible {
    var parents: Int
    var faultPhase: Duration
    var convergenceDeadline: Duration
    var seed: UInt64
    var soak: Bool
    /// How the children are updated: `replace` unless `ROPERATOR_CHAOS_STRATEGY` says
    /// `serverSideApply` or `recreate`.
    var strategy: UpdateStrategy = .replace

    static var current: ChaosScale {
        let environment = ProcessInfo.processInfo.environment
        let soak = environment["ROPERATOR_SOAK"].map { !$0.isEmpty && $0 != "0" } ?? false
        var scale =
            soak
            ? ChaosScale(parents: 1000, faultPhase: .seconds(180), convergenceDeadline: .seconds(240), seed: 0, soak: true)
            : ChaosScale(parents: 500, faultPhase: .seconds(15), convergenceDeadline: .seconds(60), seed: 0, soak: false)
        if let parents = environment["ROPERATOR_CHAOS_PARENTS"].flatMap(Int.init), parents > 0 { scale.parents = parents }
        if let seconds = environment["ROPERATOR_CHAOS_SECONDS"].flatMap(Int.init), seconds > 0 { scale.faultPhase = .seconds(seconds) }
        switch environment["ROPERATOR_CHAOS_STRATEGY"] {
        case "serverSideApply": scale.strategy = .serverSideApply
        case "recreate": scale.strategy = .recreate
        default: break
        }
        scale.seed = environment["ROPERATOR_CHAOS_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999)
        return scale
    }

    var description: String {
        "\(parents) parents, \(faultPhase) of faults, children updated by \(strategy), seed \(seed)\(soak ? " (soak)" : "")"
    }
}

/// The chaos operator's logic: three ConfigMaps per parent, named `<parent>-<spec.set>-<i>`
/// (so a new `set` replaces all three), carrying `spec.message`; `status.message` mirrors it.
/// `finalize` records the parent's UID.
final class ChaosHandler: Handler {
    static let childrenPerParent = 3
    private let finalizedUIDs = Lock<Set<String>>([])

    /// The children a parent with this name and spec must have: name → data.
    static func desiredChildren(parent name: String, spec: JSONValue?) -> [String: JSONValue] {
        let set = spec?["set"]?.stringValue ?? "a"
        let message = spec?["message"] ?? .string("")
        var children: [String: JSONValue] = [:]
        for index in 0..<childrenPerParent {
            children["\(name)-\(set)-\(index)"] = ["message": message, "index": .string(String(index))]
        }
        return children
    }

    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let name = request.parent.name ?? ""
        let spec = request.parent.spec
        var response = SyncResponse(status: ["message": spec?["message"] ?? .string("")])
        for (child, data) in Self.desiredChildren(parent: name, spec: spec).sorted(by: { $0.key < $1.key }) {
            var object = KubeObject(type: .configMap, name: child)
            object.json["data"] = data
            response.add(object)
        }
        return response
    }

    func finalize(_ request: SyncRequest) async throws -> FinalizeResponse {
        if let uid = request.parent.uid { _ = finalizedUIDs.withLock { $0.insert(uid) } }
        return .done()
    }

    var finalized: Set<String> { finalizedUIDs.withLock { $0 } }
}

/// The other client of a chaos run: creates parents, edits and deletes children, changes parent
/// specs and deletes (and re-creates) parents while the server misbehaves. Every operation that
/// fails (injected fault, paused listener) is counted and the editor moves on.
final class ChaosEditor: Sendable {
    enum Operation: String, CaseIterable, Sendable {
        case createParent = "create parent"
        case changeSpec = "change parent spec"
        case deleteParent = "delete parent"
        case editChild = "edit child"
        case deleteChild = "delete child"
    }

    private struct State {
        var random: SeededRandomNumberGenerator
        var names: [String] = []
        var nextName = 0
        var succeeded: [Operation: Int] = [:]
        var failed: [Operation: Int] = [:]
        var mustFinalize: Set<String> = []
        var specChanges = 0
    }

    let client: KubeClient
    let finalizerName: String
    private let state: Lock<State>

    init(client: KubeClient, finalizerName: String, seed: UInt64) {
        self.client = client
        self.finalizerName = finalizerName
        state = Lock(State(random: SeededRandomNumberGenerator(seed: seed)))
    }

    /// UIDs of parents deleted while they carried the operator's finalizer: `finalize` must run for each.
    var mustFinalize: Set<String> { state.withLock { $0.mustFinalize } }

    var succeeded: [Operation: Int] { state.withLock { $0.succeeded } }
    var failed: [Operation: Int] { state.withLock { $0.failed } }

    private func random<T>(_ body: (inout SeededRandomNumberGenerator) -> T) -> T {
        state.withLock { body(&$0.random) }
    }

    private func count(_ operation: Operation, _ success: Bool) {
        state.withLock { state in
            if success { state.succeeded[operation, default: 0] += 1 } else { state.failed[operation, default: 0] += 1 }
        }
    }

    /// Creates `count` parents, retrying each until the server has it.
    func createParents(_ count: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: count, by: 4) {
                        try await self.createUntilStored("p\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        state.withLock { $0.nextName = count }
    }

    private func createUntilStored(_ name: String) async throws {
        while true {
            try Task.checkCancellation()
            if await createParent(name) { return }
            try await Task.sleep(for: .milliseconds(10)) // pacing while the listener is paused
        }
    }

    /// One attempt; `true` when the parent exists afterwards.
    private func createParent(_ name: String) async -> Bool {
        var parent = KubeObject(type: echoType, namespace: "default", name: name)
        parent.spec = ["message": "m0", "set": "a"]
        do {
            _ = try await client.create(echoType, parent)
            state.withLock { $0.names.append(name) }
            count(.createParent, true)
            return true
        } catch let error as KubeAPIError where error.isAlreadyExists {
            // An earlier attempt went through though its answer was lost.
            state.withLock { state in if !state.names.contains(name) { state.names.append(name) } }
            count(.createParent, true)
            return true
        } catch {
            count(.createParent, false)
            return false
        }
    }

    /// Runs `workers` loops of random operations until `deadline`.
    func run(workers: Int, until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while ContinuousClock.now < deadline, !Task.isCancelled {
                        await self.randomOperation()
                        try? await Task.sleep(for: .milliseconds(10)) // pacing, not waiting for anything
                    }
                }
            }
        }
    }

    private func randomOperation() async {
        let roll = random { Int.random(in: 0..<100, using: &$0) }
        let names = state.withLock { $0.names }
        guard let name = random({ names.randomElement(using: &$0) }) else { return }
        switch roll {
        case 0..<30: await editChild(of: name)
        case 30..<45: await deleteChild(of: name)
        case 45..<80: await changeSpec(of: name)
        case 80..<92: await deleteParent(name)
        default:
            // Re-create a deleted name (a new UID under an old key) or add a new parent.
            let reuse = random { Bool.random(using: &$0) }
            let fresh = state.withLock { state -> String in
                defer { state.nextName += 1 }
                return "p\(state.nextName)"
            }
            _ = await createParent(reuse ? name : fresh)
        }
    }

    private func parent(_ name: String) async throws -> KubeObject {
        try await client.get(echoType, namespace: "default", name: name)
    }

    private func someChild(of name: String) async throws -> String {
        let spec = try await parent(name).spec
        let children = ChaosHandler.desiredChildren(parent: name, spec: spec).keys.sorted()
        return random { children.randomElement(using: &$0)! }
    }

    private func editChild(of name: String) async {
        do {
            let child = try await someChild(of: name)
            _ = try await client.patch(
                .configMap, namespace: "default", name: child, patch: ["data": ["message": "tampered", "extra": "x"]],
                as: .merge)
            count(.editChild, true)
        } catch {
            count(.editChild, false)
        }
    }

    private func deleteChild(of name: String) async {
        do {
            let child = try await someChild(of: name)
            try await client.delete(.configMap, namespace: "default", name: child)
            count(.deleteChild, true)
        } catch {
            count(.deleteChild, false)
        }
    }

    private func changeSpec(of name: String) async {
        let (message, flip) = random { generator in
            ("m\(Int.random(in: 1...1_000_000, using: &generator))", Bool.random(using: &generator))
        }
        do {
            let current = try await parent(name)
            var spec: JSONValue = ["message": .string(message)]
            if flip { spec["set"] = current.spec?["set"]?.stringValue == "b" ? "a" : "b" }
            _ = try await client.patch(echoType, namespace: "default", name: name, patch: ["spec": spec], as: .merge)
            count(.changeSpec, true)
        } catch {
            count(.changeSpec, false)
        }
    }

    private func deleteParent(_ name: String) async {
        do {
            let current = try await parent(name)
            let uid = current.uid ?? ""
            let lingering = try await client.delete(
                echoType, namespace: "default", name: name, options: DeleteOptions(preconditionUID: uid))
            if let lingering, lingering.finalizers.contains(finalizerName) {
                _ = state.withLock { $0.mustFinalize.insert(uid) }
            }
            count(.deleteParent, true)
        } catch {
            count(.deleteParent, false)
        }
    }
}

/// What "converged" means after a chaos run, checked against the server alone.
enum ChaosCheck {
    /// Everything that is not as it should be yet; empty when converged.
    ///
    /// - every parent is live (no deletion pending), carries the finalizer, and has
    ///   `status.message` = `spec.message` and `status.observedGeneration` = its generation;
    /// - it has exactly its desired children, with the desired data (keys others added may stay)
    ///   and its UID as owner;
    /// - no ConfigMap names a parent UID that is not live (children of deleted parents are gone),
    ///   so no stale or duplicate child remains;
    /// - `finalize` ran for every parent deleted while it carried the finalizer.
    static func problems(
        client: KubeClient, finalizerName: String, finalized: Set<String>, mustFinalize: Set<String>
    ) async throws -> [String] {
        let parents = try await client.list(echoType, namespace: "default").items
        let children = try await client.list(.configMap, namespace: "default", labelSelector: TrackingLabels.parentUID).items
        var problems: [String] = []
        var live: [String: [String: JSONValue]] = [:]
        for parent in parents {
            let name = parent.name ?? ""
            if parent.isBeingDeleted {
                problems.append("parent \(name) is still being deleted (finalizers \(parent.finalizers))")
                continue
            }
            guard let uid = parent.uid else { continue }
            if !parent.finalizers.contains(finalizerName) { problems.append("parent \(name) has no finalizer") }
            let status = parent.status ?? .object([:])
            if status["observedGeneration"]?.intValue != parent.generation {
                problems.append(
                    "parent \(name): observedGeneration \(status["observedGeneration"]?.serialized() ?? "none") ≠ generation \(parent.generation ?? -1)"
                )
            }
            if status["message"] != parent.spec?["message"] {
                problems.append(
                    "parent \(name): status.message \(status["message"]?.serialized() ?? "none") ≠ spec.message \(parent.spec?["message"]?.serialized() ?? "none")"
                )
            }
            live[uid] = ChaosHandler.desiredChildren(parent: name, spec: parent.spec)
        }
        var seen: Set<String> = []
        for child in children {
            let name = child.name ?? ""
            let owner = child.labels[TrackingLabels.parentUID] ?? ""
            guard let desired = live[owner] else {
                problems.append("ConfigMap \(name) belongs to parent UID \(owner), which is not live")
                continue
            }
            guard let data = desired[name] else {
                problems.append("ConfigMap \(name) is not a desired child of its parent (stale)")
                continue
            }
            if !seen.insert(name).inserted { problems.append("ConfigMap \(name) listed twice") }
            // The desired data must be there; a key another writer added may stay (the operator
            // owns the fields it sets, as with any replace or apply).
            if !data.isSubset(of: child.json["data"] ?? .object([:])) {
                problems.append("ConfigMap \(name): data \(child.json["data"]?.serialized() ?? "none") lacks \(data.serialized())")
            }
            if child.controllerReference?.uid != owner { problems.append("ConfigMap \(name): controller reference is not its parent") }
        }
        let expected = live.values.reduce(0) { $0 + $1.count }
        if children.count != expected {
            problems.append("\(children.count) tracked ConfigMaps, \(expected) desired")
        }
        for (_, desired) in live {
            for name in desired.keys where !seen.contains(name) { problems.append("ConfigMap \(name) is missing") }
        }
        for uid in mustFinalize.subtracting(finalized) {
            problems.append("finalize never completed for deleted parent UID \(uid)")
        }
        return problems
    }
}
