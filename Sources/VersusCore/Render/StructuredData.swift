/// schema.org JSON-LD for each kind of page, written as it is worked out (`JSONWriter`). The
/// writer escapes `<`, `>` and `&`, so no content can close the `<script>` element it sits in.
enum StructuredData {
    static func breadcrumbs(_ links: [Link], config: SiteConfig, into json: inout JSONWriter) {
        json.object { json in
            json.field("@type", "BreadcrumbList")
            listItems(links, urlKey: "item", config: config, into: &json)
        }
    }

    /// `itemListElement`: a `ListItem` per link, numbered from 1, its address under `urlKey`
    /// (`item` in a breadcrumb trail, `url` in an item list).
    static func listItems(_ links: [Link], urlKey: StaticString, config: SiteConfig, into json: inout JSONWriter) {
        json.field("itemListElement", array: { json in
            for (i, link) in links.enumerated() {
                json.object { json in
                    json.field("@type", "ListItem")
                    json.field("position", i + 1)
                    json.field("name", link.title)
                    json.field(urlKey, config.absolute(link.path))
                }
            }
        })
    }

    static func publisher(_ config: SiteConfig, into json: inout JSONWriter) {
        json.field("@type", "Organization")
        json.field("name", config.title)
        json.field("url", config.absolute("/"))
    }

    /// The `@graph` of a page's nodes, each written by `nodes`.
    static func graph(_ nodes: (inout JSONWriter) -> Void) -> String {
        var json = JSONWriter()
        json.object { json in
            json.field("@context", "https://schema.org")
            json.field("@graph", array: nodes)
        }
        return json.text
    }

    /// A comparison or a document: an `Article` (a document without a byline is a `WebPage`).
    static func article(_ page: PageSummary, plan: PagePlan, config: SiteConfig) -> String {
        let url = config.absolute(page.urlPath)
        let article = page.kind == .comparison || page.byline != nil
        return graph { json in
            json.object { json in
                json.field("@type", article ? "Article" : "WebPage")
                json.field("@id", url + "#main")
                if article {
                    json.field("headline", Titles.fit(page.title, max: 110))
                } else {
                    json.field("name", page.title)
                }
                json.field("description", plan.description)
                json.field("url", url)
                json.field("inLanguage", config.language)
                json.field("dateModified", plan.lastmod.description)
                if let published = plan.published { json.field("datePublished", published.description) }
                if let byline = page.byline {
                    json.field("author", object: { json in
                        json.field("@type", "Person")
                        json.field("name", byline.name)
                        if let role = byline.role { json.field("jobTitle", role) }
                    })
                }
                json.field("publisher", object: { json in publisher(config, into: &json) })
                json.field("mainEntityOfPage", url)
                if !page.subjects.isEmpty {
                    json.field("about", array: { json in
                        for subject in page.subjects {
                            json.object { json in
                                json.field("@type", "Thing")
                                json.field("name", subject)
                            }
                        }
                    })
                }
            }
            breadcrumbs(plan.breadcrumbs, config: config, into: &json)
        }
    }

    /// A listing page (index, hub, subjects): a `CollectionPage` with an `ItemList`.
    static func collection(name: String, description: String, path: String, items: [Link], crumbs: [Link],
                           config: SiteConfig, isHome: Bool = false) -> String {
        let url = config.absolute(path)
        return graph { json in
            if isHome {
                json.object { json in
                    json.field("@type", "WebSite")
                    json.field("name", config.title)
                    json.field("url", config.absolute("/"))
                    json.field("description", config.description)
                    json.field("inLanguage", config.language)
                }
            }
            json.object { json in
                json.field("@type", "CollectionPage")
                json.field("name", name)
                json.field("description", description)
                json.field("url", url)
                json.field("inLanguage", config.language)
                json.field("mainEntity", object: { json in
                    json.field("@type", "ItemList")
                    json.field("numberOfItems", items.count)
                    listItems(items, urlKey: "url", config: config, into: &json)
                })
            }
            if crumbs.count > 1 { breadcrumbs(crumbs, config: config, into: &json) }
        }
    }
}
