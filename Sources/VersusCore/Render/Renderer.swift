/// What a comparison or document page's template receives besides the page's
/// content: `Codable` values, so the build keys each output file by their digest,
/// never by a list of fields kept by hand.
public struct PageInput: Sendable, Hashable, Codable {
    public var summary: PageSummary
    public var plan: PagePlan
}

/// A page as a listing shows it.
public struct ListItem: Sendable, Hashable, Codable {
    public var title: String
    public var url: String
    public var description: String
    public var subjects: [String]
    public var lastmod: Day
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

public struct HubInput: Sendable, Hashable, Codable {
    public var name: String
    public var urlPath: String
    public var metaTitle: String
    public var description: String
    public var lastmod: Day
    public var items: [ListItem]
    /// The other subjects compared with this one.
    public var against: [Link]
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
    /// Logical asset name → fingerprinted site path (`style.css` → `/assets/style.1a2b3c4d.css`).
    public let assets: [String: String]
    /// `{{assets.css}}`, `{{assets.favicon}}`, and every asset by key (`{{assets.logo_svg}}`).
    let assetContext: [String: String]
    /// Each page as listings show it (made once per build).
    let listItems: [ListItem]

    public init(site: Site, templates: Templates, assets: [String: String]) {
        self.site = site
        self.templates = templates
        self.assets = assets
        var assetContext: [String: String] = [:]
        for (name, path) in assets {
            assetContext[String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })] = path
        }
        if let css = assets["style.css"] { assetContext["css"] = css }
        if let icon = assets["favicon.svg"] { assetContext["favicon"] = icon }
        self.assetContext = assetContext
        listItems = Parallel.mapSync(Array(site.pages.indices)) { [site] i in
            let p = site.pages[i]
            return ListItem(title: p.title, url: p.urlPath, description: site.plans[i].description,
                            subjects: p.subjects, lastmod: site.plans[i].lastmod)
        }
    }

    var config: SiteConfig { site.config }

    // MARK: Pages

    public func pageInput(_ index: Int) -> PageInput {
        PageInput(summary: site.pages[index], plan: site.plans[index])
    }

    /// A comparison or a document.
    public func page(_ page: Page, _ input: PageInput) -> String {
        let summary = input.summary
        let plan = input.plan
        let options = config.markdown
        let leadHTML = BodyHTML.blocks(page.lead, references: page.linkReferences, options: options)
        var ids = Set(["main", "top", "toc", "related", "subjects", "cta"])
        var sections: [[String: Any]] = []
        var ctas: [[String: Any]] = []
        var toc: [[String: Any]] = []
        for section in page.sections {
            let role = section.role
            let headingText = PlainText.inline(section.heading)
            var id = Slug.make(headingText)
            if id.isEmpty { id = "section" }
            let base = id
            var n = 2
            while !ids.insert(id).inserted { id = "\(base)-\(n)"; n += 1 }
            let label = Renderer.roleLabel(role)
            let item: [String: Any] = [
                "id": id, "heading_html": BodyHTML.inline(section.heading, references: page.linkReferences, options: options),
                "html": BodyHTML.blocks(section.blocks, references: page.linkReferences, options: options), "role": role.rawValue,
                "role_label": label, "has_role_label": !label.isEmpty, "is_focus": role == .subjectFocus,
                "is_position": role == .ourPosition, "is_technical": role == .technical,
            ]
            if role == .callToAction && summary.kind == .comparison {
                ctas.append(item)
            } else {
                sections.append(item)
                toc.append(["id": id, "title": headingText])
            }
        }
        var context = base(title: plan.metaTitle, description: plan.description, path: summary.urlPath,
                           ogType: "article", jsonld: StructuredData.article(summary, plan: plan, config: config),
                           ogTitle: summary.title)
        var pageContext: [String: Any] = [
            "title": summary.title,
            "url": summary.urlPath,
            "lead_html": leadHTML,
            "has_lead": !leadHTML.isEmpty,
            "sections": sections,
            "cta": ctas,
            "has_cta": !ctas.isEmpty,
            "toc": toc,
            "has_toc": toc.count >= 3,
            "updated": plan.lastmod.description,
            "updated_label": Renderer.label(plan.lastmod),
            "subjects": plan.subjectHubs.map { ["name": $0.title, "url": $0.path] },
            "related": plan.related.map { ["title": $0.title, "url": $0.path] },
            "has_related": !plan.related.isEmpty,
            "breadcrumbs": crumbContext(plan.breadcrumbs),
        ]
        if let published = plan.published {
            pageContext["published"] = published.description
            pageContext["published_label"] = Renderer.label(published)
        }
        if let byline = summary.byline {
            var b: [String: Any] = ["name": byline.name, "text": byline.text, "has_role": byline.role != nil]
            if let role = byline.role { b["role"] = role }
            pageContext["byline"] = b
        }
        context["page"] = pageContext
        return templates.renderByShape(summary.kind == .comparison ? "comparison" : "page", context)
    }

    // MARK: Listing pages

    public func indexInput(_ n: Int) -> IndexInput {
        let page = site.index[n - 1]
        let first = n == 1
        return IndexInput(number: n, count: page.count, total: site.comparisons.count, title: page.title,
                          description: page.description, items: page.pages.map { listItems[$0] },
                          hubs: first ? site.hubs.map(hubLink) : [], documents: first ? site.documents.map { listItems[$0] } : [])
    }

    func hubLink(_ hub: Hub) -> HubLink { HubLink(name: hub.name, url: hub.urlPath, count: hub.pages.count) }

    public func index(_ input: IndexInput) -> String {
        let number = input.number, count = input.count
        let path = IndexPage.path(number)
        let links = input.items.map { Link(title: $0.title, path: $0.url) }
        var context = base(title: input.title, description: input.description, path: path, ogType: "website",
                           jsonld: StructuredData.collection(name: input.title, description: input.description, path: path, items: links,
                                                             crumbs: number == 1 ? [] : [Link(title: "Home", path: "/"), Link(title: input.title, path: path)],
                                                             config: config, isHome: number == 1))
        var pages: [[String: Any]] = []
        for n in IndexPage.paginationWindow(number, of: count) {
            if let n {
                pages.append(["number": String(n), "url": IndexPage.path(n), "current": n == number, "gap": false])
            } else {
                pages.append(["gap": true, "current": false])
            }
        }
        var pagination: [String: Any] = ["pages": pages, "total": String(count), "current": String(number), "paginated": count > 1]
        pagination["has_prev"] = number > 1
        pagination["has_next"] = number < count
        if number > 1 { pagination["prev"] = IndexPage.path(number - 1) }
        if number < count { pagination["next"] = IndexPage.path(number + 1) }
        context["index"] = [
            "title": number == 1 ? config.title : input.title,
            "description": input.description,
            "is_first": number == 1,
            "comparisons": input.items.map(listItem),
            "count": input.total,
            "hubs": input.hubs.map { ["name": $0.name, "url": $0.url, "count": $0.count] },
            "has_hubs": !input.hubs.isEmpty,
            "documents": input.documents.map(listItem),
            "has_documents": !input.documents.isEmpty,
            "pagination": pagination,
        ] as [String: Any]
        return templates.renderByShape("index", context)
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
                        lastmod: hub.lastmod, items: hub.pages.map { listItems[$0] }, against: against)
    }

    public func hub(_ input: HubInput) -> String {
        let crumbs = [Link(title: "Home", path: "/"), Link(title: "Subjects", path: "/subjects/"), Link(title: input.name, path: input.urlPath)]
        let links = input.items.map { Link(title: $0.title, path: $0.url) }
        var context = base(title: input.metaTitle, description: input.description, path: input.urlPath, ogType: "website",
                           jsonld: StructuredData.collection(name: "\(input.name) comparisons", description: input.description,
                                                             path: input.urlPath, items: links, crumbs: crumbs, config: config))
        context["hub"] = [
            "name": input.name, "url": input.urlPath, "description": input.description, "count": input.items.count,
            "comparisons": input.items.map(listItem), "against": input.against.map { ["name": $0.title, "url": $0.path] },
            "has_against": !input.against.isEmpty,
            "updated": input.lastmod.description, "updated_label": Renderer.label(input.lastmod),
            "breadcrumbs": crumbContext(crumbs),
        ] as [String: Any]
        return templates.render("hub", context)
    }

    public func subjectsInput() -> SubjectsInput {
        let title = Titles.fit("All subjects compared on \(config.title)", max: config.titleMax)
        let description = Text.shorten(
            "Every subject compared on \(config.title), \(site.hubs.count) in all, each with a page listing its comparisons: "
                + Titles.list(site.hubs.map(\.name), limit: 6) + ".",
            min: Describe.minimum, max: Describe.maximum)
        return SubjectsInput(title: title, description: description, hubs: site.hubs.map(hubLink))
    }

    public func subjects(_ input: SubjectsInput) -> String {
        let crumbs = [Link(title: "Home", path: "/"), Link(title: "Subjects", path: "/subjects/")]
        var context = base(title: input.title, description: input.description, path: "/subjects/", ogType: "website",
                           jsonld: StructuredData.collection(name: input.title, description: input.description, path: "/subjects/",
                                                             items: input.hubs.map { Link(title: $0.name, path: $0.url) },
                                                             crumbs: crumbs, config: config))
        context["subjects"] = [
            "title": input.title, "description": input.description,
            "hubs": input.hubs.map { ["name": $0.name, "url": $0.url, "count": $0.count] as [String: Any] },
            "breadcrumbs": crumbContext(crumbs),
        ] as [String: Any]
        return templates.render("subjects", context)
    }

    public func notFoundPage() -> String {
        var context = base(title: "Page not found", description: "This page does not exist. Start again from the index of every comparison.",
                           path: "/404.html", ogType: "website", jsonld: nil)
        // Served for every missing URL, so it names no canonical URL of its own.
        var head = context["head"] as! [String: Any]
        head["noindex"] = true
        head["indexable"] = false
        for key in ["canonical", "og_url", "og_type", "og_title", "og_description"] { head[key] = nil }
        context["head"] = head
        return templates.render("404", context)
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

    // MARK: Context

    /// The context every template shares: the site, the head, the assets.
    /// `ogTitle` is the full title for social cards (the `<title>` may be a shorter form).
    func base(title: String, description: String, path: String, ogType: String, jsonld: String?,
              ogTitle: String? = nil) -> [String: Any] {
        let canonical = config.absolute(path)
        var head: [String: Any] = [
            "title": title, "description": description, "canonical": canonical, "og_type": ogType,
            "og_url": canonical, "og_title": ogTitle ?? title, "og_description": description,
        ]
        head["indexable"] = true
        head["has_jsonld"] = jsonld != nil
        if let jsonld { head["jsonld"] = jsonld }
        return [
            "site": ["title": config.title, "language": config.language, "description": config.description,
                     "home": "/", "feed": "/feed.xml", "subjects": "/subjects/"] as [String: Any],
            "head": head,
            "assets": assetContext as [String: Any],
        ]
    }

    func listItem(_ item: ListItem) -> [String: Any] {
        ["title": item.title, "url": item.url, "description": item.description,
         "subjects": item.subjects.joined(separator: " · "),
         "updated": item.lastmod.description, "updated_label": Renderer.label(item.lastmod)]
    }

    func crumbContext(_ links: [Link]) -> [[String: Any]] {
        links.enumerated().map { i, l in ["title": l.title, "url": l.path, "last": i == links.count - 1] }
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

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    /// "21 November 2026".
    static func label(_ day: Day) -> String { "\(day.day) \(months[day.month - 1]) \(day.year)" }
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
