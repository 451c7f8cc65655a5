import Roperator
import RoperatorClient
import RoperatorTesting

/// The parent type of the operator tests.
let echoType = K8sType(group: "example.com", version: "v1", kind: "Echo", plural: "echoes")

struct EchoFailure: Error, CustomStringConvertible {
    var description: String { "the spec asked to fail" }
}

/// A handler that mirrors `spec.message` into a ConfigMap `<name>-echo` (or `spec.childName`) and
/// into `status.message`; `spec.fail` makes it throw, `spec.extraChildren` adds raw children.
struct EchoHandler: Handler {
    var resyncAfter: Duration?

    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let spec = request.parent.spec ?? .object([:])
        if spec["fail"]?.boolValue == true { throw EchoFailure() }
        let name = request.parent.name ?? ""
        let message = spec["message"] ?? .string("")
        var response = SyncResponse(status: .object(["message": message]), resyncAfter: resyncAfter)
        response.add(
            [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": .string(spec["childName"]?.stringValue ?? "\(name)-echo")],
                "data": ["message": message],
            ] as JSONValue)
        for extra in spec["extraChildren"]?.arrayValue ?? [] { response.add(extra) }
        return response
    }
}

func echoConfig(_ strategy: UpdateStrategy = .replace, name: String = "echo-operator") -> OperatorConfig {
    OperatorConfig(name: name, parent: echoType)
        .withChild(.configMap, ChildConfig(updateStrategy: strategy))
        .backoff(Backoff(initial: .milliseconds(50), max: .seconds(1)))
}

func echoParent(_ name: String, _ spec: JSONValue) -> JSONValue {
    ["metadata": ["name": .string(name)], "spec": spec]
}

/// A counter shared with escaping closures.
final class CallCounter: Sendable {
    private let count = Lock(0)

    /// Adds one and returns the new count.
    func next() -> Int {
        count.withLock { count in
            count += 1
            return count
        }
    }

    var value: Int { count.withLock { $0 } }
}

/// Tracks syncs in flight: per parent and in total, with the maxima seen.
final class OverlapTracker: Sendable {
    private struct State {
        var inFlight: [ParentKey: Int] = [:]
        var total = 0
        var maxPerParent = 0
        var maxTotal = 0
    }

    private let state = Lock(State())

    func enter(_ key: ParentKey) {
        state.withLock { state in
            state.inFlight[key, default: 0] += 1
            state.total += 1
            state.maxPerParent = max(state.maxPerParent, state.inFlight[key]!)
            state.maxTotal = max(state.maxTotal, state.total)
        }
    }

    func leave(_ key: ParentKey) {
        state.withLock { state in
            state.inFlight[key, default: 1] -= 1
            state.total -= 1
        }
    }

    var maxPerParent: Int { state.withLock { $0.maxPerParent } }
    var maxTotal: Int { state.withLock { $0.maxTotal } }
}

/// Records when calls happened.
final class CallTimes: Sendable {
    private let times = Lock<[ContinuousClock.Instant]>([])

    func record() { times.withLock { $0.append(.now) } }

    var all: [ContinuousClock.Instant] { times.withLock { $0 } }

    /// The gaps between consecutive calls from index `start` on.
    func gaps(from start: Int) -> [Duration] {
        let all = self.all
        guard all.count > start + 1 else { return [] }
        return (start + 1..<all.count).map { all[$0] - all[$0 - 1] }
    }
}
