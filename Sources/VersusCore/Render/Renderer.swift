/// What a comparison or document page's template receives besides the page's
/// content: `Codable` values, so the build keys each output file by their digest,
/// never by a list of fields kept by hand.
public struct PageInput: Sendable, Hashable, Codable, BinaryWritable {
    public var summary: PageSummary
    public var plan: PagePlan

    func writeBinary(to e: BinaryEncoder) throws {
        try summary.writeBinary(to: e)
        try plan.writeBinary(to: e)
    }
}

/// A page as a listing shows it.
public struct ListItem: Sendable, Hashable, Codable, BinaryWritable {
    public var title: String
    public var url: String
    public var description: String
    public var subjects: [String]
    public var lastmod: Day

    func writeBinary(to e: BinaryEncoder) throws {
        e.str(title)
        e.str(url)
        e.str(description)
        try e.value(subjects)
        try e.value(lastmod)
    }
}

/// A subject hub as a listing shows it.
public struct HubLink: Sendable, Hashable, Codable {
    public var name: String
    public var url: String
    public var count: Int
}

public struct IndexInput: Sendable, Hashable, Codable {
    public var number: Int
    public var count: Int
    public var total: Int
    public var title: String
    public var description: String
    public var items: [ListItem]
    /// On the first page only: every hub and every document.
    public var hubs: [HubLink]
    public var documents: [ListItem]
}

public struct HubInput: Sendable, Hashable, Codable, BinaryWritable {
    public var name: String
    public var urlPath: String
    public var metaTitle: String
    public var description: String
    public var lastmod: Day
    public var items: [ListItem]
    /// The other subjects compared with this one.
    public var against: [Link]
    /// Every page it lists asks not to be indexed (`Hub.noindex`).
    public var noindex = false

    func writeBinary(to e: BinaryEncoder) throws {
        e.str(name)
        e.str(urlPath)
        e.str(metaTitle)
        e.str(description)
        try e.value(lastmod)
        try e.value(items)
        try e.value(against)
        e.bool(noindex)
    }
}

public struct SubjectsInput: Sendable, Hashable, Codable {
    public var title: String
    public var description: String
    public var hubs: [HubLink]
}

/// The render stage: pages (Markdown through cmark) into the Mustache templates,
/// and the listing pages the site makes itself. Pure: inputs in, HTML out.
public struct Renderer: Sendable {
    public let site: Site
    public let templates: Templates
    /// How many comparisons the site has (every index page says it).
    let comparisonCount: Int
    let siteContext: SiteContext
    /// Fingerprinted asset paths (`{{assets.…}}`), as every template reads them.
    let assets: MustacheValue

    public init(site: Site, templates: Templates, assets: [Asset]) {
        self.site = site
        self.templates = templates
        self.assets = .dictionary(Asset.paths(assets).mapValues(MustacheValue.text))
        siteContext = SiteContext(site.config)
        // The index lists every comparison once (counted from it, no page is looked at).
        comparisonCount = site.index.reduce(0) { $0 + $1.pages.count }
    }

    /// A page as listings show it (made when a listing is rendered: a build by delta renders few).
    func listItem(_ i: Int) -> ListItem {
        let p = site.pages[i]
        return ListItem(title: p.title, url: p.urlPath, description: site.plans[i].description,
                        subjects: p.subjects, lastmod: site.plans[i].lastmod)
    }

    var config: SiteConfig { site.config }

    /// The head of a page: canonical URL, social cards, structured data; and, for a page whose
    /// front-matter says `noindex`, the request not to index it (`head.noindex`).
    func head(title: String, description: String, path: String, ogType: String, jsonld: String?, ogTitle: String? = nil,
              noindex: Bool = false) -> HeadContext {
        HeadContext(title: title, description: description, canonical: config.absolute(path), ogType: ogType,
                    ogTitle: ogTitle ?? title, jsonld: jsonld, noindex: noindex)
    }

    // MARK: Pages

    public func pageInput(_ index: Int) -> PageInput {
        PageInput(summary: site.pages[index], plan: site.plans[index])
    }

    /// The ids the templates give their own parts, which no section takes; with room for a
    /// page's sections (a copy made per page, not hashed again nor grown).
    private static let templateIDs: Set<String> = {
        var ids = Set<String>(minimumCapacity: 48)
        ids.formUnion(["main", "top", "toc", "related", "subjects", "cta"])
        return ids
    }()

    /// A comparison or a document.
    public func page(_ page: Page, _ input: PageInput) throws -> [UInt8] {
        let summary = input.summary, plan = input.plan
        let options = config.markdown
        let references = page.linkReferences
        var ids = Self.templateIDs
        // The next number to try after each base id: a heading repeated thousands of times takes
        // its numbers in turn, not by counting up from 2 again each time.
        var nextNumber: [String: Int] = [:]
        var sections: [SectionContext] = []
        var ctas: [SectionContext] = []
        var toc: [TOCEntryContext] = []
        // Relative links and images in a Markdown page lead where they do beside its source.
        let folder = LocalLinks.folder(of: page.sourcePath)
        func local(_ html: String) -> String { LocalLinks.rebase(html, folder: folder) }
        for section in page.sections {
            let headingText = PlainText.inline(section.heading)
            var id = Slug.make(headingText)
            if id.isEmpty { id = "section" }
            let base = id
            var n = nextNumber[base] ?? 2
            while !ids.insert(id).inserted { id = "\(base)-\(n)"; n += 1 }
            if id != base { nextNumber[base] = n }
            let context = SectionContext(id: id, headingHTML: local(BodyHTML.inline(section.heading, references: references, options: options)),
                                         html: local(BodyHTML.blocks(section.blocks, references: references, options: options)), role: section.role)
            if section.role == .callToAction && summary.kind == .comparison {
                ctas.append(context)
            } else {
                sections.append(context)
                toc.append(TOCEntryContext(id: id, title: headingText))
            }
        }
        // The button: the page's own call to action, else (on a comparison) the site's.
        let action = page.frontMatter.cta ?? (summary.kind == .comparison ? config.cta : nil)
        let fields = PageFields(
            title: summary.title, url: summary.urlPath,
            leadHTML: local(BodyHTML.blocks(page.lead, references: references, options: options)),
            sections: sections, cta: ctas, ctaLink: action.map { CTALinkContext($0, pageHasOwnText: !ctas.isEmpty) },
            toc: toc, lastmod: plan.lastmod, published: plan.published,
            subjects: plan.subjectHubs.map { NamedLinkContext(name: $0.title, url: $0.path, count: 0) },
            related: LinkContext.list(plan.related), breadcrumbs: LinkContext.list(plan.breadcrumbs),
            byline: summary.byline.map(BylineContext.init), frontMatter: FrontMatter.Context(frontMatter: page.frontMatter))
        let context = PageContext(site: siteContext,
                                  head: head(title: plan.metaTitle, description: plan.description, path: summary.urlPath, ogType: "article",
                                             jsonld: StructuredData.article(summary, plan: plan, config: config), ogTitle: summary.title,
                                             noindex: summary.noindex),
                                  assets: assets, page: fields)
        return try templates.render(summary.kind == .comparison ? "comparison" : "page", context)
    }

    // MARK: Listing pages

    public func indexInput(_ n: Int) -> IndexInput {
        let page = site.index[n - 1]
        let first = n == 1
        return IndexInput(number: n, count: page.count, total: comparisonCount, title: page.title,
                          description: page.description, items: page.pages.map(listItem),
                          hubs: first ? site.hubs.map(hubLink) : [], documents: first ? site.documents.map(listItem) : [])
    }

    func hubLink(_ hub: Hub) -> HubLink { HubLink(name: hub.name, url: hub.urlPath, count: hub.pages.count) }

    public func index(_ input: IndexInput) throws -> [UInt8] {
        let path = IndexPage.path(input.number)
        let links = input.items.map { Link(title: $0.title, path: $0.url) }
        let crumbs = input.number == 1 ? [] : [Link(title: "Home", path: "/"), Link(title: input.title, path: path)]
        let jsonld = StructuredData.collection(name: input.title, description: input.description, path: path, items: links,
                                               crumbs: crumbs, config: config, isHome: input.number == 1)
        return try templates.render("index", IndexContext(
            site: siteContext, head: head(title: input.title, description: input.description, path: path, ogType: "website", jsonld: jsonld),
            assets: assets, index: IndexFields(input: input, siteTitle: config.title)))
    }

    public func hubInput(_ h: Int) -> HubInput {
        let hub = site.hubs[h]
        // Other subjects compared with this one, each linking to its hub.
        var seen: Set<String> = [hub.slug]
        var against: [Link] = []
        for i in hub.pages {
            for s in site.pages[i].subjects where seen.insert(Slug.make(s)).inserted {
                against.append(Link(title: s, path: "/subjects/\(Slug.make(s))/"))
            }
        }
        return HubInput(name: hub.name, urlPath: hub.urlPath, metaTitle: hub.metaTitle, description: hub.description,
                        lastmod: hub.lastmod, items: hub.pages.map(listItem), against: against, noindex: hub.noindex)
    }

    public func hub(_ input: HubInput) throws -> [UInt8] {
        let crumbs = [Link(title: "Home", path: "/"), Link(title: "Subjects", path: "/subjects/"), Link(title: input.name, path: input.urlPath)]
        let links = input.items.map { Link(title: $0.title, path: $0.url) }
        let jsonld = StructuredData.collection(name: "\(input.name) comparisons", description: input.description,
                                               path: input.urlPath, items: links, crumbs: crumbs, config: config)
        return try templates.render("hub", HubContext(
            site: siteContext,
            head: head(title: input.metaTitle, description: input.description, path: input.urlPath, ogType: "website", jsonld: jsonld,
                       noindex: input.noindex),
            assets: assets, hub: HubFields(input: input, breadcrumbs: LinkContext.list(crumbs))))
    }

    public func subjectsInput() -> SubjectsInput {
        let title = Titles.fit("All subjects compared on \(config.title)", max: config.titleMax)
        let description = Text.shorten(
            "Every subject compared on \(config.title), \(site.hubs.count) in all, each with a page listing its comparisons: "
                + Titles.list(site.hubs.map(\.name), limit: 6) + ".",
            min: Describe.minimum, max: Describe.maximum)
        return SubjectsInput(title: title, description: description, hubs: site.hubs.map(hubLink))
    }

    public func subjects(_ input: SubjectsInput) throws -> [UInt8] {
        let crumbs = [Link(title: "Home", path: "/"), Link(title: "Subjects", path: "/subjects/")]
        let jsonld = StructuredData.collection(name: input.title, description: input.description, path: "/subjects/",
                                               items: input.hubs.map { Link(title: $0.name, path: $0.url) }, crumbs: crumbs, config: config)
        return try templates.render("subjects", SubjectsContext(
            site: siteContext,
            head: head(title: input.title, description: input.description, path: "/subjects/", ogType: "website", jsonld: jsonld),
            assets: assets, subjects: SubjectsFields(input: input, breadcrumbs: LinkContext.list(crumbs))))
    }

    /// Served for every missing URL, so it names no canonical URL of its own and is not indexed.
    public func notFoundPage() throws -> [UInt8] {
        try templates.render("404", NotFoundContext(
            site: siteContext,
            head: HeadContext(title: "Page not found", description: "This page does not exist. Start again from the index of every comparison.",
                              canonical: nil, ogType: nil, ogTitle: nil, jsonld: nil, noindex: true),
            assets: assets))
    }

    /// A redirect stub for an alias: meta refresh, canonical to the target, noindex.
    public func redirectPage(_ redirect: Redirect) -> String {
        let target = Escape.attribute(config.absolute(redirect.to))
        return """
        <!DOCTYPE html>
        <html lang="\(Escape.attribute(config.language))">
        <head>
        <meta charset="utf-8">
        <title>Moved to \(Escape.html(redirect.to))</title>
        <meta name="robots" content="noindex">
        <link rel="canonical" href="\(target)">
        <meta http-equiv="refresh" content="0; url=\(target)">
        </head>
        <body>
        <p>This page has moved to <a href="\(target)">\(Escape.html(redirect.to))</a>.</p>
        </body>
        </html>

        """
    }

    static func roleLabel(_ role: Role) -> String {
        switch role {
        case .subjectFocus: return "Focus"
        case .ourPosition: return "Our position"
        case .technical: return "Technical"
        case .callToAction: return "Next step"
        case .other: return ""
        }
    }

    /// "21 November 2026". Written digit by digit (every listed page shows one; interpolation made
    /// a string of each number and grew the result three times).
    static func label(_ day: Day) -> String {
        guard (1...99).contains(day.day), (1000...9999).contains(day.year) else { return "\(day.day) \(Day.monthNames[day.month - 1]) \(day.year)" }
        let month = monthNameBytes[day.month - 1]
        return String(unsafeUninitializedCapacity: 2 + 1 + month.count + 1 + 4) { out in
            var n = 0
            if day.day >= 10 { out[n] = UInt8(48 + day.day / 10); n += 1 }
            out[n] = UInt8(48 + day.day % 10); out[n + 1] = 32; n += 2
            for b in month { out[n] = b; n += 1 }
            out[n] = 32
            out[n + 1] = UInt8(48 + day.year / 1000); out[n + 2] = UInt8(48 + day.year / 100 % 10)
            out[n + 3] = UInt8(48 + day.year / 10 % 10); out[n + 4] = UInt8(48 + day.year % 10)
            return n + 5
        }
    }
    private static let monthNameBytes = Day.monthNames.map { Array($0.utf8) }
}

/// Escaping for text the renderer writes itself (templates escape with `{{ }}`).
public enum Escape {
    /// HTML text and attribute values: `&`, `<`, `>`, `"`, `'`. Over UTF-8 bytes, with no
    /// work for text that needs none (templates escape every `{{name}}` with it).
    public static func html(_ s: String) -> String {
        guard needsHTML(s) else { return s }
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 16)
        appendHTML(s, to: &out)   // the byte-level escaper (Mustache/MustacheEscape.swift)
        return String(decoding: out, as: UTF8.self)
    }

    public static func attribute(_ s: String) -> String { html(s) }

    /// XML text and attributes (sitemaps, the feed). Characters XML 1.0 forbids are dropped.
    public static func xml(_ s: String) -> String {
        // Most text (every URL the build makes) is printable ASCII with nothing to escape.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = c.value
                if v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000 {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }
}
