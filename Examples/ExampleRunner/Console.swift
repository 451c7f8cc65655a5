import Foundation

/// Output of the example executables: one line at a time, flushed at once, because a user or a
/// script waits for the lines and `print` holds them back when stdout is a pipe.
enum Console {
    /// Writes `line` to standard output, prefixed with the UTC time of day.
    static func say(_ line: String) {
        let second = Int(Date().timeIntervalSince1970) % 86_400
        let time = [second / 3600, second / 60 % 60, second % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
        FileHandle.standardOutput.write(Data("[\(time)] \(line)\n".utf8))
    }
}
