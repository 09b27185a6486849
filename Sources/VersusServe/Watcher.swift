import Foundation
import VersusCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches the project's inputs (content, templates, the site config) and reports
/// when something changed. On Linux it uses inotify; elsewhere it polls. Changes
/// are reported through `changed`, as often as they happen; callers debounce.
public final class Watcher: @unchecked Sendable {
    public let folders: [String]
    public let files: [String]
    private let onChange: @Sendable (String) -> Void
    private var thread: Thread?
    private let lock = NSLock()
    private var stopped = false

    /// - Parameters:
    ///   - folders: watched recursively (`content`, `templates`).
    ///   - files: single files (`versus.yml`).
    public init(folders: [String], files: [String], onChange: @escaping @Sendable (String) -> Void) {
        self.folders = folders
        self.files = files
        self.onChange = onChange
    }

    /// Told instead of a path when the watcher lost track (the kernel's event queue overflowed).
    public static let unknown = ""

    public func start() {
        let t = Thread { [self] in
            #if os(Linux)
            if !self.runInotify() { self.runPolling() }
            #else
            self.runPolling()
            #endif
        }
        t.name = "versus-watcher"
        thread = t
        t.start()
    }

    public func stop() {
        lock.withLock { stopped = true }
    }

    var isStopped: Bool { lock.withLock { stopped } }

    // MARK: Polling

    /// Every file's size and time; a change in any is a change.
    func signature() -> [String: FileInfo] {
        var out: [String: FileInfo] = [:]
        for folder in folders {
            for rel in (try? FileIO.disk.list(folder)) ?? [] {
                if let i = FileIO.disk.info(folder + "/" + rel) { out[folder + "/" + rel] = i }
            }
        }
        for file in files { if let i = FileIO.disk.info(file) { out[file] = i } }
        return out
    }

    func runPolling() {
        var last = signature()
        while !isStopped {
            Thread.sleep(forTimeInterval: 0.25)
            let now = signature()
            if now != last {
                var changed = Set(now.keys).symmetricDifference(last.keys)
                for (path, info) in now where last[path] != info { changed.insert(path) }
                last = now
                for path in changed.sorted() { onChange(path) }
            }
        }
    }

    // MARK: inotify

    #if os(Linux)
    func runInotify() -> Bool {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)
        var paths: [Int32: String] = [:]
        var fileNames: [Int32: Set<String>] = [:]   // parent-folder watches that stand for single files
        func watch(_ folder: String) {
            let wd = inotify_add_watch(fd, folder, mask)
            guard wd >= 0 else { return }
            paths[wd] = folder
            for rel in (try? subfolders(folder)) ?? [] { watch(folder + "/" + rel) }
        }
        for folder in folders { watch(folder) }
        for file in files {
            let parent = (file as NSString).deletingLastPathComponent
            let wd = inotify_add_watch(fd, parent.isEmpty ? "." : parent, mask)
            if wd >= 0 { fileNames[wd, default: []].insert((file as NSString).lastPathComponent) }
        }
        // The watched folders by name, in their parents' watches: a folder replaced whole (a
        // branch switched, `rm -rf templates && cp -r theme templates`) is watched again when it
        // comes back (its own watches went with it), and its going or coming is a change.
        var folderNames: [Int32: [String: String]] = [:]
        for folder in folders {
            let parent = (folder as NSString).deletingLastPathComponent
            let wd = inotify_add_watch(fd, parent.isEmpty ? "." : parent, mask)
            if wd >= 0 { folderNames[wd, default: [:]][(folder as NSString).lastPathComponent] = folder }
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !isStopped {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 250) <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { continue }
            var offset = 0
            var changed: [String] = []
            while offset + 16 <= n {
                let wd = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset, as: Int32.self) }
                let eventMask = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset + 4, as: UInt32.self) }
                let len = Int(buffer.withUnsafeBytes { $0.load(fromByteOffset: offset + 12, as: UInt32.self) })
                let nameBytes = buffer[(offset + 16)..<min(n, offset + 16 + len)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset += 16 + len
                if eventMask & UInt32(IN_Q_OVERFLOW) != 0 {
                    // Events were lost: which files changed is not known.
                    changed.append(Watcher.unknown)
                    continue
                }
                if let folder = folderNames[wd]?[name] {
                    if eventMask & UInt32(IN_ISDIR) != 0 && eventMask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { watch(folder) }
                    changed.append(Watcher.unknown)   // the whole folder: every input is read again
                }
                if let names = fileNames[wd] {
                    if names.contains(name) { changed.append(name) }
                    if paths[wd] == nil { continue }
                }
                guard let folder = paths[wd] else { continue }
                if !name.isEmpty && Listing.leavesOut(name) { continue }   // what no build reads (hidden names, editors' copies)
                let full = name.isEmpty ? folder : folder + "/" + name
                if eventMask & UInt32(IN_ISDIR) != 0 && eventMask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    watch(full)
                }
                changed.append(full)
            }
            var told: Set<String> = []
            for path in changed where told.insert(path).inserted { onChange(path) }
        }
        return true
    }

    func subfolders(_ folder: String) throws -> [String] {
        guard let d = opendir(folder) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = Disk.entryName(e)
            if Listing.leavesOut(name) { continue }
            if Int32(Disk.entryType(e)) == Int32(DT_DIR) { out.append(name) }
        }
        return out
    }
    #endif
}
