import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// Incremental builds: a no-change rebuild writes nothing, an edit redoes only what
/// it affects, and after any series of edits the output equals a clean build's.
@Suite struct IncrementalTests {
    static func site() throws -> FixtureSite {
        var files: [String: String] = [:]
        let pairs = [("Kubernetes", "Nomad"), ("Kubernetes", "Docker"), ("Docker", "Podman"), ("Nomad", "Consul"),
                     ("Stripe", "Adyen"), ("Okta", "Auth0")]
        for (a, b) in pairs { files["\(a)-\(b).md"] = SEOTests.comparison(a, b) }
        files["nomad.txt"] = BuildTests.nomad.replacingOccurrences(of: "Kubernetes vs Nomad", with: "Nomad vs Swarm")
            .replacingOccurrences(of: "Kubernetes", with: "Swarm")
        files["guides/sso.md"] = BuildTests.guide
        return try FixtureSite(files)
    }

    /// Mtimes of every output file, to see what a build touched.
    func stamps(_ site: FixtureSite) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for path in try FileIO.disk.list(site.root + "/output") {
            out[path] = FileIO.disk.info(site.root + "/output/" + path)!.modified
        }
        return out
    }

    /// Builds the same project cleanly into another folder and compares every file.
    func expectSameAsCleanBuild(_ site: FixtureSite, today: Day = buildDay, _ note: String,
                                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var options = BuildOptions(today: today, jobs: 2)
        options.clean = true
        options.compress = true
        options.updateLedger = false
        _ = try await Pipeline.build(Project(root: site.root, output: site.root + "/clean"), options: options)
        let incremental = try site.outputFiles()
        var clean: [String: Data] = [:]
        for path in try FileIO.disk.list(site.root + "/clean") {
            clean[path] = try Data(contentsOf: URL(fileURLWithPath: site.root + "/clean/" + path))
        }
        #expect(incremental.keys.sorted() == clean.keys.sorted(), "\(note): file lists differ", sourceLocation: sourceLocation)
        for (path, bytes) in clean where incremental[path] != bytes {
            Issue.record("\(note): \(path) differs from a clean build", sourceLocation: sourceLocation)
        }
        try FileManager.default.removeItem(atPath: site.root + "/clean")
    }

    @Test func noChangeRebuildWritesNothing() async throws {
        let site = try Self.site()
        let first = try await site.build(compress: true)
        #expect(!first.incremental)
        let before = try stamps(site)
        let cache = try FileIO.disk.read(site.project.cacheFile)
        try await Task.sleep(for: .milliseconds(20))
        let second = try await site.build(compress: true)
        #expect(second.incremental)
        #expect(second.normalised == 0)
        #expect(second.rendered == 0)
        #expect(second.written.isEmpty && second.removed.isEmpty)
        #expect(try stamps(site) == before)
        #expect(try FileIO.disk.read(site.project.cacheFile) == cache)
    }

    @Test func editsThenCompareWithACleanBuild() async throws {
        let site = try Self.site()
        try await site.build(compress: true)

        // Add a source.
        try site.write("content/Vault-Consul.md", SEOTests.comparison("Vault", "Consul"))
        var report = try await site.build(compress: true)
        #expect(report.incremental && report.normalised == 1)
        #expect(report.written.contains("/vault-vs-consul/index.html"))
        try await expectSameAsCleanBuild(site, "after adding a source")

        // Change a source's body: its page re-renders; unrelated pages do not.
        try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen").replacingOccurrences(of: "hiring pool", with: "payout speed"))
        report = try await site.build(today: Day(year: 2026, month: 12, day: 1), compress: true)
        #expect(report.normalised == 1)
        #expect(report.written.contains("/stripe-vs-adyen/index.html"))
        #expect(!report.written.contains("/kubernetes-vs-nomad/index.html"))
        try await expectSameAsCleanBuild(site, today: Day(year: 2026, month: 12, day: 1), "after changing a source")

        // Change a title: pages that link to it (related, hubs, index) re-render too.
        try site.write("content/Kubernetes-Nomad.md", SEOTests.comparison("Kubernetes", "Nomad", title: "Kubernetes vs Nomad: The Scheduler Question"))
        report = try await site.build(compress: true)
        #expect(report.written.contains("/kubernetes-vs-docker/index.html"))
        try await expectSameAsCleanBuild(site, "after changing a title")

        // Delete a source: its page, its now-empty hubs and their folders go.
        try site.remove("content/Okta-Auth0.md")
        report = try await site.build(compress: true)
        #expect(report.removed.contains("/okta-vs-auth0/index.html"))
        #expect(report.removed.contains("/subjects/auth0/index.html"))
        #expect(!FileManager.default.fileExists(atPath: site.root + "/output/okta-vs-auth0"))
        try await expectSameAsCleanBuild(site, "after deleting a source")

        // Change a template: every page re-renders.
        let page = try FileIO.disk.readString(site.root + "/templates/comparison.mustache")
        try site.write("templates/comparison.mustache", page.replacingOccurrences(of: "Related comparisons", with: "See also"))
        report = try await site.build(compress: true)
        #expect(report.written.contains("/kubernetes-vs-docker/index.html"))
        #expect(site.output("kubernetes-vs-docker/index.html")?.contains("See also") == true)
        try await expectSameAsCleanBuild(site, "after changing a template")

        // Change the compression settings: the compressed copies are made again.
        let config = try FileIO.disk.readString(site.root + "/versus.yml")
        let brBefore = try #require(site.outputFiles()["kubernetes-vs-docker/index.html.br"])
        try site.write("versus.yml", config + "compress: { brotli: 2, gzip: 1 }\n")
        report = try await site.build(compress: true)
        #expect(try site.outputFiles()["kubernetes-vs-docker/index.html.br"] != brBefore)
        try await expectSameAsCleanBuild(site, "after changing the compression settings")

        // A file deleted from the output by hand comes back; a file edited by hand is restored.
        try FileManager.default.removeItem(atPath: site.root + "/output/docker-vs-podman/index.html")
        try site.write("output/robots.txt", "User-agent: *\nDisallow: /\n")
        report = try await site.build(compress: true)
        #expect(report.written.contains("/docker-vs-podman/index.html"))
        #expect(report.written.contains("/robots.txt"))
        try await expectSameAsCleanBuild(site, "after hand edits to the output")
    }

    @Test func failedIncrementalBuildLeavesOutputAndCacheAsTheyWere() async throws {
        let site = try Self.site()
        try await site.build()
        let before = try site.outputFiles()
        let cache = try FileIO.disk.read(site.project.cacheFile)
        try site.write("content/Stripe-Adyen.md", "---\ntitle: [broken\n---\n")
        let d = await site.failingBuild()
        #expect(d.contains { $0.file.hasSuffix("Stripe-Adyen.md") })
        #expect(try site.outputFiles() == before)
        #expect(try FileIO.disk.read(site.project.cacheFile) == cache)
    }

    @Test func warningsAreShownOnEveryBuild() async throws {
        let site = try FixtureSite(["about.md": "---\ntitle: \"About\"\ncolour: blue\ndescription: \"About this fixture site, which exists to show that warnings come back on every build.\"\n---\nText.\n"])
        let first = try await site.build()
        let second = try await site.build()
        #expect(first.diagnostics.contains { $0.message.contains("colour") })
        #expect(second.incremental)
        #expect(second.diagnostics == first.diagnostics)
    }

    @Test func cacheRoundTrips() throws {
        var cache = BuildCache(output: "out put")
        let summary = PageSummary(sourcePath: "a\u{1F}b.md", file: "content/a.md", kind: .comparison, slug: "a-vs-b",
                                  title: "A vs B\nwith \\ odd \u{1E} text", subjects: ["A", "B"], description: "d",
                                  alternateDescriptions: ["x", "y\u{1D}z"], byline: Byline(text: "J — R", name: "J", role: "R"),
                                  date: Day(year: 2024, month: 1, day: 2), updated: nil, aliases: ["/b-vs-a/"], draft: false,
                                  noindex: true, contentHash: "abc")
        cache.sources["a\u{1F}b.md"] = .init(size: 1, modified: 2, inode: 3, bytesHash: "h", summary: summary,
                                             warnings: [.warning("content/a.md", line: 3, "careful")])
        cache.outputs["/a/index.html"] = .init(key: "k", entry: ManifestEntry(path: "/a/index.html", sha256: "s", size: 9,
            contentType: "text/html; charset=utf-8", cacheControl: "public", variants: [.init(encoding: "br", sha256: "b", size: 4)]))
        let back = try #require(BuildCache.parse(cache.serialized()))
        #expect(back.output == "out put")
        #expect(back.sources["a\u{1F}b.md"]?.summary == summary)
        #expect(back.sources["a\u{1F}b.md"]?.warnings == [.warning("content/a.md", line: 3, "careful")])
        #expect(back.outputs["/a/index.html"]?.entry == cache.outputs["/a/index.html"]?.entry)
        #expect(BuildCache.parse("versus-build-cache\u{1F}1\u{1F}x\n") == nil)  // another version
        cache.compression = "br9 gz9"
        #expect(BuildCache.parse(cache.serialized())?.compression == "br9 gz9")
        // Many records of both kinds (parsed in two halves), and damage in either half.
        for n in 0..<300 {
            var s = summary
            s.slug = "p\(n)"
            cache.sources["p\(n).md"] = .init(size: n, modified: 2, inode: 3, bytesHash: "h", summary: s, warnings: [])
            cache.outputs["/p\(n)/index.html"] = .init(key: "k\(n)", entry: ManifestEntry(path: "/p\(n)/index.html", sha256: "s", size: n,
                contentType: "text/html; charset=utf-8", cacheControl: "public", variants: []))
        }
        let text = cache.serialized()
        let many = try #require(BuildCache.parse(text))
        #expect(many.sources.count == 301 && many.outputs.count == 301)
        #expect(many.sources["p7.md"]?.summary.urlPath == "/p7/")
        #expect(many.outputs["/p299/index.html"]?.key == "k299")
        #expect(BuildCache.parse(text.replacingOccurrences(of: "\nS\u{1F}p150.md", with: "\nX\u{1F}p150.md")) == nil)
        #expect(BuildCache.parse(text.replacingOccurrences(of: "\nO\u{1F}/p150/index.html", with: "\nO\u{1F}/p150/index.html\u{1F}extra")) == nil)
        #expect(BuildCache.parse("versus-build-cache\u{1F}\(BuildCache.version)\u{1F}out\u{1F}key\u{1F}") != nil)  // no records
    }
}
