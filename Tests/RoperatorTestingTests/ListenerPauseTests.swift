import Foundation
import RoperatorClient
import RoperatorTesting
import Synchronization
import Testing

/// Pausing the listener while clients keep connecting: connections accepted just as the socket
/// closes must be closed cleanly, not crash the process (apple/swift-nio#2813: an accepted
/// `NIOAsyncChannel` dropped by the listening channel traps in `NIOAsyncWriter`'s deinit).
@Suite("Listener pause under connection load")
struct ListenerPauseTests {
    /// Opens plain TCP connections to `port` in a loop on its own thread (blocking calls, so the
    /// connects keep coming while the test's tasks wait) until `stop` is set.
    final class Hammer: Sendable {
        let stop = Atomic<Bool>(false)
        let attempts = Atomic<Int>(0)
        let done = Atomic<Bool>(false)

        func start(port: Int) {
            let thread = Thread { [self] in
                let request = Array("GET /api HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
                while !stop.load(ordering: .relaxed) {
                    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    guard fd >= 0 else { continue }
                    var address = sockaddr_in()
                    address.sin_family = sa_family_t(AF_INET)
                    address.sin_port = in_port_t(UInt16(port).bigEndian)
                    address.sin_addr.s_addr = inet_addr("127.0.0.1")
                    let connected = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                    if connected == 0 {
                        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    }
                    close(fd)
                    attempts.add(1, ordering: .relaxed)
                }
                done.store(true, ordering: .releasing)
            }
            thread.start()
        }
    }

    static func attempts(_ hammers: [Hammer]) -> Int {
        hammers.reduce(0) { $0 + $1.attempts.load(ordering: .relaxed) }
    }

    @Test("pausing and resuming while connections arrive neither crashes nor breaks the server")
    func pauseUnderLoad() async throws {
        let server = try await EmbeddedAPIServer.start()
        let hammers = [Hammer(), Hammer(), Hammer()]
        for hammer in hammers { hammer.start(port: server.port) }
        do {
            for _ in 0..<40 {
                await server.faults.pauseListener()
                try await server.faults.resumeListener()
                // Let connections reach the new socket before the next close. Any one connect
                // may hang for a SYN retransmit (1 s), so count all the hammers together.
                let before = Self.attempts(hammers)
                let deadline = ContinuousClock.now + .seconds(5)
                while Self.attempts(hammers) < before + 3, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
        } catch {
            for hammer in hammers { hammer.stop.store(true, ordering: .relaxed) }
            try await server.shutdown()
            throw error
        }
        for hammer in hammers { hammer.stop.store(true, ordering: .relaxed) }
        let deadline = ContinuousClock.now + .seconds(10)
        while !hammers.allSatisfy({ $0.done.load(ordering: .acquiring) }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(hammers.allSatisfy { $0.done.load(ordering: .acquiring) })
        #expect(Self.attempts(hammers) >= 40, "connections kept arriving while the listener paused")
        // Still serving after all that.
        let client = try KubeClient(configuration: server.clientConfiguration)
        let namespace = try await client.get(.namespace, name: "default")
        #expect(namespace.name == "default")
        try await client.shutdown()
        try await server.shutdown()
    }
}
