package import Synchronization

/// A `Synchronization.Mutex` that ThreadSanitizer understands: the same API and cost, plus
/// acquire/release annotations around the critical section when the process runs under
/// ThreadSanitizer (see ``ThreadSanitizer``).
///
/// Plain `Mutex` makes `swift test --sanitize=thread` report every contended critical section as
/// a data race, which buries real reports. Shared state that is not an actor should use this type
/// (`Scripts/tsan.sh` relies on it); the owner of the state stays the type holding the lock.
///
/// ```swift
/// let counts = Lock<[String: Int]>([:])
/// counts.withLock { $0["syncs", default: 0] += 1 }
/// ```
///
/// Its members are inlinable so that other modules' calls are specialized for their value and
/// result types: unspecialized, each call looked up generic metadata at run time (about 1.5 % of the
/// API server's and the operator's CPU under load).
package struct Lock<Value: ~Copyable>: ~Copyable {
    @usableFromInline let mutex: Mutex<Value>

    /// A lock guarding `initialValue`.
    @inlinable
    package init(_ initialValue: consuming sending Value) {
        mutex = Mutex(initialValue)
    }

    /// Runs `body` with exclusive access to the value, blocking until the lock is free.
    ///
    /// - Parameter body: Reads or changes the value; must not block for long or take this lock again.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    @inlinable
    package borrowing func withLock<Result: ~Copyable, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        // The annotation address is the mutex's own storage: it is stable while borrowed, and
        // the value is not touched before `acquire` (TSan checks Swift accesses as they begin).
        let address = withUnsafePointer(to: mutex) { UnsafeRawPointer($0) }
        return try mutex.withLock { (value: inout sending Value) throws(Failure) -> sending Result in
            ThreadSanitizer.acquire?(address)
            defer { ThreadSanitizer.release?(address) }
            return try body(&value)
        }
    }

    /// Like ``withLock(_:)``, but returns `nil` at once when another thread holds the lock.
    @inlinable
    package borrowing func withLockIfAvailable<Result: ~Copyable, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result? {
        let address = withUnsafePointer(to: mutex) { UnsafeRawPointer($0) }
        return try mutex.withLockIfAvailable { (value: inout sending Value) throws(Failure) -> sending Result in
            ThreadSanitizer.acquire?(address)
            defer { ThreadSanitizer.release?(address) }
            return try body(&value)
        }
    }
}

extension Lock: Sendable where Value: ~Copyable {}
