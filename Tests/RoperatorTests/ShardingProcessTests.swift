@testable import Roperator
import Foundation
import RoperatorClient
import Testing

/// Sharding between real processes: one `roperator-apiserver` and `shard-replica` processes that
/// share the parents (ConfigMaps) and record every sync (`<uid> <start ns> <end ns> <identity>`).
/// Members join, stop gracefully, are SIGKILLed and SIGSTOPped past their Lease; every parent
/// keeps converging, ends with the owner the ring names, and no parent is synced by two
/// replicas at once.
///
/// Needs the executables next to the test bundle: `swift build --build-tests` builds them.
/// `SHARD_TEST_PARENTS` changes the number of parents (default 1,000).
@Suite("Sharding between processes", .serialized)
struct ShardingProcessTests {
    typealias Children = LeaderFailoverProcessTests.Children

    static let parentCount = Int(ProcessInfo.processInfo.environment["SHARD_TEST_PARENTS"] ?? "") ?? 1000
    static let operatorName = "shard-test"
    /// Generous for a loaded 2-core machine: a replica that misses its renew deadline exits.
    static let timing = ["--lease-duration", "8", "--renew-deadline", "6", "--retry-period", "0.3"]
    /// The replicas and the server run at a lower priority (`nice -n 5`), so that the rest of the
    /// suite, running alongside, is not starved by this test's thousands of syncs.
    static let nice = ["/usr/bin/nice", "-n", "5"]

    /// One sync as a replica recorded it.
    struct Sync: Hashable {
        var uid: String
        var start: Int64
        var end: Int64
        var identity: String
    }

    /// The running test's processes, client and parents.
    final class Cluster {
        let children: Children
        let client: KubeClient
        let apiserverIndex: Int
        var replicas: [String: Int] = [:]
        var uids: [String: String] = [:] // parent name → uid

        init(children: Children, client: KubeClient, apiserverIndex: Int) {
            self.children = children
            self.client = client
            self.apiserverIndex = apiserverIndex
        }

        var logDirectory: URL { children.directory }

        func start(_ identity: String, extra: [String] = []) async throws {
            let replica = try #require(LeaderFailoverProcessTests.executable("shard-replica"), "build first: swift build --build-tests")
            let url = client.configuration.server
            replicas[identity] = try await children.start(
                ShardingProcessTests.nice[0],
                Array(ShardingProcessTests.nice.dropFirst()) + [replica] + [
                    "--server", url, "--identity", identity, "--log", logDirectory.appendingPathComponent("\(identity).log").path,
                    "--status", logDirectory.appendingPathComponent("\(identity).json").path, "--metrics-port", "0",
                ]
                    + ShardingProcessTests.timing + extra)
        }

        /// The status `identity` last wrote (see Tests/ShardReplica).
        func status(_ identity: String) -> [String: Any]? {
            let path = logDirectory.appendingPathComponent("\(identity).json")
            guard let data = try? Data(contentsOf: path) else { return nil }
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        }

        /// Waits until each of `members` reports itself settled on the ring over `members` with
        /// exactly its share of the parents in its cache (server-side selection), and its
        /// `/readyz` answers 200.
        func expectCachesHoldShares(_ members: [String]) async throws {
            let ring = HashRing(members: members)
            for member in members {
                let share = uids.values.count(where: { ring.owner(ofUID: $0) == member })
                var last = ""
                try await LeaderFailoverProcessTests.eventually(
                    "\(member) caches exactly its \(share) parents", timeout: .seconds(30), diagnostics: { last }
                ) {
                    guard let status = status(member) else { return false }
                    last = "\(status)"
                    return status["settled"] as? Bool == true && status["ringVersion"] as? String == ring.version
                        && status["cachedParents"] as? Int == share && status["ownedParents"] as? Int == share
                }
                let port = try #require(status(member)?["healthPort"] as? Int)
                let ready = try await HTTPProbe.get("/readyz?verbose", port: port)
                #expect(ready.status == 200, "\(ready.body)")
                #expect(ready.body.contains("[+]sharding ok"), "\(ready.body)")
                let metrics = try await HTTPProbe.get("/metrics", port: port)
                #expect(metrics.body.contains("roperator_shard_members{operator=\"shard-test\"} \(members.count)"))
                #expect(metrics.body.contains("roperator_shard_cached_parents{operator=\"shard-test\"} \(share)"))
            }
        }

        func describe() -> String {
            replicas.sorted { $0.key < $1.key }.map { identity, index in
                "\(identity):\n\(children.output(index).stderr.split(separator: "\n").suffix(15).joined(separator: "\n"))"
            }.joined(separator: "\n")
        }

        /// Every sync recorded so far by every replica.
        func syncs() -> [Sync] {
            replicas.keys.flatMap { identity -> [Sync] in
                let path = logDirectory.appendingPathComponent("\(identity).log")
                let text = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
                return text.split(separator: "\n").compactMap { line in
                    let parts = line.split(separator: " ")
                    guard parts.count == 4, let start = Int64(parts[1]), let end = Int64(parts[2]) else { return nil }
                    return Sync(uid: String(parts[0]), start: start, end: end, identity: String(parts[3]))
                }
            }
        }

        /// Waits until the Leases of exactly `members` (live ones) record the ring over `members`.
        func waitUntilSettled(_ members: [String], timeout: Duration = .seconds(60)) async throws {
            let version = HashRing(members: members).version
            try await LeaderFailoverProcessTests.eventually(
                "the members \(members) follow one ring", timeout: timeout, diagnostics: describe
            ) {
                guard
                    let leases = try? await client.list(
                        .lease, namespace: "default", labelSelector: "\(ShardingConfig.memberLabel)=\(ShardingProcessTests.operatorName)")
                else { return false }
                let recorded = Dictionary(
                    leases.items.compactMap { lease -> (String, String)? in
                        guard let holder = lease.json[path: "spec", "holderIdentity"]?.stringValue, !holder.isEmpty else { return nil }
                        return (holder, lease.annotations[ShardingConfig.ringAnnotation] ?? "")
                    }, uniquingKeysWith: { a, _ in a })
                return members.allSatisfy { recorded[$0] == version }
            }
        }

        /// Waits until `identity` has logged no sync for a second (it is idle).
        func waitUntilQuiet(_ identity: String, timeout: Duration = .seconds(60)) async throws {
            let path = logDirectory.appendingPathComponent("\(identity).log").path
            func size() -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }
            var last = size()
            var since = ContinuousClock.now
            try await LeaderFailoverProcessTests.eventually("\(identity) is idle", timeout: timeout) {
                let now = size()
                if now != last {
                    last = now
                    since = .now
                }
                return ContinuousClock.now - since > .seconds(1)
            }
        }

        /// Sets every parent's `data.value`, 16 requests at a time.
        func setAll(_ value: String) async throws {
            let names = Array(uids.keys)
            let client = self.client
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (offset, name) in names.enumerated() {
                    if offset >= 16 { try await group.next() }
                    group.addTask {
                        _ = try await ShardingProcessTests.retrying {
                            try await client.patch(
                                .configMap, namespace: "default", name: name, patch: ["data": ["value": .string(value)]],
                                as: .merge)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        /// Waits until every parent's child Secret carries `value`.
        func waitUntilConverged(_ value: String, timeout: Duration = .seconds(120)) async throws {
            let encoded = Data(value.utf8).base64EncodedString()
            var missing = 0
            try await LeaderFailoverProcessTests.eventually(
                "every parent converges to \(value)", timeout: timeout,
                diagnostics: { "\(missing) parents not converged\n\(self.describe())" }
            ) {
                guard let secrets = try? await client.list(.secret, namespace: "default") else { return false }
                let done = Set(
                    secrets.items.compactMap { secret -> String? in
                        secret.json[path: "data", "value"]?.stringValue == encoded ? secret.name : nil
                    })
                missing = uids.keys.count(where: { !done.contains("\($0)-copy") })
                return missing == 0
            }
        }

        /// Checks that the last sync of every parent was by the owner the ring over `members` names.
        func expectLastSyncsByOwners(_ members: [String], _ phase: String) {
            let ring = HashRing(members: members)
            var last: [String: Sync] = [:]
            for sync in syncs() where last[sync.uid].map({ $0.end < sync.end }) ?? true { last[sync.uid] = sync }
            var wrong = 0
            for uid in uids.values {
                guard let sync = last[uid] else {
                    wrong += 1
                    continue
                }
                if sync.identity != ring.owner(ofUID: uid) { wrong += 1 }
            }
            #expect(wrong == 0, "\(phase): \(wrong) parents last synced by a replica the ring does not name")
        }
    }

    /// Runs `body` until it succeeds (10 attempts): the fault tests fail 5 % of all requests.
    static func retrying<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let error as KubeAPIError where attempt < 10 && !error.isNotFound {
                attempt += 1
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test("The overlap check finds syncs of one parent that overlap, and only those")
    func overlapCheck() {
        let syncs = [
            Sync(uid: "p", start: 0, end: 10, identity: "a"), Sync(uid: "p", start: 10, end: 20, identity: "b"),
            Sync(uid: "q", start: 0, end: 30, identity: "a"), Sync(uid: "q", start: 5, end: 6, identity: "a"),
            Sync(uid: "q", start: 29, end: 40, identity: "b"), Sync(uid: "r", start: 0, end: 5, identity: "a"),
        ]
        let found = Self.overlaps(syncs)
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.0.uid == "q" })
    }

    /// Pairs of syncs of one parent that overlap in time, across all replicas.
    static func overlaps(_ syncs: [Sync]) -> [(Sync, Sync)] {
        var found: [(Sync, Sync)] = []
        for (_, list) in Dictionary(grouping: syncs, by: \.uid) {
            let sorted = list.sorted { $0.start < $1.start }
            var latest: Sync?
            for sync in sorted {
                if let previous = latest, sync.start < previous.end { found.append((previous, sync)) }
                if latest.map({ sync.end > $0.end }) ?? true { latest = sync }
            }
        }
        return found
    }

    static func startCluster(_ children: Children, apiserverArguments: [String] = []) async throws -> Cluster {
        let apiserver = try #require(LeaderFailoverProcessTests.executable("roperator-apiserver"), "build first: swift build --build-tests")
        let kubeconfig = children.directory.appendingPathComponent("kubeconfig").path
        let server = try await children.start(
            nice[0], Array(nice.dropFirst()) + [apiserver, "--port", "0", "--kubeconfig", kubeconfig] + apiserverArguments)
        var url: String?
        try await LeaderFailoverProcessTests.eventually("roperator-apiserver prints its address", timeout: .seconds(30)) {
            guard children.isRunning(server) else {
                Issue.record("roperator-apiserver exited: \(children.output(server).stderr)")
                throw CancellationError()
            }
            let prefix = "roperator-apiserver listening on "
            url = children.output(server).stdout.split(separator: "\n").first { $0.hasPrefix(prefix) }
                .map { String($0.dropFirst(prefix.count)) }
            return url != nil
        }
        let client = try KubeClient(configuration: ClientConfiguration(server: try #require(url)))
        return Cluster(children: children, client: client, apiserverIndex: server)
    }

    static func createParents(_ cluster: Cluster, value: String, count: Int = parentCount) async throws {
        let client = cluster.client
        let created = try await withThrowingTaskGroup(of: (String, String).self) { group in
            var created: [(String, String)] = []
            for index in 0..<count {
                if index >= 16 { created.append(try await group.next()!) }
                group.addTask {
                    var parent = KubeObject(type: .configMap, namespace: "default", name: "parent-\(index)")
                    parent.labels["shard-test"] = "parent"
                    parent.json["data"] = ["value": .string(value)]
                    let stored = try await retrying { try await client.create(.configMap, parent) }
                    return (stored.name ?? "", stored.uid ?? "")
                }
            }
            for try await pair in group { created.append(pair) }
            return created
        }
        cluster.uids = Dictionary(uniqueKeysWithValues: created)
    }

    @Test(
        "3 replicas share the parents; a join, a graceful stop, a SIGKILL and a SIGSTOP past the Lease hand over without two syncs at once")
    func membershipChanges() async throws {
        let children = try Children()
        defer { children.stopAll() }
        let cluster = try await Self.startCluster(children)
        do {
            try await Self.run(cluster)
        } catch {
            try? await cluster.client.shutdown()
            throw error
        }
        try await cluster.client.shutdown()
    }

    static func run(_ cluster: Cluster) async throws {
        try await createParents(cluster, value: "v0")
        for identity in ["replica-a", "replica-b", "replica-c"] { try await cluster.start(identity) }

        // Three members: each owns between 25 % and 42 % of the parents.
        var members = ["replica-a", "replica-b", "replica-c"]
        try await cluster.waitUntilSettled(members)
        try await cluster.waitUntilConverged("v0")
        let ring = HashRing(members: members)
        for member in members {
            let share = Double(cluster.uids.values.count(where: { ring.owner(ofUID: $0) == member })) / Double(parentCount)
            #expect(share >= 0.25 && share <= 0.42, "\(member) owns \(share)")
        }
        // Parents changed once the ring settled are synced by their owners only.
        try await cluster.setAll("v0b")
        try await cluster.waitUntilConverged("v0b")
        cluster.expectLastSyncsByOwners(members, "three replicas")
        try await cluster.expectCachesHoldShares(members)

        // A replica joins while the parents change: parents move only to it.
        try await cluster.setAll("v1")
        try await cluster.start("replica-d")
        try await cluster.waitUntilSettled(members + ["replica-d"])
        try await cluster.waitUntilConverged("v1")
        let four = HashRing(members: members + ["replica-d"])
        #expect(cluster.uids.values.allSatisfy { ring.owner(ofUID: $0) == four.owner(ofUID: $0) || four.owner(ofUID: $0) == "replica-d" })
        members.append("replica-d")
        try await cluster.setAll("v2")
        try await cluster.waitUntilConverged("v2")
        cluster.expectLastSyncsByOwners(members, "after the join")

        // A graceful stop: exits 0 after releasing its Lease; its parents go to the others.
        try await cluster.setAll("v3")
        cluster.children.signal(cluster.replicas["replica-b"]!, SIGTERM)
        #expect(try await cluster.children.waitForExit(cluster.replicas["replica-b"]!, timeout: .seconds(30)) == 0, "\(cluster.describe())")
        members.removeAll { $0 == "replica-b" }
        try await cluster.waitUntilSettled(members)
        try await cluster.waitUntilConverged("v3")
        try await cluster.setAll("v4")
        try await cluster.waitUntilConverged("v4")
        cluster.expectLastSyncsByOwners(members, "after the graceful stop")
        try await cluster.expectCachesHoldShares(members)

        // SIGKILL: no release; its share moves once its Lease expired.
        cluster.children.signal(cluster.replicas["replica-c"]!, SIGKILL)
        try await cluster.setAll("v5")
        members.removeAll { $0 == "replica-c" }
        try await cluster.waitUntilSettled(members)
        try await cluster.waitUntilConverged("v5")
        try await cluster.setAll("v6")
        try await cluster.waitUntilConverged("v6")
        cluster.expectLastSyncsByOwners(members, "after the SIGKILL")

        // SIGSTOP past the Lease: the frozen replica's share moves; when it wakes it must not sync
        // (its renew deadline passed) and it exits as a member that lost its Lease.
        // Frozen between syncs: a sync frozen half-way is not fenced (docs/sharding.md).
        try await cluster.waitUntilQuiet("replica-d")
        let frozen = cluster.replicas["replica-d"]!
        cluster.children.signal(frozen, SIGSTOP)
        try await cluster.setAll("v7")
        members.removeAll { $0 == "replica-d" }
        try await cluster.waitUntilSettled(members)
        try await cluster.waitUntilConverged("v7")
        cluster.children.signal(frozen, SIGCONT)
        let status = try await cluster.children.waitForExit(frozen, timeout: .seconds(30))
        #expect(status != nil && status != 0, "the frozen replica exits after losing its Lease\n\(cluster.describe())")
        try await cluster.setAll("v8")
        try await cluster.waitUntilConverged("v8")
        cluster.expectLastSyncsByOwners(members, "after the SIGSTOP")

        let syncs = cluster.syncs()
        let overlapping = overlaps(syncs)
        #expect(overlapping.isEmpty, "\(overlapping.count) overlapping syncs, e.g. \(overlapping.prefix(3))")
        #expect(syncs.count >= parentCount * 10, "every parent synced at least once per value: \(syncs.count) syncs")
    }

    @Test("With 5 % of requests failing and watches cut during a join and a SIGKILL, parents still converge without two syncs at once")
    func membershipChangesUnderFaults() async throws {
        let children = try Children()
        defer { children.stopAll() }
        let cluster = try await Self.startCluster(children, apiserverArguments: ["--fault-rate", "0.05", "--fault-status", "500"])
        do {
            try await Self.runUnderFaults(cluster)
        } catch {
            try? await cluster.client.shutdown()
            throw error
        }
        try await cluster.client.shutdown()
    }

    static func runUnderFaults(_ cluster: Cluster) async throws {
        let count = min(parentCount, 300)
        try await createParents(cluster, value: "w0", count: count)
        var members = ["replica-a", "replica-b", "replica-c"]
        for identity in members { try await cluster.start(identity) }
        try await cluster.waitUntilSettled(members)
        try await cluster.waitUntilConverged("w0")
        let apiserver = cluster.children.processes[cluster.apiserverIndex].pid

        // A join, with every watch cut (and the history compacted, so watchers relist) meanwhile.
        // The joiner selects on the client side: it caches every parent and syncs only its own.
        try await cluster.setAll("w1")
        try await cluster.start("replica-d", extra: ["--selection", "client"])
        kill(apiserver, SIGUSR1)
        try await cluster.waitUntilSettled(members + ["replica-d"])
        kill(apiserver, SIGUSR1)
        members.append("replica-d")
        try await cluster.waitUntilConverged("w1")
        let share = cluster.uids.values.count(where: { HashRing(members: members).owner(ofUID: $0) == "replica-d" })
        try await LeaderFailoverProcessTests.eventually("replica-d caches all \(count) parents and owns \(share)") {
            let status = cluster.status("replica-d")
            return status?["cachedParents"] as? Int == count && status?["ownedParents"] as? Int == share
        }

        // A SIGKILL, with the watches cut again.
        cluster.children.signal(cluster.replicas["replica-a"]!, SIGKILL)
        try await cluster.setAll("w2")
        kill(apiserver, SIGUSR1)
        members.removeAll { $0 == "replica-a" }
        try await cluster.waitUntilSettled(members)
        kill(apiserver, SIGUSR1)
        try await cluster.waitUntilConverged("w2")
        try await cluster.setAll("w3")
        try await cluster.waitUntilConverged("w3")
        cluster.expectLastSyncsByOwners(members, "under faults")

        let overlapping = overlaps(cluster.syncs())
        #expect(overlapping.isEmpty, "\(overlapping.count) overlapping syncs, e.g. \(overlapping.prefix(3))")
        // Every surviving replica stayed a member through the faults.
        for member in members { #expect(cluster.children.isRunning(cluster.replicas[member]!), "\(cluster.describe())") }
    }
}

/// The sharding benchmark of docs/benchmarks.md: 10,000 parents with 1, 2 and 3 replicas; for each
/// replica the syncs of one round (every parent changed once), its cached parents and its resident
/// memory. Off unless `SHARD_BENCHMARK=1` (it takes minutes); `SHARD_BENCHMARK_OUT` names a file for
/// the Markdown table, `SHARD_BENCHMARK_PARENTS` changes the number of parents.
@Suite("Sharding benchmark", .serialized)
struct ShardingBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["SHARD_BENCHMARK"] != nil
    static let parents = Int(ProcessInfo.processInfo.environment["SHARD_BENCHMARK_PARENTS"] ?? "") ?? 10_000

    @Test("10,000 parents with 1, 2 and 3 replicas", .enabled(if: enabled))
    func scaling() async throws {
        let children = try ShardingProcessTests.Children()
        defer { children.stopAll() }
        let cluster = try await ShardingProcessTests.startCluster(children)
        var rows = [
            "| replicas | replica | syncs in the round | cached parents | owned parents | RSS (MiB) | round time (s) |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        do {
            try await ShardingProcessTests.createParents(cluster, value: "b0", count: Self.parents)
            var value = "b0"
            for count in 1...3 {
                let members = (0..<count).map { "bench\(count)-\($0)" }
                for member in members { try await cluster.start(member, extra: ["--sync-time", "1"]) }
                try await cluster.waitUntilSettled(members, timeout: .seconds(120))
                for member in members { try await cluster.waitUntilQuiet(member, timeout: .seconds(600)) }
                let before = members.map { cluster.status($0)?["syncs"] as? Int ?? 0 }
                value = "b\(count)"
                let started = ContinuousClock.now
                try await cluster.setAll(value)
                try await cluster.waitUntilConverged(value, timeout: .seconds(600))
                let elapsed = ContinuousClock.now - started
                for member in members { try await cluster.waitUntilQuiet(member, timeout: .seconds(600)) }
                try await Task.sleep(for: .seconds(1)) // one more status write after the last sync
                for (index, member) in members.enumerated() {
                    let status = try #require(cluster.status(member))
                    let syncs = (status["syncs"] as? Int ?? 0) - before[index]
                    let rss = Double(status["rssKiB"] as? Int ?? 0) / 1024
                    rows.append(
                        "| \(count) | \(index + 1) | \(syncs) | \(status["cachedParents"] ?? "?") | \(status["ownedParents"] ?? "?") | "
                            + String(format: "%.0f", rss) + " | " + String(format: "%.1f", Double(elapsed.components.seconds)) + " |")
                }
                for member in members { cluster.children.signal(cluster.replicas[member]!, SIGTERM) }
                for member in members { _ = try await cluster.children.waitForExit(cluster.replicas[member]!, timeout: .seconds(60)) }
            }
        } catch {
            try? await cluster.client.shutdown()
            throw error
        }
        try await cluster.client.shutdown()
        let table = rows.joined(separator: "\n")
        print(table)
        if let path = ProcessInfo.processInfo.environment["SHARD_BENCHMARK_OUT"] {
            try table.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
