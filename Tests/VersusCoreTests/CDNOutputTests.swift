import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// What a CDN needs from the build: fingerprinted assets, `_headers`, `_redirects`,
/// precompressed copies and a manifest that matches the files.
@Suite struct CDNOutputTests {
    static func builtSite() async throws -> FixtureSite {
        var files = try BuildTests.seeds()
        files["alias.md"] = SEOTests.comparison("Kubernetes", "Nomad", extra: "aliases: [\"/nomad-vs-kubernetes/\"]\n")
        let site = try FixtureSite(files)
        try await site.build(compress: true)
        return site
    }

    /// Files beside the content get their media type (a `.wasm`, a `.mp4` went out as
    /// `application/octet-stream`, which `nosniff` makes browsers refuse to run or play).
    @Test func filesBesideTheContentGetTheirMediaType() {
        for (path, type) in [("/media/demo.mp4", "video/mp4"), ("/media/talk.webm", "video/webm"), ("/a/b.wasm", "application/wasm"),
                             ("/fonts/x.ttf", "font/ttf"), ("/fonts/x.otf", "font/otf"), ("/data/prices.csv", "text/csv; charset=utf-8"),
                             ("/audio/a.mp3", "audio/mpeg"), ("/audio/a.ogg", "audio/ogg"), ("/cal/launch.ics", "text/calendar; charset=utf-8"),
                             ("/img/x.TIFF", "image/tiff"), ("/files/archive.zip", "application/zip"), ("/x/unknown.qqq", "application/octet-stream")] {
            #expect(ContentType.of(path) == type, "\(path)")
        }
        #expect(ContentType.isCompressible("/data/prices.csv") && !ContentType.isCompressible("/media/demo.mp4"))
    }

    @Test func assetsAreFingerprintedAndEveryReferenceRewritten() async throws {
        let site = try await Self.builtSite()
        let assets = try FileIO.disk.list(site.root + "/output/assets").filter { !$0.hasSuffix(".gz") && !$0.hasSuffix(".br") }
        #expect(assets.contains { $0.range(of: #"^style\.[0-9a-f]{10}\.css$"#, options: .regularExpression) != nil })
        for page in try FileIO.disk.list(site.root + "/output") where page.hasSuffix(".html") {
            let doc = try site.html(page)
            for href in doc.links(rel: "stylesheet") + doc.links(rel: "icon") {
                #expect(href.range(of: #"^/assets/[a-z]+\.[0-9a-f]{10}\.(css|svg)$"#, options: .regularExpression) != nil, "\(page): \(href)")
                #expect(site.output(String(href.dropFirst())) != nil, "\(page) links \(href), which is missing")
            }
        }
    }

    @Test func headersFileHasTheCacheAndSecurityRules() async throws {
        let site = try await Self.builtSite()
        let text = try #require(site.output("_headers"))
        var rules: [String: [String: String]] = [:]
        var current = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("  ") {
                let l = line.trimmingCharacters(in: .whitespaces)
                let colon = l.firstIndex(of: ":")!
                rules[current, default: [:]][String(l[..<colon])] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            } else {
                current = String(line)
            }
        }
        #expect(rules["/assets/*"]?["Cache-Control"] == "public, max-age=31536000, immutable")
        for pattern in ["/", "/*/", "/*.html", "/*.xml"] {
            #expect(rules[pattern]?["Cache-Control"] == "public, max-age=300, must-revalidate", "\(pattern)")
        }
        #expect(rules["/*"]?["X-Content-Type-Options"] == "nosniff")
        #expect(rules["/*"]?["Referrer-Policy"] == "strict-origin-when-cross-origin")
        #expect(rules["/*"]?["Content-Security-Policy"]?.contains("default-src 'none'") == true)
        // No header is set by two rules that can match the same path.
        #expect(rules["/*"]?["Cache-Control"] == nil)
        #expect(site.output("_redirects") == "/nomad-vs-kubernetes/ /kubernetes-vs-nomad/ 301\n")
    }

    /// The policy is `default-src 'none'; style-src 'self'; img-src 'self' https: data:`:
    /// so no page may run a script, carry inline styles, or load anything from elsewhere.
    @Test func pagesSatisfyTheirContentSecurityPolicy() async throws {
        let site = try await Self.builtSite()
        for page in try FileIO.disk.list(site.root + "/output") where page.hasSuffix(".html") {
            let doc = try site.html(page)
            for script in doc.all("script") {
                #expect(script["type"] == "application/ld+json" && script["src"] == nil, "\(page): a script would be blocked")
            }
            #expect(doc.all("style").isEmpty, "\(page): inline <style> would be blocked")
            doc.root.walk { e in
                #expect(e["style"] == nil, "\(page): style attribute on <\(e.name)>")
                #expect(!e.attributes.keys.contains { $0.hasPrefix("on") }, "\(page): event handler on <\(e.name)>")
                if ["iframe", "object", "embed", "form", "video", "audio"].contains(e.name) {
                    Issue.record("\(page): <\(e.name)> would be blocked")
                }
            }
            for link in doc.all("link") where ["stylesheet", "icon"].contains(link["rel"] ?? "") {
                #expect(link["href"]?.hasPrefix("/") == true, "\(page): \(link["href"] ?? "")")
            }
            for img in doc.all("img") {
                let src = img["src"] ?? ""
                #expect(src.hasPrefix("/") || src.hasPrefix("https:") || src.hasPrefix("data:"), "\(page): \(src)")
            }
        }
    }

    @Test func compressedCopiesDecompressToTheOriginal() async throws {
        let site = try await Self.builtSite()
        let output = site.root + "/output"
        let files = try FileIO.disk.list(output)
        let compressed = files.filter { $0.hasSuffix(".gz") || $0.hasSuffix(".br") }
        #expect(compressed.contains("kubernetes-vs-stripe/index.html.br"))
        #expect(compressed.contains("kubernetes-vs-stripe/index.html.gz"))
        #expect(!files.contains("robots.txt.gz"))   // under the size threshold
        for file in compressed {
            let tool = try file.hasSuffix(".gz") ? Tool.require("gzip", package: "apt gzip") : Tool.require("brotli", package: "apt brotli")
            let (status, decoded) = try Tool.run(tool, ["-dc", output + "/" + file])
            #expect(status == 0, "\(file)")
            #expect(decoded == (try Data(contentsOf: URL(fileURLWithPath: output + "/" + String(file.dropLast(3))))), "\(file)")
        }
    }

    /// The manifest is written straight into bytes: pretty JSON that reads back whole.
    @Test func manifestBytesArePrettyJSONThatReadsBack() throws {
        let entries = [
            ManifestEntry(path: "/b/index.html", sha256: "ab", size: 12, contentType: "text/html", cacheControl: "no-cache",
                          variants: [.init(encoding: .br, sha256: "cd", size: 5)]),
            ManifestEntry(path: "/a \"q\"/", sha256: "01", size: 0, contentType: "text/plain", cacheControl: "no-cache", variants: [], redirect: "/b/"),
        ]
        let expected = """
        {
          "version": 1,
          "generator": "versus",
          "files": [
            {
              "path": "/a \\"q\\"/",
              "sha256": "01",
              "size": 0,
              "content_type": "text/plain",
              "cache_control": "no-cache",
              "redirect": "/b/",
              "encodings": []
            },
            {
              "path": "/b/index.html",
              "sha256": "ab",
              "size": 12,
              "content_type": "text/html",
              "cache_control": "no-cache",
              "redirect": null,
              "encodings": [
                {
                  "encoding": "br",
                  "sha256": "cd",
                  "size": 5
                }
              ]
            }
          ]
        }

        """
        #expect(String(decoding: Manifest.bytes(entries), as: UTF8.self) == expected)
        #expect(try #require(Manifest.parse(Manifest.bytes(entries))).map(\.path) == ["/a \"q\"/", "/b/index.html"])
        #expect(String(decoding: Manifest.bytes([]), as: UTF8.self) == "{\n  \"version\": 1,\n  \"generator\": \"versus\",\n  \"files\": []\n}\n")

        // A large site's manifest is written in slices: the same bytes as entry after entry.
        let many: [ManifestEntry] = (0..<9000).map { n in
            let digits = String(n)
            return ManifestEntry(path: "/p" + String(repeating: "0", count: 5 - digits.count) + digits + "/index.html", sha256: "ab", size: n, contentType: "text/html",
                                 cacheControl: "no-cache", variants: [], redirect: nil)
        }
        let large: String = String(decoding: Manifest.bytes(many), as: UTF8.self)
        let head: String = "{\n  \"version\": 1,\n  \"generator\": \"versus\",\n  \"files\": ["
        let tail: String = "\n  ]\n}\n"
        var joined: [String] = []
        for e in many {
            let alone: String = String(decoding: Manifest.bytes([e]), as: UTF8.self)
            joined.append(String(alone.dropFirst(head.count).dropLast(tail.count)))
        }
        let expectedLarge: String = head + joined.joined(separator: ",") + tail
        #expect(large == expectedLarge)
        #expect(try #require(Manifest.parse(Array(large.utf8))).map(\.size) == Array(0..<9000))
    }

    /// An incremental build patches the last manifest: each entry's bytes are found where
    /// `Manifest.bytes` wrote them (a path that holds quotes, a line break or braces, and
    /// entries with precompressed copies, included), so writing some entries again over them
    /// gives the bytes of the whole manifest of the new entries.
    @Test func aManifestIsPatchedEntryByEntry() throws {
        var entries: [ManifestEntry] = (0..<40).map { n in
            ManifestEntry(path: "/p\(n < 10 ? "0" : "")\(n)/index.html", sha256: "ab\(n)", size: n, contentType: "text/html",
                          cacheControl: "no-cache", variants: n % 3 == 0 ? [.init(encoding: .br, sha256: "cd", size: 5)] : [],
                          redirect: n % 7 == 0 ? "/x/" : nil)
        }
        entries[5].path = "/p05 \"q\"\n    {/index.html"
        entries.sort { $0.path < $1.path }
        let bytes = Manifest.bytes(sorted: entries)
        let starts = try #require(Manifest.entryStarts(bytes, count: entries.count))
        let spans = { (k: Int) in Manifest.entrySpan(k, starts: starts, in: bytes.count) }
        for (k, e) in entries.enumerated() {
            #expect(Array(bytes[spans(k)]) == Manifest.entryBytes([e][...], first: k == 0), "entry \(k)")
        }
        #expect(Manifest.entryStarts(bytes, count: entries.count + 1) == nil)
        #expect(Manifest.entryStarts(Array(bytes.dropLast()), count: entries.count) == nil)
        // Entries written again over their spans, first and last included.
        var changed = entries
        for k in [0, 5, 17, 39] { changed[k].sha256 = "new\(k)"; changed[k].variants = [.init(encoding: .gzip, sha256: "ef", size: 9)] }
        var patched: [UInt8] = [], at = 0
        for k in [0, 5, 17, 39] {
            patched += bytes[at..<spans(k).lowerBound]
            patched += Manifest.entryBytes([changed[k]][...], first: k == 0)
            at = spans(k).upperBound
        }
        patched += bytes[at...]
        #expect(patched == Manifest.bytes(sorted: changed))
    }

    /// The manifest's digest names the build. A commit that patches the manifest hashes again
    /// only the runs of entries it wrote into, and gets the digest of the whole new manifest:
    /// entries changed at the edges of runs, one of them grown (every entry after it moves),
    /// from a manifest the writer was handed and from one read back from the tree.
    @Test func aPatchedManifestHasTheDigestOfTheWholeOne() throws {
        let root = NSTemporaryDirectory() + "versus-digest-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let output = root + "/output", config = SiteConfig()
        let count = Manifest.digestRun * 2 + 100
        func path(_ n: Int) -> String { "/p\(String(repeating: "0", count: 4 - String(n).count))\(n)/index.html" }
        func expectWhole(_ writer: OutputWriter, _ note: String) throws {
            let bytes = try FileIO.disk.read(output + Manifest.path)
            var entries: [ManifestEntry] = []
            writer.files.forEach { if $0.entry.path != Manifest.path { entries.append($0.entry) } }
            entries.sort { $0.path < $1.path }
            #expect(Digest.sha256(bytes) == Digest.sha256(Manifest.bytes(sorted: entries)), "\(note): bytes")
            let starts = try #require(Manifest.entryStarts(bytes, count: entries.count))
            let id = Manifest.digest(bytes, starts: starts).id
            #expect(writer.manifestKept?.digest.id == id, "\(note): digest")
            #expect(OutputTree.readMarker(.disk, output) == id, "\(note): the build's name")
            #expect(writer.files[Manifest.path]?.entry.sha256 == id, "\(note): the manifest's record")
        }
        var tree = try OutputTree(io: .disk, output: output, record: nil, liveFiles: nil)
        var writer = OutputWriter(tree: tree, config: config, compress: false, previous: OutputRecords())
        for n in 0..<count { try writer.write(path(n), Array("page \(n)".utf8)) }
        var (record, _, _) = try writer.commit()
        try expectWhole(writer, "first build")
        let edits: [(pages: [Int], grow: Bool, kept: Bool)] = [
            ([0, Manifest.digestRun - 1, Manifest.digestRun, count - 1], false, true),
            ([Manifest.digestRun], true, true),
            ([Manifest.digestRun * 2, 7], true, false),
        ]
        for (round, edit) in edits.enumerated() {
            let records = OutputRecords(writer.files.all)
            let order = writer.manifestOrder, kept = edit.kept ? writer.manifestKept : nil
            tree = try OutputTree(io: .disk, output: output, record: record, liveFiles: OutputTree.Live(records))
            writer = OutputWriter(tree: tree, config: config, compress: false, previous: records, lastManifest: kept)
            #expect(try writer.keepAll())
            for n in edit.pages {
                try writer.write(path(n), Array("page \(n), edit \(round)\(edit.grow ? String(repeating: " more", count: 3000) : "")".utf8))
            }
            (record, _, _) = try writer.commit(order: order)
            #expect(writer.manifestPatched, "edit \(round + 1) wrote the manifest whole")
            try expectWhole(writer, "edit \(round + 1)")
        }
    }

    @Test func sitemapsGetNoCompressedCopies() async throws {
        // `sitemap.xml.gz` would read as a second sitemap listing every URL again.
        let site = try FixtureSite(try BuildTests.seeds(), config: "title: \"Fixture Site\"\nbase_url: \"https://fixture.example.com\"\nsitemap: { max_urls: 2 }\ncompress: { min_bytes: 1 }\n")
        try await site.build(compress: true)
        let files = try FileIO.disk.list(site.root + "/output")
        let sitemaps = files.filter { $0.hasPrefix("sitemap") }
        #expect(sitemaps.contains("sitemap.xml") && sitemaps.contains("sitemap-1.xml"))
        #expect(sitemaps.allSatisfy { $0.hasSuffix(".xml") }, "\(sitemaps)")
        #expect(files.contains("feed.xml.gz") && files.contains("feed.xml.br"))
    }

    @Test func manifestListsEveryFileWithItsDigestAndHeaders() async throws {
        let site = try await Self.builtSite()
        let output = site.root + "/output"
        let manifest = try #require(Manifest.parse(try FileIO.disk.read(output + Manifest.path)))
        let files = Set(try FileIO.disk.list(output).map { "/" + $0 }).subtracting([Manifest.path])
        var listed: Set<String> = []
        for e in manifest {
            listed.insert(e.path)
            let bytes = try FileIO.disk.read(output + e.path)
            #expect(Digest.sha256(bytes) == e.sha256, "\(e.path)")
            #expect(bytes.count == e.size)
            #expect(e.contentType == ContentType.of(e.path))
            #expect(!e.cacheControl.isEmpty)
            for v in e.variants {
                let path = e.path + v.encoding.suffix
                listed.insert(path)
                #expect(Digest.sha256(try FileIO.disk.read(output + path)) == v.sha256, "\(path)")
            }
        }
        #expect(listed == files)
    }
}
