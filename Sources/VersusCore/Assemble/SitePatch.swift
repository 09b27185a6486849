import Foundation

/// The assemble stage by delta: the site for an input that differs from an earlier one
/// only in the content of some pages (their words changed, not their title, subjects,
/// URL, description, dates, aliases or flags), worked out from the earlier site instead
/// of from scratch. Such an edit moves nothing site-wide: URLs, titles, descriptions,
/// hubs, related links, the index and every claim stay as they were. What it changes is
/// the edited pages' summaries and lastmod (through the ledger), their hubs' lastmod and
/// the site's. The result is the site `assemble` gives for the new input, field for
/// field (`SitePatchTests` checks it against a full assemble).
extension SiteAssembler {
    /// An earlier assemble: its input, and the site and diagnostics it gave.
    public struct Assembled: Sendable {
        public var input: Input
        public var site: Site
        public var diagnostics: [Diagnostic]
        /// Where each of the input's summaries is among the site's pages: worked out on the first
        /// patch, and handed on to the sites patched from it (a patch moves no page).
        var positions = PagePositions()
        /// The sources the input's summaries were read from (nil: not known).
        public var sources: Sources?

        /// The sources an assemble's input summaries were read from, one each, in input order: each
        /// one's stamp (`SourceFile.stampDigest`) and what reading it said, where it said anything.
        /// A build whose sources have the same stamps is handed these summaries back as they are.
        public struct Sources: Sendable, Codable {
            public var stamps: [UInt64]
            public var diagnostics: [Int: [Diagnostic]]

            init(stamps: [UInt64], diagnostics: [Int: [Diagnostic]]) {
                self.stamps = stamps
                self.diagnostics = diagnostics
            }

            // The stamps as one run of bytes (eight each, little-endian): a list of tens of
            // thousands of numbers is read in one copy, not number by number.
            enum CodingKeys: String, CodingKey { case stamps, diagnostics }

            public init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                let bytes = try c.decode(Blob.self, forKey: .stamps).bytes
                guard bytes.count % 8 == 0 else { throw BinaryDecodingError() }
                stamps = [UInt64](repeating: 0, count: bytes.count / 8)
                stamps.withUnsafeMutableBytes { out in bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
                for i in stamps.indices { stamps[i] = UInt64(littleEndian: stamps[i]) }
                diagnostics = try c.decode([Int: [Diagnostic]].self, forKey: .diagnostics)
            }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                let bytes = stamps.map(\.littleEndian).withUnsafeBytes { Array($0) }
                try c.encode(Blob(bytes), forKey: .stamps)
                try c.encode(diagnostics, forKey: .diagnostics)
            }
        }
    }

    /// Where each of an input's summaries is among its site's pages (nil: left out, a draft),
    /// made once, on first use: by the summaries themselves (the site's pages are the input's),
    /// else by memo key. No summary is read for it.
    final class PagePositions: @unchecked Sendable {
        private let lock = NSLock()
        private var byInput: [Int?]?

        init(byInput: [Int?]? = nil) { self.byInput = byInput }

        func of(_ input: [PageSummary], in site: Site) -> [Int?] {
            lock.withLock {
                if let byInput { return byInput }
                var page: [ObjectIdentifier: Int] = [:]
                page.reserveCapacity(site.pages.count)
                for (p, summary) in site.pages.enumerated() { page[ObjectIdentifier(summary.storage)] = p }
                var made = input.map { page[ObjectIdentifier($0.storage)] }
                if made.compactMap({ $0 }).count < site.pages.count {
                    var byKey: [String: Int] = [:]
                    for (p, summary) in site.pages.enumerated() { byKey[summary.key] = p }
                    made = input.map { byKey[$0.key] }
                }
                byInput = made
                return made
            }
        }
    }

    /// A patched site, and what the patch changed in it.
    public struct Patched: Sendable {
        public var site: Site
        public var diagnostics: [Diagnostic]
        /// Pages whose summary or plan changed (indices into `site.pages`).
        public var pages: Set<Int>
        /// Hubs whose dates changed (indices into `site.hubs`).
        public var hubs: Set<Int>
        /// Pages whose entry in a listing (index pages and hubs) changed: those whose lastmod
        /// moved (a patch leaves title, URL, subjects and description as they were).
        public var listed: Set<Int>
        /// The earlier site's page positions, which are the patched site's too.
        var positions = PagePositions()
    }

    /// The site for `input` from `previous`, or nil when the change is not one it covers.
    public static func patch(_ previous: Assembled, to input: Input) -> Patched? {
        let old = previous.input
        guard input.config == old.config, input.today == old.today, input.includeDrafts == old.includeDrafts,
              input.ledger == old.ledger, input.summaries.count == old.summaries.count,
              input.files.count == old.files.count,
              zip(input.files, old.files).allSatisfy({ $0.path == $1.path && $0.file == $1.file }) else { return nil }
        // The changed summaries, by their place in the input.
        var changed: [(at: Int, summary: PageSummary)] = []
        // Pages whose other descriptions (derived from the words) changed: read only when the
        // page's own description was taken before its turn (see below).
        var newAlternates: [(at: Int, summary: PageSummary, was: PageSummary)] = []
        for (j, (new, was)) in zip(input.summaries, old.summaries).enumerated() where new != was {
            guard new.sameSiteFacts(as: was) else { return nil }
            if new.alternateDescriptions != was.alternateDescriptions { newAlternates.append((j, new, was)) }
            changed.append((j, new))
        }
        if changed.isEmpty { return Patched(site: previous.site, diagnostics: previous.diagnostics, pages: [], hubs: [], listed: [], positions: previous.positions) }
        // Too many at once (a template-wide or generated change): a full assemble is as quick.
        guard changed.count <= max(64, old.summaries.count / 20) else { return nil }

        var site = previous.site
        let position = previous.positions.of(old.summaries, in: previous.site)
        // Descriptions are given out in turn (hubs, then pages in URL order), each the page's own
        // unless taken, else one of its others. A page that had its own description had it free
        // at its turn, and still has: every page before it chose as before (by induction, the
        // first to choose otherwise would be one of these, and it does not). A page that had
        // another, or kept its own with a warning when it had no others, may now choose otherwise,
        // and so may the pages after it: the site is assembled whole.
        for (j, summary, was) in newAlternates {
            guard let i = position[j] else { continue }   // a draft left out of the site
            guard previous.site.plans[i].description == summary.description, !was.alternateDescriptions.isEmpty else { return nil }
        }
        var hubOf: [String: Int] = [:]
        for (h, hub) in site.hubs.enumerated() { hubOf[hub.slug] = h }
        var touchedHubs: Set<Int> = []
        var touchedPages: Set<Int> = []
        var listed: Set<Int> = []
        for (j, summary) in changed {
            guard let i = position[j] else { continue }   // a draft left out of the site
            site.pages[i] = summary
            touchedPages.insert(i)
            if summary.updated == nil && summary.date == nil {
                // Worked out from the input's ledger without changing it (a copy of every entry).
                let entry = input.ledger.entry(url: summary.urlPath, hash: summary.contentHash, today: input.today)
                if site.ledger.entries[summary.urlPath] != entry { site.ledger.entries[summary.urlPath] = entry }
                site.plans[i].lastmod = entry.day
            }
            // Its entry in the listings is as it was unless its lastmod moved; so are its hubs.
            guard site.plans[i].lastmod != previous.site.plans[i].lastmod else { continue }
            listed.insert(i)
            if summary.kind == .comparison {
                for s in summary.subjects { if let h = hubOf[Slug.make(s)] { touchedHubs.insert(h) } }
            }
        }
        for h in touchedHubs {
            site.hubs[h].lastmod = site.hubs[h].pages.map { site.plans[$0].lastmod }.max() ?? site.hubs[h].lastmod
        }
        if !listed.isEmpty { site.lastmod = site.plans.map(\.lastmod).max() ?? input.today }
        return Patched(site: site, diagnostics: previous.diagnostics, pages: touchedPages, hubs: touchedHubs, listed: listed,
                       positions: previous.positions)
    }
}

extension PageSummary {
    /// Whether the two differ at most in their content (digest, memo key, and the other
    /// descriptions derived from the words): the facts the site-wide steps read are the same.
    func sameSiteFacts(as other: PageSummary) -> Bool {
        var a = storage.fields, b = other.storage.fields
        a.contentHash = ""; a.key = ""; a.alternateDescriptions = []
        b.contentHash = ""; b.key = ""; b.alternateDescriptions = []
        return a == b
    }
}

extension SiteAssembler.Assembled {
    /// What the build store keeps of an assemble, so the next `versus build` can work the
    /// site out by delta too: its facts, with each page named by its summary's memo key.
    public struct Stored: Sendable, Codable {
        /// The config's digest: the build hands the config back (`init(_:plans:config:summary:)`).
        var configDigest: String
        /// The input's summaries, by memo key, in input order.
        var summaryKeys: [String]
        /// The digest of the ledger the build left (the text it wrote to `lastmod.tsv`): the next
        /// build's input ledger, and the site's. The ledger itself is the file's, which the next
        /// build reads anyway (one copy of it, not two); a file changed since gives no assemble.
        var ledgerDigest: String
        var today: Day
        var includeDrafts: Bool
        /// Files copied as they are: site path and the file they come from.
        var files: [CopiedFile]
        /// The site's pages, as positions in `summaryKeys`. The plans are kept apart, in chunks
        /// of `planChunk` (a delta rewrites only the chunks it changed).
        var pageOrder: [Int]
        var hubs: [Hub]
        var index: [IndexPage]
        var redirects: [Redirect]
        var lastmod: Day
        var indexablePages: Int
        var diagnostics: [Diagnostic]
        /// The fingerprint of the config and templates the outputs were keyed with.
        public var fingerprint: String
        /// The sources the summaries were read from (`Assembled.sources`).
        var sources: Sources?

        struct CopiedFile: Sendable, Codable {
            var path: String
            var file: String
        }

        /// Plans per stored chunk.
        public static let planChunk = 2048
        public var planChunks: Int { (pageOrder.count + Self.planChunk - 1) / Self.planChunk }
    }

    /// What the store keeps, for a build that wrote the site's ledger to `lastmod.tsv` (the
    /// next build reads that one).
    /// - Parameter ledgerText: the site's ledger as written to `lastmod.tsv`.
    public func stored(fingerprint: String, ledgerText: String) -> Stored {
        // The site's pages are the input's summaries themselves (found by identity, which is
        // quicker than by key), unless an assemble made one anew.
        var position: [ObjectIdentifier: Int] = [:]
        position.reserveCapacity(input.summaries.count)
        for (i, s) in input.summaries.enumerated() { position[ObjectIdentifier(s.storage)] = i }
        var pageOrder = site.pages.map { position[ObjectIdentifier($0.storage)] ?? -1 }
        if pageOrder.contains(-1) {
            var byKey: [String: Int] = [:]
            for (i, s) in input.summaries.enumerated() { byKey[s.key] = i }
            pageOrder = site.pages.map { byKey[$0.key] ?? -1 }
        }
        return Stored(configDigest: Digest.of(input.config), summaryKeys: input.summaries.map(\.key), ledgerDigest: Self.digest(ledgerText: ledgerText),
                      today: input.today,
                      includeDrafts: input.includeDrafts, files: input.files.map { .init(path: $0.path, file: $0.file) },
                      pageOrder: pageOrder,
                      hubs: site.hubs, index: site.index, redirects: site.redirects, lastmod: site.lastmod, indexablePages: site.indexablePages,
                      diagnostics: diagnostics, fingerprint: fingerprint, sources: sources)
    }

    static func digest(ledgerText: String) -> String { Digest.sha256(Array(ledgerText.utf8)) }

    /// The assemble back from the store, with its summaries found by key, for this build's
    /// config and ledger (nil when the config changed, the ledger is not the one that build
    /// left, or a summary is gone).
    /// - Parameter ledger: the ledger this build read, and the text it was read from.
    public init?(_ stored: Stored, plans: [PagePlan], config: SiteConfig, ledger: (ledger: Ledger, text: String),
                 summary: (String) -> PageSummary?) {
        guard Digest.of(config) == stored.configDigest, plans.count == stored.pageOrder.count,
              Self.digest(ledgerText: ledger.text) == stored.ledgerDigest else { return nil }
        var summaries: [PageSummary] = []
        summaries.reserveCapacity(stored.summaryKeys.count)
        for key in stored.summaryKeys {
            guard let s = summary(key) else { return nil }
            summaries.append(s)
        }
        var pages: [PageSummary] = []
        pages.reserveCapacity(stored.pageOrder.count)
        for i in stored.pageOrder {
            guard summaries.indices.contains(i) else { return nil }
            pages.append(summaries[i])
        }
        input = .init(config: config, summaries: summaries, ledger: ledger.ledger, today: stored.today,
                      includeDrafts: stored.includeDrafts, files: stored.files.map { ($0.path, $0.file) })
        site = Site(config: config, pages: pages, plans: plans, hubs: stored.hubs, index: stored.index,
                    redirects: stored.redirects, lastmod: stored.lastmod, ledger: ledger.ledger, indexablePages: stored.indexablePages)
        diagnostics = stored.diagnostics
        var byInput = [Int?](repeating: nil, count: summaries.count)
        for (p, j) in stored.pageOrder.enumerated() { byInput[j] = p }
        positions = SiteAssembler.PagePositions(byInput: byInput)
        sources = stored.sources.flatMap { $0.stamps.count == summaries.count ? $0 : nil }
    }
}
