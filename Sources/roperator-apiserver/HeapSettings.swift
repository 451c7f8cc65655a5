#if canImport(Glibc)
    import Glibc

    /// glibc's heap settings for this process.
    ///
    /// By default glibc gives memory back to the system as soon as more than 128 KB is free at the
    /// top of a heap, and serves blocks of 128 KB and more with their own `mmap`. A server that
    /// stores objects and writes answers at thousands of requests a second then grows and shrinks
    /// its heaps all the time, and every page it takes back must be zeroed by the kernel again: a
    /// profile of a cold start spent up to 11 % of the server's CPU in page faults under `sysmalloc`.
    /// Kept: freed memory stays in the process for the next request (the resident size stays at
    /// its peak, which a development server can afford).
    enum HeapSettings {
        // `mallopt` and its parameters are not in Swift's Glibc module: looked up by name, with
        // the values of `<malloc.h>`.
        private typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        private static let trimThreshold: Int32 = -1 // M_TRIM_THRESHOLD
        private static let topPad: Int32 = -2 // M_TOP_PAD
        private static let mmapThreshold: Int32 = -3 // M_MMAP_THRESHOLD

        static func apply() {
            guard let symbol = dlsym(nil, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
            _ = mallopt(trimThreshold, 512 << 20)
            _ = mallopt(topPad, 16 << 20)
            _ = mallopt(mmapThreshold, 32 << 20)
        }
    }
#else
    /// Nothing to set outside glibc.
    enum HeapSettings {
        static func apply() {}
    }
#endif
