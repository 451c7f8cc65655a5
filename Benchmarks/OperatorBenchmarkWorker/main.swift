import BenchmarkSupport
import Foundation
import Roperator
import RoperatorClient

// The process under test of OperatorBenchmark (see docs/benchmarks.md, "Operator benchmarks"):
// it runs one thing and nothing else, so that its CPU time and memory can be read from /proc.
//
//   --mode operator: an Operator (the public API only) giving every BenchParent C ConfigMaps and a status.
//   --mode cache:    a Watcher caching every ConfigMap of the namespace in a dictionary (the shape
//                    of kube-rs's watcher memory benchmark).
//
// Protocol (lines): prints "started"; on "start" starts and prints "ready" once synced; on "stats"
// prints "stats key=value ..."; stops at end of input.

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("OperatorBenchmarkWorker: \(message)\n".utf8))
    exit(2)
}

var settings: [String: String] = [
    "--mode": "operator", "--namespace": "bench", "--children": "3", "--concurrency": "16", "--executor": "default",
]
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    guard settings.keys.contains(flag) || flag == "--kubeconfig", let value = arguments.next() else {
        fail(
            "usage: OperatorBenchmarkWorker --kubeconfig PATH [--mode operator|cache] [--namespace NS] [--children N] [--concurrency N] [--executor default|pool|loop]"
        )
    }
    settings[flag] = value
}
guard let kubeconfig = settings["--kubeconfig"] else { fail("--kubeconfig is required") }
guard let children = Int(settings["--children"]!), let concurrency = Int(settings["--concurrency"]!) else {
    fail("--children and --concurrency take integers")
}
let namespace = settings["--namespace"]!
guard let executor = ExecutorChoice(rawValue: settings["--executor"]!) else { fail("--executor takes \(ExecutorChoice.names)") }

/// What the cache mode holds and counts.
final class ConfigMapCache: Sendable {
    let state = Lock<(objects: [String: CompactObject], seen: Set<String>?, relists: Int, synced: Bool)>(([:], nil, 0, false))

    /// Kept as Roperator's caches keep objects: compact, without `metadata.managedFields`.
    static func cached(_ object: KubeObject) -> CompactObject {
        CompactObject(object, droppingManagedFields: true)
    }

    func apply(_ event: WatcherEvent) {
        state.withLock { state in
            switch event {
            case .relisted(let objects):
                state.objects = Dictionary(objects.map { ($0.name ?? "", Self.cached($0)) }, uniquingKeysWith: { $1 })
                state.relists += 1
            case .listedPage(let objects, let first):
                if first { state.seen = [] }
                for object in objects {
                    state.seen?.insert(object.name ?? "")
                    state.objects[object.name ?? ""] = Self.cached(object)
                }
                if first { state.relists += 1 }
            case .initialListComplete:
                if let seen = state.seen { state.objects = state.objects.filter { seen.contains($0.key) } }
                state.seen = nil
                state.synced = true
            case .failed: break
            case .added(let object), .modified(let object): state.objects[object.name ?? ""] = Self.cached(object)
            case .deleted(let object): state.objects[object.name ?? ""] = nil
            }
        }
    }
}

/// Runs the worker until its input ends, its tasks placed as `executor` says.
func runWorker(kubeconfig: String, mode: String, namespace: String, children: Int, concurrency: Int, executor: ExecutorChoice) async throws
{
    // Made before "started", so that the figures taken then include the client.
    let (client, executorPreference) = try executor.makeClient(try Kubeconfig.load(path: kubeconfig).clientConfiguration())
    defer { Task { try? await client.shutdown() } }
    var commands = LineReader.lines(of: FileHandle.standardInput).makeAsyncIterator()
    say("started")
    guard await commands.next() == "start" else { exit(0) }

    switch mode {
    case "operator":
        let config = OperatorConfig(name: Workload.operatorName, parent: Workload.parentType)
            .withChild(.configMap)
            .namespace(namespace)
            .concurrency(concurrency)
        let (op, running) = try ExecutorChoice.start(
            config, handler: Workload.handler(children: children), client: client, executor: executorPreference)
        try await waitUntil("the operator is ready", timeout: .seconds(600)) { op.isReady }
        say("ready")
        while let command = await commands.next() {
            guard command == "stats" else { continue }
            let statistics = op.statistics
            say(
                "stats syncs=\(statistics.successfulSyncs) failed=\(statistics.failedSyncs) writes=\(statistics.apiWrites) conflicts=\(statistics.conflicts)"
            )
        }
        running.cancel()
        _ = await running.result
    case "cache":
        let cache = ConfigMapCache()
        let watching = Task(executorPreference: executorPreference ?? client.watchLoopExecutor) {
            // Page by page, as Roperator's informers list: the whole list is never decoded at once.
            let watcher = Watcher(
                client: client, type: .configMap, namespace: namespace, configuration: Watcher.Configuration(listsInPages: true))
            for try await event in watcher {
                cache.apply(event)
            }
        }
        try await waitUntil("the cache is synced", timeout: .seconds(600)) { cache.state.withLock { $0.synced } }
        say("ready")
        while let command = await commands.next() {
            guard command == "stats" else { continue }
            let (objects, relists) = cache.state.withLock { ($0.objects.count, $0.relists) }
            say("stats objects=\(objects) relists=\(relists)")
        }
        watching.cancel()
        _ = await watching.result
    default:
        fail("--mode must be operator or cache")
    }
}

do {
    try await runWorker(
        kubeconfig: kubeconfig, mode: settings["--mode"]!, namespace: namespace, children: children, concurrency: concurrency,
        executor: executor)
} catch {
    fail("\(error)")
}
