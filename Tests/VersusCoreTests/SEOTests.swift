import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Search-engine completeness: structured data, hubs, related links, dates,
/// sitemaps, the feed, and `versus check`.
@Suite struct SEOTests {
    static func comparison(_ a: String, _ b: String, title: String? = nil, extra: String = "", date: String? = nil) -> String {
        """
        ---
        title: "\(title ?? "\(a) vs \(b) for Platform Teams")"
        subjects: ["\(a)", "\(b)"]
        \(date.map { "date: \($0)\n" } ?? "")\(extra)---

        \(a) and \(b) are both common choices for platform teams; this page compares them on cost, operations and fit for \(a)-heavy shops.

        ## \(a) Focus

        \(a) has strengths in areas that matter to teams evaluating \(b): ecosystem breadth, hiring pool and day-two operations at scale.

        ## The Technical Breakdown

        Under the hood \(a) and \(b) differ in how they store state, how they expose APIs, and how upgrades roll out across a fleet.
        """
    }

    @Test func jsonLDParsesAndContentCannotCloseTheScript() async throws {
        let hostile = "Kubernetes vs Nomad </script><script>alert(1)</script> & <!--"
        let site = try FixtureSite(["hostile.md": """
        ---
        title: "\(hostile)"
        subjects: ["Kubernetes", "Nomad"]
        byline: "Eve </script><script>alert(2)</script>"
        description: "A description with </script><script>alert(3)</script> in it, long enough to be kept as written."
        ---

        ## Nomad Focus

        Text with </script> and <script>alert(4)</script> in the body.
        """])
        try await site.build()
        let doc = try site.html("kubernetes-vs-nomad/index.html")
        let scripts = doc.all("script")
        #expect(scripts.count == 1)
        #expect(scripts.first?["type"] == "application/ld+json")
        let raw = try #require(site.output("kubernetes-vs-nomad/index.html"))
        #expect(!raw.contains("<script>alert"))
        let jsonld = try #require(try doc.jsonLD().first)
        let graph = try #require(jsonld["@graph"] as? [[String: Any]])
        let article = try #require(graph.first { $0["@type"] as? String == "Article" })
        #expect(article["headline"] as? String == hostile)
        #expect((article["author"] as? [String: Any])?["name"] as? String == "Eve </script><script>alert(2)</script>")
        #expect(article["dateModified"] as? String == "2026-11-21")
        #expect(graph.contains { $0["@type"] as? String == "BreadcrumbList" })
        // The same text, escaped for HTML, in the <h1> and attributes.
        #expect(doc.first("h1")?.text == hostile)
        #expect(doc.meta(property: "og:title").first == hostile)
    }

    /// A page whose front-matter says `noindex` asks search engines not to index it, in its own
    /// head, and is left out of everything that announces pages (sitemap, feed); it has no
    /// canonical URL or social cards, which would ask the opposite. The other pages are as before.
    @Test func aNoindexPageSaysSoAndIsNotAnnounced() async throws {
        let site = try FixtureSite([
            "Kubernetes-Nomad.md": SEOTests.comparison("Kubernetes", "Nomad", extra: "noindex: true\n"),
            "Docker-Podman.md": SEOTests.comparison("Docker", "Podman"),
        ])
        try await site.build()
        try expectUnannounced(site, "/kubernetes-vs-nomad/", beside: "/docker-vs-podman/")
        #expect(try site.html("kubernetes-vs-nomad/index.html").meta(property: "og:url").isEmpty)
        #expect(try site.html("docker-vs-podman/index.html").links(rel: "canonical") == ["https://fixture.example.com/docker-vs-podman/"])
    }

    /// A hub whose every page asks not to be indexed asks the same, and no sitemap lists it; a hub
    /// with one indexed page among them is indexed as before.
    @Test func aHubOfNoindexPagesOnlyIsNotIndexedEither() async throws {
        let site = try FixtureSite([
            "Kubernetes-Nomad.md": SEOTests.comparison("Kubernetes", "Nomad", extra: "noindex: true\n"),
            "Docker-Kubernetes.md": SEOTests.comparison("Docker", "Kubernetes"),
        ])
        try await site.build()
        try expectUnannounced(site, "/subjects/nomad/", beside: "/subjects/kubernetes/", inFeed: false)
        let sitemap = try #require(site.output("sitemap.xml"))
        // The home page, the subjects page, two hubs and one comparison.
        #expect(sitemap.components(separatedBy: "<loc>").count - 1 == 5, "\(sitemap)")
    }

    /// A draft is left out unless the build asks for drafts (a preview), and then it is built as a
    /// `noindex` page: it asks not to be indexed and is in no sitemap or feed.
    @Test func aDraftBuiltForAPreviewIsNotAnnounced() async throws {
        let site = try FixtureSite([
            "Kubernetes-Nomad.md": SEOTests.comparison("Kubernetes", "Nomad", extra: "draft: true\n"),
            "Docker-Podman.md": SEOTests.comparison("Docker", "Podman"),
        ])
        try await site.build()
        #expect(site.output("kubernetes-vs-nomad/index.html") == nil)
        try await site.build { $0.includeDrafts = true }
        try expectUnannounced(site, "/kubernetes-vs-nomad/", beside: "/docker-vs-podman/")
    }

    /// The page at `path` asks not to be indexed, with no canonical URL, and is in no sitemap
    /// (nor the feed, for a page the feed would list); the page at `shown` is indexed and listed.
    private func expectUnannounced(_ site: FixtureSite, _ path: String, beside shown: String, inFeed: Bool = true,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let hidden = try site.html(String(path.dropFirst()) + "index.html")
        #expect(hidden.meta(name: "robots") == ["noindex"], sourceLocation: sourceLocation)
        #expect(hidden.links(rel: "canonical").isEmpty, sourceLocation: sourceLocation)
        #expect(try site.html(String(shown.dropFirst()) + "index.html").meta(name: "robots").isEmpty, sourceLocation: sourceLocation)
        let sitemaps = try site.outputFiles().filter { $0.key.hasPrefix("sitemap") }.map { String(decoding: $0.value, as: UTF8.self) }.joined()
        #expect(sitemaps.contains(shown) && !sitemaps.contains(path), sourceLocation: sourceLocation)
        guard inFeed else { return }
        let feed = try #require(site.output("feed.xml"), sourceLocation: sourceLocation)
        #expect(feed.contains(shown) && !feed.contains(path), sourceLocation: sourceLocation)
    }

    /// A file's type comes from its name's extension in any case; a folder's trailing slash, the
    /// CDN's rule files, the Atom feed and names in other scripts are read alike.
    @Test(arguments: [("/a/index.html", "text/html; charset=utf-8"), ("/A/INDEX.HTM", "text/html; charset=utf-8"),
                      ("/feed.xml", "application/atom+xml; charset=utf-8"), ("/sitemap-2.xml", "application/xml; charset=utf-8"),
                      ("/_headers", "text/plain; charset=utf-8"), ("/x/_redirects/", "text/plain; charset=utf-8"),
                      ("/media/clip.MP4", "video/mp4"), ("/guides/diagram.png/", "image/png"), ("/", "application/octet-stream"),
                      ("", "application/octet-stream"), ("/notes.", "application/octet-stream"), ("/a.b/readme", "application/octet-stream"),
                      ("/über/straße.CSS", "text/css; charset=utf-8"), ("/データ/表.json", "application/json"),
                      ("/x.unknown", "application/octet-stream")] as [(String, String)])
    func aFileTypeComesFromItsExtension(_ path: String, _ type: String) {
        #expect(ContentType.of(path) == type, "\(path)")
    }

    /// A date for people, "21 November 2026", is written digit by digit: the same text as
    /// interpolating its parts, for one- and two-digit days, every month, and years of any length.
    @Test func aDateForPeopleIsItsDayMonthNameAndYear() {
        for year in [999, 1000, 2026, 9999, 10000] {
            for month in 1...12 {
                for day in [1, 9, 10, 21, 31] {
                    let d = Day(year: year, month: month, day: day)
                    #expect(Renderer.label(d) == "\(day) \(Day.monthNames[month - 1]) \(year)")
                }
            }
        }
        #expect(Renderer.label(Day(year: 2026, month: 11, day: 21)) == "21 November 2026")
    }

    /// JSON-LD is written as it is worked out: the same bytes as the `JSON` tree of it, escapes,
    /// numbers, nesting and empty lists included. (Member names are names in the code, written as
    /// they are; every value is escaped.)
    @Test func jsonWrittenAsItGoesIsTheJSONOfItsTree() {
        let odd = "</script><b>\"Q&A\"\\ \u{2028}\n\t\u{1}"
        var json = JSONWriter()
        json.object { json in
            json.field("name", odd)
            json.field("count", -42)
            json.field("empty", array: { _ in })
            json.field("none", object: { _ in })
            json.field("list", array: { json in
                json.object { json in json.field("a", 1) }
                json.object { json in json.field("b", odd) }
            })
        }
        let tree = JSON.object([
            ("name", .string(odd)), ("count", .int(-42)), ("empty", .array([])), ("none", .object([])),
            ("list", .array([.object([("a", .int(1))]), .object([("b", .string(odd))])])),
        ])
        #expect(json.text == tree.serialized())
        #expect(!json.text.contains("</script>") && !json.text.contains("\u{2028}"))
    }

    @Test func hubsListExactlyTheirComparisons() async throws {
        let site = try FixtureSite([
            "a.md": Self.comparison("Kubernetes", "Stripe"),
            "b.md": Self.comparison("Kubernetes", "Pulumi"),
            "c.md": Self.comparison("Docker", "Kubernetes"),
            "d.md": Self.comparison("Stripe", "Adyen"),
        ])
        try await site.build()
        let expected: [String: Set<String>] = [
            "kubernetes": ["/kubernetes-vs-stripe/", "/kubernetes-vs-pulumi/", "/docker-vs-kubernetes/"],
            "stripe": ["/kubernetes-vs-stripe/", "/stripe-vs-adyen/"],
            "pulumi": ["/kubernetes-vs-pulumi/"], "docker": ["/docker-vs-kubernetes/"], "adyen": ["/stripe-vs-adyen/"],
        ]
        let index = try site.html("index.html")
        for (hub, pages) in expected {
            let doc = try site.html("subjects/\(hub)/index.html")
            let listed = Set(doc.all("ul").filter { $0["class"] == "cards" }.flatMap { $0.all("a").compactMap { $0["href"] } })
            #expect(listed == pages, "hub \(hub)")
            let graph = try #require(try doc.jsonLD().first?["@graph"] as? [[String: Any]])
            let list = try #require(graph.compactMap { $0["mainEntity"] as? [String: Any] }.first { $0["@type"] as? String == "ItemList" })
            #expect(list["numberOfItems"] as? Int == pages.count)
            let urls = (list["itemListElement"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
            #expect(Set(urls) == Set(pages.map { "https://fixture.example.com" + $0 }))
            #expect(index.anchors.contains("/subjects/\(hub)/"), "index links hub \(hub)")
        }
        // Each page links to its subjects' hubs.
        let page = try site.html("kubernetes-vs-stripe/index.html")
        #expect(page.anchors.contains("/subjects/kubernetes/") && page.anchors.contains("/subjects/stripe/"))
    }

    @Test func relatedLinksShareASubjectAndLeaveNoOrphan() async throws {
        var files: [String: String] = [:]
        let pairs = [("Kubernetes", "Nomad"), ("Kubernetes", "Docker"), ("Docker", "Podman"), ("Nomad", "Consul"),
                     ("Kubernetes", "OpenShift"), ("OpenShift", "Rancher"), ("Rancher", "Nomad"), ("Podman", "Buildah")]
        for (a, b) in pairs { files["\(a)-\(b).md"] = Self.comparison(a, b) }
        let site = try FixtureSite(files)
        try await site.build()
        var linkedFromRelated: Set<String> = []
        for (a, b) in pairs {
            let doc = try site.html("\(Slug.pair(a, b))/index.html")
            let related = doc.all("nav").first { $0["class"] == "related" }?.all("a").compactMap { $0["href"] } ?? []
            #expect(!related.isEmpty)
            for href in related {
                let slug = String(href.dropFirst().dropLast())
                let other = pairs.first { Slug.pair($0.0, $0.1) == slug }!
                #expect(Set([a, b]).intersection([other.0, other.1]).count >= 1, "\(href) shares no subject with \(a) vs \(b)")
                linkedFromRelated.insert(href)
            }
        }
        // Every page is someone's related link (Buildah's only neighbour links back through Podman).
        #expect(linkedFromRelated.count == pairs.count)
        let report = try await SiteCheck.run(output: site.root + "/output", config: SiteConfig.parse(try FileIO.disk.readString(site.root + "/versus.yml"), file: "").0)
        #expect(!report.findings.contains { $0.rule == "orphan" || $0.rule == "broken-link" }, "\(report.findings)")
    }

    @Test func lastmodStaysForUnchangedPagesAndMovesForTheChangedOne() async throws {
        let site = try FixtureSite([
            "a.md": Self.comparison("Kubernetes", "Nomad"),
            "b.md": Self.comparison("Docker", "Podman"),
            "c.md": Self.comparison("Stripe", "Adyen", date: "2024-03-05"),
        ])
        func lastmods() throws -> [String: String] {
            let doc = try XMLDocument(data: Data(try #require(site.output("sitemap.xml")).utf8))
            var out: [String: String] = [:]
            for url in try doc.nodes(forXPath: "//*[local-name()='url']") {
                let loc = try url.nodes(forXPath: "*[local-name()='loc']").first?.stringValue ?? ""
                out[loc] = try url.nodes(forXPath: "*[local-name()='lastmod']").first?.stringValue
            }
            return out
        }
        let k8s = "https://fixture.example.com/kubernetes-vs-nomad/", docker = "https://fixture.example.com/docker-vs-podman/"
        let stripe = "https://fixture.example.com/stripe-vs-adyen/"

        try await site.build(today: Day(year: 2026, month: 1, day: 10))
        let first = try lastmods()
        #expect(first[k8s] == "2026-01-10" && first[docker] == "2026-01-10")
        #expect(first[stripe] == "2024-03-05")  // front-matter wins

        try await site.build(today: Day(year: 2026, month: 2, day: 20))
        #expect(try lastmods() == first)

        try site.write("content/b.md", Self.comparison("Docker", "Podman").replacingOccurrences(of: "ecosystem breadth", with: "rootless containers"))
        try await site.build(today: Day(year: 2026, month: 3, day: 30))
        let third = try lastmods()
        #expect(third[docker] == "2026-03-30")
        #expect(third[k8s] == "2026-01-10")
        #expect(third[stripe] == "2024-03-05")
        // The hub of a changed page moves with it; the others stay.
        #expect(third["https://fixture.example.com/subjects/podman/"] == "2026-03-30")
        #expect(third["https://fixture.example.com/subjects/kubernetes/"] == "2026-01-10")
        // The Article's dateModified agrees with the sitemap.
        let graph = try #require(try site.html("docker-vs-podman/index.html").jsonLD().first?["@graph"] as? [[String: Any]])
        #expect(graph.first?["dateModified"] as? String == "2026-03-30")
    }

    @Test func longTitlesGetAShorterUniqueTitleTag() async throws {
        let long = "Azure Kubernetes Service vs Google Kubernetes Engine for Enterprise Engineering"
        let site = try FixtureSite([
            "a.md": Self.comparison("Azure Kubernetes Service", "Google Kubernetes Engine", title: long + ": Security"),
            "b.md": Self.comparison("Google Kubernetes Engine", "Azure Kubernetes Service", title: "Google Kubernetes Engine vs Azure Kubernetes Service for Enterprise Engineering: Cost"),
            "c.md": Self.comparison("Azure Kubernetes Service", "Google Kubernetes Engine", title: long + ": Security (2021 Edition)", extra: "slug: \"aks-gke-2021\"\n"),
        ])
        try await site.build()
        var titles: Set<String> = []
        for slug in ["azure-kubernetes-service-vs-google-kubernetes-engine", "google-kubernetes-engine-vs-azure-kubernetes-service", "aks-gke-2021"] {
            let doc = try site.html(slug + "/index.html")
            let title = try #require(doc.first("title")?.text)
            #expect(title.unicodeScalars.count <= 60, "\(title)")
            #expect(titles.insert(title).inserted, "duplicate <title> \(title)")
            #expect(doc.first("h1")!.text.unicodeScalars.count > 60)
        }
    }

    @Test func paginatedIndexTitlesStayUniqueUnderTheLimit() async throws {
        var files: [String: String] = [:]
        for (a, b) in [("Kubernetes", "Nomad"), ("Docker", "Podman"), ("Stripe", "Adyen"), ("Okta", "Auth0")] {
            files["\(a).md"] = Self.comparison(a, b)
        }
        let site = try FixtureSite(files, config: "title: \"Enterprise Engineering Platform Comparisons for Buyers\"\nbase_url: \"https://fixture.example.com\"\nindex: { page_size: 1 }\n")
        try await site.build()
        var titles: Set<String> = []
        for path in ["index.html", "page/2/index.html", "page/3/index.html", "page/4/index.html"] {
            let title = try #require(try site.html(path).first("title")?.text)
            #expect(title.unicodeScalars.count <= 60, "\(title)")
            #expect(titles.insert(title).inserted, "duplicate \(title)")
        }
        #expect(site.output("page/5/index.html") == nil)
        #expect(try site.html("page/2/index.html").all("a").contains { $0["rel"] == "next" && $0["href"] == "/page/3/" })
    }

    @Test func paginationShowsAWindowOfPages() {
        #expect(IndexPage.paginationWindow(1, of: 1) == [1])
        #expect(IndexPage.paginationWindow(1, of: 4) == [1, 2, 3, 4])
        #expect(IndexPage.paginationWindow(1, of: 10) == [1, 2, 3, nil, 10])
        #expect(IndexPage.paginationWindow(5, of: 10) == [1, 2, 3, 4, 5, 6, 7, nil, 10])
        #expect(IndexPage.paginationWindow(6, of: 12) == [1, nil, 4, 5, 6, 7, 8, nil, 12])
        #expect(IndexPage.paginationWindow(10, of: 10) == [1, nil, 8, 9, 10])
        // Middle pages have one layout, so they render by shape.
        #expect(IndexPage.paginationWindow(40, of: 100).map { $0 == nil } == IndexPage.paginationWindow(60, of: 100).map { $0 == nil })
    }

    @Test func paginatedIndexLinksItsNeighbours() async throws {
        var files: [String: String] = [:]
        let names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet", "Kilo", "Lima"]
        for i in 0..<12 { files["p\(i).md"] = Self.comparison(names[i], names[(i + 1) % 12]) }
        let site = try FixtureSite(files, config: "title: \"Fixture Site\"\nbase_url: \"https://fixture.example.com\"\nindex: { page_size: 1 }\n")
        try await site.build()
        let nav = try #require(try site.html("page/6/index.html").all("nav").first { $0["class"] == "pagination" })
        let links = nav.all("a").compactMap { $0["href"] }
        #expect(links == ["/page/5/", "/", "/page/4/", "/page/5/", "/page/7/", "/page/8/", "/page/12/", "/page/7/"])
        #expect(nav.all("span").contains { $0["aria-current"] == "page" && $0.text == "6" })
        #expect(nav.all("span").filter { $0["class"] == "gap" }.count == 2)
    }

    @Test func reversedPairsAreReportedAndAliasesRedirect() async throws {
        let reversed = try FixtureSite(["a.md": Self.comparison("Kubernetes", "Nomad"), "b.md": Self.comparison("Nomad", "Kubernetes")])
        let d = await reversed.failingBuild()
        #expect(d.contains { $0.file.hasSuffix("/b.md") && $0.message.contains("same topic") && $0.message.contains("aliases") })

        let aliased = try FixtureSite(["a.md": Self.comparison("Kubernetes", "Nomad", extra: "aliases: [\"/nomad-vs-kubernetes/\"]\n")])
        try await aliased.build()
        let stub = try aliased.html("nomad-vs-kubernetes/index.html")
        let refresh = stub.all("meta").first { $0["http-equiv"] == "refresh" }?["content"]
        #expect(refresh == "0; url=https://fixture.example.com/kubernetes-vs-nomad/")
        #expect(stub.meta(name: "robots") == ["noindex"])
        #expect(aliased.output("_redirects") == "/nomad-vs-kubernetes/ /kubernetes-vs-nomad/ 301\n")
        #expect(try !sitemapLocs(try #require(aliased.output("sitemap.xml"))).contains { $0.contains("nomad-vs-kubernetes") })
    }

    @Test func feedIsAtomNewestFirst() async throws {
        let site = try FixtureSite([
            "a.md": Self.comparison("Kubernetes", "Nomad", date: "2024-01-01"),
            "b.md": Self.comparison("Docker", "Podman", extra: "byline: \"Jane Doe — Staff Engineer\"\n", date: "2025-06-01"),
            "c.md": Self.comparison("Stripe", "Adyen", date: "2023-05-01"),
        ])
        try await site.build()
        let xml = try XMLDocument(data: Data(try #require(site.output("feed.xml")).utf8))
        let root = try #require(xml.rootElement())
        #expect(root.name == "feed" && root.uri == "http://www.w3.org/2005/Atom")
        let entries = try xml.nodes(forXPath: "//*[local-name()='entry']")
        let ids = try entries.map { try $0.nodes(forXPath: "*[local-name()='id']").first?.stringValue ?? "" }
        #expect(ids == ["https://fixture.example.com/docker-vs-podman/", "https://fixture.example.com/kubernetes-vs-nomad/",
                        "https://fixture.example.com/stripe-vs-adyen/"])
        let updated = try xml.nodes(forXPath: "/*[local-name()='feed']/*[local-name()='updated']").first?.stringValue
        #expect(updated == "2025-06-01T00:00:00Z")
        let author = try entries[0].nodes(forXPath: "*[local-name()='author']/*[local-name()='name']").first?.stringValue
        #expect(author == "Jane Doe")
    }

    @Test func notFoundPageIsNoindex() async throws {
        let site = try FixtureSite(["a.md": Self.comparison("Kubernetes", "Nomad")])
        try await site.build()
        let doc = try site.html("404.html")
        #expect(doc.meta(name: "robots") == ["noindex"])
        #expect(doc.links(rel: "canonical").isEmpty)
    }

    // MARK: versus check

    @Test func checkPassesOnTheBundledSite() async throws {
        let site = try FixtureSite(try BuildTests.seeds())
        try FileManager.default.removeItem(atPath: site.root + "/versus.yml")
        try FileManager.default.copyItem(atPath: repositoryRoot + "/versus.yml", toPath: site.root + "/versus.yml")
        try await site.build()
        let config = SiteConfig.parse(try FileIO.disk.readString(site.root + "/versus.yml"), file: "versus.yml").0
        let report = try await SiteCheck.run(output: site.root + "/output", config: config)
        #expect(report.findings.isEmpty, "\(report.text())")
        #expect(report.pages >= 10)
    }

    /// Pages that look misread (issue 9): a title without a subject, too many sections,
    /// headings that read like code, a row or a date, code in the call to action.
    @Test func checkFlagsPagesThatLookMisread() async throws {
        let many = (1...16).map { "## Aspect \($0)\n\nAspect \($0) of the two tools, compared for platform teams in plain words.\n" }.joined(separator: "\n")
        let site = try FixtureSite([
            "title.md": "---\ntitle: \"Choosing a Scheduler for Small Teams\"\nsubjects: [\"Kubernetes\", \"Nomad\"]\ndescription: \"Kubernetes and Nomad compared for small platform teams: cost, operations and fit.\"\n---\n\nText about both.\n",
            "many.md": "---\ntitle: \"Docker vs Podman\"\nsubjects: [\"Docker\", \"Podman\"]\ndescription: \"Docker and Podman compared for platform teams: daemons, rootless containers and switching costs.\"\n---\n\n\(many)",
            "code.md": "---\ntitle: \"MySQL vs PostgreSQL\"\nsubjects: [\"MySQL\", \"PostgreSQL\"]\ndescription: \"MySQL and PostgreSQL compared for product teams: replication, extensions and operations.\"\nroles: { \"Get Started Today\": call_to_action }\n---\n\n## SELECT * FROM users;\n\nA query that was read as a heading.\n\n## 12 March 2024\n\nA date read as a heading.\n\n## Get Started Today\n\nRun this:\n\n```\nbrew install postgresql\n```\n",
        ])
        try await site.build()
        let report = try await SiteCheck.run(output: site.root + "/output", config: SiteConfig.parse("base_url: \"https://fixture.example.com\"\n", file: "").0)
        let found = report.findings
        #expect(found.contains { $0.rule == "misread-title" && $0.page == "/kubernetes-vs-nomad/" && $0.message.contains("Kubernetes") })
        #expect(found.contains { $0.rule == "many-sections" && $0.page == "/docker-vs-podman/" && $0.figure == "16" })
        #expect(found.contains { $0.rule == "misread-heading" && $0.figure == "SELECT * FROM users;" && $0.message.contains("code") })
        #expect(found.contains { $0.rule == "misread-heading" && $0.figure == "12 March 2024" && $0.message.contains("a date") })
        #expect(found.contains { $0.rule == "code-in-cta" && $0.page == "/mysql-vs-postgresql/" })
        // Well-read pages are left alone.
        #expect(!found.contains { ["misread-title", "many-sections", "misread-heading", "code-in-cta"].contains($0.rule) && $0.page == "/docker-vs-podman/" && $0.rule != "many-sections" })
        for heading in ["Pricing and Licensing", "Kubernetes Focus", "What Is Nomad?", "CI/CD Pipelines", "Node.js vs Deno: Runtime"] {
            #expect(SiteCheck.misreadHeading(heading) == nil, "\(heading)")
        }
    }

    @Test func checkCatchesEachRule() async throws {
        let body = (1...40).map { "Sentence number \($0) about platform teams, their tooling choices and the cost of running them." }.joined(separator: " ")
        let site = try FixtureSite([
            // thin: a comparison with a handful of words.
            "thin.md": "---\ntitle: \"Kubernetes vs Nomad in Brief\"\nsubjects: [\"Kubernetes\", \"Nomad\"]\ndescription: \"A short note on Kubernetes and Nomad that stops well before saying anything of use to anyone.\"\n---\n\n## Nomad Focus\n\nShort.\n",
            // near-duplicate: two pages with the same long text.
            "dup-a.md": "---\ntitle: \"Docker vs Podman Compared\"\nsubjects: [\"Docker\", \"Podman\"]\ndescription: \"Docker and Podman compared for platform teams: daemons, rootless containers, and the cost of switching.\"\n---\n\n## Overview\n\n\(body)\n",
            "dup-b.md": "---\ntitle: \"Podman vs Buildah Compared\"\nsubjects: [\"Podman\", \"Buildah\"]\ndescription: \"Podman and Buildah compared for platform teams: image builds, rootless use, and how they fit together.\"\n---\n\n## Overview\n\n\(body) One more.\n",
            // duplicate-description and description-length (61 characters: between 50 and 70).
            "g1.md": "---\ntitle: \"Guide One\"\ndescription: \"The same description on two guides, which is what we test.\"\n---\n\n\(body)\n\n[broken](/nowhere/) and [bad anchor](/guide-two/#missing)\n\n# A second h1\n",
            "guide-two.md": "---\ntitle: \"Guide Two\"\ndescription: \"The same description on two guides, which is what we test.\"\n---\n\n\(body)\n",
        ], templates: [
            // orphan, title-length, h1 (none) and duplicate-title: static pages nobody links to.
            "static/lonely/index.html": "<!DOCTYPE html><html lang=\"en\"><head><title>A lonely static page whose title is far too long for any results page to show</title><meta name=\"description\" content=\"A static page that no other page links to, so search engines may never find it at all.\"></head><body><main><p>No heading here.</p></main></body></html>",
            "static/twin/index.html": "<!DOCTYPE html><html lang=\"en\"><head><title>Guide One</title><meta name=\"description\" content=\"A static twin of the first guide's title, which makes the title a duplicate one.\"></head><body><main><h1>Twin</h1><a href=\"/lonely/\">lonely</a></main></body></html>",
            "static/broken.html": "<!DOCTYPE html><html lang=\"en\"><head><title>Broken</title></head><body><h1 class=\"unclosed></body></html>",
        ])
        try await site.build()
        let report = try await SiteCheck.run(output: site.root + "/output", config: SiteConfig())
        func has(_ rule: String, _ page: String) -> Bool { report.findings.contains { $0.rule == rule && $0.page == page } }
        #expect(has("thin", "/kubernetes-vs-nomad/"))
        #expect(has("near-duplicate", "/podman-vs-buildah/") || has("near-duplicate", "/docker-vs-podman/"))
        #expect(has("duplicate-description", "/g1/") && has("duplicate-description", "/guide-two/"))
        #expect(has("description-length", "/g1/"))
        #expect(has("broken-link", "/g1/"))
        #expect(report.findings.contains { $0.rule == "broken-link" && $0.message.contains("#missing") })
        #expect(has("h1", "/g1/"))
        #expect(has("h1", "/lonely/"))
        #expect(has("title-length", "/lonely/"))
        #expect(has("orphan", "/twin/"))
        #expect(has("duplicate-title", "/twin/") && has("duplicate-title", "/g1/"))
        #expect(has("html", "/broken.html"))
        #expect(report.errors > 0)
        // Every finding names its figure; JSON carries the same findings.
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        #expect((json?["findings"] as? [Any])?.count == report.findings.count)
        // Levels are configurable: everything off but one rule.
        var quiet: [String: SiteCheck.Level] = [:]
        for r in SiteCheck.rules { quiet[r.name] = .off }
        quiet["thin"] = .error
        let onlyThin = try await SiteCheck.run(output: site.root + "/output", config: SiteConfig(), levels: quiet)
        #expect(Set(onlyThin.findings.map(\.rule)) == ["thin"])
        #expect(onlyThin.findings.allSatisfy { $0.level == .error })
    }
}
