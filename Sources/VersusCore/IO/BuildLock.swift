import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One build of an output folder at a time, across processes (`versus build` beside a
/// running `versus serve`, two terminals, a CI job and a watcher): an advisory lock
/// (`flock`) on a file beside the build store, held from the first read of the store to
/// the last write. A second build waits for the first instead of sharing its spare tree
/// and store. The kernel drops the lock when its holder exits, however it exits (kill -9
/// included), so a lock is never left behind.
public final class BuildLock: @unchecked Sendable {
    private var fd: Int32
    private let mutex = NSLock()

    private init(_ fd: Int32) { self.fd = fd }

    /// The lock of the output folder whose build store is `store`.
    public static func file(beside store: String) -> String { store + ".lock" }

    /// Takes the lock at `path` (made if missing), waiting while another build holds it.
    /// - Parameter waiting: called once, with the lock's path, when the build has to wait.
    public static func take(_ path: String, waiting: (@Sendable (String) -> Void)? = nil) async throws -> BuildLock {
        try Disk.makeDirectories(Disk.parent(of: path))
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIOError.errno(path, "open") }
        return try await acquire(fd, path, waiting: waiting)
    }

    /// Takes the lock of the folder an output folder is in (`flock` on the folder itself, so no
    /// file is left anywhere). Builds of two projects
    /// into one `--output` have stores of their own, each with its own lock: this one makes the
    /// second wait, since both would write the same spare tree beside the output.
    public static func take(folderOf output: String, waiting: (@Sendable (String) -> Void)? = nil) async throws -> BuildLock {
        // Made first when missing (the build puts the output there): a lock on the nearest folder
        // that exists would not be the one a build started after it was made takes.
        let folder = Disk.parent(of: output)
        try? Disk.makeDirectories(folder)
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        // A folder that cannot be made, or opened to read (write and search rights only), cannot be
        // locked: the build goes on with its store's lock alone (and reports what it cannot write).
        guard fd >= 0 else { return BuildLock(-1) }
        return try await acquire(fd, folder, waiting: waiting)
    }

    private static func acquire(_ fd: Int32, _ path: String, waiting: (@Sendable (String) -> Void)?) async throws -> BuildLock {
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            // A file system without locks (some network mounts): the build goes on unlocked, as
            // every build did before there was a lock.
            if code == ENOLCK || code == EOPNOTSUPP || code == ENOTSUP { break }
            guard code == EWOULDBLOCK || code == EINTR else {
                let e = FileIOError.errno(path, "lock")
                close(fd)
                throw e
            }
            if !told { waiting?(path); told = true }
            // Polled, not blocked on: a build waiting here keeps no thread of the pool.
            do { try await Task.sleep(nanoseconds: 25_000_000) } catch { close(fd); throw error }
        }
        return BuildLock(fd)
    }

    /// Takes the lock at `path` when no one holds it (nil: held, or it cannot be opened).
    public static func tryTake(_ path: String) -> BuildLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return BuildLock(fd)
    }

    /// Lets the next build in (closing the file drops the lock).
    public func release() {
        mutex.withLock {
            if fd >= 0 { close(fd); fd = -1 }
        }
    }

    deinit { release() }
}
