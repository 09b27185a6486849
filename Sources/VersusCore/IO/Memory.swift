#if canImport(Glibc)
import Glibc
#endif

/// The process's memory, as far as the build manages it.
enum Memory {
    /// Returns freed heap memory to the system (an allocator keeps it for reuse otherwise, so
    /// the peak would be what the build ever held, not what it holds). It walks the heap, so it
    /// is worth it only after a step let go of many pages (`many`).
    static let many = 1024
    static func giveBack() {
        #if os(Linux) && canImport(Glibc)
        if let purge = jemallocControl {
            // The `versus` command links jemalloc: purge every arena (MALLCTL_ARENAS_ALL is 4096).
            _ = purge("arena.4096.purge", nil, nil, nil, 0)
        } else {
            _ = mallocTrim(0)
        }
        #endif
    }

    #if os(Linux) && canImport(Glibc)
    private typealias Mallctl = @convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?,
                                                UnsafeMutableRawPointer?, Int) -> Int32
    /// jemalloc's control call when jemalloc is the allocator (the command links it; tests run on glibc's).
    private static let jemallocControl: Mallctl? = dlsym(nil, "mallctl").map { unsafeBitCast($0, to: Mallctl.self) }
    #endif
}

#if os(Linux) && canImport(Glibc)
/// glibc's `malloc_trim` (declared in `malloc.h`, which the Glibc module leaves out).
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif
