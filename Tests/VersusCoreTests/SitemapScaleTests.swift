import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// A site of 50,001 pages, built in memory through the whole pipeline: its sitemap
/// becomes an index of files under the protocol's limits, valid against the
/// sitemaps.org schemas (checked with xmllint, as search engines' validators do).
@Suite struct SitemapScaleTests {
    static let xsdFolder = repositoryRoot + "/../shared/tools/site-audit.d"

    static func xmllint(_ xml: String, schema: String) throws -> (Int32, String) {
        let dir = NSTemporaryDirectory() + "versus-xmllint-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/sitemap.xml"
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        let xmllint = try Tool.require("xmllint", package: "apt libxml2-utils")
        let (status, output) = try Tool.run(xmllint, ["--noout", "--nonet", "--schema", schema, file], mergeErrors: true)
        return (status, String(decoding: output, as: UTF8.self))
    }

    @Test
    func fiftyThousandAndOnePagesGetAValidSitemapIndex() async throws {
        let count = 50_001
        let fs = MemoryFileSystem()
        let tiny = "<!DOCTYPE html><title>{{head.title}}</title>"
        for name in Templates.required { fs["site/templates/\(name).mustache"] = tiny }
        fs["site/versus.yml"] = "base_url: \"https://big.example.com\"\nrelated: { count: 0 }\n"
        for i in 0..<count {
            // 50,001 comparisons over 467 subjects (300 Alphas, 167 Betas), so 467 hubs.
            let a = "Alpha \(i % 300)", b = "Beta \(i / 300 % 300)"
            fs["site/content/p\(i).md"] = "---\ntitle: \"\(a) vs \(b), Part \(i)\"\nsubjects: [\"\(a)\", \"\(b)\"]\nslug: \"p\(i)\"\ndescription: \"Generated comparison number \(i) of the large fixture, long enough to count.\"\ndate: 2025-01-02\n---\nBody \(i).\n"
        }
        var options = BuildOptions(today: buildDay, jobs: Parallel.defaultJobs)
        options.compress = false
        options.updateLedger = false
        let report = try await ProjectBuilder(project: Project(root: "site"), io: fs.io).build(options)
        #expect(report.pages == count)

        let index = try #require(fs["site/output/sitemap.xml"])
        let (status, output) = try Self.xmllint(index, schema: Self.xsdFolder + "/siteindex.xsd")
        #expect(status == 0, "\(output)")
        let children = try sitemapLocs(index)
        #expect(children == ["https://big.example.com/sitemap-1.xml", "https://big.example.com/sitemap-2.xml"])

        var urls = 0
        for n in 1...2 {
            let child = try #require(fs["site/output/sitemap-\(n).xml"])
            let (s, o) = try Self.xmllint(child, schema: Self.xsdFolder + "/sitemap.xsd")
            #expect(s == 0, "sitemap-\(n).xml: \(o.prefix(400))")
            let locs = try sitemapLocs(child)
            #expect(locs.count <= 45_000)
            urls += locs.count
        }
        // Every page, the index and its pages (100 to a page), the subjects page and the hubs.
        let hubs = 300 + (count - 1) / 300 + 1
        #expect(urls == count + (count + 99) / 100 + 1 + hubs)
        #expect(fs["site/output/robots.txt"]?.contains("Sitemap: https://big.example.com/sitemap.xml") == true)
    }

    @Test func splittingHonoursTheConfiguredLimit() {
        var config = SiteConfig()
        config.sitemapMaxURLs = 3
        let entries = (0..<7).map { Sitemap.Entry(path: "/p\($0)/", lastmod: Day(year: 2025, month: 1, day: $0 + 1)) }
        let files = Sitemap.files(entries, config: config)
        #expect(files.map(\.path) == ["/sitemap.xml", "/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml"])
        #expect(files[0].text.contains("<sitemapindex"))
        #expect(files[0].text.contains("<loc>https://versus.example.com/sitemap-3.xml</loc><lastmod>2025-01-07</lastmod>"))
        #expect(!files.contains { $0.text.contains("changefreq") || $0.text.contains("priority") })
    }
}
