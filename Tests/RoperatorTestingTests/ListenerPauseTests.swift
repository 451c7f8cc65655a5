import Foundation
import RoperatorClient
import RoperatorTesting
import Testing

/// Pausing the listener while clients keep connecting: connections accepted just as the socket
/// closes must be closed cleanly, not crash the process (apple/swift-nio#2813: an accepted
/// `NIOAsyncChannel` dropped by the listening channel traps in `NIOAsyncWriter`'s deinit).
@Suite("Listener pause under connection load")
struct ListenerPauseTests {
    /// Opens a plain TCP connection to `port` on loopback and sends the start of a request; nil
    /// when refused (the listener is paused). Blocking, but a loopback connect returns at once.
    static func connectAndSend(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        // Close with a reset: no TIME_WAIT sockets left behind to eat the ephemeral ports that
        // the other tests of the run connect from.
        var noLinger = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &noLinger, socklen_t(MemoryLayout<linger>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        let request = Array("GET /api HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return fd
    }

    /// A server on a port below the ephemeral range (32768 and up on Linux): while paused, its
    /// port is free, and a port the kernel hands out for `bind(0)` or an outgoing connection of
    /// another test could take it and make the resume fail with EADDRINUSE. A fixed port can still
    /// be taken by another process, so a few random ones are tried.
    static func startOutsideEphemeralRange() async throws -> EmbeddedAPIServer {
        var lastError: (any Error)?
        for _ in 0..<20 {
            do {
                return try await EmbeddedAPIServer.start(EmbeddedAPIServer.Configuration(port: Int.random(in: 20000..<30000)))
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    @Test("pausing the listener while connections arrive neither crashes nor breaks the server")
    func pauseUnderLoad() async throws {
        let server = try await Self.startOutsideEphemeralRange()
        var connected = 0
        do {
            for _ in 0..<40 {
                // A burst of connections the kernel has accepted and NIO is still setting up
                // (on other event loops) at the moment the listening socket closes.
                let sockets = (0..<8).compactMap { _ in Self.connectAndSend(port: server.port) }
                connected += sockets.count
                await server.faults.pauseListener()
                for fd in sockets { close(fd) }
                try await server.faults.resumeListener()
            }
        } catch {
            try await server.shutdown()
            throw error
        }
        #expect(connected >= 40, "connections reached the listener before it paused")
        // Still serving after all that.
        let client = try KubeClient(configuration: server.clientConfiguration)
        let namespace = try await client.get(.namespace, name: "default")
        #expect(namespace.name == "default")
        try await client.shutdown()
        try await server.shutdown()
    }
}
