// A sharded operator replica for the multi-process sharding tests.
//
// `shard-replica --server URL --identity NAME --log FILE [--lease-duration S] [--renew-deadline S]
//  [--retry-period S] [--selection server|client] [--sync-time MS]`
//
// Parents are ConfigMaps labelled `shard-test=parent` in `default`; each gets one Secret child
// `<parent>-copy` whose `data.value` is the parent's `data.value`. Every sync appends one line to
// the log: `<parent uid> <start ns> <end ns> <identity>` (wall clock, CLOCK_REALTIME), so a test can
// merge the logs of all replicas and look for two syncs of one parent at the same time.
import Foundation
import Logging
import Roperator
import RoperatorClient
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func seconds(_ name: String, _ fallback: Double) -> Duration {
    .milliseconds(Int((Double(argument(name) ?? "") ?? fallback) * 1000))
}

func wallNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}

/// Appends whole lines with one `write` each (O_APPEND), so a killed process leaves whole lines.
final class SyncLog: Sendable {
    let descriptor: Int32
    init(path: String) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    }
    func record(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
    }
}

guard let server = argument("--server"), let identity = argument("--identity"), let logPath = argument("--log") else {
    FileHandle.standardError.write(Data("usage: shard-replica --server URL --identity NAME --log FILE\n".utf8))
    exit(2)
}
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .info
    return handler
}
let logger = Logger(label: "shard-replica")
let log = SyncLog(path: logPath)
let syncTime = Duration.milliseconds(Int(argument("--sync-time") ?? "") ?? 10)
let sharding = ShardingConfig(
    leaseNamespace: "default", leaseDuration: seconds("--lease-duration", 3), renewDeadline: seconds("--renew-deadline", 2),
    retryPeriod: seconds("--retry-period", 0.25), identity: identity,
    selection: argument("--selection") == "client" ? .client : .server)
let config = OperatorConfig(name: "shard-test", parent: .configMap)
    .namespace("default")
    .parentSelector("shard-test=parent")
    .withChild(.secret)
    .metricsPort(Int(argument("--metrics-port") ?? ""))
    .sharding(sharding)

let handler = ClosureHandler.sync { request in
    let start = wallNanoseconds()
    try await Task.sleep(for: syncTime)
    let parent = request.parent
    let value = parent.json[path: "data", "value"]?.stringValue ?? ""
    var child = KubeObject(type: .secret, namespace: parent.namespace, name: "\(parent.name ?? "")-copy")
    child.json["data"] = ["value": .string(Data(value.utf8).base64EncodedString())]
    log.record("\(parent.uid ?? "") \(start) \(wallNanoseconds()) \(identity)")
    return SyncResponse(children: [child])
}

do {
    var options = KubeClient.Options()
    options.fieldManager = "shard-test"
    let client = try KubeClient(configuration: ClientConfiguration(server: server), options: options, logger: logger)
    let member = try Operator(config: config, handler: handler, client: client, logger: logger)
    let group = ServiceGroup(services: [member], gracefulShutdownSignals: [.sigterm], logger: logger)
    do {
        try await group.run()
    } catch {
        logger.error("shard-replica stopped: \(error)")
        try? await client.shutdown()
        exit(1)
    }
    try await client.shutdown()
    logger.info("shard-replica stopped gracefully")
} catch {
    logger.error("shard-replica failed: \(error)")
    exit(1)
}
