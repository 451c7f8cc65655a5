import Roperator

/// Wraps a handler and records every call per parent, so tests can read what the operator asked
/// and what it got.
final class RecordingHandler: Handler {
    private let wrapped: any Handler
    private let records = Lock<[ParentKey: SyncRecord]>([:])

    init(_ wrapped: any Handler) {
        self.wrapped = wrapped
    }

    func record(for key: ParentKey) -> SyncRecord {
        records.withLock { $0[key] ?? SyncRecord() }
    }

    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let key = request.parentKey
        do {
            let response = try await wrapped.sync(request)
            records.withLock { records in
                records[key, default: SyncRecord()].syncs += 1
                records[key]?.lastRequest = request
                records[key]?.lastResponse = response
            }
            return response
        } catch {
            records.withLock { records in
                records[key, default: SyncRecord()].syncs += 1
                records[key]?.errors += 1
                records[key]?.lastRequest = request
                records[key]?.lastError = error
            }
            throw error
        }
    }

    func finalize(_ request: SyncRequest) async throws -> FinalizeResponse {
        let key = request.parentKey
        do {
            let response = try await wrapped.finalize(request)
            records.withLock { records in
                records[key, default: SyncRecord()].finalizes += 1
                records[key]?.lastRequest = request
                records[key]?.lastFinalizeResponse = response
            }
            return response
        } catch {
            records.withLock { records in
                records[key, default: SyncRecord()].finalizes += 1
                records[key]?.errors += 1
                records[key]?.lastError = error
            }
            throw error
        }
    }
}
