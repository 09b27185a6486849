import Foundation
/// What the site-wide steps need to know about a page: a compact summary, not
/// the page's body. Hubs, related links, sitemaps and the feed work from these.
public struct PageSummary: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
    /// The fields, shared by every copy: the site-wide steps pass summaries around by the
    /// ten thousand, and a copy of a struct of seventeen fields cost as many retains.
    ///
    /// A summary read back from the build store keeps its fields in their binary form and
    /// reads them on first use: a build by delta reads the summary of every page of the site,
    /// and needs few of them whole. What the site-wide files read of every page (its key,
    /// file, URL, kind and `noindex`) is kept apart, read at once.
    ///
    /// A summary the store is asked for by key (`init(key:reading:)`) is not read at all until
    /// something but its key is asked of it: a build that works the site out by delta from the
    /// last one hands back tens of thousands of pages it never looks at.
    final class Storage: @unchecked Sendable {
        /// What the site-wide files read; for a summary asked for by key, a placeholder until it
        /// is read (under one of `locks`).
        private var headValue: Head
        /// The fields; for a summary read from the store, a placeholder until `deferred` is read
        /// (once, under one of `locks`).
        private var decoded: Fields
        /// The fields in their binary form, for a summary read from the store (nil: made here).
        private var deferred: [UInt8]?
        private var isRead = false
        private let damage: StoreDamage?
        /// Whether the fields may be deferred (read from the store, or asked for by key): set once.
        private let mayDefer: Bool
        /// For a summary asked for by key: the key, and where it is read from (nil once read).
        private let lazyKey: String?
        private var reader: (any SummaryReading)?
        /// Locks for reading deferred fields, shared by all summaries (one each would cost an
        /// allocation per page).
        private static let locks = (0..<16).map { _ in NSLock() }
        private var lock: NSLock { Self.locks[Int(UInt(bitPattern: ObjectIdentifier(self).hashValue) >> 4 & 15)] }

        init(_ fields: Fields) {
            headValue = Head(key: fields.key, file: fields.file, urlPath: fields.urlPath, kind: fields.kind, noindex: fields.noindex)
            decoded = fields
            deferred = nil
            damage = nil
            mayDefer = false
            lazyKey = nil
        }

        init(stored: Stored, damage: StoreDamage?) {
            headValue = stored.head
            decoded = .placeholder
            deferred = stored.fields.bytes
            self.damage = damage
            mayDefer = true
            lazyKey = nil
        }

        init(key: String, reader: any SummaryReading, damage: StoreDamage?) {
            headValue = Head(key: key, file: "", urlPath: "", kind: .document, noindex: false)
            decoded = .placeholder
            deferred = nil
            self.damage = damage
            mayDefer = true
            lazyKey = key
            self.reader = reader
        }

        /// Reads a summary asked for by key (once); its reader is let go. One the store does not
        /// have is reported to `damage` (the build that asked does not commit).
        private func readByKey() {
            guard let lazyKey, lock.withLock({ reader != nil }) else { return }
            // Read outside this summary's lock: the one read takes its own.
            let found = lock.withLock { reader }.flatMap { $0.summary(lazyKey) }
            let parts = found.map { ($0.storage.head, $0.storage.encodedFields) }
            if parts == nil { damage?.found() }
            lock.withLock {
                guard reader != nil else { return }
                if let (head, bytes) = parts {
                    headValue = head
                    deferred = bytes
                } else {
                    isRead = true
                }
                reader = nil
            }
        }

        /// Read in place (a field of it is asked for by the ten thousand, and a copy of the
        /// whole head costs a retain and a release of each of its strings). Once `readByKey`
        /// has returned, the head is never written again.
        var head: Head {
            _read {
                if lazyKey != nil { readByKey() }
                yield headValue
            }
        }

        /// The memo key, known without reading a summary asked for by key.
        var key: String { lazyKey ?? headValue.key }

        /// The fields in their binary form (as they were read, when they have not been decoded).
        var encodedFields: [UInt8] {
            readByKey()
            if mayDefer, let bytes = lock.withLock({ isRead ? nil : deferred }) { return bytes }
            return BinaryEncoder.encode(fields)
        }

        var fields: Fields {
            _read {
                if mayDefer {
                    readByKey()
                    lock.withLock {
                        guard !isRead, let deferred else { return }
                        if let read = StoreDamage.read(Fields.self, from: deferred, reportingTo: damage) { decoded = read }
                        isRead = true
                    }
                }
                yield decoded
            }
        }
    }

    struct Fields: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
        var sourcePath: String
        var file: String
        var kind: PageKind
        var slug: String
        var urlPath: String
        var title: String
        var subjects: [String]
        var description: String
        var alternateDescriptions: [String]
        var byline: Byline?
        var date: Day?
        var updated: Day?
        var aliases: [String]
        var draft: Bool
        var noindex: Bool
        var lines: FrontMatter.Lines
        var contentHash: String
        var key: String

        static let placeholder = Fields(sourcePath: "", file: "", kind: .document, slug: "", urlPath: "", title: "", subjects: [],
                                        description: "", alternateDescriptions: [], byline: nil, date: nil, updated: nil,
                                        aliases: [], draft: false, noindex: false, lines: .init(), contentHash: "", key: "")

        func writeBinary(to e: BinaryEncoder) throws {
            e.str(sourcePath)
            e.str(file)
            e.str(kind.rawValue)
            e.str(slug)
            e.str(urlPath)
            e.str(title)
            try e.value(subjects)
            e.str(description)
            try e.value(alternateDescriptions)
            try e.optional(byline)
            try e.optional(date)
            try e.optional(updated)
            try e.value(aliases)
            e.bool(draft)
            e.bool(noindex)
            try lines.writeBinary(to: e)
            e.str(contentHash)
            e.str(key)
        }
    }

    /// What the site-wide files read of every page, read at once from the store (the same
    /// values as the fields of the same names).
    struct Head: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
        var key: String
        var file: String
        var urlPath: String
        var kind: PageKind
        var noindex: Bool

        func writeBinary(to e: BinaryEncoder) {
            e.str(key)
            e.str(file)
            e.str(urlPath)
            e.str(kind.rawValue)
            e.bool(noindex)
        }
    }

    /// How a summary is stored: its head, and all its fields in their binary form.
    struct Stored: Codable {
        var head: Head
        var fields: Blob
    }

    let storage: Storage

    public var sourcePath: String { storage.fields.sourcePath }
    public var file: String { storage.head.file }
    public var kind: PageKind { storage.head.kind }
    public var slug: String { storage.fields.slug }
    /// `/<slug>/`, made once (every site-wide step asks for it).
    public var urlPath: String { storage.head.urlPath }
    public var title: String { storage.fields.title }
    public var subjects: [String] { storage.fields.subjects }
    public var description: String { storage.fields.description }
    /// Further unique-able descriptions, best first (derived ones only).
    public var alternateDescriptions: [String] { storage.fields.alternateDescriptions }
    public var byline: Byline? { storage.fields.byline }
    public var date: Day? { storage.fields.date }
    public var updated: Day? { storage.fields.updated }
    public var aliases: [String] { storage.fields.aliases }
    public var draft: Bool { storage.fields.draft }
    public var noindex: Bool { storage.head.noindex }
    /// Where the source gives its subjects and aliases, for the site-wide checks' errors.
    public var lines: FrontMatter.Lines { storage.fields.lines }
    /// Digest of the source's bytes: what "the content changed" means for lastmod.
    public var contentHash: String { storage.fields.contentHash }
    /// The key the normalised page is kept under (see `Memo`).
    public var key: String { storage.key }

    public init(sourcePath: String, file: String, kind: PageKind, slug: String, title: String, subjects: [String],
                description: String, alternateDescriptions: [String], byline: Byline?, date: Day?, updated: Day?,
                aliases: [String], draft: Bool, noindex: Bool, lines: FrontMatter.Lines = .init(), contentHash: String, key: String = "") {
        storage = Storage(Fields(sourcePath: sourcePath, file: file, kind: kind, slug: slug, urlPath: "/" + slug + "/", title: title,
                                 subjects: subjects, description: description, alternateDescriptions: alternateDescriptions,
                                 byline: byline, date: date, updated: updated, aliases: aliases, draft: draft, noindex: noindex,
                                 lines: lines, contentHash: contentHash, key: key))
    }

    /// A draft is built only when asked for (`--drafts`, a preview), and then asks search engines
    /// not to index it, as `noindex` does: a preview deployed by mistake announces no draft.
    public init(page: Page, file: String, contentHash: String, key: String) {
        let fm = page.frontMatter
        self.init(sourcePath: page.sourcePath, file: file, kind: page.kind, slug: fm.slug, title: fm.title, subjects: fm.subjects,
                  description: fm.description, alternateDescriptions: page.alternateDescriptions, byline: fm.byline,
                  date: fm.date, updated: fm.updated, aliases: fm.aliases, draft: fm.draft, noindex: fm.noindex || fm.draft,
                  lines: fm.lines, contentHash: contentHash, key: key)
    }

    public static func == (a: PageSummary, b: PageSummary) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }
    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }

    public func encode(to encoder: Encoder) throws {
        try Stored(head: storage.head, fields: Blob(storage.encodedFields)).encode(to: encoder)
    }

    public init(from decoder: Decoder) throws {
        storage = Storage(stored: try Stored(from: decoder), damage: (decoder as? BinaryDecoder)?.damage)
    }

    // `encode(to:)`'s bytes (`BinaryWritable`): the head, and the fields in their binary form.
    func writeBinary(to e: BinaryEncoder) throws {
        storage.head.writeBinary(to: e)
        e.blob(storage.encodedFields)
    }

    init(binary d: BinaryDecoder) throws {
        storage = Storage(stored: Stored(head: try Head(binary: d), fields: Blob(try d.blob())), damage: d.damage)
    }

    /// The summary kept in the build store under `key`, read from `reader` when something but its
    /// key is first asked of it (nil there: the store is damaged, reported to `damage`).
    init(key: String, reading reader: any SummaryReading, damage: StoreDamage?) {
        storage = Storage(key: key, reader: reader, damage: damage)
    }
}

// `BinaryReadable` in extensions, so that the types keep their memberwise initializers.
extension PageSummary.Head {
    init(binary d: BinaryDecoder) throws {
        self.init(key: try d.str(), file: try d.str(), urlPath: try d.str(), kind: try d.rawValue(PageKind.self), noindex: try d.byte() != 0)
    }
}

extension PagePlan.Head {
    init(binary d: BinaryDecoder) throws {
        self.init(metaTitle: try d.str(), description: try d.str(), lastmod: try d.value(Day.self), published: try d.optional(Day.self))
    }
}

extension PagePlan.Links {
    init(binary d: BinaryDecoder) throws {
        self.init(subjectHubs: try d.value([Link].self), related: try d.value([Link].self), breadcrumbs: try d.value([Link].self))
    }
}

extension PageSummary.Fields {
    init(binary d: BinaryDecoder) throws {
        self.init(sourcePath: try d.str(), file: try d.str(), kind: try d.rawValue(PageKind.self), slug: try d.str(), urlPath: try d.str(),
                  title: try d.str(), subjects: try d.value([String].self), description: try d.str(),
                  alternateDescriptions: try d.value([String].self), byline: try d.optional(Byline.self), date: try d.optional(Day.self),
                  updated: try d.optional(Day.self), aliases: try d.value([String].self), draft: try d.byte() != 0,
                  noindex: try d.byte() != 0, lines: try FrontMatter.Lines(binary: d), contentHash: try d.str(), key: try d.str())
    }
}

/// Where summaries asked for by key are read from (the build store's normalised sources).
protocol SummaryReading: AnyObject, Sendable {
    func summary(_ key: String) -> PageSummary?
}

/// Set when a value read from the build store on first use does not decode: the store is
/// damaged, and the build that found it must not commit (it is made again from nothing).
public final class StoreDamage: @unchecked Sendable {
    private let lock = NSLock()
    private var isFound = false
    public init() {}
    func found() { lock.withLock { isFound = true } }
    public var wasFound: Bool { lock.withLock { isFound } }

    /// A value kept in its binary form and read on first use; nil, reported to `damage`, when
    /// its bytes do not decode (the build that read them checks before it commits anything).
    static func read<T: Decodable>(_ t: T.Type, from bytes: [UInt8], interning: Bool = false, reportingTo damage: StoreDamage?) -> T? {
        guard let value = try? BinaryDecoder.decode(T.self, from: bytes, interning: interning) else {
            damage?.found()
            return nil
        }
        return value
    }
}

/// Bytes kept as they are (a value in its binary form, read later). `BinaryEncoder` writes
/// them as their length and the bytes (`BinaryEncoder.blob`); other coders as a list.
public struct Blob: Sendable, Hashable, Codable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// A link as templates show it.
public struct Link: Sendable, Hashable, Codable {
    public var title: String
    /// A site path (`/kubernetes-vs-stripe/`).
    public var path: String
    public init(title: String, path: String) {
        self.title = title
        self.path = path
    }

    // Stored as a pair: sites hold links by the hundred thousand, and a pair is read
    // without the keyed container a struct costs.
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        title = try c.decode(String.self)
        path = try c.decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(title)
        try c.encode(path)
    }
}

/// Site-level facts about one page, decided with every other page in view.
public struct PagePlan: Sendable, Hashable, Codable, BinaryWritable {
    /// What listings, sitemaps and the feed read of every page: made here, or (nil) one of a
    /// run of plans read from the build store, whose heads are read together on first use.
    private var madeHead: Head?
    var head: Head {
        get { madeHead ?? links.head }
        set { madeHead = newValue }
    }
    /// The `<title>`: the title, or a shorter form when it is over the limit. Unique.
    public var metaTitle: String {
        get { madeHead?.metaTitle ?? links.head.metaTitle }
        set { head.metaTitle = newValue }
    }
    /// The meta description, unique across the site.
    public var description: String {
        get { madeHead?.description ?? links.head.description }
        set { head.description = newValue }
    }
    /// When the content last really changed.
    public var lastmod: Day {
        get { madeHead?.lastmod ?? links.head.lastmod }
        set { head.lastmod = newValue }
    }
    public var published: Day? {
        get { madeHead != nil ? madeHead?.published : links.head.published }
        set { head.published = newValue }
    }
    /// The page's links: only the page itself shows them, so a plan read from the build store
    /// reads them on first use (a build by delta renders few pages).
    fileprivate var links: PlanLinks

    public var subjectHubs: [Link] {
        get { links.value.subjectHubs }
        set { var v = links.value; v.subjectHubs = newValue; links = PlanLinks(v) }
    }
    public var related: [Link] {
        get { links.value.related }
        set { var v = links.value; v.related = newValue; links = PlanLinks(v) }
    }
    public var breadcrumbs: [Link] {
        get { links.value.breadcrumbs }
        set { var v = links.value; v.breadcrumbs = newValue; links = PlanLinks(v) }
    }

    public init(metaTitle: String, description: String, lastmod: Day, published: Day?, subjectHubs: [Link], related: [Link], breadcrumbs: [Link]) {
        self.init(head: Head(metaTitle: metaTitle, description: description, lastmod: lastmod, published: published),
                  links: PlanLinks(.init(subjectHubs: subjectHubs, related: related, breadcrumbs: breadcrumbs)))
    }

    init(head: Head?, links: PlanLinks) {
        madeHead = head
        self.links = links
    }

    struct Head: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
        var metaTitle: String
        var description: String
        var lastmod: Day
        var published: Day?

        func writeBinary(to e: BinaryEncoder) throws {
            e.str(metaTitle)
            e.str(description)
            try e.value(lastmod)
            try e.optional(published)
        }
    }

    /// The links of a plan.
    struct Links: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
        var subjectHubs: [Link]
        var related: [Link]
        var breadcrumbs: [Link]
        static let none = Links(subjectHubs: [], related: [], breadcrumbs: [])

        func writeBinary(to e: BinaryEncoder) throws {
            try e.value(subjectHubs)
            try e.value(related)
            try e.value(breadcrumbs)
        }
    }

    /// A plan as a whole: its head and its links, in one value.
    private struct Whole: Codable {
        var head: Head
        var links: Links
    }

    public static func == (a: PagePlan, b: PagePlan) -> Bool { a.head == b.head && (a.links === b.links || a.links.value == b.links.value) }
    public func hash(into hasher: inout Hasher) { head.hash(into: &hasher); links.value.hash(into: &hasher) }
    public func encode(to encoder: Encoder) throws { try Whole(head: head, links: links.value).encode(to: encoder) }
    func writeBinary(to e: BinaryEncoder) throws {
        try head.writeBinary(to: e)
        try links.value.writeBinary(to: e)
    }
    public init(from decoder: Decoder) throws {
        let whole = try Whole(from: decoder)
        self.init(head: whole.head, links: PlanLinks(whole.links))
    }
}

/// A plan's links: made here, or one of a run of plans read from the build store, whose
/// links are read together on first use (`PlanRun`).
final class PlanLinks: @unchecked Sendable {
    private let made: PagePlan.Links?
    private let run: PlanRun?
    private let index: Int
    init(_ links: PagePlan.Links) { made = links; run = nil; index = 0 }
    init(run: PlanRun, index: Int) { made = nil; self.run = run; self.index = index }
    var value: PagePlan.Links { made ?? run!.links(index) }
    /// The plan's head, for a plan of a run (a plan made here keeps its own).
    var head: PagePlan.Head { run?.head(index) ?? PagePlan.Head(metaTitle: "", description: "", lastmod: Day(year: 1970, month: 1, day: 1), published: nil) }
}

/// The links of a run of plans in their binary form (each string written once: the plans of
/// a site link the same pages and hubs again and again), read once, when one is first asked for.
final class PlanRun: @unchecked Sendable {
    private let lock = NSLock()
    private let bytes: [UInt8]
    private let count: Int
    private var read: [PagePlan.Links]?
    private let damage: StoreDamage?
    /// The heads of the run in their binary form, read together on first use (a build by delta
    /// looks at few plans).
    private let headBytes: [UInt8]
    private var heads: [PagePlan.Head]?
    init(bytes: [UInt8], heads: [UInt8], count: Int, damage: StoreDamage?) {
        self.bytes = bytes
        headBytes = heads
        self.count = count
        self.damage = damage
    }

    func head(_ i: Int) -> PagePlan.Head {
        lock.withLock {
            if heads == nil {
                var decoded = StoreDamage.read([PagePlan.Head].self, from: headBytes, interning: true, reportingTo: damage)
                if decoded != nil && decoded!.count != count { damage?.found(); decoded = nil }
                heads = decoded ?? Array(repeating: PagePlan.Head(metaTitle: "", description: "", lastmod: Day(year: 1970, month: 1, day: 1), published: nil),
                                         count: count)
            }
            return heads![i]
        }
    }

    func links(_ i: Int) -> PagePlan.Links {
        lock.withLock {
            if read == nil {
                var decoded = StoreDamage.read([PagePlan.Links].self, from: bytes, interning: true, reportingTo: damage)
                if decoded != nil && decoded!.count != count { damage?.found(); decoded = nil }
                read = decoded ?? Array(repeating: .none, count: count)
            }
            return read![i]
        }
    }
}

/// A run of plans as the build store keeps them: their heads and their links, each kept in
/// their binary form until a plan of the run is first looked at (a build by delta looks at few).
struct PlanChunk: Codable {
    /// The heads of the plans, and their links, each in their binary form (each string written once).
    var heads: Blob
    var links: Blob
    var count: Int

    init(_ plans: ArraySlice<PagePlan>) {
        heads = Blob(BinaryEncoder.encode(plans.map(\.head), interning: true))
        links = Blob(BinaryEncoder.encode(plans.map { $0.links.value }, interning: true))
        count = plans.count
    }

    func plans(damage: StoreDamage?) -> [PagePlan] {
        let run = PlanRun(bytes: links.bytes, heads: heads.bytes, count: count, damage: damage)
        return (0..<count).map { PagePlan(head: nil, links: PlanLinks(run: run, index: $0)) }
    }
}

/// A subject's hub page: every comparison that involves it.
public struct Hub: Sendable, Hashable, Codable {
    public var name: String
    public var slug: String
    /// Indices into `Site.pages`, ordered by title.
    public var pages: [Int]
    public var lastmod: Day
    public var metaTitle: String
    public var description: String
    /// Every page it lists asks search engines not to index it (`noindex`, a draft in a preview):
    /// so does the hub, a list of links to none of the site's indexed pages, and no sitemap lists it.
    public var noindex = false
    public var urlPath: String { "/subjects/" + slug + "/" }
}

/// Where a site path is written: `/x/` → `/x/index.html`; a file's path (`/sitemap.xml`) as it is.
public enum SitePath {
    public static func file(_ path: String) -> String {
        path.hasSuffix("/") ? path + "index.html" : path
    }

    /// A site path as a URL's path: each folder and file name percent-encoded where a URL may
    /// not hold it as it is (a space, `%`, `"`, `<`, non-ASCII letters), the slashes kept.
    /// Pages' paths are slugs and need nothing; names of files copied as they are may.
    public static func url(_ path: String) -> String {
        if path.utf8.allSatisfy({ urlSafe[Int($0)] }) { return path }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? String($0) }
            .joined(separator: "/")
    }

    /// Whether a path (a slug, a folder in a bucket, a base URL's path) has an empty, `.` or `..`
    /// folder between its first and last slash: `a//b`, `a/../b` name another place than the one meant.
    public static func hasOddFolder(_ path: some StringProtocol) -> Bool {
        var trimmed = Substring(path)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
            && !trimmed.isEmpty
    }

    /// What a path segment may hold as it is (RFC 3986 `pchar`, without `%`).
    private static let segmentAllowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")
    /// Per byte, whether a path may hold it as it is (`segmentAllowed`, and `/`).
    private static let urlSafe: [Bool] = (0..<256).map { b in
        b < 128 && (b == 47 || segmentAllowed.contains(Unicode.Scalar(UInt8(b))))
    }
}

public struct Redirect: Sendable, Hashable, Codable {
    public var from: String
    public var to: String
}

/// The assembled site: pages in URL order with their plans, hubs and redirects.
public struct Site: Sendable {
    public var config: SiteConfig
    public var pages: [PageSummary]
    public var plans: [PagePlan]
    public var hubs: [Hub]
    /// The index, page by page.
    public var index: [IndexPage]
    public var redirects: [Redirect]
    /// The newest lastmod of any page.
    public var lastmod: Day
    /// The lastmod ledger after this build.
    public var ledger: Ledger
    /// How many pages search engines may index (those the sitemap lists): counted when the site
    /// is assembled, so the sitemap's files are known without looking at every page again.
    public var indexablePages: Int

    public var comparisons: [Int] { pages.indices.filter { pages[$0].kind == .comparison } }
    public var documents: [Int] { pages.indices.filter { pages[$0].kind == .document } }
}
