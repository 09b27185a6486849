import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file of the output folder, open for reading. The one way the server opens a file:
/// its path is resolved once (symlinks and all), the file is opened only when the real
/// path lies inside the output folder, and what is served (size, time, bytes) comes from
/// that open file, so it cannot change between the check and the read.
final class OutputFile: @unchecked Sendable {
    /// The real path (inside the output folder).
    let path: String
    let size: Int
    /// Modification time, nanoseconds since the epoch.
    let modified: Int64
    let device: UInt64
    let inode: UInt64
    let isDirectory: Bool
    private let fd: Int32

    private init(path: String, fd: Int32, st: stat) {
        self.path = path
        self.fd = fd
        size = Int(st.st_size)
        #if canImport(Darwin)
        modified = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
    }

    deinit { close(fd) }

    /// Opens `path` when it is a regular file or a folder whose real path lies inside
    /// `root` (itself a real path); nil when it is missing, leads out, or is anything else
    /// (a FIFO, a socket, a device).
    static func open(_ path: String, inside root: String) -> OutputFile? {
        guard let resolved = realPath(path), resolved == root || resolved.hasPrefix(root + "/") else { return nil }
        // The real path has no links left; O_NOFOLLOW refuses one put there since, and
        // O_NONBLOCK keeps a FIFO from blocking the open.
        let fd = SystemOpen(resolved, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        var st = stat()
        let mode = fstat(fd, &st) == 0 ? st.st_mode & S_IFMT : 0
        guard mode == S_IFREG || mode == S_IFDIR else {
            close(fd)
            return nil
        }
        return OutputFile(path: resolved, fd: fd, st: st)
    }

    /// The file's bytes, read from the open file. (Files are replaced, never changed in place;
    /// a short read means something else did it.)
    func read() -> [UInt8]? { read(0, max(size, 0)) }

    /// `count` bytes from `offset`, read from the open file; nil when the file is shorter.
    func read(_ offset: Int, _ count: Int) -> [UInt8]? {
        guard !isDirectory, offset >= 0, count >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return done == count ? bytes : nil
    }

    static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}

#if canImport(Glibc)
private func SystemOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
#else
private func SystemOpen(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
#endif
