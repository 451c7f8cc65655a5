#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Happens-before annotations for ThreadSanitizer, active only when its runtime is linked in
/// (`swift test --sanitize=thread`); otherwise every call is a check of a `nil` function pointer.
///
/// Why: `Synchronization.Mutex` on Linux hands a contended lock over with `FUTEX_LOCK_PI` and
/// `FUTEX_UNLOCK_PI` system calls, which ThreadSanitizer does not see, so it reports the critical
/// sections of two threads as a race. ``Lock`` tells it about the ordering the kernel provided.
/// The entry points are looked up at run time so that ordinary builds need neither the runtime
/// nor a compiler flag.
@usableFromInline
enum ThreadSanitizer {
    @usableFromInline typealias Annotation = @convention(c) (UnsafeRawPointer) -> Void

    /// `__tsan_acquire`: this thread now sees everything released at `address`.
    @usableFromInline static let acquire: Annotation? = lookUp("__tsan_acquire")
    /// `__tsan_release`: everything this thread did so far is published at `address`.
    @usableFromInline static let release: Annotation? = lookUp("__tsan_release")

    /// Whether the process runs under ThreadSanitizer.
    static var isActive: Bool { acquire != nil && release != nil }

    private static func lookUp(_ name: String) -> Annotation? {
        // A null handle is RTLD_DEFAULT on glibc and musl: search the whole process.
        #if canImport(Darwin)
            let handle = UnsafeMutableRawPointer(bitPattern: -2)
        #else
            let handle: UnsafeMutableRawPointer? = nil
        #endif
        guard let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: Annotation.self)
    }
}
