import Foundation
import GRDB

/// What earlier builds worked out, so the next build does only what changed.
///
/// An SQLite database (through GRDB) in `.versus/`, one per output folder. It holds
/// the memo of each stage: for each source, its file stamp and memo key; for each
/// normalised source, its summary and its page, under a key derived from the source's
/// digest and the Versus build identity; for each output file, the key of what its
/// template received and its manifest entry; the last assemble; and what the output
/// trees hold. Stamps, summaries and output records, which every build reads whole, are
/// kept in chunks (`Chunked`); pages, a row each, read only when rendered. Every value is
/// a `Codable` type stored in its binary form (`BinaryEncoder`): nothing is stored by
/// position, and a new field needs no change here.
///
/// The store belongs to one build of Versus: the tables of a store written by another
/// (the identity differs) are dropped on open, so an upgrade can never serve stale pages
/// and the layout never needs migrating.
public final class BuildStore: @unchecked Sendable {
    /// A source file as it was when it was last read.
    public struct SourceStamp: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
        public var size: Int
        public var modified: Int64
        public var changed: Int64
        public var inode: UInt64
        /// The file it was read from, and its normalise memo key (the build identity, its
        /// path, file and the digest of its bytes: `Memo.normalise`), so an unchanged source is
        /// not read again.
        public var file: String
        public var key: String

        public init(_ info: FileInfo, file: String, key: String) {
            (size, modified, changed, inode) = (info.size, info.modified, info.changed, info.inode)
            self.file = file
            self.key = key
        }

        /// Whether a file found now is the one this stamp was taken of: the same size, times
        /// (modified and status change) and inode. The one rule for trusting a file unread.
        public func matches(_ info: FileInfo) -> Bool {
            size == info.size && modified == info.modified && changed == info.changed && inode == info.inode
        }

        func writeBinary(to e: BinaryEncoder) {
            e.int(Int64(size))
            e.int(modified)
            e.int(changed)
            e.varint(inode)
            e.str(file)
            e.str(key)
        }

        init(binary d: BinaryDecoder) throws {
            let (size, modified, changed, inode) = (Int(try d.int()), try d.int(), try d.int(), try d.varint())
            self.init(FileInfo(size: size, modified: modified, isDirectory: false, inode: inode, changed: changed), file: try d.str(), key: try d.str())
        }
    }

    /// One output file: the key of what went into it, and its manifest entry.
    public struct OutputRecord: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
        public var key: String
        public var entry: ManifestEntry
        /// The settings its precompressed copies were made with (empty when it has none).
        public var compression: String

        func writeBinary(to e: BinaryEncoder) throws {
            e.str(key)
            try entry.writeBinary(to: e)
            e.str(compression)
        }
    }

    /// Everything a build adds to or removes from the store, saved in one transaction.
    public struct Changes: Sendable {
        public var sources: [String: SourceStamp?] = [:]
        public var normalised: [String: Normalised] = [:]
        /// Pages by key, in their binary form (`BinaryEncoder`).
        public var pages: [String: [UInt8]] = [:]
        /// Keys of normalised sources no build uses any more.
        public var dropNormalised: Set<String> = []
        public var outputs: [String: OutputRecord?] = [:]
        public var tree: OutputTree.Record?
        public var last: LastBuild?
        /// The last assemble's facts in their binary form with its number of plan chunks (nil:
        /// leave the stored one), the plan chunks to write (by number), and whether to forget
        /// the stored assemble (a build that does not leave one).
        public var assembled: (bytes: Data, planChunks: Int)?
        public var planChunks: [Int: [PagePlan]] = [:]
        public var dropAssembled = false
        /// The manifest's paths in order, when they differ from the stored ones.
        public var manifestOrder: [String]?
        public init() {}
        /// Keeps an assemble for the next build: its facts, encoded here (a caller can do this
        /// beside other work), and the plan chunks a delta changed (`patchedPages`), or all of
        /// them after a full assemble (encoded when saved, a few at a time).
        mutating func keep(_ assembled: SiteAssembler.Assembled, fingerprint: String, ledgerText: String, patchedPages: Set<Int>?) {
            let stored = assembled.stored(fingerprint: fingerprint, ledgerText: ledgerText)
            self.assembled = (Data(BinaryEncoder.encode(stored)), stored.planChunks)
            let size = SiteAssembler.Assembled.Stored.planChunk, plans = assembled.site.plans
            let chunks = patchedPages.map { Set($0.map { $0 / size }) } ?? Set(0..<stored.planChunks)
            for n in chunks { planChunks[n] = Array(plans[(n * size)..<min(plans.count, (n + 1) * size)]) }
        }

        public var isEmpty: Bool {
            sources.isEmpty && normalised.isEmpty && dropNormalised.isEmpty && outputs.isEmpty && tree == nil && last == nil && assembled == nil && !dropAssembled
                && manifestOrder == nil
        }
    }

    let db: DatabaseQueue
    /// How much of the store's file is read through a memory map (address space, not memory:
    /// the map holds the file's pages only as they are read).
    static let mappedBytes = 1 << 32
    public let identity: String
    /// Set when a value read from the store on first use (a page summary's fields) does not decode.
    public let damage = StoreDamage()

    /// Opens (or creates) the store at `path` (nil: in memory, for builds on an in-memory
    /// file system). A store of another build identity is emptied.
    /// - Parameter output: the resolved path of the output folder it is for, recorded so a
    ///   later build can tell when no build can use the store any more (`sweep`).
    public init(path: String?, identity: String, output: String? = nil) throws {
        var config = Configuration()
        if let path {
            try Disk.makeDirectories(Disk.parent(of: path))
            // A new store is filled by its first build in SQLite's rollback-journal mode: what a
            // transaction adds past the end of the file is written once, and no journal holds it.
            // In write-ahead mode every page of it went to the log first and was copied into the
            // database when the store closed (a first build's whole store written twice, the copy
            // on one core at the end). The next build opens it in write-ahead mode, where a small
            // change is one append to the log.
            let new = Disk.info(path) == nil
            config.prepareDatabase { db in
                // Large pages: the store is mostly blobs, read whole (a new file only; see below).
                try db.execute(sql: "PRAGMA page_size = 65536")
                if !new { try db.execute(sql: "PRAGMA journal_mode = WAL") }
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Read through a memory map: a page row is read where the file's pages lie in
                // memory, not copied out a 64 KiB page at a time (a build after a template edit
                // reads every page's row, in no order the file has).
                try db.execute(sql: "PRAGMA mmap_size = \(BuildStore.mappedBytes)")
            }
            db = try DatabaseQueue(path: path, configuration: config)
        } else {
            db = try DatabaseQueue(configuration: config)
        }
        self.identity = identity
        let renewed = try db.write { db -> Bool in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)")
            let stored = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'identity'")
            guard stored.map({ String(decoding: $0, as: UTF8.self) }) != identity else { return false }
            // Another build of Versus wrote it: its tables go, whatever their layout was.
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                try db.execute(sql: "DROP TABLE \"\(table)\"")
            }
            try db.execute(sql: "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)")
            try db.execute(sql: "INSERT INTO meta (name, value) VALUES ('identity', ?)", arguments: [Data(identity.utf8)])
            return stored != nil
        }
        if renewed, path != nil {
            // The file gives back the space of what was dropped, and takes the page size set
            // above (large pages: the store is mostly blobs read whole).
            try db.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                try db.execute(sql: "PRAGMA page_size = 65536")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
        }
        if let output {
            try db.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES ('output', ?)", arguments: [Data(output.utf8)])
            }
        }
        try db.write { db in
            // The small records every build reads whole (source stamps, summaries, output records)
            // are kept in chunks (`Chunked`); pages, one row each.
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS chunk (name TEXT NOT NULL, n INTEGER NOT NULL, value BLOB NOT NULL, count INTEGER NOT NULL,
                                                  PRIMARY KEY (name, n));
                CREATE TABLE IF NOT EXISTS page (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                """)
        }
    }

    // MARK: Reading

    public func sources() throws -> [String: SourceStamp] {
        try Chunked.source.read(db)
    }

    /// The normalised sources, by key (summaries and diagnostics; pages are read one by one).
    public func normalised() throws -> [String: Normalised] {
        try Chunked.normalised.read(db, damage: damage)
    }

    /// The normalised sources, read on demand by key (`ChunkReader`).
    func normalisedReader() -> ChunkReader<Normalised> {
        ChunkReader(.normalised, db: db, damage: damage)
    }

    /// A normalised page, read on each core that renders: the queue serialises the store's
    /// readers, so only the row is read on it (one statement, which needs no transaction around
    /// it: no other build writes while this one holds the build lock), and it is decoded after.
    public func page(_ key: String) throws -> Page? {
        let data = try db.inDatabase { db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT value FROM page WHERE key = ?"), arguments: [key])
        }
        return try data.map { try BinaryDecoder.decode(Page.self, from: $0) }
    }

    /// The last build's output records, each chunk decoded when a record in it is first asked
    /// for (a build by delta asks for few).
    public func outputs() throws -> OutputRecords {
        try Chunked.output.readLazily(db, damage: damage)
    }

    /// The last successful build, as a whole: the digest of all its inputs, what it
    /// reported, and each output file's size (to see that the output is still as it left it).
    public struct LastBuild: Sendable, Codable {
        public var inputs: String
        public var pages: Int
        public var files: Int
        public var diagnostics: [Diagnostic]
        public var redirects: [Redirect]
        /// `size<TAB>path` lines, one per output file (copies included), as bytes (a site of
        /// 50,000 pages has 3 MB of them, read back by the next build: not checked as UTF-8).
        public var sizes: Blob
    }

    public func lastBuild() throws -> LastBuild? {
        try db.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'last'")
                .flatMap { try? BinaryDecoder.decode(LastBuild.self, from: $0) }
        }
    }

    /// The last build's assemble, for a delta, with its plans (nil when there is none or a part is missing).
    public func assembled() throws -> (SiteAssembler.Assembled.Stored, [PagePlan])? {
        let found: (Data, [Data])? = try db.read { db in
            guard let head = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'assembled'") else { return nil }
            let chunks = try Data.fetchAll(db, sql: "SELECT value FROM meta WHERE name LIKE 'plans/%' ORDER BY CAST(substr(name, 7) AS INTEGER)")
            return (head, chunks)
        }
        guard let (head, chunks) = found, let stored = try? BinaryDecoder.decode(SiteAssembler.Assembled.Stored.self, from: head),
              chunks.count == stored.planChunks else { return nil }
        let decoded = Parallel.mapSync(chunks, grain: 1) { [damage] in
            try? BinaryDecoder.decode(PlanChunk.self, from: $0, interning: true).plans(damage: damage)
        }
        var plans: [PagePlan] = []
        plans.reserveCapacity(stored.pageOrder.count)
        for chunk in decoded {
            guard let chunk else { return nil }
            plans += chunk
        }
        return plans.count == stored.pageOrder.count ? (stored, plans) : nil
    }

    /// The paths of the last build's manifest, in its order (empty when there is none), so a
    /// build with the same files lists them without sorting them again (`OutputWriter.commit`).
    public func manifestOrder() throws -> [String] {
        try db.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'order'")
                .flatMap { try? BinaryDecoder.decode([String].self, from: $0) } ?? []
        }
    }

    public func tree() throws -> OutputTree.Record? {
        try db.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'tree'")
                .map { try BinaryDecoder.decode(OutputTree.Record.self, from: $0) }
        }
    }

    // MARK: Writing

    public func save(_ changes: Changes) throws {
        guard !changes.isEmpty else { return }
        try db.write { db in
            try Chunked.source.save(changes.sources.lazy.map { ($0.key, $0.value) }, in: db)
            try Chunked.normalised.save(changes.normalised.lazy.map { ($0.key, Optional($0.value)) }, in: db)
            try Chunked.normalised.save(changes.dropNormalised.lazy.map { ($0, nil) }, in: db)
            try Chunked.output.save(changes.outputs.lazy.map { ($0.key, $0.value) }, in: db)
            // Pages come in their binary form (the memo keeps them so): a row each.
            let putPage = try db.cachedStatement(sql: "INSERT OR REPLACE INTO page (key, value) VALUES (?, ?)")
            let dropPage = try db.cachedStatement(sql: "DELETE FROM page WHERE key = ?")
            let putMeta = try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)")
            for key in changes.dropNormalised { try dropPage.execute(arguments: [key]) }
            for key in changes.normalised.keys where changes.pages[key] == nil { try dropPage.execute(arguments: [key]) }
            for (key, page) in changes.pages { try putPage.execute(arguments: [key, Data(page)]) }
            if changes.dropAssembled {
                try db.execute(sql: "DELETE FROM meta WHERE name = 'assembled' OR name LIKE 'plans/%'")
            } else if let assembled = changes.assembled {
                try putMeta.execute(arguments: ["assembled", assembled.bytes])
                try db.execute(sql: "DELETE FROM meta WHERE name LIKE 'plans/%' AND CAST(substr(name, 7) AS INTEGER) >= ?", arguments: [assembled.planChunks])
                // Two chunks at a time, so the encoded copy of every plan is never in memory at once.
                let chunks = changes.planChunks.sorted { $0.key < $1.key }
                for start in stride(from: 0, to: chunks.count, by: 2) {
                    let encoded = Parallel.mapSync(Array(chunks[start..<min(start + 2, chunks.count)]), grain: 1) { n, chunk in
                        // Plans link the same pages and hubs again and again: each string is written once.
                        (n, Data(BinaryEncoder.encode(PlanChunk(chunk[...]), interning: true)))
                    }
                    for (n, chunk) in encoded {
                        try putMeta.execute(arguments: ["plans/\(n)", chunk])
                    }
                }
            }
            if let last = changes.last {
                try putMeta.execute(arguments: ["last", Data(BinaryEncoder.encode(last))])
            }
            if let order = changes.manifestOrder {
                try putMeta.execute(arguments: ["order", Data(BinaryEncoder.encode(order))])
            }
            if let tree = changes.tree {
                try putMeta.execute(arguments: ["tree", Data(BinaryEncoder.encode(tree))])
            }
        }
    }

    /// Closes the database (what is saved stays; the store is not used after this).
    public func close() throws { try db.close() }

    /// Something the store should hold is missing.
    public struct Damaged: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether an error says the store is damaged (a file that is not SQLite, cut short or
    /// overwritten; a value that does not decode; a row missing), as opposed to, say, a full disk.
    public static func isDamage(_ error: Error) -> Bool {
        if error is Damaged || error is BinaryDecodingError { return true }
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB
    }

    /// What a damage error says, in a few words.
    public static func reason(_ error: Error) -> String {
        if error is BinaryDecodingError { return "a value does not decode" }
        return (error as? DatabaseError)?.message ?? "\(error)"
    }

    /// Removes the store's files: the database, its write-ahead log, and the rollback journal
    /// a first build stopped while saving leaves (which must not be played back into a new
    /// store at the same path).
    public static func remove(_ path: String) {
        for suffix in ["-journal", "-wal", "-shm", ""] { try? Disk.remove(path + suffix) }
    }

    /// Removes the other stores in `folder` that no build can use any more, and returns their
    /// paths: one for an output folder that is gone, one for the output `keeping` is for
    /// (left by an earlier Versus, which named stores by the output's path as typed), one
    /// that records no output (an earlier Versus wrote it), and one that is not a store at
    /// all. A store another build holds the lock of is left alone, and so is its lock file.
    /// - Parameters:
    ///   - keeping: the store of this build.
    ///   - output: the resolved path of its output folder.
    @discardableResult
    public static func sweep(_ folder: String, keeping: String, output: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names.sorted() where name.hasPrefix("build-") && name.hasSuffix(".sqlite") {
            let path = folder + "/" + name
            guard path != keeping, let held = BuildLock.tryTake(BuildLock.file(beside: path)) else { continue }
            defer { held.release() }
            guard unusable(path, output: output) else { continue }
            remove(path)
            removed.append(path)
        }
        return removed
    }

    /// Whether no build can use the store at `path` (see `sweep`).
    private static func unusable(_ path: String, output: String) -> Bool {
        // Opened to write, so a write-ahead log left by a build that was stopped is taken in.
        guard let db = try? DatabaseQueue(path: path) else { return true }
        defer { try? db.close() }
        // Not a store, or one that records no output: nothing can use it.
        guard let recorded = try? db.read({ db in
            try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'output'")
        }) else { return true }
        let its = String(decoding: recorded, as: UTF8.self)
        return its == output || Disk.info(its)?.isDirectory != true
    }

    /// Forgets everything but the identity and the output folder (a clean build).
    public func clear() throws {
        try db.write { db in
            for table in ["chunk", "page"] { try db.execute(sql: "DELETE FROM \(table)") }
            try db.execute(sql: "DELETE FROM meta WHERE name NOT IN ('identity', 'output')")
        }
    }
}

/// A table of small records that every build reads whole, kept as a fixed number of chunks:
/// a record goes to the chunk its key hashes to, and a chunk is one value (its records in key
/// order, each string written once: `BinaryEncoder.encode(_:interning:)`). Reading decodes
/// the chunks on every core, with none of a row's cost per record; a change rewrites only
/// the chunks holding what it changed.
struct Chunked<Value: Codable & Sendable>: Sendable {
    let name: String
    static var count: Int { 64 }

    /// A chunk: its keys, sorted, and their values in the same order. Two lists, not a list of
    /// key-value records: each record would be a keyed container of its own to read, and
    /// making one looks its generic types up in the runtime.
    struct Chunk: Codable, Sendable, BinaryWritable, BinaryReadable {
        var keys: [String]
        var values: [Value]

        /// The record of `key` (the keys are sorted: found by halving).
        func value(_ key: String) -> Value? {
            var low = 0, high = keys.count
            while low < high {
                let mid = (low + high) / 2
                if keys[mid] < key { low = mid + 1 } else { high = mid }
            }
            return low < keys.count && keys[low] == key ? values[low] : nil
        }

        /// The records of a dictionary, in the order of their keys.
        init(_ records: [String: Value]) {
            keys = records.keys.sorted()
            values = keys.map { records[$0]! }
        }

        // What the synthesized conformance does, with keys declared outside the generic type:
        // its own keys would be a type of their own for each `Value`, looked up at run time.
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: ChunkKey.self)
            keys = try c.decode([String].self, forKey: .keys)
            values = try c.decode([Value].self, forKey: .values)
            guard keys.count == values.count else { throw BinaryDecodingError() }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: ChunkKey.self)
            try c.encode(keys, forKey: .keys)
            try c.encode(values, forKey: .values)
        }

        func writeBinary(to e: BinaryEncoder) throws {
            try e.value(keys)
            try e.value(values)
        }

        init(binary d: BinaryDecoder) throws {
            keys = try d.value([String].self)
            values = try d.value([Value].self)
            guard keys.count == values.count else { throw BinaryDecodingError() }
        }
    }

    /// The chunk a key belongs to (FNV-1a of its bytes: the same in every process).
    static func chunk(_ key: String) -> Int {
        // (Over the key's bytes in place: the UTF-8 view's iterator cost a call a byte.)
        key.withBytes { bytes in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return Int(h % UInt64(count))
        }
    }

    func read(_ db: DatabaseQueue, damage: StoreDamage? = nil) throws -> [String: Value] {
        let blobs = try db.read { db in
            try Data.fetchAll(db, sql: "SELECT value FROM chunk WHERE name = ?", arguments: [name])
        }
        let chunks = try Parallel.mapSync(blobs, grain: 1) { blob in
            Result { try BinaryDecoder.decode(Chunk.self, from: blob, interning: true, damage: damage) }
        }.map { try $0.get() }
        var out: [String: Value] = [:]
        out.reserveCapacity(chunks.reduce(0) { $0 + $1.keys.count })
        for chunk in chunks { for (key, value) in zip(chunk.keys, chunk.values) { out[key] = value } }
        return out
    }

    /// Sets (or, for nil, removes) the records of `changes`: each chunk they touch is read,
    /// changed and written again, on every core.
    func save<Changes: Sequence>(_ changes: Changes, in db: Database) throws where Changes.Element == (String, Value?) {
        var touched: [Int: [(String, Value?)]] = [:]
        for (key, value) in changes { touched[Self.chunk(key), default: []].append((key, value)) }
        let numbers = touched.keys.sorted()
        // Each statement compiled once for the whole table, not once per chunk.
        let select = try db.cachedStatement(sql: "SELECT value FROM chunk WHERE name = ? AND n = ?")
        let put = try db.cachedStatement(sql: "INSERT OR REPLACE INTO chunk (name, n, value, count) VALUES (?, ?, ?, ?)")
        let drop = try db.cachedStatement(sql: "DELETE FROM chunk WHERE name = ? AND n = ?")
        // A few chunks at a time, so the encoded copy of a whole table is never in memory at once.
        for start in stride(from: 0, to: numbers.count, by: 4) {
            let slice = Array(numbers[start..<min(start + 4, numbers.count)])
            var stored: [Int: Data] = [:]
            for n in slice {
                if let blob = try Data.fetchOne(select, arguments: [name, n]) { stored[n] = blob }
            }
            let encoded = try Parallel.mapSync(slice, grain: 1) { [stored, touched] n in
                Result { () throws -> (Int, (Data, Int)?) in
                    var records: [String: Value] = [:]
                    if let blob = stored[n] {
                        let chunk = try BinaryDecoder.decode(Chunk.self, from: blob, interning: true)
                        for (key, value) in zip(chunk.keys, chunk.values) { records[key] = value }
                    }
                    for (key, value) in touched[n]! { records[key] = value }
                    guard !records.isEmpty else { return (n, nil) }
                    return (n, (Data(BinaryEncoder.encode(Chunk(records), interning: true)), records.count))
                }
            }.map { try $0.get() }
            for (n, blob) in encoded {
                if let (blob, count) = blob {
                    try put.execute(arguments: [name, n, blob, count])
                } else {
                    try drop.execute(arguments: [name, n])
                }
            }
        }
    }
}

/// A `Chunked` table read on demand: a chunk is decoded the first time a key in it is asked
/// for, so a build that needs a few records of a large table decodes only theirs. Its chunks
/// come from the store, fetched one by one as they are asked for, or fetched all at once.
final class ChunkReader<Value: Codable & Sendable>: @unchecked Sendable {
    private let table: Chunked<Value>
    private var db: DatabaseQueue?
    private let damage: StoreDamage?
    private let lock = NSLock()
    private var chunks: [Int: Chunked<Value>.Chunk] = [:]
    /// Chunks fetched and not decoded yet.
    private var fetched: [Int: Data] = [:]

    /// - Parameter db: where each chunk is fetched from when first asked for.
    init(_ table: Chunked<Value>, db: DatabaseQueue, damage: StoreDamage?) {
        self.table = table
        self.db = db
        self.damage = damage
    }

    /// - Parameter fetched: every chunk of the table, by number.
    init(_ table: Chunked<Value>, fetched: [Int: Data], damage: StoreDamage?) {
        self.table = table
        self.fetched = fetched
        self.damage = damage
    }

    /// Chunk `n`, decoded (nil: the table has none, or it does not decode, which is reported to `damage`:
    /// the build that found it commits nothing).
    private func chunk(_ n: Int) -> Chunked<Value>.Chunk? {
        lock.withLock {
            if let chunk = chunks[n] { return chunk }
            let blob: Data?
            if let db {
                blob = try? db.read { db in
                    try Data.fetchOne(db, sql: "SELECT value FROM chunk WHERE name = ? AND n = ?", arguments: [table.name, n])
                }
            } else {
                blob = fetched.removeValue(forKey: n)
            }
            guard let blob else { return nil }
            guard let chunk = try? BinaryDecoder.decode(Chunked<Value>.Chunk.self, from: blob, interning: true, damage: damage) else {
                damage?.found()
                return nil
            }
            chunks[n] = chunk
            return chunk
        }
    }

    /// The record of `key`.
    func value(_ key: String) -> Value? {
        chunk(Chunked<Value>.chunk(key))?.value(key)
    }

    /// Calls `body` with every record (every chunk decoded).
    func forEach(_ body: (String, Value) -> Void) {
        for n in 0..<Chunked<Value>.count {
            guard let chunk = chunk(n) else { continue }
            for (key, value) in zip(chunk.keys, chunk.values) { body(key, value) }
        }
    }

    /// Fetches every chunk not read yet, so records can be read after the store is closed (a
    /// process that builds again keeps what this build read).
    func detach() throws {
        try lock.withLock {
            guard let db else { return }
            let rows = try db.read { db in
                try Row.fetchAll(db, sql: "SELECT n, value FROM chunk WHERE name = ?", arguments: [table.name])
            }
            for row in rows {
                let n: Int = row["n"]
                if chunks[n] == nil { fetched[n] = row["value"] }
            }
            self.db = nil
        }
    }
}

extension ChunkReader: SummaryReading where Value == Normalised {
    func summary(_ key: String) -> PageSummary? { value(key)?.summary }
}

extension Chunked where Value == BuildStore.OutputRecord {
    /// The table's chunks, fetched (no record decoded yet), with the number of records each holds.
    func readLazily(_ db: DatabaseQueue, damage: StoreDamage?) throws -> OutputRecords {
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT n, value, count FROM chunk WHERE name = ?", arguments: [name])
        }
        var fetched: [Int: Data] = [:]
        for row in rows { fetched[row["n"]] = row["value"] }
        return OutputRecords(ChunkReader(self, fetched: fetched, damage: damage), count: rows.reduce(0) { $0 + ($1["count"] as Int) })
    }
}

/// The last build's output records by path: from a dictionary, or from the build store's
/// chunks, each decoded the first time a record in it is asked for (`ChunkReader`), so a build
/// that looks up a few files decodes a few chunks. Going through every record decodes them all.
public final class OutputRecords: @unchecked Sendable {
    public typealias Record = BuildStore.OutputRecord
    private var records: [String: Record]?
    private let chunks: ChunkReader<Record>?
    public private(set) var count: Int

    public init(_ records: [String: Record] = [:]) {
        self.records = records
        chunks = nil
        count = records.count
    }

    init(_ chunks: ChunkReader<Record>, count: Int) {
        records = nil
        self.chunks = chunks
        self.count = count
    }

    public var isEmpty: Bool { count == 0 }

    public subscript(path: String) -> Record? {
        if let records { return records[path] }
        return chunks?.value(path)
    }

    /// Calls `body` with every record (every chunk decoded).
    public func forEach(_ body: (String, Record) -> Void) {
        if let records { for (path, record) in records { body(path, record) } } else { chunks?.forEach(body) }
    }

    /// Takes in a build's changes (records new or changed, and paths gone: nil), in place:
    /// for the records of a build made in this process, which its next build starts from
    /// (copying every record for each edit would cost more than the edit). False when the
    /// records are read from the store's chunks (nothing is changed).
    func update(with changes: [String: Record?]) -> Bool {
        guard records != nil else { return false }
        for (path, record) in changes {
            if let record {
                if records!.updateValue(record, forKey: path) == nil { count += 1 }
            } else if records!.removeValue(forKey: path) != nil {
                count -= 1
            }
        }
        return true
    }

    /// Every record, by path.
    public var all: [String: Record] {
        if let records { return records }
        var out: [String: Record] = [:]
        out.reserveCapacity(count)
        forEach { out[$0] = $1 }
        return out
    }
}

/// The keys of a chunk of a `Chunked` table.
enum ChunkKey: String, CodingKey { case keys, values }

extension Chunked where Value == BuildStore.SourceStamp { static var source: Self { .init(name: "source") } }
extension Chunked where Value == Normalised { static var normalised: Self { .init(name: "normalised") } }
extension Chunked where Value == BuildStore.OutputRecord { static var output: Self { .init(name: "output") } }

/// A source after the normalise stage: the summary the site-wide steps work from, and
/// what the source said (warnings are shown again on every build). The page itself is
/// kept beside it in the store and read only when it is rendered.
public struct Normalised: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
    public var summary: PageSummary?
    public var diagnostics: [Diagnostic]

    func writeBinary(to e: BinaryEncoder) throws {
        try e.optional(summary)
        try e.value(diagnostics)
    }
}

// `BinaryReadable` in extensions, so that the types keep their memberwise initializers.
extension Normalised {
    init(binary d: BinaryDecoder) throws {
        self.init(summary: try d.optional(PageSummary.self), diagnostics: try d.value([Diagnostic].self))
    }
}

extension BuildStore.OutputRecord {
    init(binary d: BinaryDecoder) throws {
        self.init(key: try d.str(), entry: try ManifestEntry(binary: d), compression: try d.str())
    }
}
