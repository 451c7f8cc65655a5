/// Splits a byte stream into newline-terminated lines, across chunk boundaries, refusing lines longer
/// than a bound so a misbehaving server cannot make the client buffer without limit.
///
/// A pure value type: the watch stream feeds it network chunks and takes complete lines out.
struct LineFramer: Sendable {
    let maxLineLength: Int
    private var buffer: [UInt8] = []
    /// Start of the unconsumed bytes in `buffer`.
    private var start = 0
    /// Where the newline search resumes, so a long line is scanned once however many chunks it spans.
    private var scanned = 0

    init(maxLineLength: Int) {
        self.maxLineLength = maxLineLength
    }

    /// Adds received bytes.
    mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        if start > 0, start >= buffer.count / 2 {
            // Drop consumed bytes before growing, keeping appends amortized O(1).
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line without its terminator (`\n` or `\r\n`), or `nil` until more bytes arrive.
    /// Empty lines are skipped.
    ///
    /// - Throws: ``KubeClientError/Code/lineTooLong`` when a line exceeds ``maxLineLength``.
    mutating func nextLine() throws(KubeClientError) -> ArraySlice<UInt8>? {
        while true {
            guard let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = buffer.count
                if buffer.count - start > maxLineLength { throw tooLong(buffer.count - start) }
                return nil
            }
            var end = newline
            if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = buffer[start..<end]
            start = newline + 1
            scanned = start
            if line.count > maxLineLength { throw tooLong(line.count) }
            if !line.isEmpty { return line }
        }
    }

    /// Bytes received after the last complete line.
    var remainder: ArraySlice<UInt8> { buffer[start...] }

    private func tooLong(_ length: Int) -> KubeClientError {
        KubeClientError(.lineTooLong, "watch event line of at least \(length) bytes exceeds the limit of \(maxLineLength)")
    }
}
