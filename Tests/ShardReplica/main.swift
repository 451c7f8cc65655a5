// A sharded operator replica for the multi-process sharding tests.
//
// `shard-replica --server URL --identity NAME --log FILE [--lease-duration S] [--renew-deadline S]
//  [--retry-period S] [--selection server|client] [--sync-time MS] [--status FILE] [--metrics-port P]`
//
// With `--status`, it rewrites FILE (JSON) twice a second: identity, ring version, members,
// settled, cached and owned parents, syncs so far, resident memory (KiB) and the health port.
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
    let count = Lock(0)
    init(path: String) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    }
    func record(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
        count.withLock { $0 += 1 }
    }
}

/// Resident memory in KiB (`VmRSS` of /proc/self/status); 0 where there is none.
func residentKiB() -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = text.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

/// Writes the replica's status to `path` (through a temporary file and a rename).
func writeStatus(_ member: Operator, identity: String, syncs: Int, to path: String) {
    let status = member.shardStatus
    let object: [String: Any] = [
        "identity": identity, "ringVersion": status?.ringVersion ?? "", "members": status?.members ?? [],
        "settled": status?.settled ?? false, "cachedParents": status?.cachedParents ?? 0,
        "ownedParents": status?.ownedParents ?? 0, "syncs": syncs, "rssKiB": residentKiB(),
        "healthPort": member.healthPort ?? 0,
    ]
    guard let data = try? JSONSerialization.data(withJSONObject: object) else { return }
    let temporary = path + ".tmp"
    if FileManager.default.createFile(atPath: temporary, contents: data) { _ = rename(temporary, path) }
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
    let reporter = Task {
        guard let path = argument("--status") else { return }
        while !Task.isCancelled {
            writeStatus(member, identity: identity, syncs: log.count.withLock { $0 }, to: path)
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
    defer { reporter.cancel() }
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
