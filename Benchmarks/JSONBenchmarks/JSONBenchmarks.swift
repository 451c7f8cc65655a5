import Benchmark
import Foundation
import RoperatorClient

/// Parse and write throughput of `JSONValue` against Foundation's `JSONSerialization` on the same
/// bytes. Each iteration processes the document once, so bytes/s = throughput (ops/s) × size;
/// the sizes are printed at start-up and the MB/s figures are in docs/benchmarks.md.
let benchmarks: @Sendable () -> Void = {
    let podBytes = SampleDocuments.pod(index: 1).serializedBytes()
    let listBytes = SampleDocuments.podList().serializedBytes()
    let documents: [(name: String, bytes: [UInt8])] = [("pod-3KB", podBytes), ("list-1MB", listBytes)]
    print("JSON benchmark documents: pod-3KB = \(podBytes.count) bytes, list-1MB = \(listBytes.count) bytes")

    for document in documents {
        let bytes = document.bytes
        let data = Data(bytes)
        let small = bytes.count < 100_000
        let configuration = Benchmark.Configuration(
            metrics: [.throughput, .wallClock, .mallocCountTotal],
            timeUnits: .microseconds,
            warmupIterations: small ? 100 : 3,
            scalingFactor: small ? .kilo : .one,
            maxDuration: .seconds(3),
            maxIterations: small ? 1_000 : 200
        )
        let ours = try! JSONValue(parsing: bytes)
        let foundation = try! JSONSerialization.jsonObject(with: data)

        Benchmark("parse \(document.name) JSONValue", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try JSONValue(parsing: bytes))
            }
        }
        Benchmark("parse \(document.name) JSONSerialization", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try JSONSerialization.jsonObject(with: data))
            }
        }
        Benchmark("write \(document.name) JSONValue", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ours.serializedBytes())
            }
        }
        Benchmark("write \(document.name) JSONSerialization", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try JSONSerialization.data(withJSONObject: foundation, options: [.sortedKeys]))
            }
        }
    }
}
