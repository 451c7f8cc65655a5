import Foundation

/// Output of the example executables: one line at a time, flushed at once, because a user or a
/// script waits for the lines and `print` holds them back when stdout is a pipe.
enum Console {
    /// Writes `line` to standard output, prefixed with the wall-clock time.
    static func say(_ line: String) {
        let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
        FileHandle.standardOutput.write(Data("[\(time)] \(line)\n".utf8))
    }

    /// Writes `line` to standard error as is.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
