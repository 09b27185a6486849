import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the pipeline knows about a file without reading it.
public struct FileInfo: Sendable, Hashable {
    public var size: Int
    /// Modification time in nanoseconds since the epoch.
    public var modified: Int64
    public var isDirectory: Bool
    public var inode: UInt64
    /// Status change time (ctime) in nanoseconds since the epoch: moves on every write, rename,
    /// link and permission change, and cannot be set back (`touch -r` restores only `modified`),
    /// so a file edited and given its old time again, or made unreadable, still looks changed.
    public var changed: Int64

    public init(size: Int, modified: Int64, isDirectory: Bool, inode: UInt64 = 0, changed: Int64 = 0) {
        self.size = size
        self.modified = modified
        self.isDirectory = isDirectory
        self.inode = inode
        self.changed = changed
    }
}

/// The seam between the pure pipeline and the file system: a struct of closures.
/// `FileIO.disk` talks to the real disk; `FileIO.memory()` keeps everything in a
/// dictionary so tests can run whole builds without touching the disk.
public struct FileIO: Sendable {
    public var read: @Sendable (_ path: String) throws -> [UInt8]
    /// Every regular file below a folder, as sorted relative paths. Names that start
    /// with a dot are skipped.
    public var list: @Sendable (_ directory: String) throws -> [String]
    /// The one directory walk: every regular file below a folder with its stamp, in path
    /// order. Names that start with a dot are skipped. Symbolic links are followed only
    /// when they lead inside `within` (the project); links that lead elsewhere, loops,
    /// and files that are not regular files (FIFOs, sockets, devices) are left out and
    /// reported in `skipped`.
    public var walk: @Sendable (_ directory: String, _ within: String) throws -> Listing
    public var info: @Sendable (_ path: String) -> FileInfo?
    /// The size and the number of names (hard links) of many files below one folder (`root` +
    /// each path; nil: missing), looked up from the open folder, on every core. Links are 0
    /// where the file system does not say (`FileIO.memory`).
    public var sizes: @Sendable (_ root: String, _ paths: [String]) -> [SizeAndLinks?]
    public typealias SizeAndLinks = (size: Int, links: Int)
    /// Writes a file, creating its parent folders. The file is new (a new inode on disk),
    /// so a hard link to the old one keeps the old bytes.
    public var write: @Sendable (_ path: String, _ bytes: [UInt8]) throws -> Void
    /// Writes a file at a name no other tree shares and no reader looks at (a folder made
    /// for this build), creating its parent folders: in place, without `write`'s rename.
    public var create: @Sendable (_ path: String, _ bytes: [UInt8]) throws -> Void
    /// Makes a folder and the folders above it that are missing (`write`, `create` and `link`
    /// make them as needed; a caller that knows a folder is new makes it first, saving the
    /// failed call that finds it missing).
    public var makeFolders: @Sendable (_ path: String) throws -> Void
    /// Removes a file or a folder and everything in it. Missing is not an error.
    public var remove: @Sendable (_ path: String) throws -> Void
    /// Renames within one file system (atomic for a single file or folder),
    /// creating the target's parent folders.
    public var move: @Sendable (_ from: String, _ to: String) throws -> Void
    /// Removes a folder if it is empty; false when it is not (or is missing).
    public var removeEmptyFolder: @Sendable (_ path: String) -> Bool
    /// Makes `to` a second name of the file `from` (a hard link), creating parent folders;
    /// an existing `to` is replaced.
    public var link: @Sendable (_ from: String, _ to: String) throws -> Void
    /// Swaps two folders in one step (Linux `renameat2(RENAME_EXCHANGE)`, macOS
    /// `renamex_np(RENAME_SWAP)`): a reader sees one or the other, never a mix.
    public var exchange: @Sendable (_ a: String, _ b: String) throws -> Void
    enum Kind: Sendable { case disk, other }
    var kind: Kind = .other

    public init(read: @escaping @Sendable (String) throws -> [UInt8],
                list: @escaping @Sendable (String) throws -> [String],
                walk: @escaping @Sendable (String, String) throws -> Listing,
                info: @escaping @Sendable (String) -> FileInfo?,
                write: @escaping @Sendable (String, [UInt8]) throws -> Void,
                remove: @escaping @Sendable (String) throws -> Void,
                move: @escaping @Sendable (String, String) throws -> Void,
                removeEmptyFolder: @escaping @Sendable (String) -> Bool,
                link: @escaping @Sendable (String, String) throws -> Void,
                exchange: @escaping @Sendable (String, String) throws -> Void,
                sizes: (@Sendable (String, [String]) -> [SizeAndLinks?])? = nil) {
        self.init(read: read, list: list, walk: walk, info: info, write: write, remove: remove, move: move,
                  removeEmptyFolder: removeEmptyFolder, link: link, exchange: exchange, sizes: sizes, kind: .other)
    }

    init(read: @escaping @Sendable (String) throws -> [UInt8],
         list: @escaping @Sendable (String) throws -> [String],
         walk: @escaping @Sendable (String, String) throws -> Listing,
         info: @escaping @Sendable (String) -> FileInfo?,
         write: @escaping @Sendable (String, [UInt8]) throws -> Void,
         remove: @escaping @Sendable (String) throws -> Void,
         move: @escaping @Sendable (String, String) throws -> Void,
         removeEmptyFolder: @escaping @Sendable (String) -> Bool,
         link: @escaping @Sendable (String, String) throws -> Void,
         exchange: @escaping @Sendable (String, String) throws -> Void,
         sizes: (@Sendable (String, [String]) -> [SizeAndLinks?])? = nil,
         create: (@Sendable (String, [UInt8]) throws -> Void)? = nil,
         makeFolders: (@Sendable (String) throws -> Void)? = nil,
         kind: Kind) {
        self.kind = kind
        self.create = create ?? write
        self.makeFolders = makeFolders ?? { _ in }
        self.sizes = sizes ?? { root, paths in paths.map { info(root + $0).map { ($0.size, 0) } } }
        self.read = read
        self.list = list
        self.walk = walk
        self.info = info
        self.write = write
        self.remove = remove
        self.move = move
        self.removeEmptyFolder = removeEmptyFolder
        self.link = link
        self.exchange = exchange
    }

    /// Removes the folders above a removed file while they are empty, stopping at `root`.
    public func pruneEmptyFolders(above path: String, root: String) {
        var dir = Disk.parent(of: path)
        while dir.count > root.count, dir.hasPrefix(root + "/"), removeEmptyFolder(dir) {
            dir = Disk.parent(of: dir)
        }
    }

    public func exists(_ path: String) -> Bool { info(path) != nil }

    /// Whether this is the real disk (databases beside the project can be opened there).
    public var isDisk: Bool { kind == .disk }

    public func readString(_ path: String) throws -> String {
        String(decoding: try read(path), as: UTF8.self)
    }
}

/// What a walk over a folder found.
public struct Listing: Sendable, Hashable {
    public struct File: Sendable, Hashable {
        /// Relative to the walked folder, with `/` separators.
        public var path: String
        public var info: FileInfo
    }
    public struct Skipped: Sendable, Hashable {
        public var path: String
        public var reason: String
    }
    public var files: [File] = []
    public var skipped: [Skipped] = []
    /// Whether a file or folder was reached through a symbolic link: a change to its target is
    /// then seen under the target's name only (`Loader.reload` walks again).
    public var followedLinks = false
    public init() {}

    /// Whether a walk leaves out an entry of this name, unsaid: a hidden one (`.git`, `.DS_Store`,
    /// an editor's `.#lock` or `.name.swp`), and an editor's backup or autosave copy (`name~`,
    /// `#name#`, `name.swp`). One rule for the walk, the in-memory file system and `versus
    /// serve`'s watcher, so a file no build reads is never a change to rebuild for, and one a
    /// build reads always is.
    public static func leavesOut(_ name: Substring) -> Bool {
        // Over the name's bytes (every walk asks it of every file).
        let b = name.utf8
        guard let first = b.first, let last = b.last else { return true }
        if first == UInt8(ascii: ".") || last == UInt8(ascii: "~") { return true }
        if first == UInt8(ascii: "#") && last == UInt8(ascii: "#") && b.count > 1 { return true }
        // ".swp", ".swo", ".swx"
        guard b.count >= 4 else { return false }
        var tail = b.index(b.endIndex, offsetBy: -4)
        for expected in [UInt8(ascii: "."), UInt8(ascii: "s"), UInt8(ascii: "w")] {
            guard b[tail] == expected else { return false }
            tail = b.index(after: tail)
        }
        return last == UInt8(ascii: "p") || last == UInt8(ascii: "o") || last == UInt8(ascii: "x")
    }
    public static func leavesOut(_ name: String) -> Bool { leavesOut(name[...]) }
}

public struct FileIOError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// The system's error number, when the system refused.
    public var code: Int32?
    public init(_ path: String, _ reason: String, code: Int32? = nil) {
        self.path = path
        self.reason = reason
        self.code = code
    }
    public var description: String { "\(Text.abbreviate(path, max: 160)): \(reason)" }

    static func errno(_ path: String, _ action: String) -> FileIOError {
        let code = Glibc_errno()
        return FileIOError(path, "\(action) failed: \(String(cString: strerror(code)))", code: code)
    }

    /// What the user can do about it.
    public var advice: String? {
        switch code {
        case ENOSPC?, EDQUOT?: return "the disk is full: free some space and build again"
        case EACCES?, EPERM?: return "permission denied: make the folder writable, or build into another with --output"
        case EROFS?: return "the file system is read-only: build into another folder with --output"
        case ENAMETOOLONG?: return "the name is too long for the file system: give the page a shorter slug"
        default: return nil
        }
    }
}

@inline(__always) func Glibc_errno() -> Int32 { errno }

// MARK: - Disk

extension FileIO {
    /// The real file system, through POSIX calls (Foundation's FileManager is far
    /// slower at tens of thousands of small files).
    public static let disk = FileIO(
        read: { path in try Disk.read(path) },
        list: { dir in try Disk.walk(dir, within: nil).files.map(\.path) },
        walk: { dir, root in try Disk.walk(dir, within: root) },
        info: { path in Disk.info(path) },
        write: { path, bytes in try Disk.write(path, bytes) },
        remove: { path in try Disk.remove(path) },
        move: { from, to in
            if rename(from, to) == 0 { return }
            if errno == ENOENT {
                try Disk.makeDirectories(Disk.parent(of: to))
                if rename(from, to) == 0 { return }
            }
            throw FileIOError.errno(from, "rename to \(to)")
        },
        removeEmptyFolder: { path in rmdir(path) == 0 },
        link: { from, to in try Disk.link(from, to) },
        exchange: { a, b in try Disk.exchange(a, b) },
        sizes: { root, paths in Disk.sizes(root, paths) },
        create: { path, bytes in try Disk.create(path, bytes) },
        makeFolders: { path in try Disk.makeDirectories(path) },
        kind: .disk
    )
}

public enum Disk {
    /// The name in a directory entry, read in place. (`entry.pointee.d_name` would copy the
    /// whole 256-byte field, and an entry at the end of readdir's buffer is shorter than
    /// that: the copy read past the buffer and crashed now and then.)
    public static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        entryName(entry, validating: false)!
    }

    /// The name in a directory entry; when `validating`, nil for a name that is not valid
    /// UTF-8 (else its bad bytes read as U+FFFD).
    public static func entryName(_ entry: UnsafeMutablePointer<dirent>, validating: Bool) -> String? {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        let name = (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self)
        return validating ? String(validatingCString: name) : String(cString: name)
    }

    /// The type in a directory entry (`DT_DIR`, `DT_REG`, …), read in place.
    public static func entryType(_ entry: UnsafeMutablePointer<dirent>) -> UInt8 {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_type)!
        return (UnsafeRawPointer(entry) + offset).load(as: UInt8.self)
    }

    static func read(_ path: String) throws -> [UInt8] {
        // Opened without waiting (a FIFO would wait for a writer), then read only if it is a file.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw FileIOError.errno(path, "open") }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw FileIOError.errno(path, "stat") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw FileIOError(path, "is a folder") }
        if (st.st_mode & S_IFMT) != S_IFREG { throw FileIOError(path, "is not a regular file (a FIFO, socket or device)") }
        // One byte more than the file holds: the read that finds its end needs no more room.
        // Read into memory not filled first (the read writes every byte kept).
        let expected = max(Int(st.st_size), 0) + 1
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buf, count in
            count = 0
            while count < expected {
                let n = Glibc_read(fd, buf.baseAddress! + count, expected - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                // (Read on to the end that a read of no bytes marks: a network or FUSE file system
                // may give fewer bytes than asked for before it.)
                count += n
            }
        }
        if failure != 0 { errno = failure; throw FileIOError.errno(path, "read") }
        guard bytes.count == expected else { return bytes }
        // The file grew since it was looked at: the rest, in blocks.
        var block = [UInt8](repeating: 0, count: max(4096, expected))
        while true {
            let n = block.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIOError.errno(path, "read")
            }
            if n == 0 { return bytes }
            bytes += block[..<n]
        }
    }

    static func info(_ path: String) -> FileInfo? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return info(st)
    }

    /// See `FileIO.sizes`: each path is looked up from the open folder (a shorter walk for
    /// the kernel than the whole path).
    static func sizes(_ root: String, _ paths: [String]) -> [FileIO.SizeAndLinks?] {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return paths.map { _ in nil } }
        defer { close(fd) }
        let folder = UnsafeSendable(fd)
        return Parallel.mapSync(paths, grain: 1024) { path -> FileIO.SizeAndLinks? in
            var st = stat()
            let found = path.withCString { p -> Bool in
                var p = p
                while p.pointee == 47 { p += 1 }   // relative to the folder
                return fstatat(folder.value, p, &st, 0) == 0
            }
            return found ? (Int(st.st_size), Int(st.st_nlink)) : nil
        }
    }

    /// `folder + "/" + relative`, made at once in a string of its own (a walk's files are joined so
    /// by the ten thousand; two appends made and grew two strings for each).
    static func join(_ folder: String, _ relative: String) -> String {
        var folder = folder, relative = relative
        return folder.withUTF8 { f in
            relative.withUTF8 { r in
                String(unsafeUninitializedCapacity: f.count + 1 + r.count) { out in
                    let base = out.baseAddress!
                    if let from = f.baseAddress { memcpy(base, from, f.count) }
                    base[f.count] = UInt8(ascii: "/")
                    if let from = r.baseAddress { memcpy(base + f.count + 1, from, r.count) }
                    return f.count + 1 + r.count
                }
            }
        }
    }

    /// A folder's names in `String` order (`<`), as a walk lists them. Names in ASCII (nearly all)
    /// are in that order exactly when their bytes are: their bytes are their scalars, and no
    /// normalisation changes them. They are sorted by their bytes, copied once into one buffer,
    /// and moved once: comparing and swapping the strings themselves was a tenth of a no-change
    /// build of 10,000 pages. A folder with any other name is sorted as strings.
    static func sortedNames(_ names: [String]) -> [String] {
        guard names.count > 1 else { return names }
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        starts.reserveCapacity(names.count + 1)
        for name in names {
            name.withBytes { bytes.append(contentsOf: $0) }
            starts.append(bytes.count)
        }
        guard !bytes.isEmpty, bytes.withUnsafeBufferPointer(ByteText.allASCII) else { return names.sorted() }
        let order: [Int] = bytes.withUnsafeBytes { b in
            starts.withUnsafeBufferPointer { at in
                // Eight bytes at a time, read as one big-endian number (so numbers compare as the
                // bytes do), then byte by byte; a name that begins another comes first.
                func less(_ i: Int, _ j: Int) -> Bool {
                    var a = at[i], c = at[j]
                    let endA = at[i + 1], endC = at[j + 1]
                    while a + 8 <= endA, c + 8 <= endC {
                        let x = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: a, as: UInt64.self))
                        let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: c, as: UInt64.self))
                        if x != y { return x < y }
                        a += 8
                        c += 8
                    }
                    while a < endA, c < endC {
                        if b[a] != b[c] { return b[a] < b[c] }
                        a += 1
                        c += 1
                    }
                    return endA - a < endC - c
                }
                return Array(names.indices).sorted(by: less)
            }
        }
        return order.map { names[$0] }
    }

    /// See `FileIO.walk`. Iterative (a stack of folders), so deep trees cannot exhaust the stack.
    /// - Parameter root: links must resolve inside it; nil follows no symbolic links at all.
    static func walk(_ directory: String, within root: String?) throws -> Listing {
        var listing = Listing()
        let realRoot = root.flatMap(realPath)
        var seen: Set<[UInt64]> = []          // (device, inode) of every folder entered
        var pending: [(dir: String, prefix: String)] = [(directory, "")]
        var first = true
        while let (dir, prefix) = pending.popLast() {
            var st = stat()
            if stat(dir, &st) == 0 { seen.insert([UInt64(st.st_dev), UInt64(st.st_ino)]) }
            guard let d = opendir(dir) else {
                if first { throw FileIOError.errno(dir, "open folder") }
                listing.skipped.append(.init(path: prefix, reason: "cannot be read: \(String(cString: strerror(errno)))"))
                continue
            }
            first = false
            var names: [String] = []
            while let entry = readdir(d) {
                guard let name = Disk.entryName(entry, validating: true) else {
                    // No path of the site, and no String, can name it as it is.
                    listing.skipped.append(.init(path: prefix + Disk.entryName(entry), reason: "its name is not valid UTF-8 (shown with \u{FFFD} for the bytes that are not); rename it"))
                    continue
                }
                if !Listing.leavesOut(name) { names.append(name) }
            }
            names = Disk.sortedNames(names)
            // Each entry is looked up in its open folder (not by its whole path), on every core
            // for a large folder.
            // Only what the walk uses of each `stat` is kept (a fifth of its size: a large folder's
            // entries are all in memory at once).
            let fd = UnsafeSendable(dirfd(d))
            let stats = Parallel.mapSync(names, grain: 2048) { name -> Entry? in
                var st = stat()
                return fstatat(fd.value, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? Entry(st) : nil
            }
            closedir(d)
            // Folders are pushed in reverse, so they come off the stack in name order.
            var folders: [(String, String)] = []
            for (name, found) in zip(names, stats) {
                var full: String { dir + "/" + name }
                let rel = prefix + name
                guard var entry = found else { continue }
                if entry.mode == S_IFLNK {
                    listing.followedLinks = true
                    guard let realRoot, let target = realPath(full) else {
                        listing.skipped.append(.init(path: rel, reason: root == nil ? "is a symbolic link" : "is a broken symbolic link"))
                        continue
                    }
                    guard target == realRoot || target.hasPrefix(realRoot + "/") else {
                        listing.skipped.append(.init(path: rel, reason: "is a symbolic link to \(target), outside the project; it is not followed"))
                        continue
                    }
                    // Not into a folder a walk leaves out (the build store in `.versus/`, `.git`), nor
                    // into a tree a build wrote (its output, whose files would come back as sources).
                    if target.dropFirst(realRoot.count).split(separator: "/").contains(where: { Listing.leavesOut($0) }) {
                        listing.skipped.append(.init(path: rel, reason: "is a symbolic link into \(target), which a build leaves out (a hidden name); it is not followed"))
                        continue
                    }
                    if let tree = Disk.builtTree(around: target, within: realRoot) {
                        listing.skipped.append(.init(path: rel, reason: "is a symbolic link into \(tree), a folder a build wrote; it is not followed"))
                        continue
                    }
                    var st = stat()
                    guard stat(full, &st) == 0 else { continue }
                    entry = Entry(st)
                }
                if entry.mode == S_IFDIR {
                    if seen.contains([entry.device, entry.info.inode]) {
                        listing.skipped.append(.init(path: rel, reason: "is a folder already visited (a symbolic link loop)"))
                        continue
                    }
                    folders.append((full, rel + "/"))
                } else if entry.mode == S_IFREG {
                    listing.files.append(.init(path: rel, info: entry.info))
                } else {
                    listing.skipped.append(.init(path: rel, reason: "is not a regular file (a FIFO, socket or device)"))
                }
            }
            pending += folders.reversed()
        }
        // A walk of folders in name order lists their files in path order unless a folder's
        // files and its subfolders' interleave ("a.md" after "a/b.md"): sorted only then.
        if !zip(listing.files, listing.files.dropFirst()).allSatisfy({ $0.path < $1.path }) { listing.files.sort { $0.path < $1.path } }
        return listing
    }

    /// The folder at or above `path` (up to `root`) that holds a build's marker: an output tree.
    static func builtTree(around path: String, within root: String) -> String? {
        var folder = path
        while folder.count >= root.count {
            var st = stat()
            if stat(folder + OutputTree.marker, &st) == 0 { return folder }
            if folder == root { break }
            folder = parent(of: folder)
        }
        return nil
    }

    /// What the walk keeps of a folder entry's `stat`: its type, device and `FileInfo`.
    private struct Entry {
        var mode: mode_t
        var device: UInt64
        var info: FileInfo
        init(_ st: stat) {
            mode = st.st_mode & S_IFMT
            device = UInt64(st.st_dev)
            info = Disk.info(st)
        }
    }

    /// The path made absolute, with `.`, `..` and the symbolic links of the part of it that
    /// exists resolved (the rest is taken as written).
    static func resolved(_ path: String) -> String {
        if let real = realPath(path) { return real }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts = absolute.split(separator: "/").map(String.init)
        guard let last = parts.popLast() else { return "/" }
        let base = resolved("/" + parts.joined(separator: "/"))
        switch last {
        case ".": return base
        case "..": return parent(of: base)
        default: return base == "/" ? "/" + last : base + "/" + last
        }
    }

    /// The path made absolute (from `/`) and with `.` and `..` resolved, by its text alone.
    static func lexical(absolute path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    static func info(_ st: stat) -> FileInfo {
        #if canImport(Darwin)
        let modified = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        let changed = Int64(st.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(st.st_ctimespec.tv_nsec)
        #else
        let modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        let changed = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
        #endif
        return FileInfo(size: Int(st.st_size), modified: modified, isDirectory: (st.st_mode & S_IFMT) == S_IFDIR,
                        inode: UInt64(st.st_ino), changed: changed)
    }

    /// Writes a new file under a temporary name beside the target and renames it over the
    /// target: a reader never sees half a file, and a name shared with another tree (a hard
    /// link) is replaced, never written through.
    static func write(_ path: String, _ bytes: [UInt8]) throws {
        let slash = path.utf8.lastIndex(of: 47)
        let temporary = slash.map { String(path[...$0]) + ".versus-" + path[path.index(after: $0)...] } ?? ".versus-" + path
        try create(temporary, bytes, reportedAs: path)
        if rename(temporary, path) != 0 {
            let e = FileIOError.errno(path, "rename")
            unlink(temporary)
            throw e
        }
    }

    /// Writes the bytes at `path` itself (truncating a file there), creating its parent folders.
    /// On failure the partial file is removed.
    static func create(_ path: String, _ bytes: [UInt8], reportedAs name: String? = nil) throws {
        let name = name ?? path
        var fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 && errno == ENOENT {
            try makeDirectories(parent(of: name))
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        if fd < 0 { throw FileIOError.errno(name, "create") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in Glibc_write(fd, buf.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = FileIOError.errno(name, "write")
                close(fd)
                unlink(path)
                throw e
            }
            written += n
        }
        if close(fd) != 0 {
            let e = FileIOError.errno(name, "close")
            unlink(path)
            throw e
        }
    }

    static func link(_ from: String, _ to: String) throws {
        if Glibc_link(from, to) == 0 { return }
        switch errno {
        case EEXIST:
            // Replace: a new name beside it, then a rename over the old one.
            let temporary = to + ".versus-link"
            unlink(temporary)
            guard Glibc_link(from, temporary) == 0 else { throw FileIOError.errno(to, "link") }
            guard rename(temporary, to) == 0 else {
                let e = FileIOError.errno(to, "rename")
                unlink(temporary)
                throw e
            }
            // A rename between two names of one file does nothing: the new name is left over.
            unlink(temporary)
        case ENOENT:
            try makeDirectories(parent(of: to))
            guard Glibc_link(from, to) == 0 else { throw FileIOError.errno(to, "link") }
        default:
            throw FileIOError.errno(to, "link")
        }
    }

    #if os(Linux)
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    static let renameat2: RenameAt2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
    #endif

    static func exchange(_ a: String, _ b: String) throws {
        #if os(Linux)
        // renameat2(2) with RENAME_EXCHANGE (2). glibc has it since 2.28, but its declaration
        // needs _GNU_SOURCE, so the Swift module lacks it: look it up by name.
        guard let renameat2 = Disk.renameat2 else {
            throw FileIOError(a, "exchange with \(b) failed: this C library has no renameat2")
        }
        let r = renameat2(AT_FDCWD, a, AT_FDCWD, b, 2)
        if r == 0 { return }
        #elseif canImport(Darwin)
        if renamex_np(a, b, UInt32(RENAME_SWAP)) == 0 { return }
        #endif
        throw FileIOError.errno(a, "exchange with \(b)")
    }

    /// Whether `path` is a symbolic link (not followed).
    public static func isLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK
    }

    static func parent(of path: String) -> String {
        // By the byte, as the system splits a path ("/" is one byte, never part of another character's).
        guard let slash = path.utf8.lastIndex(of: 47) else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func makeDirectories(_ path: String) throws {
        if path.isEmpty || path == "." || path == "/" { return }
        if mkdir(path, 0o755) == 0 { return }
        switch errno {
        case EEXIST:
            return
        case ENOENT:
            try makeDirectories(parent(of: path))
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw FileIOError.errno(path, "create folder") }
        default:
            throw FileIOError.errno(path, "create folder")
        }
    }

    static func remove(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            if let d = opendir(path) {
                var names: [String] = []
                while let entry = readdir(d) {
                    let name = Disk.entryName(entry)
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(d)
                for name in names { try remove(path + "/" + name) }
            }
            if rmdir(path) != 0 && errno != ENOENT { throw FileIOError.errno(path, "remove folder") }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw FileIOError.errno(path, "remove")
        }
    }
}

#if canImport(Glibc)
@inline(__always) private func Glibc_link(_ a: String, _ b: String) -> Int32 { Glibc.link(a, b) }
@inline(__always) private func Glibc_read(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ n: Int) -> Int { Glibc.read(fd, buf, n) }
@inline(__always) private func Glibc_write(_ fd: Int32, _ buf: UnsafeRawPointer, _ n: Int) -> Int { Glibc.write(fd, buf, n) }
#else
@inline(__always) private func Glibc_link(_ a: String, _ b: String) -> Int32 { Darwin.link(a, b) }
@inline(__always) private func Glibc_read(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ n: Int) -> Int { Darwin.read(fd, buf, n) }
@inline(__always) private func Glibc_write(_ fd: Int32, _ buf: UnsafeRawPointer, _ n: Int) -> Int { Darwin.write(fd, buf, n) }
#endif

// MARK: - Memory

/// An in-memory file system for tests: paths are keys, folders are implied.
public final class MemoryFileSystem: @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: [UInt8]] = [:]
    private var times: [String: Int64] = [:]
    private var clock: Int64 = 1

    public init(_ files: [String: String] = [:]) {
        for (path, text) in files { self.files[Self.clean(path)] = Array(text.utf8) }
    }

    static func clean(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/") where p != "." && !p.isEmpty { parts.append(p) }
        return parts.joined(separator: "/")
    }

    public subscript(path: String) -> String? {
        get { lock.withLock { files[Self.clean(path)].map { String(decoding: $0, as: UTF8.self) } } }
        set {
            lock.withLock {
                let p = Self.clean(path)
                files[p] = newValue.map { Array($0.utf8) }
                clock += 1
                times[p] = clock
            }
        }
    }

    public var paths: [String] { lock.withLock { files.keys.sorted() } }

    public var io: FileIO {
        FileIO(
            read: { path in
                try self.lock.withLock {
                    guard let b = self.files[Self.clean(path)] else { throw FileIOError(path, "no such file") }
                    return b
                }
            },
            list: { dir in
                self.lock.withLock {
                    let prefix = Self.clean(dir).isEmpty ? "" : Self.clean(dir) + "/"
                    return self.files.keys.filter { $0.hasPrefix(prefix) }
                        .map { String($0.dropFirst(prefix.count)) }
                        .filter { !$0.split(separator: "/").contains(where: Listing.leavesOut) }
                        .sorted()
                }
            },
            walk: { dir, _ in
                self.lock.withLock {
                    let prefix = Self.clean(dir).isEmpty ? "" : Self.clean(dir) + "/"
                    var listing = Listing()
                    for key in self.files.keys.sorted() where key.hasPrefix(prefix) {
                        let rel = String(key.dropFirst(prefix.count))
                        if rel.split(separator: "/").contains(where: Listing.leavesOut) { continue }
                        listing.files.append(.init(path: rel, info: FileInfo(size: self.files[key]!.count, modified: self.times[key] ?? 0, isDirectory: false)))
                    }
                    return listing
                }
            },
            info: { path in
                self.lock.withLock {
                    let p = Self.clean(path)
                    if let b = self.files[p] { return FileInfo(size: b.count, modified: self.times[p] ?? 0, isDirectory: false) }
                    let prefix = p.isEmpty ? "" : p + "/"
                    return self.files.keys.contains(where: { $0.hasPrefix(prefix) }) ? FileInfo(size: 0, modified: 0, isDirectory: true) : nil
                }
            },
            write: { path, bytes in
                self.lock.withLock {
                    let p = Self.clean(path)
                    self.files[p] = bytes
                    self.clock += 1
                    self.times[p] = self.clock
                }
            },
            remove: { path in
                self.lock.withLock {
                    let p = Self.clean(path)
                    // A file, or else a folder and everything in it.
                    if self.files.removeValue(forKey: p) != nil { return }
                    for k in self.files.keys where k.hasPrefix(p + "/") { self.files[k] = nil }
                }
            },
            move: { from, to in
                try self.lock.withLock {
                    let f = Self.clean(from), t = Self.clean(to)
                    let moved = self.files.keys.filter { $0 == f || $0.hasPrefix(f + "/") }
                    if moved.isEmpty { throw FileIOError(from, "no such file") }
                    // rename() replaces an empty target folder or a file; like POSIX, refuse a non-empty folder.
                    if self.files.keys.contains(where: { $0.hasPrefix(t + "/") }) { throw FileIOError(to, "folder not empty") }
                    for k in moved {
                        let newKey = t + k.dropFirst(f.count)
                        self.files[newKey] = self.files.removeValue(forKey: k)
                        self.times[newKey] = self.times.removeValue(forKey: k)
                    }
                }
            },
            removeEmptyFolder: { path in
                self.lock.withLock { !self.files.keys.contains { $0.hasPrefix(Self.clean(path) + "/") } }
            },
            link: { from, to in
                try self.lock.withLock {
                    guard let b = self.files[Self.clean(from)] else { throw FileIOError(from, "no such file") }
                    self.files[Self.clean(to)] = b
                    self.times[Self.clean(to)] = self.times[Self.clean(from)]
                }
            },
            exchange: { a, b in
                self.lock.withLock {
                    let pa = Self.clean(a) + "/", pb = Self.clean(b) + "/"
                    var swapped: [String: [UInt8]] = [:]
                    var times: [String: Int64] = [:]
                    for (k, v) in self.files {
                        if k.hasPrefix(pa) { swapped[pb + k.dropFirst(pa.count)] = v; times[pb + k.dropFirst(pa.count)] = self.times[k] }
                        else if k.hasPrefix(pb) { swapped[pa + k.dropFirst(pb.count)] = v; times[pa + k.dropFirst(pb.count)] = self.times[k] }
                        else { swapped[k] = v; times[k] = self.times[k] }
                    }
                    self.files = swapped
                    self.times = times
                }
            }
        )
    }
}
