#if canImport(Glibc)
    import Glibc
#endif

/// Hands heap memory freed after a large, short-lived allocation back to the system.
///
/// A list decodes every object at once; once the consumer has taken what it keeps (a cache
/// keeps objects compact), the decoded list is freed, but glibc's allocator keeps the freed pages
/// and the process's resident memory stays at the list's peak. `malloc_trim` returns them. Found
/// at run time, so a C library without it (musl) does nothing.
enum FreedMemory {
    #if canImport(Glibc)
        private typealias Trim = @convention(c) (Int) -> Int32
        private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map {
            unsafeBitCast($0, to: Trim.self)
        }
    #endif

    /// Returns freed heap pages to the system (a few milliseconds for a heap of hundreds of MB).
    static func release() {
        #if canImport(Glibc)
            _ = trim?(0)
        #endif
    }
}
