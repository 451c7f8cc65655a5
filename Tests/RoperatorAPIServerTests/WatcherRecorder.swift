import RoperatorClient

/// Collects what a ``Watcher`` reports, from a task the test cancels at the end.
final class WatcherRecorder: Sendable {
    private let events = Lock<[WatcherEvent]>([])
    private let task = Lock<Task<Void, Never>?>(nil)

    init(_ watcher: Watcher) {
        let started = Task { [self] in
            do {
                for try await event in watcher {
                    self.events.withLock { $0.append(event) }
                }
            } catch {
                // Cancellation is the only way a watcher ends.
            }
        }
        task.withLock { $0 = started }
    }

    var all: [WatcherEvent] { events.withLock { $0 } }

    /// Events as short strings (`relisted:a,b`, `synced`, `added:c`, …) from index `from` on.
    func summary(from: Int = 0) -> [String] {
        Array(all.dropFirst(from)).map(Self.describe)
    }

    static func describe(_ event: WatcherEvent) -> String {
        switch event {
        case .relisted(let objects): "relisted:" + objects.compactMap(\.name).sorted().joined(separator: ",")
        case .listedPage(let objects, let first):
            "page\(first ? "(first)" : ""):" + objects.compactMap(\.name).sorted().joined(separator: ",")
        case .initialListComplete: "synced"
        case .added(let o): "added:\(o.name ?? "")"
        case .modified(let o): "modified:\(o.name ?? "")"
        case .deleted(let o): "deleted:\(o.name ?? "")"
        case .failed(let failure): "failed:\(failure.reason)"
        }
    }

    /// Waits until the summary from `from` on has at least `count` entries.
    func waitFor(_ count: Int, from: Int = 0, _ what: String) async throws {
        try await eventually("\(what); got \(summary(from: from))") { self.all.count - from >= count }
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }
}
