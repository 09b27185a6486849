import Foundation

/// The output folder, replaced in one step.
///
/// A build never writes into `output/`. It writes into a second tree beside it,
/// `output.staging/`, and then swaps the two folders with one rename
/// (`renameat2(RENAME_EXCHANGE)` on Linux, `renamex_np(RENAME_SWAP)` on macOS): a
/// web server reading `output/` sees the whole old build or the whole new one,
/// whatever stops the build (kill -9, a full disk, a read-only file).
///
/// After the swap, `output.staging/` holds the build before, and the next build
/// brings it up to date instead of starting over: it differs from `output/` only in
/// the files the last build wrote or removed, so a build costs what it changes.
/// Files the two trees share are hard links, and a staged file is always written
/// under a new inode, so the live tree is never modified in place.
///
/// Each tree carries a marker, `.versus-build`, naming the build it holds ("unfinished" while a
/// build writes it). A tree whose marker is unexpected (a build was killed while updating it) is
/// not trusted: it is made again from the live tree, or from nothing.
public final class OutputTree: @unchecked Sendable {
    /// What a commit leaves behind, for the next build (kept in the build store).
    public struct Record: Sendable, Hashable, Codable {
        /// The build in `output/`.
        public var live: String
        /// The build in `output.staging/`, if there is one.
        public var spare: String?
        /// The paths where the two trees differ.
        public var changed: [String]
    }

    /// The files of the live build and their digests, found through the last build's output
    /// records (a file is a record's path, or a record's path and a copy's suffix): not copied
    /// into a map of their own for each build.
    public struct Live: Sendable {
        let records: OutputRecords
        /// Files of the records found changed or removed by hand: still the live tree's paths
        /// (a build that does not make them again removes them), with no digest a file has.
        let changedByHand: Set<String>
        /// Files with no second name, which a spare tree the last commit left shares with the
        /// live one unless it changed them: where the spare tree lacks them (removed by hand),
        /// it differs from the live tree.
        let alone: Set<String>
        public init(_ records: OutputRecords, changedByHand: Set<String> = [], alone: Set<String> = []) {
            self.records = records
            self.changedByHand = changedByHand
            self.alone = alone
        }

        /// What `subscript` gives for a file changed by hand: no SHA-256 is written so.
        static let unknownDigest = "changed by hand"

        /// The digest of the file at `path`, if the live build has one there.
        public subscript(path: String) -> String? {
            if !changedByHand.isEmpty, changedByHand.contains(path) { return Self.unknownDigest }
            if let record = records[path] { return record.entry.sha256 }
            for encoding in ContentEncoding.allCases where path.hasSuffix(encoding.suffix) {
                guard let record = records[String(path.dropLast(encoding.suffix.count))] else { continue }
                return record.entry.variants.first { $0.encoding == encoding }?.sha256
            }
            return nil
        }

        /// The records, each standing for a file and its copies.
        var count: Int { records.count }

        /// Every file's path.
        var paths: [String] {
            var out: [String] = []
            out.reserveCapacity(records.count)
            records.forEach { _, record in for file in record.entry.files { out.append(file.path) } }
            return out
        }
    }

    public static let marker = "/.versus-build"
    /// Beside the spare tree: an old spare tree waiting to be removed.
    static let discardedSuffix = ".old"
    /// Beside the spare tree: while a build is written whole, the copy of it (hard links) that
    /// becomes the spare tree after the commit.
    static let copySuffix = ".new"
    /// The spare tree of an output folder.
    public static func spare(of output: String) -> String { output + ".staging" }
    /// The places beside the output folder where a build keeps a tree of its own.
    public static func treesBeside(_ output: String) -> [String] {
        let spare = spare(of: output)
        return [spare, spare + discardedSuffix, spare + copySuffix]
    }

    public let io: FileIO
    public let output: String
    public let spare: String
    /// What the live tree holds, by path (`nil` when nothing is known: everything is written).
    let live: Live?
    /// Paths where the spare tree may differ from the live one (a path linked from the live
    /// tree leaves it: changed under the lock).
    private var differing: Set<String>
    /// The build the live tree holds (when known).
    let previousLive: String?
    private let lock = NSLock()
    /// Path → digest of what the new build has there; after `keepAll`, only the files made
    /// or kept since (the rest are the live tree's: copying the live map whole on the first
    /// write would cost as much as the rest of a one-page edit's commit).
    private var claimed: [String: String] = [:]
    private var keptAll = false
    /// The folders made in the spare tree while it is written whole.
    private let madeFolders: MadeFolders
    /// While the build is written whole (nothing is known of the live tree): its copy, each file
    /// linked there as it is written, so that after the commit the spare tree holds the same
    /// build and the next build writes only what it changes.
    private let copy: String?
    private let copyFolders: MadeFolders
    private var written: Set<String> = []
    /// The build a commit of a build written whole put in `output/`, whose copy is still to be made.
    private var committed: String?

    /// Opens the output folder for a build.
    /// - Parameters:
    ///   - record: what the last commit left, if the build store has it.
    ///   - liveFiles: the files of the live build (from the build store).
    public init(io: FileIO, output: String, record: Record?, liveFiles: Live?) throws {
        self.io = io
        self.output = output
        self.spare = OutputTree.spare(of: output)
        madeFolders = MadeFolders(io: io)
        copyFolders = MadeFolders(io: io)
        // A copy a stopped build left.
        try OutputTree.removeTree(io, spare + OutputTree.copySuffix)
        let liveMarker = OutputTree.readMarker(io, output)
        let spareMarker = OutputTree.readMarker(io, spare)
        if let record, let liveFiles, liveMarker == record.live {
            try OutputTree.removeTree(io, spare + OutputTree.discardedSuffix)   // left by a build that was stopped
            live = liveFiles
            copy = nil
            previousLive = record.live
            if let expected = record.spare, spareMarker == expected {
                differing = Set(record.changed).union(liveFiles.alone)
            } else {
                // The spare tree is missing or was left half-updated: make it a copy of the live one.
                try OutputTree.removeTree(io, spare)
                // Marked before it is filled: a build stopped while linking leaves a tree that says
                // it is Versus's and holds no build (remade by the next), not a tree of files no
                // build claims, which every later build would refuse to replace.
                try OutputTree.markUnfinished(io, spare)
                for path in liveFiles.paths where !liveFiles.changedByHand.contains(path) { try io.link(output + path, spare + path) }
                differing = Set(liveFiles.changedByHand)
            }
        } else {
            // Nothing known about the live tree: the new build is written whole, and its copy
            // beside it. What the spare tree holds is moved aside, and removed after the commit
            // (`discard`), when the build has cores to spare; a build killed before that leaves
            // it for the next.
            try OutputTree.removeTree(io, spare + OutputTree.discardedSuffix)
            if io.exists(spare) { try io.move(spare, spare + OutputTree.discardedSuffix) }
            copy = spare + OutputTree.copySuffix
            try OutputTree.markUnfinished(io, spare + OutputTree.copySuffix)
            live = nil
            previousLive = nil
            differing = []
        }
        claimed.reserveCapacity(live?.count ?? 0)
        // From here the spare tree is being changed: it holds no build until commit.
        try OutputTree.markUnfinished(io, spare)
    }

    /// What the marker of a tree being written says: a tree of Versus that holds no build. A
    /// tree of Versus always has a marker, so a folder without one at a tree's place is
    /// someone else's, which no build replaces (`Project.outputProblems`).
    static let unfinished = "unfinished"

    static func markUnfinished(_ io: FileIO, _ tree: String) throws {
        try io.makeFolders(tree)
        // Written in place, not by a temporary file renamed: a build stopped while writing it
        // leaves a marker (cut short), never a tree holding only a temporary file.
        try io.create(tree + marker, Array(unfinished.utf8))
    }

    /// Removes a tree of Versus, its marker last: a tree removed in part (a build stopped
    /// meanwhile) still says it is one, so the next build takes it and removes the rest.
    static func removeTree(_ io: FileIO, _ tree: String) throws {
        guard io.exists(tree) else { return }
        if io.isDisk, !Disk.isLink(tree), Disk.info(tree)?.isDirectory == true,
           let names = try? FileManager.default.contentsOfDirectory(atPath: tree) {
            for name in names where "/" + name != marker { try io.remove(tree + "/" + name) }
        }
        try io.remove(tree)
    }

    /// Whether the live tree holds exactly these bytes at `path` (so a build can keep it).
    public func liveHas(_ path: String, digest: String) -> Bool {
        live?[path] == digest
    }

    /// Puts a file of the new build in place in the spare tree.
    public func write(_ path: String, _ bytes: [UInt8], digest: String) throws {
        lock.withLock { claimed[path] = digest }
        // The spare tree already holds these bytes when it equals the live tree here.
        if live?[path] == digest, !lock.withLock({ differing.contains(path) }) { return }
        // A new file (never written through a name the live tree shares). A build written whole
        // goes into a tree made for it, where no name is shared: the file is written in place.
        if copy != nil {
            try madeFolders.make(Disk.parent(of: spare + path))
            try io.create(spare + path, bytes)
        } else {
            try placing(path) { try io.write(spare + path, bytes) }
        }
        lock.withLock { _ = written.insert(path) }
    }

    /// Whether the build is written whole, into a tree made for it (nothing is known of the live one).
    public var writesWhole: Bool { copy != nil }

    /// Makes the folders of files the build is about to write, before it writes them: for a build
    /// written whole, on a core the build leaves idle while it decides the site, so that each
    /// file is then one write and not a folder and a write. The copy (`discard`) gets the same
    /// folders. Only for files the build then writes: a folder made for nothing would stay, empty,
    /// in the tree swapped in. (A build that fails leaves them in a tree marked as holding no
    /// build, which the next one makes again.) Nothing for a build that updates the spare tree.
    public func prepareFolders(for paths: [String]) {
        guard let copy else { return }
        for path in paths {
            // A folder that cannot be made here is made, or reported, when its file is written.
            try? madeFolders.make(Disk.parent(of: spare + path))
            try? copyFolders.make(Disk.parent(of: copy + path))
        }
    }

    /// Keeps a file of the live build as it is.
    public func keep(_ path: String) throws {
        guard let digest = live?[path] else { throw FileIOError(output + path, "is not part of the last build") }
        let differs = lock.withLock { () -> Bool in
            claimed[path] = digest
            return differing.remove(path) != nil
        }
        if differs { try placing(path) { try io.link(output + path, spare + path) } }
    }

    /// Keeps every file of the live build as it is (a build then writes or removes only what
    /// it changes), before anything is written. The files where the spare tree differs are
    /// linked from the live one. Returns false when nothing is known of the live tree (the new
    /// build is written whole).
    public func keepAll() throws -> Bool {
        guard let live else { return false }
        let differs = lock.withLock { () -> [String] in
            keptAll = true
            // (A file changed or removed by hand is made again, not linked.)
            let linked = differing.filter { live[$0] != nil && !live.changedByHand.contains($0) }
            differing.subtract(linked)
            return Array(linked)
        }
        for path in differs { try placing(path) { try io.link(output + path, spare + path) } }
        return true
    }

    /// Puts a file at `path` in the spare tree with `place`. When that fails because the tree
    /// has a folder at the path, or a file where one of its folders goes (a page that became a
    /// file beside the content, or the other way round, or a file added to `output/` by hand
    /// that the tree took over in a swap), that is removed and `place` runs once more. Neither
    /// can hold a file of the new build: it has a file at `path`, so nothing below it, and
    /// folders above it, so no file there.
    private func placing(_ path: String, _ place: () throws -> Void) throws {
        do {
            try place()
        } catch {
            try lock.withLock { try clearWay(to: path) }   // one at a time: two files may share a folder in the way
            try place()
        }
    }

    /// Removes a folder at `path` in the spare tree, and a file where a folder above it goes.
    private func clearWay(to path: String) throws {
        if io.info(spare + path)?.isDirectory == true { try io.remove(spare + path); return }
        if let file = fileInTheWay(of: path) { try io.remove(spare + file) }
    }

    /// The nearest folder of `path` that the spare tree has, if it is a file.
    private func fileInTheWay(of path: String) -> String? {
        var folder = Disk.parent(of: path)
        while folder.count > 1 {
            if let info = io.info(spare + folder) { return info.isDirectory ? nil : folder }
            folder = Disk.parent(of: folder)
        }
        return nil
    }

    /// Removes what the new build no longer has, marks the tree, and swaps it in.
    /// Returns the record for the next build, and the paths written and removed.
    public func commit(build id: String) throws -> (record: Record, written: [String], removed: [String]) {
        let (claimed, keptAll) = lock.withLock { (self.claimed, self.keptAll) }
        var removed: [String] = []
        // Files of the live build the new one lacks (none when it kept them all), and leftovers
        // of the build before.
        var gone: [String] = []
        if !keptAll, let live { for path in live.paths where claimed[path] == nil { gone.append(path) } }
        for path in lock.withLock({ differing }) where claimed[path] == nil && live?[path] == nil { gone.append(path) }
        for path in gone {
            // The live tree's file is gone from the new build either way; the spare tree, which
            // after the swap holds the live one, differs there.
            if live?[path] != nil { removed.append(path) }
            // A folder there holds files of the new build (a file that became a page's folder), or
            // files of the build before the last (a page's folder where the last build put a
            // file), which are among the paths where the trees differ and go as such.
            if io.info(spare + path)?.isDirectory == true { continue }
            try io.remove(spare + path)
            // A file where a folder of the path goes, which is not the new build's: one added to
            // `output/` by hand that a swap handed to the spare tree, in the way of this path
            // until now.
            if let inTheWay = fileInTheWay(of: path), claimed[inTheWay] == nil, live?[inTheWay] == nil {
                try io.remove(spare + inTheWay)
            }
            io.pruneEmptyFolders(above: spare + path, root: spare)
        }
        let written = lock.withLock { self.written }
        if written.isEmpty && removed.isEmpty, let previousLive, previousLive == id {
            // Nothing changed: the live tree stays, and the spare one now holds the same build.
            try io.write(spare + OutputTree.marker, Array(id.utf8))
            return (Record(live: id, spare: id, changed: []), [], [])
        }
        try io.write(spare + OutputTree.marker, Array(id.utf8))
        if io.exists(output) {
            try io.exchange(spare, output)
        } else {
            try io.move(spare, output)
        }
        // The trees now differ where this build wrote or removed a file.
        guard copy != nil else {
            let record = Record(live: id, spare: previousLive, changed: written.union(removed).sorted())
            return (record, Parallel.sorted(Array(written), by: <), removed.sorted())
        }
        // A build written whole: its copy (made by `discard`, after the commit) becomes the spare
        // tree. What `output/` held before is in the spare tree's place until then, marked as
        // holding no build: a build stopped before the copy is in place finds no spare tree it
        // can trust, and makes one again.
        if io.exists(spare) { try io.write(spare + OutputTree.marker, Array(OutputTree.unfinished.utf8)) }
        lock.withLock { committed = id }
        return (Record(live: id, spare: id, changed: []), Parallel.sorted(Array(written), by: <), removed.sorted())
    }

    /// After a build written whole is committed: makes its copy (every file linked from the live
    /// tree) and puts it in the spare tree's place, then removes the trees the build put aside
    /// (the spare tree before it, and what `output/` held before). Run after the commit, on a
    /// core the rest of the build leaves idle (linking ten thousand files is not on the way to
    /// the new site); a build stopped before leaves them for the next, which makes the copy again.
    public func discard() throws {
        guard let copy else { return }
        let (built, id) = lock.withLock { (written, committed) }
        if let id {
            for path in built {
                try copyFolders.make(Disk.parent(of: copy + path))
                try io.link(output + path, copy + path)
            }
            try io.write(copy + OutputTree.marker, Array(id.utf8))
            if io.exists(spare) {
                try io.exchange(copy, spare)
            } else {
                try io.move(copy, spare)
            }
        }
        try OutputTree.removeTree(io, spare + OutputTree.discardedSuffix)
        try OutputTree.removeTree(io, spare + OutputTree.copySuffix)
    }

    /// Leaves the output as it was. The spare tree stays unmarked, so the next build remakes it.
    public func abort() {}

    static func readMarker(_ io: FileIO, _ tree: String) -> String? {
        guard let bytes = try? io.read(tree + marker) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Folders made in a tree that started empty: each is made once, before the first file in it
/// (not found missing by a failed write first).
private final class MadeFolders: @unchecked Sendable {
    private let io: FileIO
    private let lock = NSLock()
    private var made: Set<String> = []
    init(io: FileIO) { self.io = io }

    func make(_ folder: String) throws {
        guard lock.withLock({ !made.contains(folder) }) else { return }
        try io.makeFolders(folder)
        lock.withLock { _ = made.insert(folder) }
    }
}
