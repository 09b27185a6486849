/// schema.org JSON-LD for each kind of page. The JSON writer escapes `<`, `>`
/// and `&`, so no content can close the `<script>` element it sits in.
enum StructuredData {
    static func breadcrumbs(_ links: [Link], config: SiteConfig) -> JSON {
        .object([
            ("@type", .string("BreadcrumbList")),
            ("itemListElement", .array(links.enumerated().map { i, link in
                .object([
                    ("@type", .string("ListItem")),
                    ("position", .int(i + 1)),
                    ("name", .string(link.title)),
                    ("item", .string(config.absolute(link.path))),
                ])
            })),
        ])
    }

    static func publisher(_ config: SiteConfig) -> JSON {
        .object([("@type", .string("Organization")), ("name", .string(config.title)), ("url", .string(config.absolute("/")))])
    }

    static func graph(_ nodes: [JSON]) -> String {
        JSON.object([("@context", .string("https://schema.org")), ("@graph", .array(nodes))]).serialized()
    }

    /// A comparison or a document: an `Article` (a document without a byline is a `WebPage`).
    static func article(_ page: PageSummary, plan: PagePlan, config: SiteConfig) -> String {
        let url = config.absolute(page.urlPath)
        var fields: [(String, JSON)] = [
            ("@type", .string(page.kind == .comparison || page.byline != nil ? "Article" : "WebPage")),
            ("@id", .string(url + "#main")),
        ]
        if page.kind == .comparison || page.byline != nil {
            fields.append(("headline", .string(Titles.fit(page.title, max: 110))))
        } else {
            fields.append(("name", .string(page.title)))
        }
        fields += [
            ("description", .string(plan.description)),
            ("url", .string(url)),
            ("inLanguage", .string(config.language)),
            ("dateModified", .string(plan.lastmod.description)),
        ]
        if let published = plan.published { fields.append(("datePublished", .string(published.description))) }
        if let byline = page.byline {
            var author: [(String, JSON)] = [("@type", .string("Person")), ("name", .string(byline.name))]
            if let role = byline.role { author.append(("jobTitle", .string(role))) }
            fields.append(("author", .object(author)))
        }
        fields.append(("publisher", publisher(config)))
        fields.append(("mainEntityOfPage", .string(url)))
        if !page.subjects.isEmpty {
            fields.append(("about", .array(page.subjects.map { .object([("@type", .string("Thing")), ("name", .string($0))]) })))
        }
        return graph([.object(fields), breadcrumbs(plan.breadcrumbs, config: config)])
    }

    /// A listing page (index, hub, subjects): a `CollectionPage` with an `ItemList`.
    static func collection(name: String, description: String, path: String, items: [Link], crumbs: [Link],
                           config: SiteConfig, isHome: Bool = false) -> String {
        let url = config.absolute(path)
        var nodes: [JSON] = []
        if isHome {
            nodes.append(.object([
                ("@type", .string("WebSite")), ("name", .string(config.title)), ("url", .string(config.absolute("/"))),
                ("description", .string(config.description)), ("inLanguage", .string(config.language)),
            ]))
        }
        nodes.append(.object([
            ("@type", .string("CollectionPage")), ("name", .string(name)), ("description", .string(description)),
            ("url", .string(url)), ("inLanguage", .string(config.language)),
            ("mainEntity", .object([
                ("@type", .string("ItemList")),
                ("numberOfItems", .int(items.count)),
                ("itemListElement", .array(items.enumerated().map { i, link in
                    .object([("@type", .string("ListItem")), ("position", .int(i + 1)),
                             ("name", .string(link.title)), ("url", .string(config.absolute(link.path)))])
                })),
            ])),
        ]))
        if crumbs.count > 1 { nodes.append(breadcrumbs(crumbs, config: config)) }
        return graph(nodes)
    }
}
