import Foundation

/// `roperator-apiserver` run as a child process on a free port, for the standalone figures.
final class StandaloneServer: Sendable {
    let process: Process
    /// `http://127.0.0.1:<port>`, as the server printed it.
    let url: String

    private init(process: Process, url: String) {
        self.process = process
        self.url = url
    }

    /// The binary next to this executable (both are products of the same build).
    static func defaultBinary() -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent("roperator-apiserver").path
    }

    /// Starts the binary and waits (up to 60 s) for its "listening on" line.
    ///
    /// - Throws: ``StandaloneServerError`` when the binary is missing, exits, or never listens.
    static func start(binary: String) async throws -> StandaloneServer {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw StandaloneServerError(
                message: """
                    no roperator-apiserver at \(binary); build it first, e.g. \
                    ROPERATOR_BENCHMARKS=1 swift build -c release --scratch-path .build-bench --product roperator-apiserver
                    """)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let reader = output.fileHandleForReading
        // Blocking reads on a thread of their own; the line comes within a second or so.
        let url: String? = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var text = ""
                let marker = "roperator-apiserver listening on "
                while true {
                    let data = reader.availableData
                    if data.isEmpty {
                        continuation.resume(returning: nil)
                        return
                    }
                    text += String(decoding: data, as: UTF8.self)
                    if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) {
                        continuation.resume(returning: String(line.dropFirst(marker.count)))
                        // Keep draining so the server never blocks on a full pipe.
                        while !reader.availableData.isEmpty {}
                        return
                    }
                }
            }
        }
        guard let url else {
            process.terminate()
            throw StandaloneServerError(message: "roperator-apiserver exited before listening")
        }
        return StandaloneServer(process: process, url: url)
    }

    /// Sends SIGTERM and waits for the exit.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The standalone server could not be started.
struct StandaloneServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
