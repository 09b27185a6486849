/// What the site-wide steps need to know about a page: a compact summary, not
/// the page's body. Hubs, related links, sitemaps and the feed work from these.
public struct PageSummary: Sendable, Hashable, Codable {
    /// The fields, shared by every copy: the site-wide steps pass summaries around by the
    /// ten thousand, and a copy of a struct of seventeen fields cost as many retains.
    final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    struct Fields: Sendable, Hashable, Codable {
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
        var contentHash: String
        var key: String
    }

    let storage: Storage

    public var sourcePath: String { storage.fields.sourcePath }
    public var file: String { storage.fields.file }
    public var kind: PageKind { storage.fields.kind }
    public var slug: String { storage.fields.slug }
    /// `/<slug>/`, made once (every site-wide step asks for it).
    public var urlPath: String { storage.fields.urlPath }
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
    public var noindex: Bool { storage.fields.noindex }
    /// Digest of the source's bytes: what "the content changed" means for lastmod.
    public var contentHash: String { storage.fields.contentHash }
    /// The key the normalised page is kept under (see `Memo`).
    public var key: String { storage.fields.key }

    public init(sourcePath: String, file: String, kind: PageKind, slug: String, title: String, subjects: [String],
                description: String, alternateDescriptions: [String], byline: Byline?, date: Day?, updated: Day?,
                aliases: [String], draft: Bool, noindex: Bool, contentHash: String, key: String = "") {
        storage = Storage(Fields(sourcePath: sourcePath, file: file, kind: kind, slug: slug, urlPath: "/" + slug + "/", title: title,
                                 subjects: subjects, description: description, alternateDescriptions: alternateDescriptions,
                                 byline: byline, date: date, updated: updated, aliases: aliases, draft: draft, noindex: noindex,
                                 contentHash: contentHash, key: key))
    }

    public init(page: Page, file: String, contentHash: String, key: String) {
        let fm = page.frontMatter
        self.init(sourcePath: page.sourcePath, file: file, kind: page.kind, slug: fm.slug, title: fm.title, subjects: fm.subjects,
                  description: fm.description, alternateDescriptions: page.alternateDescriptions, byline: fm.byline,
                  date: fm.date, updated: fm.updated, aliases: fm.aliases, draft: fm.draft, noindex: fm.noindex,
                  contentHash: contentHash, key: key)
    }

    public static func == (a: PageSummary, b: PageSummary) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }
    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }
    public func encode(to encoder: Encoder) throws { try storage.fields.encode(to: encoder) }
    public init(from decoder: Decoder) throws { storage = Storage(try Fields(from: decoder)) }
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
public struct PagePlan: Sendable, Hashable, Codable {
    /// The `<title>`: the title, or a shorter form when it is over the limit. Unique.
    public var metaTitle: String
    /// The meta description, unique across the site.
    public var description: String
    /// When the content last really changed.
    public var lastmod: Day
    public var published: Day?
    public var subjectHubs: [Link]
    public var related: [Link]
    public var breadcrumbs: [Link]
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
    public var urlPath: String { "/subjects/" + slug + "/" }
}

/// Where a site path is written: `/x/` → `/x/index.html`; a file's path (`/sitemap.xml`) as it is.
public enum SitePath {
    public static func file(_ path: String) -> String {
        path.hasSuffix("/") ? path + "index.html" : path
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

    public var comparisons: [Int] { pages.indices.filter { pages[$0].kind == .comparison } }
    public var documents: [Int] { pages.indices.filter { pages[$0].kind == .document } }
}
