import NIOCore
import NIOHTTP1
import Synchronization

/// An accepted test-server connection on its way from the listening channel to the accept loop.
///
/// A `NIOAsyncChannel` released before `executeThenClose` finished its writer traps the process
/// ("Deinited NIOAsyncWriter without calling finish()"). NIO releases the connections the
/// listening channel still holds when the accept loop is cancelled or the socket closes
/// (apple/swift-nio#2813), and ``TestHTTPServer`` stops by cancelling its accept loop. So every
/// connection travels in this box, and one nobody claimed is closed properly when the box goes.
final class AcceptedConnection: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private let connection: Connection
    private let claimed = Atomic(false)

    init(_ connection: Connection) {
        self.connection = connection
    }

    /// Takes the connection over: from now on the caller must run `executeThenClose` on it.
    func claim() -> Connection {
        claimed.store(true, ordering: .sequentiallyConsistent)
        return connection
    }

    deinit {
        guard !claimed.load(ordering: .sequentiallyConsistent) else { return }
        let connection = self.connection
        Task { try? await connection.executeThenClose { _, _ in } }
    }
}
