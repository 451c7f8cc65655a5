import Foundation

/// CPU time and memory of one process, read from `/proc/<pid>/stat` and `/proc/<pid>/status`
/// (Linux), so that a driver can measure an operator running in another process.
public struct ProcessUsage: Sendable {
    /// User plus system CPU seconds since the process started.
    public var cpuSeconds: Double
    /// Resident set size now (`VmRSS`), bytes.
    public var rssBytes: Int
    /// Peak resident set size (`VmHWM`), bytes: since the start or the last ``resetPeak(pid:)``.
    public var peakRSSBytes: Int

    /// Reads the figures of process `pid`.
    ///
    /// - Throws: ``BenchmarkError`` when the process is gone or the files cannot be parsed.
    public static func read(pid: Int32) throws -> ProcessUsage {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis
        // start with the state (field 3); utime and stime are fields 14 and 15.
        guard let close = stat.lastIndex(of: ")") else { throw BenchmarkError("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchmarkError("unreadable /proc/\(pid)/stat: \(stat)")
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func kilobytes(_ key: String) throws -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }),
                let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int($0) })
            else { throw BenchmarkError("no \(key) in /proc/\(pid)/status") }
            return value * 1024
        }
        return ProcessUsage(cpuSeconds: (user + system) / ticks, rssBytes: try kilobytes("VmRSS"), peakRSSBytes: try kilobytes("VmHWM"))
    }

    /// Resets the peak resident set size of `pid` to its current size (writes 5 to
    /// `/proc/<pid>/clear_refs`), so that a later ``peakRSSBytes`` is the peak of what follows.
    public static func resetPeak(pid: Int32) throws {
        try Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/\(pid)/clear_refs"))
    }

    /// The one-minute load average of the machine (`/proc/loadavg`), to publish with the figures.
    public static func loadAverage() -> Double {
        // Informational only: a machine without /proc/loadavg reports 0.
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return 0 }
        return text.split(separator: " ").first.flatMap { Double($0) } ?? 0
    }
}
