import Foundation

/// What the incremental build lends the pure build: the results of earlier builds,
/// found by key. A key is a digest of everything a result depends on, so a hit is
/// always the result a fresh computation would give:
///
/// - a normalised source is keyed by the source's path and bytes and the Versus
///   build identity (the normaliser is part of the build);
/// - an output file is keyed by the build identity, the fingerprint of the config,
///   templates and assets, and the digest of what its template receives.
///
/// A clean build uses an empty memo. The memo only saves work: the output of a build
/// never depends on what it holds.
public final class Memo: @unchecked Sendable {
    /// The Versus build identity (version and a digest of the binary), part of every key.
    public let identity: String
    let io: FileIO
    let store: BuildStore?
    /// The last build's view of each source file (stamp and digest), by path.
    private(set) var stamps: [String: BuildStore.SourceStamp]
    /// Normalised sources of earlier builds, by key.
    private(set) var known: [String: Normalised]
    /// The last build's output files, by path.
    public let outputs: OutputRecords
    /// Outputs of the last build whose file in the live tree was changed or removed since:
    /// they are made again (their records stay in `outputs`, but the live tree is not taken
    /// to have their files: `OutputTree.Live.changedByHand`).
    let stale: Set<String>

    private let lock = NSLock()
    private var newStamps: [String: BuildStore.SourceStamp] = [:]
    private var newNormalised: [String: Normalised] = [:]
    /// The pages this build normalised, in their stored (binary) form until they are rendered:
    /// about half the memory of the values, and the form the store saves. Render decodes each
    /// (keeping the first 32 MiB of them as values as well took about 40 MiB more at the peak of
    /// a 10,000-page build, whose faults cost more than the decoding saved: README, "Speed").
    private var newPages: [String: [UInt8]] = [:]
    private(set) var normalisedCount = 0

    /// The last assemble in this process (`versus serve` keeps it), to work the site out by delta.
    let assembled: SiteAssembler.Assembled?
    /// This build's assemble, for the next build.
    private(set) var newAssembled: SiteAssembler.Assembled?
    /// Whether this build's site was worked out by delta.
    var assembledByDelta: Bool { lock.withLock { delta != nil } }
    /// The pages a delta changed (indices into the site's pages); nil after a full assemble.
    var patchedPages: Set<Int>? { lock.withLock { delta?.pages } }
    /// The fingerprint the last build's output keys start from (each output's key is in its
    /// record in `outputs`); nil when they are not known.
    let lastFingerprint: String?
    /// After a delta, what it may have changed (nil: no delta): the pages it patched, the
    /// index pages that list one whose lastmod moved (their items carry each page's date),
    /// the hubs whose dates it moved, and whether any page's lastmod moved.
    private var delta: (pages: Set<Int>, index: Set<Int>, hubs: Set<Int>, moved: Bool)?

    /// What an output is, as far as a delta can tell whether its input changed.
    public enum Output: Sendable {
        /// The page of `site.pages[i]`, index page `n`, the hub of `site.hubs[h]`.
        case page(Int), index(Int), hub(Int)
        /// A file made from every page's URL, title, flags and dates (sitemaps, the feed):
        /// unchanged when a delta moved no page's lastmod (it leaves every other fact as it was).
        case everyPage
        /// Anything else: always keyed afresh.
        case other
    }

    /// Sources handed back as the last build read them (`HandBack`), without the stamps and
    /// normalised sources of the store (nil: each source is looked up in `stamps` and `known`).
    let handBack: HandBack?
    /// Each source's stamp digest (`SourceFile.stampDigest`), when the caller has worked them out.
    private let sourceStamps: [UInt64]?
    /// How many sources were handed back from the last assemble (`HandBack`).
    public var handedBack: Int { handBack.map { $0.summaries.count - $0.changed.count } ?? 0 }
    /// What this build read of its sources, for the assemble it keeps (`SiteAssembler.Assembled.sources`).
    private var read: SiteAssembler.Assembled.Sources?

    public init(identity: String, io: FileIO, store: BuildStore?, stamps: [String: BuildStore.SourceStamp] = [:],
                known: [String: Normalised] = [:], outputs: OutputRecords = OutputRecords(),
                stale: Set<String> = [], assembled: SiteAssembler.Assembled? = nil, lastFingerprint: String? = nil,
                handBack: HandBack? = nil, sourceStamps: [UInt64]? = nil) {
        self.identity = identity
        self.io = io
        self.store = store
        self.stamps = stamps
        self.known = known
        self.outputs = outputs
        self.stale = stale
        self.assembled = assembled
        self.lastFingerprint = lastFingerprint
        self.handBack = handBack
        self.sourceStamps = sourceStamps
    }

    /// The sources of a build handed back from the last assemble: its summaries, one per source in
    /// the same order, and what reading each said, for every source whose stamp is the one it had;
    /// those whose stamp changed (`changed`) are read again.
    public struct HandBack: Sendable {
        let summaries: [PageSummary]
        let diagnostics: [Int: [Diagnostic]]
        let changed: Set<Int>

        /// The hand-back for `files` (their `stamps`) from the last assemble, when its sources are
        /// these files in the same order and at most a few were edited in place (none added,
        /// removed or renamed, which would move the others); nil otherwise.
        public static func of(_ files: [SourceFile], stamps: [UInt64], from assembled: SiteAssembler.Assembled?) -> HandBack? {
            guard let assembled, let sources = assembled.sources, sources.stamps.count == files.count,
                  assembled.input.summaries.count == files.count else { return nil }
            var changed: Set<Int> = []
            for i in files.indices where stamps[i] != sources.stamps[i] {
                changed.insert(i)
                if changed.count > 64 { return nil }
            }
            // An edited source is the one the last build had at its place (its summary is read for that).
            for i in changed {
                let was = assembled.input.summaries[i]
                guard was.sourcePath == files[i].path, was.file == files[i].file else { return nil }
            }
            return HandBack(summaries: assembled.input.summaries, diagnostics: sources.diagnostics, changed: changed)
        }
    }

    // MARK: Assemble

    /// The assembled site: by delta from the last assemble when the change is one
    /// `SiteAssembler.patch` covers (only pages' words changed), else `assemble` in full.
    public func assemble(_ input: SiteAssembler.Input, _ assemble: (SiteAssembler.Input) -> (Site?, [Diagnostic])) -> (Site?, [Diagnostic]) {
        saveNormalisedAhead()
        let patched = assembled.flatMap { SiteAssembler.patch($0, to: input) }
        let (site, diagnostics) = patched.map { ($0.site, $0.diagnostics) } ?? assemble(input)
        let delta = patched.map { patched in
            (pages: patched.pages, index: Set(patched.site.index.filter { $0.pages.contains(where: patched.listed.contains) }.map(\.number)),
             hubs: patched.hubs, moved: !patched.listed.isEmpty)
        }
        lock.withLock {
            self.delta = delta
            if let site {
                newAssembled = .init(input: input, site: site, diagnostics: diagnostics, positions: patched?.positions ?? .init())
                // The sources its summaries were read from, one each, for the next build's hand-back.
                if let read, read.stamps.count == input.summaries.count { newAssembled?.sources = read }
            }
        }
        return (site, diagnostics)
    }

    // MARK: Output keys

    /// The last build's key of an output whose input the delta left as it was (made with
    /// the same config and templates), or nil: the caller then digests the input.
    func unchangedKey(_ path: String, _ output: Output, fingerprint: String) -> String? {
        guard lastFingerprint == fingerprint else { return nil }
        // Looked up under the lock, not copied out of it (render asks once per output, on every core).
        let unchanged = lock.withLock { () -> Bool in
            guard let delta else { return false }
            switch output {
            case .page(let i): return !delta.pages.contains(i)
            case .index(let n): return !delta.index.contains(n)
            case .hub(let h): return !delta.hubs.contains(h)
            case .everyPage: return !delta.moved
            case .other: return false
            }
        }
        return unchanged && !stale.contains(path) ? outputs[path]?.key : nil
    }

    /// After a delta from an assemble whose outputs were keyed with `fingerprint`: the pages
    /// it patched, and the outputs whose file in the live tree is not what the last build left
    /// (`stale`). Every other page's input is the one the last build keyed (nil: no delta).
    func remade(fingerprint: String) -> (pages: Set<Int>, stale: Set<String>)? {
        guard lastFingerprint == fingerprint else { return nil }
        return lock.withLock { delta.map { ($0.pages, stale) } }
    }

    /// After a delta (as `remade`): the index pages and hubs whose input it may have changed.
    func remadeListings(fingerprint: String) -> (index: Set<Int>, hubs: Set<Int>, stale: Set<String>)? {
        guard lastFingerprint == fingerprint else { return nil }
        return lock.withLock { delta.map { ($0.index, $0.hubs, stale) } }
    }

    // MARK: Normalise

    /// One source, normalised: taken from an earlier build when its bytes are the same,
    /// else read and normalised. The file is not read at all when its stamp (size, times,
    /// inode: `SourceStamp.matches`) is the one the last build saw.
    public func normalise(_ file: SourceFile, _ normalise: (Source) -> (Page?, [Diagnostic])) throws -> (key: String, value: Normalised) {
        do {
            return try normaliseReading(file, normalise)
        } catch let e as FileIOError {
            // A source that cannot be read is an error of its own (every such source is
            // reported); nothing is recorded for it, so the next build reads it again.
            return ("", Normalised(summary: nil, diagnostics: [.error(file.file, "cannot be read (\(e.reason))")]))
        }
    }

    /// Every source, normalised (`normalise(_:_:)`, in order): the sources whose stamp is the
    /// one the last build saw are handed back first, in one pass on every core; the rest are
    /// read and normalised in batches (`Parallel.map`, with `progress` over them).
    public func normaliseAll(_ files: [SourceFile], jobs: Int, progress: (@Sendable (Int) -> Void)? = nil,
                             _ normalise: @escaping @Sendable (Source) -> (Page?, [Diagnostic])) async throws -> [Normalised] {
        // Each source's place is filled once (a summary handed back is a reference to one of
        // tens of thousands of objects scattered through memory: each copy of it costs a miss).
        var all: [Normalised]
        let rest: [Int]
        let placeholder = Normalised(summary: nil, diagnostics: [])
        if let handBack, handBack.summaries.count == files.count {
            // (An edited source's place holds its last summary until it is normalised again below.)
            all = handBack.summaries.map { Normalised(summary: $0, diagnostics: []) }
            for (i, diagnostics) in handBack.diagnostics { all[i].diagnostics = diagnostics }
            rest = handBack.changed.sorted()
        } else if stamps.isEmpty {
            all = [Normalised](repeating: placeholder, count: files.count)
            rest = Array(files.indices)
        } else {
            let found = Parallel.mapSync(Array(files.indices), jobs: jobs, grain: 2048) { [self] i in unchanged(files[i])?.value }
            rest = found.indices.filter { found[$0] == nil }
            all = found.map { $0 ?? placeholder }
        }
        let handedBack = files.count - rest.count
        // Room for what is about to be normalised, made once (grown by doubling under the lock, the
        // tables were rehashed a dozen times in a first build).
        lock.withLock {
            newStamps.reserveCapacity(newStamps.count + rest.count)
            newNormalised.reserveCapacity(newNormalised.count + rest.count)
            newPages.reserveCapacity(newPages.count + rest.count)
        }
        var counted: (@Sendable (Int) -> Void)?
        if let progress { counted = { done in progress(handedBack + done) } }
        let made = try await Parallel.map(rest, jobs: jobs, progress: counted) { [self] (i: Int) throws -> Normalised in
            try self.normalise(files[i], normalise).value
        }
        for (i, value) in zip(rest, made) { all[i] = value }
        // What was read, for the assemble this build keeps: only when every source gave a summary
        // (the assemble's input is then the sources, one each, in order).
        if all.allSatisfy({ $0.summary != nil }) {
            let digests = sourceStamps ?? Parallel.mapSync(files, jobs: jobs, grain: 2048) { $0.stampDigest }
            var diagnostics: [Int: [Diagnostic]] = [:]
            for (i, n) in all.enumerated() where !n.diagnostics.isEmpty { diagnostics[i] = n.diagnostics }
            lock.withLock { read = .init(stamps: digests, diagnostics: diagnostics) }
        }
        return all
    }

    /// What the last build made of a source whose stamp (`SourceStamp.matches`) and file are the ones it saw.
    private func unchanged(_ file: SourceFile) -> (key: String, value: Normalised)? {
        guard let old = stamps[file.path], old.matches(file.stamp), old.file == file.file, let hit = known[old.key] else { return nil }
        return (old.key, hit)
    }

    /// The ledger's digest of what a source says (`Ledger`): as reading takes it, without a leading
    /// byte-order mark (which an editor may add or drop) and with CR LF and CR line ends as LF (a
    /// checkout on Windows writes CR LF), so an unchanged page keeps its day on every machine. A file
    /// with neither (nearly all) hashes as its bytes: `digest`, already made.
    static func contentHash(_ bytes: [UInt8], digest: String) -> String {
        let mark = bytes.starts(with: Normaliser.byteOrderMark)
        let hasCR = bytes.withUnsafeBufferPointer { b in b.baseAddress.map { memchr($0, 13, b.count) != nil } ?? false }
        guard hasCR || mark else { return String(digest.prefix(16)) }
        let body = mark ? Array(bytes.dropFirst(Normaliser.byteOrderMark.count)) : bytes
        return String(Digest.sha256(hasCR ? Normaliser.normaliseLineEnds(body) : body).prefix(16))
    }

    private func normaliseReading(_ file: SourceFile, _ normalise: (Source) -> (Page?, [Diagnostic])) throws -> (key: String, value: Normalised) {
        if let hit = unchanged(file) { return hit }
        // Read, and keyed by what it holds (a source whose stamp changed may hold the same bytes).
        let bytes = try io.read(file.file)
        let digest = Digest.sha256(bytes)
        var d = Digest()
        d.add(identity)
        d.add(file.path)
        d.add(file.file)
        d.add(digest)
        let key = String(d.hex.prefix(32))
        lock.withLock {
            newStamps[file.path] = .init(file.stamp, file: file.file, key: key)
        }
        if let hit = known[key] { return (key, hit) }
        let (page, diagnostics) = normalise(Source(path: file.path, file: file.file, bytes: bytes))
        // A page takes about the bytes of its source (its text, less what reading left out, and its fields).
        let encoded = page.map { BinaryEncoder.encode($0, capacity: bytes.count + bytes.count / 8 + 256) }
        let value = Normalised(summary: page.map { PageSummary(page: $0, file: file.file, contentHash: Self.contentHash(bytes, digest: digest), key: key) },
                               diagnostics: diagnostics)
        lock.withLock {
            newNormalised[key] = value
            if let encoded { newPages[key] = encoded }
            normalisedCount += 1
        }
        return (key, value)
    }

    /// The normalised page of a key: from this build, or from the store. A page this build
    /// made is let go once the store has it (render asks for each page once), so the pages
    /// of a site are never all in memory as values.
    public func page(_ key: String) throws -> Page {
        let made = lock.withLock { savedAhead ? newPages.removeValue(forKey: key) : newPages[key] }
        if let made { return try BinaryDecoder.decode(Page.self, from: made) }
        guard let page = try store?.page(key) else { throw BuildStore.Damaged(description: "a normalised page is missing") }
        return page
    }

    // MARK: Saving

    /// Saving what normalise made, on another thread while the build goes on (assemble leaves
    /// a core idle). Safe to keep whatever happens next: each entry is keyed by the content
    /// it was made from. The rest of the build's changes are saved at the end (`changes`).
    private let savingAhead = DispatchGroup()
    private var savedAhead = false
    private var saveAheadError: Error?

    func saveNormalisedAhead() {
        guard let store else { return }
        var early = BuildStore.Changes()
        var stamps: [String: BuildStore.SourceStamp] = [:]
        lock.withLock {
            guard !savedAhead else { return }
            savedAhead = true
            stamps = newStamps
            early.normalised = newNormalised
            early.pages = newPages
        }
        guard !stamps.isEmpty || !early.isEmpty else { return }
        savingAhead.enter()
        DispatchQueue.global().async { [self, early, stamps] in
            var early = early
            // The stamps as the store takes them, made here and not on the build's way to assemble
            // (`mapValues` keeps the table as it is: no key is hashed again, no table grown).
            early.sources = stamps.mapValues { Optional($0) }
            do { try store.save(early) } catch { lock.withLock { saveAheadError = error } }
            savingAhead.leave()
        }
    }

    /// Lets go of the last build's stamps and normalised sources once this build's changes are
    /// worked out (`changes`), so the caller that keeps them for its next build updates them in
    /// place instead of copying them.
    func letGoOfTheLastBuild() {
        stamps = [:]
        known = [:]
    }

    /// What this build read and normalised anew (for the state a builder keeps in memory).
    func made() -> (stamps: [String: BuildStore.SourceStamp], normalised: [String: Normalised]) {
        lock.withLock { (newStamps, newNormalised) }
    }

    /// Waits for the save started by `saveNormalisedAhead`, and throws what it threw.
    public func finishSavingAhead() throws {
        savingAhead.wait()
        if let error = lock.withLock({ saveAheadError }) { throw error }
    }

    /// What this build adds to the store: new stamps and normalised sources, the output
    /// files that changed (`OutputWriter.changes`) and the tree record; normalised sources
    /// no longer used are dropped.
    func changes(sources: [SourceFile], outputs: [String: BuildStore.OutputRecord?], tree: OutputTree.Record,
                 into changes: BuildStore.Changes = .init()) -> BuildStore.Changes {
        var changes = changes
        lock.withLock {
            if !savedAhead {
                for (path, stamp) in newStamps { changes.sources[path] = stamp }
                changes.normalised = newNormalised
                changes.pages = newPages
            }
            if let handBack {
                // Handed back: no source came or went, and each edited one had its place.
                var unused: Set<String> = []
                for i in handBack.changed where i < sources.count {
                    let was = handBack.summaries[i].key
                    if newStamps[sources[i].path]?.key != was { unused.insert(was) }
                }
                changes.dropNormalised = unused
                return
            }
            // Sources gone since the last build.
            var gone: [String] = []
            let added = newStamps.keys.reduce(0) { $0 + (stamps[$1] == nil ? 1 : 0) }
            if stamps.count + added != sources.count {
                let present = Set(sources.map(\.path))
                for path in stamps.keys where !present.contains(path) { changes.sources[path] = .some(nil); gone.append(path) }
            }
            // Earlier results no source has now: each source has one key (its path is part of it),
            // so they are the last keys of the sources changed or gone, unless the store holds
            // others (left by a build that stopped), when every key is checked.
            var unused: Set<String> = []
            for (path, stamp) in newStamps { if let old = stamps[path], old.key != stamp.key, known[old.key] != nil { unused.insert(old.key) } }
            for path in gone { if let old = stamps[path], known[old.key] != nil { unused.insert(old.key) } }
            let new = newNormalised.keys.reduce(0) { $0 + (known[$1] == nil ? 1 : 0) }
            if known.count - unused.count + new != sources.count {
                let used = Set(sources.map { newStamps[$0.path]?.key ?? stamps[$0.path]?.key ?? "" })
                unused = Set(known.keys.filter { !used.contains($0) })
            }
            changes.dropNormalised = unused
        }
        changes.outputs = outputs
        changes.tree = tree
        return changes
    }
}
