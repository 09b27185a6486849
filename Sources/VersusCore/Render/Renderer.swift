/// The render stage: pages (Markdown through cmark) into the Mustache templates,
/// and the listing pages the site makes itself. Pure: model in, HTML out.
public struct Renderer: Sendable {
    public let site: Site
    public let templates: Templates
    /// Logical asset name → fingerprinted site path (`style.css` → `/assets/style.1a2b3c4d.css`).
    public let assets: [String: String]

    /// Comparisons in index order: by title, then URL (computed once per build).
    let indexOrder: [Int]
    /// `{{assets.css}}`, `{{assets.favicon}}`, and every asset by key (`{{assets.logo_svg}}`).
    let assetContext: [String: String]

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
        let keys = site.pages.map { $0.title.lowercased() }
        indexOrder = site.pages.indices.filter { site.pages[$0].kind == .comparison }.sorted { a, b in
            keys[a] != keys[b] ? keys[a] < keys[b] : site.pages[a].urlPath < site.pages[b].urlPath
        }
    }

    var config: SiteConfig { site.config }

    // MARK: Pages

    /// A comparison or a document, by its index in `site.pages`.
    public func page(_ page: Page, at index: Int) -> String {
        let summary = site.pages[index]
        let plan = site.plans[index]
        let rendered = CMark.renderSections(markdownDocument(page), options: config.markdown)
        var parts = rendered.sections
        if parts.count != page.sections.count {
            // The page's own split and cmark's disagree (an unusual heading): render section by section.
            parts = page.sections.map { s in
                let r = CMark.renderSections("## " + s.heading + "\n\n" + s.body, options: config.markdown)
                return r.sections.first ?? .init(headingHTML: Escape.html(s.heading), headingText: s.heading, html: "")
            }
        }
        var ids = Set(["main", "top", "toc", "related", "subjects", "cta"])
        var sections: [[String: Any]] = []
        var ctas: [[String: Any]] = []
        var toc: [[String: Any]] = []
        for (i, part) in parts.enumerated() {
            let role = page.sections[i].role
            var id = Slug.make(part.headingText)
            if id.isEmpty { id = "section" }
            let base = id
            var n = 2
            while !ids.insert(id).inserted { id = "\(base)-\(n)"; n += 1 }
            let label = Renderer.roleLabel(role)
            let item: [String: Any] = [
                "id": id, "heading_html": part.headingHTML, "html": part.html, "role": role.rawValue,
                "role_label": label, "has_role_label": !label.isEmpty, "is_focus": role == .subjectFocus,
                "is_position": role == .ourPosition, "is_technical": role == .technical,
            ]
            if role == .callToAction && summary.kind == .comparison {
                ctas.append(item)
            } else {
                sections.append(item)
                toc.append(["id": id, "title": part.headingText])
            }
        }
        var context = base(title: plan.metaTitle, description: plan.description, path: summary.urlPath,
                           ogType: "article", jsonld: StructuredData.article(summary, plan: plan, config: config),
                           ogTitle: summary.title)
        var pageContext: [String: Any] = [
            "title": summary.title,
            "url": summary.urlPath,
            "lead_html": rendered.leadHTML,
            "has_lead": !rendered.leadHTML.isEmpty,
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

    /// The whole page as one Markdown document, so cmark resolves references across sections.
    func markdownDocument(_ page: Page) -> String {
        var md = page.lead
        for s in page.sections {
            md += "\n\n## " + s.heading + "\n\n" + s.body
        }
        return md
    }

    // MARK: Listing pages

    /// The index is split into pages of `index.page_size` comparisons: `/`, `/page/2/`, …
    public var indexPageCount: Int {
        max(1, (indexOrder.count + config.indexPageSize - 1) / config.indexPageSize)
    }

    func indexSlice(_ number: Int, _ order: [Int]) -> [Int] {
        let size = config.indexPageSize
        return Array(order[min(order.count, (number - 1) * size)..<min(order.count, number * size)])
    }

    /// Every index page (for tests and one-off use; builds render them one by one).
    public func indexPages() -> [(path: String, html: String)] {
        (1...indexPageCount).map { (Renderer.indexPath($0), indexPage($0)) }
    }

    public func indexPage(_ number: Int) -> String {
        let order = indexOrder
        let count = indexPageCount
        let slice = indexSlice(number, order)
        let path = Renderer.indexPath(number)
        let items = slice.map { i in Link(title: site.pages[i].title, path: site.pages[i].urlPath) }
        let (title, description) = indexTitleAndDescription(number, count: count, slice: slice)
        var context = base(title: title, description: description, path: path, ogType: "website",
                           jsonld: StructuredData.collection(name: title, description: description, path: path, items: items,
                                                             crumbs: number == 1 ? [] : [Link(title: "Home", path: "/"), Link(title: title, path: path)],
                                                             config: config, isHome: number == 1))
        // The first and last pages, and two either side of this one; a gap marks what is left out.
        // (Every page is also reachable through the subject hubs, linked from the first page.)
        var pages: [[String: Any]] = []
        for n in Renderer.paginationWindow(number, of: count) {
            if let n {
                pages.append(["number": String(n), "url": Renderer.indexPath(n), "current": n == number, "gap": false])
            } else {
                pages.append(["gap": true, "current": false])
            }
        }
        var pagination: [String: Any] = ["pages": pages, "total": String(count), "current": String(number), "paginated": count > 1]
        pagination["has_prev"] = number > 1
        pagination["has_next"] = number < count
        if number > 1 { pagination["prev"] = Renderer.indexPath(number - 1) }
        if number < count { pagination["next"] = Renderer.indexPath(number + 1) }
        context["index"] = [
            "title": number == 1 ? config.title : title,
            "description": description,
            "is_first": number == 1,
            "comparisons": slice.map(listItem),
            "count": order.count,
            "hubs": number == 1 ? site.hubs.map { ["name": $0.name, "url": $0.urlPath, "count": $0.pages.count] } : [],
            "has_hubs": number == 1 && !site.hubs.isEmpty,
            "documents": number == 1 ? site.documents.map(listItem) : [],
            "has_documents": number == 1 && !site.documents.isEmpty,
            "pagination": pagination,
        ] as [String: Any]
        // Index pages share a few shapes (first, middle, last), so they render by shape too.
        return templates.renderByShape("index", context)
    }

    /// Page numbers shown in the pagination of page `number` of `count`; nil is a gap.
    static func paginationWindow(_ number: Int, of count: Int) -> [Int?] {
        var out: [Int?] = []
        for n in 1...max(1, count) where n == 1 || n == count || abs(n - number) <= 2 {
            if let last = out.last, let l = last, n > l + 1 { out.append(n == l + 2 ? l + 1 : nil) }
            out.append(n)
        }
        return out
    }

    func indexTitleAndDescription(_ number: Int, count: Int, slice: [Int]) -> (String, String) {
        if number == 1 {
            return (Titles.fit(config.title, max: config.titleMax),
                    Text.shorten(config.description, min: Describe.minimum, max: Describe.maximum))
        }
        // The page number stays whole; the site name gives way if anything must.
        let forms = ["\(config.title) – page \(number) of \(count)", "\(config.title) – page \(number)",
                     "All comparisons – page \(number) of \(count)"]
        let title = forms.first { Text.length($0) <= config.titleMax }
            ?? Titles.fit(config.title, max: config.titleMax - 12) + " – page \(number)"
        let first = slice.first.map { site.pages[$0].title } ?? ""
        let last = slice.last.map { site.pages[$0].title } ?? ""
        let description = Text.shorten("Page \(number) of \(count) of every comparison on \(config.title), from \(first) to \(last).",
                                       min: Describe.minimum, max: Describe.maximum)
        return (title, description)
    }

    // MARK: Render keys
    //
    // A key names everything a page's HTML depends on besides templates and config
    // (which the build's fingerprint covers). Equal keys mean equal HTML.

    func key(_ parts: [String]) -> String {
        var d = Digest()
        for p in parts { d.add(p) }
        return d.hex
    }

    func linkKey(_ links: [Link]) -> String { links.map { $0.title + "\u{1}" + $0.path }.joined(separator: "\u{2}") }

    /// A page's site context (its content is keyed separately).
    public func pageContextKey(_ i: Int) -> String {
        let p = site.plans[i]
        return [p.metaTitle, p.description, p.lastmod.description, p.published?.description ?? "",
                linkKey(p.subjectHubs), linkKey(p.related), linkKey(p.breadcrumbs)].joined(separator: "\u{3}")
    }

    /// Adds what a listing shows of a page to a digest.
    func addListItem(_ i: Int, to d: inout Digest) {
        let p = site.pages[i]
        d.add(p.title)
        d.add(p.slug)
        d.add(site.plans[i].description)
        for s in p.subjects { d.add(s) }
        d.add(site.plans[i].lastmod.description)
    }

    public func indexPageKeys() -> [String] {
        let count = indexPageCount
        var shared = Digest()
        shared.add("index \(indexOrder.count) \(count)")
        for h in site.hubs { shared.add(h.name); shared.add(h.slug); shared.add(String(h.pages.count)) }
        for i in site.documents { addListItem(i, to: &shared) }
        let sharedKey = shared.hex
        return (1...count).map { n in
            var d = Digest()
            d.add(sharedKey)
            d.add(String(n))
            for i in indexSlice(n, indexOrder) { addListItem(i, to: &d) }
            return d.hex
        }
    }

    public func hubPageKey(_ h: Int) -> String {
        let hub = site.hubs[h]
        var d = Digest()
        for part in ["hub", hub.name, hub.slug, hub.metaTitle, hub.description, hub.lastmod.description] { d.add(part) }
        for i in hub.pages { addListItem(i, to: &d) }
        return d.hex
    }

    public func subjectsPageKey() -> String {
        key(["subjects"] + site.hubs.map { "\($0.name)\u{1}\($0.urlPath)\u{1}\($0.pages.count)" })
    }

    static func indexPath(_ number: Int) -> String { number == 1 ? "/" : "/page/\(number)/" }

    public func hubPage(_ hubIndex: Int) -> String {
        let hub = site.hubs[hubIndex]
        let crumbs = [Link(title: "Home", path: "/"), Link(title: "Subjects", path: "/subjects/"), Link(title: hub.name, path: hub.urlPath)]
        let items = hub.pages.map { Link(title: site.pages[$0].title, path: site.pages[$0].urlPath) }
        var context = base(title: hub.metaTitle, description: hub.description, path: hub.urlPath, ogType: "website",
                           jsonld: StructuredData.collection(name: "\(hub.name) comparisons", description: hub.description,
                                                             path: hub.urlPath, items: items, crumbs: crumbs, config: config))
        // Other subjects compared with this one, each linking to its hub.
        var seen: Set<String> = [hub.slug]
        var against: [[String: Any]] = []
        for i in hub.pages {
            for s in site.pages[i].subjects where seen.insert(Slug.make(s)).inserted {
                against.append(["name": s, "url": "/subjects/\(Slug.make(s))/"])
            }
        }
        context["hub"] = [
            "name": hub.name, "url": hub.urlPath, "description": hub.description, "count": hub.pages.count,
            "comparisons": hub.pages.map(listItem), "against": against, "has_against": !against.isEmpty,
            "updated": hub.lastmod.description, "updated_label": Renderer.label(hub.lastmod),
            "breadcrumbs": crumbContext(crumbs),
        ] as [String: Any]
        return templates.render("hub", context)
    }

    public func subjectsPage() -> String {
        let title = Titles.fit("All subjects compared on \(config.title)", max: config.titleMax)
        let description = Text.shorten(
            "Every subject compared on \(config.title), \(site.hubs.count) in all, each with a page listing its comparisons: "
                + Titles.list(site.hubs.map(\.name), limit: 6) + ".",
            min: Describe.minimum, max: Describe.maximum)
        let crumbs = [Link(title: "Home", path: "/"), Link(title: "Subjects", path: "/subjects/")]
        var context = base(title: title, description: description, path: "/subjects/", ogType: "website",
                           jsonld: StructuredData.collection(name: title, description: description, path: "/subjects/",
                                                             items: site.hubs.map { Link(title: $0.name, path: $0.urlPath) },
                                                             crumbs: crumbs, config: config))
        context["subjects"] = [
            "title": title, "description": description,
            "hubs": site.hubs.map { ["name": $0.name, "url": $0.urlPath, "count": $0.pages.count] as [String: Any] },
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

    func listItem(_ index: Int) -> [String: Any] {
        let p = site.pages[index]
        return ["title": p.title, "url": p.urlPath, "description": site.plans[index].description,
                "subjects": p.subjects.joined(separator: " · "),
                "updated": site.plans[index].lastmod.description, "updated_label": Renderer.label(site.plans[index].lastmod)]
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
