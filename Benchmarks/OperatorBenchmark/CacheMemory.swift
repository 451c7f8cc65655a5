import BenchmarkSupport
import Foundation
import RoperatorClient

/// The shape of kube-rs's watcher memory benchmark: N ConfigMaps exist, one process lists and
/// watches them into an in-memory store; its peak RSS is the figure. Then a forced relist.
enum CacheMemory {
    /// About 1 KB of JSON per ConfigMap once stored (metadata added by the server included).
    static func configMap(_ index: Int, namespace: String) -> KubeObject {
        KubeObject([
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string("cm-\(index)"), "namespace": .string(namespace), "labels": ["app": "cache-bench"]],
            "data": ["index": .string(String(index)), "payload": .string(String(repeating: "x", count: 600))],
        ])
    }

    static func run(_ options: Options) async throws {
        let deployment = try await Deployment(worker: nil, options: options, children: 0, mode: "cache")
        do {
            let user = deployment.user
            try await forEachConcurrently(options.configMaps, limit: options.concurrency) { index in
                _ = try await user.create(.configMap, configMap(index, namespace: Deployment.namespace))
            }
            let empty = try deployment.worker.usage()
            let start = ContinuousClock.now
            try await deployment.start()
            let synced = ContinuousClock.now
            try await deployment.waitUntilWorkerQuiet(timeout: .seconds(120))
            let rest = try deployment.worker.usage()
            let json = try await user.list(.configMap, namespace: Deployment.namespace, pageSize: 0).items
                .reduce(0) { $0 + $1.json.serializedBytes(sortedKeys: false).count }
            let relistPeak = try await deployment.relistPeak(lists: 1)
            try deployment.worker.send("stats")
            let stats = try await deployment.worker.expect("stats", timeout: .seconds(10))
            func mb(_ bytes: Int) -> String { formatted(Double(bytes) / 1_048_576, 1) }
            let perObject = Double(rest.rssBytes - empty.rssBytes) / Double(options.configMaps)
            print(
                """
                cache of \(options.configMaps) ConfigMaps (\(formatted(Double(json) / Double(options.configMaps), 0)) B JSON each, \
                \(mb(json)) MB in all): synced in \(formatted((synced - start).seconds)) s; RSS empty \(mb(empty.rssBytes)) MB, \
                peak while syncing \(mb(rest.peakRSSBytes)) MB, at rest \(mb(rest.rssBytes)) MB \
                (\(formatted(perObject, 0)) B per object, \(formatted(perObject * Double(options.configMaps) / Double(json), 2)) x JSON); \
                relist peak \(mb(relistPeak)) MB (\(formatted(Double(relistPeak) / Double(rest.rssBytes), 2)) x rest); \(stats); \
                load \(formatted(ProcessUsage.loadAverage()))
                """)
            await deployment.stop()
        } catch {
            await deployment.stop()
            throw error
        }
    }
}
