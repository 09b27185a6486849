import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

private let fixtureConfig = "title: \"Fixture Site\"\nbase_url: \"https://fixture.example.com\"\ndescription: \"A fixture site for tests: small comparisons of tools, built end to end and checked by parsing the output.\"\n"

/// Front-matter is decoded from the model (`FrontMatter.Written`) by Yams's decoder.
@Suite struct FrontMatterInputTests {
    @Test func unknownKeysAreWarningsWithTheNearestKey() throws {
        let (page, d) = normalise("""
        ---
        title: "Single Sign-On for Platform Teams"
        descripton: "How to roll out single sign-on across a platform team's tools without locking anyone out."
        nonidex: true
        cta: { label: "Talk to us", url: "/contact/", lable: "typo" }
        ---
        Text.
        """, path: "sso.md")
        #expect(page != nil)
        let warnings = d.filter { $0.message.hasPrefix("unknown") }.map(\.description)
        #expect(warnings == [
            "content/sso.md:3: warning: unknown front-matter key 'descripton' is ignored; did you mean 'description'?",
            "content/sso.md:4: warning: unknown front-matter key 'nonidex' is ignored; did you mean 'noindex'?",
            "content/sso.md:5: warning: unknown front-matter key 'cta.lable' is ignored; did you mean 'label'?",
        ])
    }

    @Test func wrongTypesAreErrorsWithTheirLines() {
        let (page, d) = normalise("""
        ---
        title: "Broken Page"
        draft: maybe
        aliases: {a: b}
        updated: yesterday
        cta:
          label: "Book"
          url: "javascript:alert(1)"
        ---
        Text.
        """, path: "broken.md")
        #expect(page == nil)
        #expect(d.map(\.description) == [
            "content/broken.md:3: error: 'draft' must be true or false",
            "content/broken.md:4: error: 'aliases' must be text or a list of texts",
            "content/broken.md:5: error: 'updated' must be a date written YYYY-MM-DD",
            "content/broken.md:8: error: 'cta.url' 'javascript:alert(1)' must be an absolute http:// or https:// URL, a mailto: or tel: link, or a site path starting with '/'",
        ])
    }

    @Test func customFormsAreReadByTheModel() throws {
        let (page, d) = normalise("""
        ---
        title: "  Kubernetes   vs Nomad  "
        subjects: [Kubernetes, Nomad]
        author: "Jane Doe — Platform Lead"
        lastmod: 2024-05-02
        date: 2024-05-01
        aliases: "nomad-vs-kubernetes"
        roles: { "Why Nomad": our_position }
        draft: yes
        cta: { label: "Book a call", url: "https://example.com/book", utm: { source: versus, campaign: "spring sale" } }
        ---
        ## Why Nomad

        Nomad is one binary that a small team can run and upgrade in an afternoon without a dedicated platform group.
        """, path: "k.md")
        let fm = try #require(page?.frontMatter, "\(d)")
        #expect(fm.title == "Kubernetes vs Nomad")
        #expect(fm.byline == Byline(text: "Jane Doe — Platform Lead", name: "Jane Doe", role: "Platform Lead"))
        #expect(fm.date == Day(year: 2024, month: 5, day: 1) && fm.updated == Day(year: 2024, month: 5, day: 2))
        #expect(fm.aliases == ["/nomad-vs-kubernetes/"])
        #expect(page?.sections.first?.role == .ourPosition)
        #expect(fm.draft)
        #expect(fm.cta?.href == "https://example.com/book?utm_source=versus&utm_campaign=spring%20sale")
        // `versus normalize` writes it back, and the page reads the same.
        let again = normalise(PageMarkdown.write(page!), path: "k.md").0
        #expect(again?.frontMatter.cta == fm.cta)
    }

    @Test func anUnclosedFrontMatterBlockSaysSo() {
        for text in ["---\ntitle: \"x\"\n\nSome text but no closing line.\n", "---"] {
            let (page, d) = normalise(text, path: "x.md")
            #expect(page == nil)
            #expect(d.map(\.description) == ["content/x.md:1: error: front-matter starts with '---' on line 1 but is never closed: end it with a '---' line before the page's text"])
        }
    }
}

/// `versus.yml` is read by one key table; nothing unknown passes silently.
@Suite struct ConfigKeyTests {
    @Test func unknownKeysAreErrorsWithTheNearestKey() {
        let (_, d) = SiteConfig.parse("""
        title: "Site"
        baseurl: "https://example.com"
        headers:
          script_host: ["https://plausible.io"]
        script_hosts: ["https://plausible.io"]
        biuld: true
        """, file: "versus.yml")
        #expect(d.map(\.description) == [
            "versus.yml:2: error: unknown key 'baseurl'; did you mean 'base_url'?",
            "versus.yml:4: error: unknown key 'headers.script_host'; did you mean 'headers.script_hosts'?",
            "versus.yml:5: error: unknown key 'script_hosts'; did you mean 'headers.script_hosts'?",
            "versus.yml:6: error: unknown key 'biuld'",
        ])
    }

    @Test func valuesAreCheckedAgainstTheirKeys() {
        let (_, d) = SiteConfig.parse("""
        base_url: "example.com"
        sitemap: { max_urls: 60000 }
        headers: { script_hosts: ["https://ok.example", "evil; script-src *"] }
        check: { errors: [thin, thinn] }
        cta: { label: "Book", utm: { source: x, medum: y } }
        markdown: true
        """, file: "versus.yml")
        #expect(d.map(\.description) == [
            "versus.yml:1: error: 'base_url' 'example.com' must be an absolute http:// or https:// URL, such as https://example.com",
            "versus.yml:2: error: 'sitemap.max_urls' must be from 1 to 50000",
            "versus.yml:3: error: 'headers.script_hosts' 'evil; script-src *' is not an origin: write a scheme and a host, such as https://plausible.io",
            "versus.yml:4: error: 'check.errors': unknown rule 'thinn'; did you mean 'thin'?",
            "versus.yml:5: error: unknown key 'cta.utm.medum'; did you mean 'medium'?",
            "versus.yml:5: error: 'cta' needs 'url'",
            "versus.yml:6: error: 'markdown' must be a mapping of keys (unsafe_html, smart_punctuation)",
        ])
    }

    /// Values that go into robots.txt, the sitemaps, the feed and `_headers` as they are: a
    /// line break, a space, a quote, a bad escape or port in `base_url`, a line break in the
    /// Content-Security-Policy, a backslash in a button's path (a browser reads "/\\host" as
    /// "//host"). Each is refused where it is written, not written into another file's lines.
    @Test func valuesWrittenIntoOtherFilesAreRefusedWhenTheyCouldBreakTheirLines() {
        for (base, problem) in [("https://ex.test/x\nDisallow: /\n", "must not contain spaces, line breaks"),
                                ("https://ex.test/a b/", "must not contain spaces"), ("https://ex.test/\"<x>/", "quotes, angle brackets"),
                                ("https://ex.test/%zz/", "'%' that is not followed by two hex digits"), ("https://ex.test:99999/", "port 99999"),
                                ("https://ex.test//x/", "empty, '.' or '..' folder"), ("https://ex.test/a/../b/", "empty, '.' or '..' folder"),
                                ("https://ex.test/docs/", "served from the root of a host"), ("https://ex.test/docs", "served from the root of a host"),
                                ("https://user:secret@ex.test/", "user name or password")] {
            let (_, d) = SiteConfig.parse("base_url: \(String(reflecting: base))\n", file: "versus.yml")
            #expect(d.count == 1 && d[0].description.contains(problem), "\(base): \(d)")
            #expect(!d.contains { $0.description.contains("\n") }, "the message shows the line break written out")
        }
        for good in ["https://ex.test", "https://ex.test/", "https://docs.ex.test", "http://ex.test:8080/"] {
            #expect(SiteConfig.validateBaseURL(good) == nil, "\(good)")
        }
        let (_, csp) = SiteConfig.parse("headers: { content_security_policy: \"default-src 'self'\\n/*\\n  X-Evil: 1\" }\n", file: "versus.yml")
        #expect(csp.map(\.description) == ["versus.yml:1: error: 'headers.content_security_policy' must be one line of printable ASCII: it is sent as a header, where a line break would start another"])
        let (_, cta) = SiteConfig.parse("cta: { label: Book, url: \"/\\\\evil.example/phish\" }\n", file: "versus.yml")
        #expect(cta.count == 1 && cta[0].description.contains("backslashes"), "\(cta)")
    }

    @Test func cspAllowsTheSitesScriptsAndTheHostsTheConfigNames() async throws {
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n"])
        try await site.build()
        let policy = { (headers: String) in
            headers.split(separator: "\n").first { $0.contains("Content-Security-Policy:") }.map(String.init) ?? ""
        }
        let plain = policy(try #require(site.output("_headers")))
        #expect(plain.contains("script-src 'self';") && plain.contains("connect-src 'self';") && plain.contains("default-src 'none'"))

        try site.write("versus.yml", fixtureConfig + "headers: { script_hosts: [\"https://plausible.io\"] }\n")
        try await site.build()
        let analytics = policy(try #require(site.output("_headers")))
        #expect(analytics.contains("script-src 'self' https://plausible.io;"))
        #expect(analytics.contains("connect-src 'self' https://plausible.io;"))
        #expect(Headers.contentSecurityPolicy(SiteConfig.parse(fixtureConfig + "headers: { script_hosts: [\"https://plausible.io\"] }\n", file: "").0)
                == String(analytics.split(separator: ":", maxSplits: 1)[1].dropFirst()))
    }

    @Test func precompressedCopiesOnlyWhenTheConfigAsks() async throws {
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n"])
        var report = try await site.build(compress: false) { $0.compress = nil }
        #expect(!report.written.isEmpty)
        #expect(try site.outputFiles().keys.allSatisfy { !$0.hasSuffix(".gz") && !$0.hasSuffix(".br") })
        try site.write("versus.yml", fixtureConfig + "compress: { enabled: true }\n")
        report = try await site.build(compress: false) { $0.compress = nil }
        #expect(try site.outputFiles().keys.contains("index.html.gz"))
        #expect(try site.outputFiles().keys.contains("index.html.br"))
    }

    @Test func placeholdersAndEmptyContentAreNotSilent() async throws {
        // No versus.yml: a warning, and the build goes on.
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n"])
        try site.remove("versus.yml")
        var report = try await site.build()
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.file.hasSuffix("versus.yml") && $0.message.hasPrefix("not found") })
        // The placeholder base_url: a warning.
        try site.write("versus.yml", "title: \"Site\"\nbase_url: \"https://versus.example.com/\"\n")
        report = try await site.build()
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.message.contains("base_url is the placeholder") })
        // No sources: an error.
        try site.remove("content/nomad.txt")
        try site.write("content/notes/readme.pdf", "%PDF-1.4\n")
        let d = await site.failingBuild()
        #expect(d.contains { $0.severity == .error && $0.file.hasSuffix("/content") && $0.message.hasPrefix("no sources") })
    }
}

/// The call to action links somewhere, with its UTM parameters.
@Suite struct CallToActionTests {
    @Test func hrefAppendsUTMParametersToTheQuery() {
        let utm = UTM(source: "versus", medium: "cta button", campaign: "q&a")
        func href(_ url: String) -> String { CallToAction(label: "Go", url: url, utm: utm).href }
        #expect(href("https://example.com/book") == "https://example.com/book?utm_source=versus&utm_medium=cta%20button&utm_campaign=q%26a")
        #expect(href("https://example.com/book?ref=site#form") == "https://example.com/book?ref=site&utm_source=versus&utm_medium=cta%20button&utm_campaign=q%26a#form")
        #expect(href("https://example.com/?utm_source=partner") == "https://example.com/?utm_source=partner&utm_medium=cta%20button&utm_campaign=q%26a")
        #expect(href("/contact/") == "/contact/?utm_source=versus&utm_medium=cta%20button&utm_campaign=q%26a")
        #expect(href("mailto:team@example.com") == "mailto:team@example.com")
        #expect(CallToAction(label: "Go", url: "https://example.com/?a=1").href == "https://example.com/?a=1")
    }

    static let config = fixtureConfig + """
    cta:
      label: "Book a call"
      url: "https://example.com/book?ref=versus"
      text: "Get a straight answer on a short call."
      utm: { source: "versus", campaign: "launch" }

    """

    @Test func comparisonsGetAButtonLinkingWhereTheCTASays() async throws {
        let own = """
        ---
        title: "PostgreSQL vs SQLite for Internal Tools"
        subjects: ["PostgreSQL", "SQLite"]
        description: "When an internal tool should store its data in SQLite, when it needs PostgreSQL, and what each choice costs."
        cta: { label: "Ask a DBA", url: "mailto:dba@example.com", text: "Write to our database team." }
        ---
        ## SQLite Focus

        SQLite keeps the whole database in one file next to the application, with no server to run or patch.
        """
        let guide = "---\ntitle: \"Single Sign-On Guide\"\ndescription: \"How to roll out single sign-on across a platform team's tools without locking anyone out on day one.\"\n---\nText.\n"
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n\nTalk to Us\nBook a 30-minute call and we will tell you which scheduler fits your team.\n",
                                    "db.md": own, "guide.md": guide], config: Self.config)
        try await site.build()

        // A source text: its own call-to-action section, then the site's button (no site text: the section says it).
        let text = try #require(site.output("kubernetes-vs-nomad/index.html"))
        let doc = try HTMLDocument(text)
        let aside = try #require(doc.all("aside").first { $0["class"] == "cta" })
        let button = try #require(aside.all("a").first { $0["class"] == "button" })
        #expect(button["href"] == "https://example.com/book?ref=versus&utm_source=versus&utm_campaign=launch")
        #expect(text.contains("href=\"https://example.com/book?ref=versus&amp;utm_source=versus&amp;utm_campaign=launch\""))
        #expect(button.text == "Book a call")
        #expect(aside.text.contains("Book a 30-minute call"))
        #expect(!aside.text.contains("straight answer"))

        // A page's own cta replaces the site's, text and all.
        let db = try site.html("postgresql-vs-sqlite/index.html")
        let dbAside = try #require(db.all("aside").first { $0["class"] == "cta" })
        #expect(dbAside.all("a").first { $0["class"] == "button" }?["href"] == "mailto:dba@example.com")
        #expect(dbAside.text.contains("Write to our database team."))

        // A document without a cta of its own has no button.
        #expect(try site.html("guide/index.html").all("aside").isEmpty)
    }
}

/// Images, PDFs and other files beside the content are published at their path.
@Suite struct ContentFilesTests {
    static let guide = """
    ---
    title: "Rolling Out Single Sign-On"
    description: "How to roll out single sign-on across a platform team's tools without locking anyone out on day one."
    ---
    ![Rollout plan](diagram.png) and the [pricing sheet](../files/pricing.pdf), [home](/), [mail](mailto:a@b.c), [top](#main).
    """

    @Test func filesBesideTheContentAreCopiedAndLinked() async throws {
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n", "guides/sso.md": Self.guide])
        try site.write("content/guides/diagram.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
        try site.write("content/files/pricing.pdf", "%PDF-1.4\n")
        try await site.build()
        let files = try site.outputFiles()
        #expect(files["guides/diagram.png"] == Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]))
        #expect(files["files/pricing.pdf"] != nil)
        let manifest = try #require(site.output("versus-manifest.json"))
        #expect(manifest.contains("\"path\" : \"/guides/diagram.png\"") || manifest.contains("\"path\": \"/guides/diagram.png\""))
        #expect(manifest.contains("image/png"))
        let html = try #require(site.output("guides/sso/index.html"))
        #expect(html.contains("<img src=\"/guides/diagram.png\" alt=\"Rollout plan\""))
        #expect(html.contains("href=\"/files/pricing.pdf\""))
        #expect(html.contains("href=\"mailto:a@b.c\"") && html.contains("href=\"#main\""))

        // versus check: every local image and link leads to a file.
        var report = try await SiteCheck.run(output: site.root + "/output", config: SiteConfig.parse(fixtureConfig, file: "").0)
        #expect(!report.findings.contains { $0.rule == "broken-image" || $0.rule == "broken-link" }, "\(report.findings)")
        try site.remove("output/guides/diagram.png")
        try site.remove("output/files/pricing.pdf")
        report = try await SiteCheck.run(output: site.root + "/output", config: SiteConfig.parse(fixtureConfig, file: "").0)
        #expect(report.findings.contains { $0.rule == "broken-image" && $0.page == "/guides/sso/" && $0.figure == "/guides/diagram.png" })
        #expect(report.findings.contains { $0.rule == "broken-link" && $0.page == "/guides/sso/" && $0.figure == "/files/pricing.pdf" })
    }

    @Test func aFileWhereTheBuildWritesIsAnError() async throws {
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n"])
        try site.write("content/sitemap.xml", "<urlset/>")
        try site.write("content/kubernetes-vs-nomad/index.html", "<p>hand-made</p>")
        let d = await site.failingBuild()
        #expect(d.contains { $0.file.hasSuffix("content/sitemap.xml") && $0.message.contains("which is already a sitemap") })
        #expect(d.contains { $0.file.hasSuffix("content/kubernetes-vs-nomad/index.html") })
    }

    @Test func relativeURLsResolveFromTheSourcesFolder() {
        #expect(LocalLinks.resolve("diagram.png", folder: "/guides/") == "/guides/diagram.png")
        #expect(LocalLinks.rebase("<p><a href=\"x.png\">a</a> <img src=\"/abs.png\" alt=\"\"> <a href=\"https://e.com/\">e</a> <img src=\"../y.svg\"></p>", folder: "/g/h/")
                == "<p><a href=\"/g/h/x.png\">a</a> <img src=\"/abs.png\" alt=\"\"> <a href=\"https://e.com/\">e</a> <img src=\"/g/y.svg\"></p>")
        let plain = "<p><a href=\"/a/\">a</a> <a href=\"#x\">x</a></p>"
        #expect(LocalLinks.rebase(plain, folder: "/g/") == plain)
        #expect(LocalLinks.resolve("./img/a.png?v=2#x", folder: "/guides/") == "/guides/img/a.png?v=2#x")
        #expect(LocalLinks.resolve("../../x.pdf", folder: "/a/") == "/x.pdf")
        #expect(LocalLinks.resolve("../other/", folder: "/guides/") == "/other/")
        // To the top folder: "/", never "//" (a URL with another host).
        for (url, folder) in [("./", "/"), ("../", "/guides/"), (".", "/"), ("..", "/guides/"), ("../../", "/a/"), ("./?x=1#y", "/")] {
            #expect(LocalLinks.resolve(url, folder: folder).hasPrefix("/") && !LocalLinks.resolve(url, folder: folder).hasPrefix("//"), "\(url) from \(folder)")
        }
        #expect(LocalLinks.resolve("./?x=1#y", folder: "/") == "/?x=1#y")
        for kept in ["https://x.y/z", "/abs", "#frag", "?q", "mailto:a@b", "//cdn.example/x"] {
            #expect(LocalLinks.resolve(kept, folder: "/guides/") == kept)
        }
    }
}

/// `versus init` writes a site that builds, and never overwrites one.
@Suite struct StarterTests {
    @Test func aNewSiteBuildsWithOnlyThePlaceholderWarning() async throws {
        let root = NSTemporaryDirectory() + "versus-init-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let written = try Starter.write(to: root)
        #expect(written.contains("versus.yml") && written.contains("templates/comparison.mustache") && written.contains("templates/assets/style.css"))
        #expect(written.filter { $0.hasPrefix("content/") }.count == 2)
        var options = BuildOptions(today: buildDay, jobs: 2)
        options.updateLedger = true
        let report = try await ProjectBuilder(project: Project(root: root)).build(options)
        #expect(report.diagnostics.map(\.message).allSatisfy { $0.contains("placeholder") }, "\(report.diagnostics)")
        #expect(report.pages == 2)
        // The templates are the bundled ones, byte for byte.
        for file in try FileIO.disk.list(repositoryRoot + "/templates") {
            #expect(try FileIO.disk.read(root + "/templates/" + file) == (try FileIO.disk.read(repositoryRoot + "/templates/" + file)), "\(file)")
        }
        // The comparison page has its table and the site's button.
        let html = try String(contentsOfFile: root + "/output/postgresql-vs-sqlite/index.html", encoding: .utf8)
        #expect(html.contains("<div class=\"table-wrap\""))
        #expect(html.contains("<a class=\"button\" href=\"https://example.com/book?utm_source=versus&amp;utm_medium=comparison&amp;utm_campaign=starter\">"))
        // A second init refuses, and changes nothing.
        let before = try FileIO.disk.read(root + "/versus.yml")
        #expect(throws: Starter.Refused.self) { try Starter.write(to: root) }
        #expect(try FileIO.disk.read(root + "/versus.yml") == before)
    }
}

/// A new front-matter key reaches templates through the model alone.
@Suite struct FrontMatterContextTests {
    @Test func templatesSeeTheFrontMatter() async throws {
        let page = "---\ntitle: \"Single Sign-On Guide\"\ndescription: \"How to roll out single sign-on across a platform team's tools without locking anyone out on day one.\"\ndate: 2025-02-03\naliases: [\"/sso/\"]\n---\nText.\n"
        let site = try FixtureSite(["guide.md": page, "nomad.txt": nomadSource + "\n"], templates: [
            "page.mustache": "{{<base}}{{$main}}{{#page}}<h1>{{title}}</h1>{{#front_matter}}<p class=\"fm\">{{date}} {{#aliases}}{{.}}{{/aliases}} {{slug}}</p>{{/front_matter}}{{/page}}{{/main}}{{/base}}",
        ])
        try await site.build()
        #expect(site.output("guide/index.html")?.contains("<p class=\"fm\">2025-02-03 /sso/ guide</p>") == true)
    }
}
