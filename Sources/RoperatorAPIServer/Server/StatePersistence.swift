import Foundation
import RoperatorClient

/// Keeps the store's state in `<directory>/state.json` across restarts of the standalone server.
///
/// The file is the store's own snapshot (``ObjectStore/snapshot()``), restored verbatim
/// (``ObjectStore/restore(_:)``): every object exactly as stored — uid, resourceVersion,
/// creationTimestamp, generation, managedFields, deletionTimestamp — the global resourceVersion
/// counter, and the CustomResourceDefinitions, which become servable again. Only the watch event
/// window is not kept, so watches from a resourceVersion before the restart get 410 Expired, as
/// after a real API server's compaction.
///
/// Only a file written at a clean stop (``save(complete:)`` from ``EmbeddedAPIServer/shutdown()``)
/// is known to hold the last write. Any other (a periodic snapshot, left by a server that was
/// killed) may be older than writes clients saw, so its counter is restored
/// ``lostWritesMargin`` further on and everything before counts as compacted: no resourceVersion
/// is issued twice, and every client relists.
///
/// Writes go to a temporary file in the same directory that is then renamed over `state.json`, so a
/// crash mid-write leaves the previous state intact.
final class StatePersistence: Sendable {
    /// Identifies the file's format; a file without it is refused rather than half-loaded.
    static let kind = "RoperatorAPIServerState"
    static let formatVersion: Int64 = 2

    /// How far past a periodic snapshot's resourceVersion its restore moves the counter: more
    /// writes than a server can make between two snapshots (etcd's documentation suggests the same
    /// figure for `--bump-revision`).
    static let lostWritesMargin: Int64 = 1_000_000_000

    let directory: String
    let store: ObjectStore
    /// What was last written (or loaded), so a save skips an unchanged store.
    private let saved = Lock<Saved?>(nil)

    private struct Saved: Equatable {
        var resourceVersion: Int64?
        var complete: Bool
    }

    init(directory: String, store: ObjectStore) {
        self.directory = directory
        self.store = store
    }

    var fileURL: URL { URL(fileURLWithPath: directory).appendingPathComponent("state.json") }

    /// Writes the state unless the file already holds it.
    ///
    /// - Parameter complete: `true` only when nothing can write any more (the server has stopped):
    ///   the file then holds the last write and is restored without a gap in resourceVersions.
    /// - Throws: the file system error; the previous file is then left as it was.
    func save(complete: Bool = false) throws {
        let snapshot = store.snapshot()
        let current = Saved(resourceVersion: snapshot["resourceVersion"]?.intValue, complete: complete)
        if current.resourceVersion != nil, saved.withLock({ $0 }) == current, FileManager.default.fileExists(atPath: fileURL.path) {
            return
        }
        let document: JSONValue = [
            "kind": .string(Self.kind), "formatVersion": .int(Self.formatVersion), "complete": .bool(complete), "store": snapshot,
        ]
        try writeAtomically(Data(document.serializedBytes()))
        saved.withLock { $0 = current }
    }

    /// Saves, printing a failure rather than stopping the periodic snapshots.
    func saveReportingErrors() {
        do {
            try save()
        } catch {
            print("roperator-apiserver: could not save state to \(fileURL.path): \(error)")
        }
    }

    /// Replaces the store's state with the file's, if there is a file, and marks the file as no
    /// longer complete (the server is about to write again).
    ///
    /// - Throws: ``StatePersistenceError`` when the file cannot be read or rewritten, is not a state
    ///   file, or the store refuses the snapshot (then the store is unchanged).
    func load() throws {
        guard FileManager.default.fileExists(atPath: fileURL.path) else { return }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: fileURL)
        } catch {
            throw StatePersistenceError(path: fileURL.path, reason: "cannot read: \(error)")
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: Array(bytes))
        } catch {
            throw StatePersistenceError(path: fileURL.path, reason: "not valid JSON: \(error)")
        }
        guard document["kind"]?.stringValue == Self.kind, let snapshot = document["store"] else {
            throw StatePersistenceError(path: fileURL.path, reason: "not a \(Self.kind) file")
        }
        guard document["formatVersion"]?.intValue == Self.formatVersion else {
            throw StatePersistenceError(
                path: fileURL.path,
                reason: "format version \(document["formatVersion"].map { $0.serialized() } ?? "none"), expected \(Self.formatVersion)")
        }
        let complete = document["complete"]?.boolValue == true
        do throws(APIError) {
            try store.restore(snapshot, skippingResourceVersions: complete ? 0 : Self.lostWritesMargin)
        } catch {
            throw StatePersistenceError(path: fileURL.path, reason: error.message)
        }
        // A server killed before its next snapshot must not leave a file that still claims to be
        // complete, nor one with the counter from before the skip.
        try save()
    }

    /// Writes `data` to a temporary file next to `state.json`, flushes it to disk and renames it
    /// into place: rename within a directory is atomic, so readers see the old or the new file.
    private func writeAtomically(_ data: Data) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = URL(fileURLWithPath: directory).appendingPathComponent(".state.json.\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw StatePersistenceError(path: temporary.path, reason: "cannot create the temporary file")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() } // a close failure after a successful synchronize loses nothing
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary) // best effort; the write error is what matters
            throw StatePersistenceError(path: temporary.path, reason: "cannot write: \(error)")
        }
        guard rename(temporary.path, fileURL.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw StatePersistenceError(path: fileURL.path, reason: "cannot rename the temporary file into place: \(reason)")
        }
    }
}

/// The data directory's state file could not be read, understood or written.
struct StatePersistenceError: Error, CustomStringConvertible {
    /// The file concerned.
    var path: String
    /// What went wrong.
    var reason: String
    var description: String { "state file \(path): \(reason)" }
}
