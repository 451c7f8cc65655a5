public import Foundation

/// The lines of a file handle (a pipe), read on a thread of their own so that the blocking reads
/// never occupy one of the cooperative pool's threads (two on this machine).
public enum LineReader {
    /// Calls `line` with each line of `handle` (without its newline), then `line(nil)` at end of file.
    public static func read(_ handle: FileHandle, _ line: @escaping @Sendable (String?) -> Void) {
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
            line(nil)
        }
        thread.start()
    }

    /// The lines of `handle` as a stream that ends at end of file.
    public static func lines(of handle: FileHandle) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        read(handle) { line in
            if let line { continuation.yield(line) } else { continuation.finish() }
        }
        return stream
    }
}
