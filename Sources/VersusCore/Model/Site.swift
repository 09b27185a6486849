/// What the site-wide steps need to know about a page: a compact summary, not
/// the page's body. Hubs, related links, sitemaps and the feed work from these.
public struct PageSummary: Sendable, Hashable, Codable {
    public var sourcePath: String
    public var file: String
    public var kind: PageKind
    public var slug: String { didSet { urlPath = "/" + slug + "/" } }
    /// `/<slug>/`, made once (every site-wide step asks for it).
    public private(set) var urlPath: String
    public var title: String
    public var subjects: [String]
    public var description: String
    /// Further unique-able descriptions, best first (derived ones only).
    public var alternateDescriptions: [String]
    public var byline: Byline?
    public var date: Day?
    public var updated: Day?
    public var aliases: [String]
    public var draft: Bool
    public var noindex: Bool
    /// Digest of the source's bytes: what "the content changed" means for lastmod.
    public var contentHash: String
    /// The key the normalised page is kept under (see `Memo`).
    public var key: String

    public init(sourcePath: String, file: String, kind: PageKind, slug: String, title: String, subjects: [String],
                description: String, alternateDescriptions: [String], byline: Byline?, date: Day?, updated: Day?,
                aliases: [String], draft: Bool, noindex: Bool, contentHash: String, key: String = "") {
        self.sourcePath = sourcePath
        self.file = file
        self.kind = kind
        self.slug = slug
        self.urlPath = "/" + slug + "/"
        self.title = title
        self.subjects = subjects
        self.description = description
        self.alternateDescriptions = alternateDescriptions
        self.byline = byline
        self.date = date
        self.updated = updated
        self.aliases = aliases
        self.draft = draft
        self.noindex = noindex
        self.contentHash = contentHash
        self.key = key
    }

    public init(page: Page, file: String, contentHash: String, key: String) {
        let fm = page.frontMatter
        sourcePath = page.sourcePath
        self.file = file
        kind = page.kind
        slug = fm.slug
        urlPath = "/" + fm.slug + "/"
        title = fm.title
        subjects = fm.subjects
        description = fm.description
        alternateDescriptions = page.alternateDescriptions
        byline = fm.byline
        date = fm.date
        updated = fm.updated
        aliases = fm.aliases
        draft = fm.draft
        noindex = fm.noindex
        self.contentHash = contentHash
        self.key = key
    }
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
