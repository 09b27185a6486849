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

    @Test func aTemplateInErrorStillReportsTheSourcesErrors() async throws {
        // Reading a source needs neither the config nor a template: a project that does not load
        // names its sources' errors in the same run (`Build.failed`), not once the template is fixed.
        let site = try FixtureSite(["nomad.txt": Self.nomad])
        try site.write("templates/comparison.mustache", "{{#page}}unclosed")
        try site.write("content/empty.txt", "")
        let diagnostics = await site.failingBuild()
        let errors = Set(diagnostics.filter { $0.severity == .error }.map(\.file))
        #expect(errors.contains("\(site.root)/content/empty.txt"), "\(diagnostics)")
        #expect(errors.contains { $0.hasSuffix("templates/comparison.mustache") }, "\(diagnostics)")
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

    /// A clean build makes its pages' folders while it assembles the site (`OutputTree.prepareFolders`),
    /// and only those of pages it writes: a draft, and a page of a build that failed, leave no
    /// folder in the output or in the tree kept beside it.
    @Test func cleanBuildMakesOnlyTheFoldersOfItsFiles() async throws {
        let draft = "---\ntitle: \"Unpublished Notes\"\ndescription: \"Notes that are not ready: a draft page, which a build leaves out unless asked.\"\ndraft: true\n---\n\nNot yet.\n"
        let lost = "---\ntitle: \"A Page Only the Failed Build Had\"\ndescription: \"A page written into the tree of a build that then failed, and removed before the next.\"\n---\n\nGone.\n"
        let clash = "---\ntitle: \"Single Sign-On Again\"\ndescription: \"A second page at the URL of the guide, so that the build fails after its pages are read.\"\nslug: \"guides/sso\"\n---\n\nSame URL.\n"
        let site = try FixtureSite(["nomad.txt": Self.nomad, "guides/sso.md": Self.guide, "notes.md": draft, "lost.md": lost, "clash.md": clash])
        let failed = await site.failingBuild()
        #expect(failed.contains { $0.message.contains("also the URL of") && $0.message.contains("clash.md") })
        #expect(!FileManager.default.fileExists(atPath: site.root + "/output"))
        try site.remove("content/clash.md")
        try site.remove("content/lost.md")
        try await site.build()

        /// The folders of a tree that hold nothing.
        func emptyFolders(_ tree: String) throws -> [String] {
            let fm = FileManager.default
            var empty: [String] = []
            for case let path as String in fm.enumerator(atPath: tree)! {
                var folder: ObjCBool = false
                if fm.fileExists(atPath: tree + "/" + path, isDirectory: &folder), folder.boolValue,
                   try fm.contentsOfDirectory(atPath: tree + "/" + path).isEmpty { empty.append(path) }
            }
            return empty
        }
        #expect(site.output("guides/sso/index.html") != nil)
        for tree in ["/output", "/output.staging"] {
            #expect(try emptyFolders(site.root + tree) == [], "\(tree)")
            for folder in ["notes", "lost"] { #expect(!FileManager.default.fileExists(atPath: site.root + tree + "/" + folder), "\(tree)/\(folder)") }
        }
        // The tree beside the output holds the same build.
        #expect(try FileIO.disk.list(site.root + "/output.staging").sorted() == FileIO.disk.list(site.root + "/output").sorted())
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
