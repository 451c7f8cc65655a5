import Foundation
import Testing

/// The transport tests' server stops by cancelling its accept loop; connections accepted just
/// before must be closed, not crash the process (see AcceptedConnection).
@Suite struct TestServerStopTests {
    /// A loopback connection to `port`, closed with a reset (no TIME_WAIT left behind); nil when refused.
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var noLinger = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &noLinger, socklen_t(MemoryLayout<linger>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    @Test func stoppingWithConnectionsInFlight() async throws {
        var connected = 0
        for _ in 0..<30 {
            let sockets = try await TestHTTPServer.withServer { _, writer in
                try await writer.respond(status: 200)
            } _: { server in
                (0..<8).compactMap { _ in Self.connect(port: server.port) }
            }
            connected += sockets.count
            for fd in sockets { close(fd) }
        }
        #expect(connected >= 30, "connections reached the server before it stopped")
    }
}
