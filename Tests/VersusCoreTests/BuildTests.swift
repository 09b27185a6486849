import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Whole builds of small fixture sites, checked by parsing what they write.
@Suite struct BuildTests {
    static let nomad = nomadSource + """

    Talk to Us
    Book a 30-minute call and we will tell you which scheduler fits your team.
    """

    static let guide = """
    ---
    title: "Single Sign-On for Platform Teams"
    description: "How to roll out single sign-on across a platform team's tools without locking anyone out on day one."
    ---

    Start with the tools everyone uses daily.

    ## Rollout

    Move one group at a time.
    """

    static func seeds() throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileIO.disk.list(repositoryRoot + "/content") where name.hasSuffix(".txt") {
            files[name] = try FileIO.disk.readString(repositoryRoot + "/content/" + name)
        }
        return files
    }

    @Test func seedSiteHasCleanURLsAndCompleteHeads() async throws {
        var files = try Self.seeds()
        files["guides/sso.md"] = Self.guide
        let site = try FixtureSite(files)
        try await site.build()

        let pages = ["kubernetes-vs-stripe", "kubernetes-vs-pulumi", "docker-vs-kubernetes", "guides/sso"]
        for slug in pages {
            let doc = try site.html(slug + "/index.html")
            #expect(doc.all("title").count == 1, "\(slug)")
            #expect(doc.all("h1").count == 1, "\(slug)")
            #expect(doc.first("html")?["lang"] == "en")
            #expect(doc.links(rel: "canonical") == ["https://fixture.example.com/\(slug)/"])
            let description = try #require(doc.meta(name: "description").first)
            #expect((50...160).contains(description.unicodeScalars.count))
            #expect(try doc.jsonLD().count == 1)
        }
        // The index lists every comparison and the guide.
        let index = try site.html("index.html")
        for slug in pages { #expect(index.anchors.contains("/\(slug)/"), "index links /\(slug)/") }
        // The call to action is set apart from the sections.
        let stripe = try site.html("kubernetes-vs-stripe/index.html")
        let aside = try #require(stripe.all("aside").first { $0["class"] == "cta" })
        #expect(aside.text.contains("Stop Guessing Your AI / Architectural Risk"))
        #expect(!stripe.all("section").contains { $0.text.contains("Stop Guessing") })
        let roles = stripe.all("section").compactMap { $0["class"] }
        #expect(roles == ["section role-subject_focus", "section role-our_position", "section role-technical"])
        // robots.txt names the sitemap; the sitemap lists every page.
        #expect(site.output("robots.txt")?.contains("Sitemap: https://fixture.example.com/sitemap.xml") == true)
        let locs = try sitemapLocs(try #require(site.output("sitemap.xml")))
        for slug in pages { #expect(locs.contains("https://fixture.example.com/\(slug)/")) }
        #expect(!locs.contains { $0.hasSuffix("404.html") })
    }

    @Test func twoBuildsAreByteIdentical() async throws {
        let site = try FixtureSite(try Self.seeds().merging(["guides/sso.md": Self.guide]) { a, _ in a })
        try await site.build(compress: true)
        let first = try site.outputFiles()
        try site.remove("output")
        try await site.build(compress: true)
        let second = try site.outputFiles()
        #expect(first.count > 20)
        #expect(first.keys.sorted() == second.keys.sorted())
        for (path, bytes) in first { #expect(second[path] == bytes, "\(path) differs") }
        // Nothing carries the build time: a build on another day gives the same bytes,
        // because the ledger holds each page's date.
        try site.remove("output")
        try await site.build(today: Day(year: 2030, month: 1, day: 1), compress: true)
        let later = try site.outputFiles()
        for (path, bytes) in first { #expect(later[path] == bytes, "\(path) differs on another day") }
    }

    @Test func failingBuildReportsEveryErrorAndLeavesOutputAsItWas() async throws {
        let site = try FixtureSite(["nomad.txt": Self.nomad])
        try await site.build()
        let before = try site.outputFiles()
        try site.write("content/empty.txt", "")
        try site.write("content/no-pair.txt", "Choosing a Platform\nWhat Matters\nIt depends on the team.\n")
        try site.write("content/broken.md", "---\ntitle: [\n---\n")
        let diagnostics = await site.failingBuild()
        let errors = diagnostics.filter { $0.severity == .error }.map(\.file)
        #expect(errors == ["\(site.root)/content/broken.md", "\(site.root)/content/empty.txt", "\(site.root)/content/no-pair.txt"])
        #expect(try site.outputFiles() == before)
    }

    @Test func rawHTMLIsOffUnlessTheConfigTurnsItOn() async throws {
        let page = """
        ---
        title: "Raw HTML Test Page"
        description: "A page that carries raw HTML in its Markdown, to show that the build drops it unless configured."
        ---

        <script>alert(1)</script><b>bold</b> and [x](javascript:alert(2))
        """
        let site = try FixtureSite(["raw.md": page])
        try await site.build()
        let safe = try #require(site.output("raw/index.html"))
        #expect(!safe.contains("<script>alert(1)"))
        #expect(!safe.contains("<b>bold</b>"))
        #expect(!safe.contains("javascript:"))

        try site.write("versus.yml", "base_url: \"https://fixture.example.com\"\nmarkdown:\n  unsafe_html: true\n")
        try await site.build()
        #expect(site.output("raw/index.html")?.contains("<b>bold</b>") == true)
    }

    @Test func baseURLFlagOverridesTheConfig() async throws {
        let site = try FixtureSite(["nomad.txt": Self.nomad])
        try await site.build { $0.baseURL = "https://staging.example.org/" }
        let doc = try site.html("kubernetes-vs-nomad/index.html")
        #expect(doc.links(rel: "canonical") == ["https://staging.example.org/kubernetes-vs-nomad/"])
        #expect(site.output("robots.txt")?.contains("https://staging.example.org/sitemap.xml") == true)

        let bad = await {
            do { try await site.build { $0.baseURL = "ftp://nope" }; return [Diagnostic]() }
            catch let f as BuildFailed { return f.diagnostics } catch { return [] }
        }()
        #expect(bad.first?.description.contains("must be an absolute http:// or https:// URL") == true)
    }

    @Test func duplicateURLsAndReservedSlugsAreErrors() async throws {
        let site = try FixtureSite([
            "a.txt": Self.nomad,
            "b.md": "---\ntitle: \"Kubernetes vs Nomad Again\"\nsubjects: [\"Kubernetes\", \"Nomad\"]\n---\n\n## Nomad Focus\n\nSame URL as a.txt, since the slug comes from the subjects.\n",
            "c.md": "---\ntitle: \"Subjects\"\ndescription: \"A page whose slug collides with the folder the build reserves for subject hub pages.\"\nslug: \"subjects\"\n---\nText.\n",
        ])
        let d = await site.failingBuild()
        #expect(d.contains { $0.file.hasSuffix("b.md") && $0.message.contains("also the URL of") })
        #expect(d.contains { $0.file.hasSuffix("c.md") && $0.message.contains("reserved") })
    }
}

/// The `<loc>`s of a sitemap, read with an XML parser.
func sitemapLocs(_ xml: String) throws -> [String] {
    let doc = try XMLDocument(data: Data(xml.utf8))
    return try doc.nodes(forXPath: "//*[local-name()='loc']").compactMap(\.stringValue)
}

/// Site-wide constants folded into templates render exactly as lookups would.
@Suite struct TemplateFoldingTests {
    @Test func foldedTemplatesRenderTheSameAsUnfolded() throws {
        let text = "{{site.title}}|{{{site.title}}}|{{& site.title}}|{{ site.title }}|{{#site.title}}yes{{/site.title}}|{{page}}"
        let constants = ["site.title": "A & B <\"Q\">"]
        let folded = Templates.fold(text, constants)
        #expect(folded == "A &amp; B &lt;&quot;Q&quot;&gt;|A & B <\"Q\">|A & B <\"Q\">|A &amp; B &lt;&quot;Q&quot;&gt;|{{#site.title}}yes{{/site.title}}|{{page}}")
        let context: [String: Any] = ["site": ["title": "A & B <\"Q\">"], "page": "p"]
        let (plain, _) = Templates.load(Dictionary(uniqueKeysWithValues: Templates.required.map { ($0, (file: $0, text: text)) }))
        let (fast, _) = Templates.load(Dictionary(uniqueKeysWithValues: Templates.required.map { ($0, (file: $0, text: text)) }), constants: constants)
        #expect(try #require(plain).render("base", context) == (try #require(fast)).render("base", context))
        // Templates that change delimiters, and values that look like tags, are left alone.
        #expect(Templates.fold("{{=<% %>=}}<% site.title %>{{site.title}}", constants) == "{{=<% %>=}}<% site.title %>{{site.title}}")
        #expect(Templates.fold("{{site.title}}", ["site.title": "{{evil}}"]) == "{{site.title}}")
    }
}

/// Rendering by shape gives the bytes swift-mustache gives, and is refused where it could not.
@Suite struct ShapeCacheTests {
    static let page = """
    {{<base}}{{$main}}<h1>{{page.title}}</h1>{{#page.lead}}<p>{{.}}</p>{{/page.lead}}
    {{#page.items}}<li class="{{kind}}">{{#wide}}W{{/wide}}{{^wide}}N{{/wide}} {{name}} {{{html}}} {{page.title}}</li>
    {{/page.items}}{{^page.items}}none{{/page.items}}{{#page.count}}n={{page.count}}{{/page.count}}{{/main}}{{/base}}
    """
    static let base = "<title>{{head.title}}</title><meta content=\"{{head.title}}\">{{$main}}{{/main}}{{{head.jsonld}}}"

    func templates(page: String = page, base: String = base) throws -> Templates {
        var sources = Dictionary(uniqueKeysWithValues: Templates.required.map { ($0, (file: $0, text: "x")) })
        sources["base"] = (file: "base", text: base)
        sources["comparison"] = (file: "comparison", text: page)
        let (templates, diagnostics) = Templates.load(sources)
        #expect(!diagnostics.hasErrors)
        return try #require(templates)
    }

    func context(_ title: String, lead: String, items: [(String, Bool, String)], count: Int = 2) -> [String: Any] {
        [
            "head": ["title": title, "jsonld": "{\"a\":\"\(title)\"}"] as [String: Any],
            "page": [
                "title": title, "lead": lead, "count": count,
                "items": items.map { ["kind": $0.0, "wide": $0.1, "name": $0.2, "html": "<b>\($0.2)</b>"] as [String: Any] },
            ] as [String: Any],
        ]
    }

    @Test func sameBytesAsDirectRenderingAcrossShapesAndValues() throws {
        let t = try templates()
        let contexts = [
            context("A & B <vs> \"C\" 'D'", lead: "lead", items: [("x", true, "one"), ("y", false, "two")]),
            context("Second title", lead: "", items: [("p&q", true, "<three>"), ("r", false, "'4'")]),   // same shape
            context("Third", lead: "l", items: []),
            context("Fourth", lead: "l", items: [("a", false, "")], count: 7),
            context("Marker \u{E000}0&\u{E001} in text", lead: "m", items: [("x", true, "one"), ("y", false, "two")]),
            context("Zürich vs Genève", lead: "ü", items: [("x", true, "one"), ("y", false, "two")]),
        ]
        for c in contexts {
            #expect(t.renderByShape("comparison", c) == t.render("comparison", c))
            #expect(t.renderByShape("comparison", c) == t.render("comparison", c))   // again, from the cache
        }
        // Pages of one shape share one recording.
        let shapes = try #require(t.shapes)
        let before = shapes.count
        _ = t.renderByShape("comparison", context("Another", lead: "x", items: [("x", true, "one"), ("y", false, "two")]))
        #expect(shapes.count == before)
        #expect(before == 3)   // two items, none, one item (the page with markers has none)
    }

    @Test func templatesThatCouldDependOnValuesAreRenderedDirectly() throws {
        #expect(ShapeCache.specializable([Self.page, Self.base]))
        #expect(!ShapeCache.specializable(["{{lowercased(page.title)}}"]))
        #expect(!ShapeCache.specializable(["{{=<% %>=}}<% page.title %>"]))
        #expect(!ShapeCache.specializable(["{{% CONTENT_TYPE: TEXT}}{{page.title}}"]))
        #expect(!ShapeCache.specializable(["{{>*dynamic}}"]))
        #expect(!ShapeCache.specializable(["<ul>\n  {{>item}}\n</ul>"]))
        #expect(!ShapeCache.specializable(["<div>\n\t{{$main}}{{/main}}\n</div>"]))
        #expect(ShapeCache.specializable(["<div>{{>item}}</div>\n{{$main}}{{/main}}"]))
        // The bundled templates qualify.
        let dir = URL(fileURLWithPath: repositoryRoot).appendingPathComponent("templates")
        let texts = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".mustache") }
            .map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
        #expect(texts.count == Templates.required.count)
        #expect(ShapeCache.specializable(texts))
        // A refused template set has no shape cache, and still renders.
        let t = try templates(page: "{{<base}}{{$main}}{{uppercased(page.title)}}{{/main}}{{/base}}")
        #expect(t.shapes == nil)
        #expect(t.renderByShape("comparison", context("ab", lead: "", items: [])).contains("AB"))
    }
}
