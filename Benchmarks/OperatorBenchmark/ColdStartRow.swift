import BenchmarkSupport
import Foundation

/// One runner's cold start of one size: a CSV row (`Benchmarks/plot.py` reads them).
struct ColdStartRow {
    var runner: String
    var parents: Int
    var children: Int
    var run: Int
    var seconds: Double
    /// CPU seconds of the process doing the work (the operator, kopf, or the bare client's).
    var cpuSeconds: Double
    var peakRSS: Int?
    var readyRSS: Int?
    var restRSS: Int?
    var jsonBytes: Int?
    var relistPeakRSS: Int?
    var idleWrites: Int?
    var idleCPUSeconds: Double?
    var efficiency: Double?
    var live: LatencySummary?
    var liveMissing: Int?
    var load = ProcessUsage.loadAverage()

    var objects: Int { parents * (1 + children) }

    static let header = """
        runner,parents,children,run,seconds,parents_per_s,cpu_s,cpu_ms_per_parent,cpu_ms_per_child,peak_rss_mb,\
        ready_rss_mb,rest_rss_mb,rss_bytes_per_object,json_bytes_per_object,rss_over_json,relist_peak_mb,relist_over_rest,\
        idle_writes,idle_cpu_s,efficiency_pct,live_changes,live_p50_ms,live_p99_ms,live_max_ms,live_missing,load1
        """

    var rssPerObject: Double? {
        guard let restRSS, let readyRSS else { return nil }
        return Double(restRSS - readyRSS) / Double(objects)
    }

    var csv: String {
        func mb(_ bytes: Int?) -> String { bytes.map { formatted(Double($0) / 1_048_576, 1) } ?? "" }
        func number(_ value: Double?, _ digits: Int = 3) -> String { value.map { formatted($0, digits) } ?? "" }
        let jsonPerObject = jsonBytes.map { Double($0) / Double(objects) }
        let fields: [String] = [
            runner, String(parents), String(children), String(run), number(seconds), number(Double(parents) / seconds, 0),
            number(cpuSeconds), number(cpuSeconds * 1000 / Double(parents), 4),
            number(children > 0 ? cpuSeconds * 1000 / Double(parents * children) : nil, 4),
            mb(peakRSS), mb(readyRSS), mb(restRSS), number(rssPerObject, 0), number(jsonPerObject, 0),
            number(rssPerObject.flatMap { rss in jsonPerObject.map { rss / $0 } }, 2),
            mb(relistPeakRSS), number(relistPeakRSS.flatMap { peak in restRSS.map { Double(peak) / Double($0) } }, 2),
            idleWrites.map(String.init) ?? "", number(idleCPUSeconds), number(efficiency.map { $0 * 100 }, 1),
            live.map { String($0.count) } ?? "", number(live.map { $0.p50 * 1000 }), number(live.map { $0.p99 * 1000 }),
            number(live.map { $0.max * 1000 }), liveMissing.map(String.init) ?? "", number(load, 2),
        ]
        return fields.joined(separator: ",")
    }

    /// Appends the row to `path` (with the header when the file is new).
    func append(to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            try Data((Self.header + "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() } // the write below already succeeded or threw
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((csv + "\n").utf8))
    }
}
