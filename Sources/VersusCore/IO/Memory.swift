/// The process's memory, as far as the build manages it.
enum Memory {
    /// Returns freed heap memory to the system (glibc keeps it for reuse otherwise, so the
    /// peak would be what the build ever held, not what it holds). It walks the heap, so it
    /// is worth it only after a step let go of many pages (`many`).
    static let many = 1024
    static func giveBack() {
        #if os(Linux) && canImport(Glibc)
        _ = mallocTrim(0)
        #endif
    }
}

#if os(Linux) && canImport(Glibc)
/// glibc's `malloc_trim` (declared in `malloc.h`, which the Glibc module leaves out).
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif
