import Foundation
import GRDB

/// What earlier builds worked out, so the next build does only what changed.
///
/// An SQLite database (through GRDB) in `.versus/`, one per output folder. It holds
/// the memo of each stage: for each source, its file stamp and digest; for each
/// normalised source, its summary and (in a table of their own, read one by one) its
/// page, under a key derived from the source's digest and the Versus build identity; for each output file, the key of what its
/// template received and its manifest entry; and what the output trees hold. Every
/// value is a `Codable` type stored in its binary form (`BinaryEncoder`): nothing is
/// stored by position, and a new field needs no change here.
///
/// The store belongs to one build of Versus: the tables of a store written by another
/// (the identity differs) are dropped on open, so an upgrade can never serve stale pages
/// and the layout never needs migrating.
public final class BuildStore: @unchecked Sendable {
    /// A source file as it was when it was last read.
    public struct SourceStamp: Sendable, Hashable, Codable {
        public var size: Int
        public var modified: Int64
        public var inode: UInt64
        /// SHA-256 of its bytes.
        public var digest: String
        /// The file it was read from, and its normalise memo key (the build identity, its
        /// path, file and digest: `Memo.normalise`), so an unchanged source is not digested again.
        public var file: String
        public var key: String
    }

    /// One output file: the key of what went into it, and its manifest entry.
    public struct OutputRecord: Sendable, Hashable, Codable {
        public var key: String
        public var entry: ManifestEntry
        /// The settings its precompressed copies were made with (empty when it has none).
        public var compression: String
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
        /// The last assemble (nil: leave the stored one), the plan chunks to write (by number),
        /// and whether to forget the stored assemble (a build that does not leave one).
        public var assembled: SiteAssembler.Assembled.Stored?
        public var planChunks: [Int: [PagePlan]] = [:]
        public var dropAssembled = false
        public init() {}
        /// Keeps an assemble for the next build: its facts, and the plan chunks a delta changed
        /// (`patchedPages`), or all of them after a full assemble.
        mutating func keep(_ assembled: SiteAssembler.Assembled, fingerprint: String, patchedPages: Set<Int>?) {
            let stored = assembled.stored(fingerprint: fingerprint)
            self.assembled = stored
            let size = SiteAssembler.Assembled.Stored.planChunk, plans = assembled.site.plans
            let chunks = patchedPages.map { Set($0.map { $0 / size }) } ?? Set(0..<stored.planChunks)
            for n in chunks { planChunks[n] = Array(plans[(n * size)..<min(plans.count, (n + 1) * size)]) }
        }

        public var isEmpty: Bool {
            sources.isEmpty && normalised.isEmpty && dropNormalised.isEmpty && outputs.isEmpty && tree == nil && last == nil && assembled == nil && !dropAssembled
        }
    }

    let db: DatabaseQueue
    public let identity: String

    /// Opens (or creates) the store at `path` (nil: in memory, for builds on an in-memory
    /// file system). A store of another build identity is emptied.
    public init(path: String?, identity: String) throws {
        var config = Configuration()
        if let path {
            try Disk.makeDirectories(Disk.parent(of: path))
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            db = try DatabaseQueue(path: path, configuration: config)
        } else {
            db = try DatabaseQueue(configuration: config)
        }
        self.identity = identity
        try db.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)")
            let stored = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'identity'")
            if stored.map({ String(decoding: $0, as: UTF8.self) }) != identity {
                // Another build of Versus wrote it: its tables go, whatever their layout was.
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                    try db.execute(sql: "DROP TABLE \"\(table)\"")
                }
                try db.execute(sql: "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)")
                try db.execute(sql: "INSERT INTO meta (name, value) VALUES ('identity', ?)", arguments: [Data(identity.utf8)])
            }
            // Pages apart from their summaries: every build reads all summaries, and a page only
            // when it is rendered, so the summaries' table stays small.
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS source (path TEXT PRIMARY KEY, stamp BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS normalised (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS page (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS output (path TEXT PRIMARY KEY, record BLOB NOT NULL);
                """)
        }
    }

    // MARK: Reading

    public func sources() throws -> [String: SourceStamp] {
        try table("SELECT path, stamp FROM source", SourceStamp.self)
    }

    /// The normalised sources, by key (summaries and diagnostics; pages are read one by one).
    public func normalised() throws -> [String: Normalised] {
        try table("SELECT key, value FROM normalised", Normalised.self)
    }

    public func page(_ key: String) throws -> Page? {
        try db.read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT value FROM page WHERE key = ?", arguments: [key]) else { return nil }
            return try BinaryDecoder.decode(Page.self, from: [UInt8](data))
        }
    }

    public func outputs() throws -> [String: OutputRecord] {
        try table("SELECT path, record FROM output", OutputRecord.self)
    }

    /// The last successful build, as a whole: the digest of all its inputs, what it
    /// reported, and each output file's size (to see that the output is still as it left it).
    public struct LastBuild: Sendable, Codable {
        public var inputs: String
        public var pages: Int
        public var files: Int
        public var diagnostics: [Diagnostic]
        public var redirects: [Redirect]
        /// `size<TAB>path` lines, one per output file (copies included).
        public var sizes: String
    }

    public func lastBuild() throws -> LastBuild? {
        try db.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'last'")
                .flatMap { try? BinaryDecoder.decode(LastBuild.self, from: [UInt8]($0)) }
        }
    }

    /// The last build's assemble, for a delta, with its plans (nil when there is none or a part is missing).
    public func assembled() throws -> (SiteAssembler.Assembled.Stored, [PagePlan])? {
        let found: (Data, [Data])? = try db.read { db in
            guard let head = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'assembled'") else { return nil }
            let chunks = try Data.fetchAll(db, sql: "SELECT value FROM meta WHERE name LIKE 'plans/%' ORDER BY CAST(substr(name, 7) AS INTEGER)")
            return (head, chunks)
        }
        guard let (head, chunks) = found, let stored = try? BinaryDecoder.decode(SiteAssembler.Assembled.Stored.self, from: [UInt8](head)),
              chunks.count == stored.planChunks else { return nil }
        let decoded = Parallel.mapSync(chunks, grain: 1) { try? BinaryDecoder.decode([PagePlan].self, from: [UInt8]($0), interning: true) }
        var plans: [PagePlan] = []
        plans.reserveCapacity(stored.pageOrder.count)
        for chunk in decoded {
            guard let chunk else { return nil }
            plans += chunk
        }
        return plans.count == stored.pageOrder.count ? (stored, plans) : nil
    }

    public func tree() throws -> OutputTree.Record? {
        try db.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'tree'")
                .map { try BinaryDecoder.decode(OutputTree.Record.self, from: [UInt8]($0)) }
        }
    }

    /// Rows of (text, binary value), decoded on every core.
    func table<T: Decodable & Sendable>(_ sql: String, _ type: T.Type) throws -> [String: T] {
        let rows: [(String, [UInt8])] = try db.read { db in
            var out: [(String, [UInt8])] = []
            let cursor = try Row.fetchCursor(db, sql: sql)
            while let row = try cursor.next() {
                let data: Data = row[1]
                out.append((row[0], [UInt8](data)))
            }
            return out
        }
        let values = try Parallel.mapSync(rows) { row in
            Result { (row.0, try BinaryDecoder.decode(T.self, from: row.1)) }
        }.map { try $0.get() }
        return Dictionary(values, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Writing

    public func save(_ changes: Changes) throws {
        guard !changes.isEmpty else { return }
        // Values are encoded on every core, a few thousand at a time (so the encoded copy
        // of every page is never in memory at once); the transaction only inserts bytes.
        let normalisedChanges = Array(changes.normalised)
        let outputs = Parallel.mapSync(Array(changes.outputs)) { path, record in (path, record.map { Data(BinaryEncoder.encode($0)) }) }
        try db.write { db in
            let putSource = try db.cachedStatement(sql: "INSERT OR REPLACE INTO source (path, stamp) VALUES (?, ?)")
            let dropSource = try db.cachedStatement(sql: "DELETE FROM source WHERE path = ?")
            for (path, stamp) in changes.sources {
                if let stamp {
                    try putSource.execute(arguments: [path, Data(BinaryEncoder.encode(stamp))])
                } else {
                    try dropSource.execute(arguments: [path])
                }
            }
            let dropNormalised = try db.cachedStatement(sql: "DELETE FROM normalised WHERE key = ?")
            let dropPage = try db.cachedStatement(sql: "DELETE FROM page WHERE key = ?")
            for key in changes.dropNormalised {
                try dropNormalised.execute(arguments: [key])
                try dropPage.execute(arguments: [key])
            }
            let putNormalised = try db.cachedStatement(sql: "INSERT OR REPLACE INTO normalised (key, value) VALUES (?, ?)")
            let putPage = try db.cachedStatement(sql: "INSERT OR REPLACE INTO page (key, value) VALUES (?, ?)")
            for start in stride(from: 0, to: normalisedChanges.count, by: 2048) {
                let chunk = normalisedChanges[start..<min(start + 2048, normalisedChanges.count)]
                let encoded = Parallel.mapSync(Array(chunk)) { key, value in
                    (key, Data(BinaryEncoder.encode(value)), changes.pages[key].map { Data($0) })
                }
                for (key, value, page) in encoded {
                    try putNormalised.execute(arguments: [key, value])
                    if let page { try putPage.execute(arguments: [key, page]) } else { try dropPage.execute(arguments: [key]) }
                }
            }
            let putOutput = try db.cachedStatement(sql: "INSERT OR REPLACE INTO output (path, record) VALUES (?, ?)")
            let dropOutput = try db.cachedStatement(sql: "DELETE FROM output WHERE path = ?")
            for (path, record) in outputs {
                if let record { try putOutput.execute(arguments: [path, record]) } else { try dropOutput.execute(arguments: [path]) }
            }
            if changes.dropAssembled {
                try db.execute(sql: "DELETE FROM meta WHERE name = 'assembled' OR name LIKE 'plans/%'")
            } else if let assembled = changes.assembled {
                try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES ('assembled', ?)", arguments: [Data(BinaryEncoder.encode(assembled))])
                try db.execute(sql: "DELETE FROM meta WHERE name LIKE 'plans/%' AND CAST(substr(name, 7) AS INTEGER) >= ?", arguments: [assembled.planChunks])
                // Two chunks at a time, so the encoded copy of every plan is never in memory at once.
                let chunks = changes.planChunks.sorted { $0.key < $1.key }
                for start in stride(from: 0, to: chunks.count, by: 2) {
                    let encoded = Parallel.mapSync(Array(chunks[start..<min(start + 2, chunks.count)]), grain: 1) { n, chunk in
                        // Plans link the same pages and hubs again and again: each string is written once.
                        (n, Data(BinaryEncoder.encode(chunk, interning: true)))
                    }
                    for (n, chunk) in encoded {
                        try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", arguments: ["plans/\(n)", chunk])
                    }
                }
            }
            if let last = changes.last {
                try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES ('last', ?)", arguments: [Data(BinaryEncoder.encode(last))])
            }
            if let tree = changes.tree {
                try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES ('tree', ?)",
                               arguments: [Data(BinaryEncoder.encode(tree))])
            }
        }
    }

    /// Closes the database (what is saved stays; the store is not used after this).
    public func close() throws { try db.close() }

    /// Forgets everything but the identity (a clean build).
    public func clear() throws {
        try db.write { db in
            for table in ["source", "normalised", "page", "output"] { try db.execute(sql: "DELETE FROM \(table)") }
            try db.execute(sql: "DELETE FROM meta WHERE name <> 'identity'")
        }
    }
}

/// A source after the normalise stage: the summary the site-wide steps work from, and
/// what the source said (warnings are shown again on every build). The page itself is
/// kept beside it in the store and read only when it is rendered.
public struct Normalised: Sendable, Hashable, Codable {
    public var summary: PageSummary?
    public var diagnostics: [Diagnostic]
}
