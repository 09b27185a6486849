import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which Versus made a result: its version and a digest of the running binary. Every
/// memo key and the build store carry it, so a new Versus (or the same version built
/// from changed sources) never reuses what an older one made.
public enum BuildIdentity {
    public static let version = "0.4.0"

    /// `versus 0.4.0 <digest of the executable>`, worked out once per process.
    public static let current: String = {
        "versus \(version) " + (linkerBuildID() ?? executableDigest() ?? "unknown-binary")
    }()

    /// The GNU build ID the linker wrote into the executable: a hash of the linked binary's
    /// contents, read from its ELF note (a few hundred bytes) instead of hashing the whole
    /// ~50 MB executable on every run.
    static func linkerBuildID() -> String? {
        #if os(Linux)
        let fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        func read(_ offset: Int, _ count: Int) -> [UInt8]? {
            guard count > 0, count < 1 << 20 else { return nil }
            var bytes = [UInt8](repeating: 0, count: count)
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            return n == count ? bytes : nil
        }
        func int(_ b: [UInt8], _ at: Int, _ size: Int) -> Int {
            (0..<size).reversed().reduce(0) { $0 << 8 | Int(b[at + $1]) }
        }
        // A 64-bit little-endian ELF: its program headers, then each PT_NOTE segment's notes.
        guard let header = read(0, 64), header[0..<4] == [0x7f, 0x45, 0x4c, 0x46], header[4] == 2, header[5] == 1 else { return nil }
        let phoff = int(header, 32, 8), phentsize = int(header, 54, 2), phnum = int(header, 56, 2)
        guard phentsize >= 56, phnum < 256, let table = read(phoff, phentsize * phnum) else { return nil }
        for i in 0..<phnum where int(table, i * phentsize, 4) == 4 /* PT_NOTE */ {
            let offset = int(table, i * phentsize + 8, 8), size = int(table, i * phentsize + 32, 8)
            guard let notes = read(offset, size) else { continue }
            var at = 0
            while at + 12 <= notes.count {
                let nameSize = int(notes, at, 4), descSize = int(notes, at + 4, 4), type = int(notes, at + 8, 4)
                let name = at + 12, desc = name + ((nameSize + 3) & ~3)
                guard desc + descSize <= notes.count else { break }
                if type == 3 /* NT_GNU_BUILD_ID */, nameSize == 4, notes[name..<name + 4] == [0x47, 0x4e, 0x55, 0], descSize >= 8 {
                    return "build-id " + Digest.hex(Array(notes[desc..<desc + descSize]))
                }
                at = desc + ((descSize + 3) & ~3)
            }
        }
        return nil
        #else
        return nil
        #endif
    }

    static func executableDigest() -> String? {
        #if os(Linux)
        let path = "/proc/self/exe"
        #else
        let path = CommandLine.arguments.first ?? ""
        #endif
        guard let bytes = try? Disk.read(path) else { return nil }
        return String(Digest.hex(Array(SHA256.hash(data: bytes))).prefix(32))
    }
}
