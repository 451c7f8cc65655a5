import BenchmarkSupport
import Foundation

/// CPU seconds of the server process and of this process, read together so that a phase's share
/// of each is the difference of two readings.
struct PhaseCPU {
    var server: Double
    var client: Double

    static func read(server: APIServerProcess) throws -> PhaseCPU {
        PhaseCPU(
            server: try ProcessUsage.read(pid: server.pid).cpuSeconds,
            client: try ProcessUsage.read(pid: getpid()).cpuSeconds)
    }

    static func - (lhs: PhaseCPU, rhs: PhaseCPU) -> PhaseCPU {
        PhaseCPU(server: lhs.server - rhs.server, client: lhs.client - rhs.client)
    }
}
