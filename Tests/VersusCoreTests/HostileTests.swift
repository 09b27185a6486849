import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// Hostile input and faults (issue 11): nothing the build makes is overwritten, no input
/// crashes the build, a failed build changes nothing, and every failure is a
/// compiler-style message that names its source.
@Suite struct HostileTests {
    static let page = SEOTests.comparison("Kubernetes", "Stripe")

    static func withAlias(_ alias: String) -> String {
        page.replacingOccurrences(of: "subjects:", with: "aliases: [\"\(alias)\"]\nsubjects:")
    }

    // MARK: 0. Repeated headings

    /// A heading repeated thousands of times: each gets its own anchor, in order (a heading that
    /// is itself "Same 3" keeps its own), and four times the headings cost about four times the
    /// time, not sixteen (each repeat once counted up from "-2" again).
    @Test func repeatedHeadingsGetTheirAnchorsInLinearTime() async throws {
        func page(_ repeats: Int) -> String {
            var text = SEOTests.comparison("Kubernetes", "Stripe") + "\n\n## Same 3\n\nIts own anchor.\n"
            for i in 0..<repeats { text += "\n## Same\n\nText \(i).\n" }
            return text
        }
        let small = try FixtureSite(["ks.md": page(3)])
        try await small.build()
        let ids = try small.html("kubernetes-vs-stripe/index.html").root.all("section").compactMap { $0["id"] }.filter { $0.hasPrefix("same") }
        #expect(ids == ["same-3", "same", "same-2", "same-4"], "\(ids)")
        func seconds(_ repeats: Int) async throws -> Double {
            let site = try FixtureSite(["ks.md": page(repeats)])
            let start = Date()
            try await site.build()
            return Date().timeIntervalSince(start)
        }
        // The smaller size's best of two, so that one slow moment does not make it look cheap.
        let once = min(try await seconds(2_000), try await seconds(2_000))
        let fourTimes = try await seconds(8_000)
        #expect(fourTimes < 8 * once + 0.5, "\(once) s for 2,000 repeats, \(fourTimes) s for 8,000")
    }

    // MARK: 1. Every output path is claimed once

    @Test(arguments: ["/index.html", "/404.html", "/subjects/", "/subjects/kubernetes/",
                      "/kubernetes-vs-stripe/index.html", "/feed.xml", "/feed.xml/", "/sitemap.xml", "/robots.txt",
                      "/_headers", "/versus-manifest.json", "/page/2/"])
    func anAliasCannotOverwriteAFileTheBuildMakes(_ alias: String) async throws {
        var files = ["ks.md": Self.page, "other.md": Self.withAlias(alias)
            .replacingOccurrences(of: "Kubernetes", with: "Nomad").replacingOccurrences(of: "kubernetes", with: "nomad")]
        // Enough comparisons for a second index page when the alias is one.
        if alias == "/page/2/" {
            for i in 0..<3 { files["x\(i).md"] = SEOTests.comparison("Tool\(i)", "Other\(i)") }
        }
        let site = try FixtureSite(files, config: "base_url: \"https://fixture.example.com\"\nindex: { page_size: 2 }\n")
        try site.remove("content/other.md")
        try await site.build()
        let before = try site.outputFiles()
        try site.write("content/other.md", files["other.md"]!)
        let d = await site.failingBuild()
        let error = try #require(d.first { $0.severity == .error }, "alias \(alias) was accepted")
        #expect(error.file.hasSuffix("content/other.md"), "\(error)")
        #expect(error.message.contains("alias"), "\(error)")
        #expect(try site.outputFiles() == before, "a failed build changed output/")
    }

    /// An alias is written as a folder with a redirect in it: one no server URL can reach, or
    /// that carries markup or a scheme, is an error naming the alias; an old URL of letters,
    /// digits and `-._~` (any case) is kept.
    @Test func anAliasMustBeAFolderAServerCanReach() async throws {
        let refused = ["javascript:alert(1)", "/q/?a=b", "/\"onmouseover=alert(1)/", "/<script>alert(1)</script>/", "/%2e%2e/x/",
                       "/a b/", "/x/./y/", "/x#top/", "/a\\b/"]
        for alias in refused {
            let site = try FixtureSite(["ks.md": Self.withAlias(alias.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))])
            let d = await site.failingBuild()
            #expect(d.contains { $0.severity == .error && $0.message.contains("alias") && $0.message.contains("not a usable site path") }, "\(alias): \(d)")
        }
        let site = try FixtureSite(["ks.md": Self.withAlias("/Blog/Old_Page.v2~/")])
        try await site.build()
        #expect(site.output("Blog/Old_Page.v2~/index.html")?.contains("/kubernetes-vs-stripe/") == true)
    }

    @Test func aStaticFileCannotTakeThePathOfTheFeed() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        try site.write("templates/static/feed.xml", "<feed/>")
        let d = await site.failingBuild()
        #expect(d.contains { $0.file.contains("templates/static/feed.xml") && $0.message.contains("the feed") }, "\(d)")
    }

    // MARK: 2. Names that reduce to nothing

    @Test func subjectsWithoutLettersOrDigitsAreErrors() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        try await site.build()
        let before = try site.outputFiles()
        try site.write("content/bad.md", "---\ntitle: \"Bangs vs Questions\"\nsubjects: [\"!!!\", \"???\"]\ndescription: \"A page whose subjects have no letters or digits, so they cannot have a URL.\"\n---\n## A\n\nText.\n")
        let d = await site.failingBuild()
        #expect(d.contains { $0.file.hasSuffix("bad.md") && $0.message.contains("no letters or digits") }, "\(d)")
        #expect(try site.outputFiles() == before)
        // The next good build is whole, and no URL anywhere has '//'.
        try site.remove("content/bad.md")
        try await site.build()
        #expect(site.output("subjects/index.html") != nil)
        let locs = try sitemapLocs(try #require(site.output("sitemap.xml")))
        #expect(!locs.isEmpty && locs.allSatisfy { !$0.dropFirst("https://".count).contains("//") }, "\(locs)")
    }

    @Test func aDocumentWhoseNameReducesToNothing() async throws {
        let site = try FixtureSite(["guides/index.md": BuildTests.guide,
                                    "guides/!!!.md": BuildTests.guide.replacingOccurrences(of: "title:", with: "slug_unused: x\ntitle:")])
        let d = await site.failingBuild()
        #expect(d.contains { $0.file.hasSuffix("guides/!!!.md") && $0.message.contains("'//'") }, "\(d)")
    }

    @Test func aSlugThatStartsWithASlash() async throws {
        let site = try FixtureSite(["ks.md": Self.page.replacingOccurrences(of: "subjects:", with: "slug: \"/abs/path\"\nsubjects:")])
        let d = await site.failingBuild()
        #expect(d.contains { $0.file.hasSuffix("ks.md") && $0.message.contains("must not begin with '/'") || $0.message.contains("slug") }, "\(d)")
    }

    // MARK: 3. Deep nesting

    @Test(arguments: [String(repeating: ">", count: 100_000) + " x", String(repeating: "- ", count: 100_000) + "x",
                      String(repeating: "*", count: 50_000) + "x" + String(repeating: "*", count: 50_000),
                      String(repeating: "[", count: 100_000) + "x"])
    func deepNestingGivesAPageNotACrash(_ body: String) async throws {
        let text = "---\ntitle: A vs B\nsubjects: [A, B]\n---\n" + body + "\n"
        let (page, diagnostics) = normalise(text, path: "deep.md")
        #expect(page != nil || diagnostics.hasErrors)
        let site = try FixtureSite(["deep.md": text])
        do { try await site.build() } catch let failed as BuildFailed { #expect(failed.diagnostics.hasErrors) }
    }

    // MARK: 7. Special files in content/

    /// Editors' backup, autosave and swap copies beside a page are not published (nor are
    /// hidden files), on disk and in memory: one rule, which `versus serve`'s watcher also
    /// follows, so it never rebuilds for them and never misses a file a build reads.
    @Test func editorsCopiesAndHiddenFilesAreLeftOutByOneRule() async throws {
        for name in [".git", ".ks.md.swp", ".#ks.md", "ks.md~", "#ks.md#", "ks.md.swp", "ks.md.swo", "ks.md.swx", "~", ""] {
            #expect(Listing.leavesOut(name), "\(name)")
        }
        for name in ["ks.md", "a~b.png", "#hashtag.txt", "swp", "notes.swp.md", "#"] {
            #expect(!Listing.leavesOut(name), "\(name)")
        }
        let files = ["ks.md": Self.page, "ks.md~": Self.page, "#ks.md#": "autosave", "guide.txt.swp": "swap", "keep/#tag.png": "kept"]
        let site = try FixtureSite(files)
        let report = try await site.build()
        #expect(report.pages == 1)
        #expect(try site.outputFiles().keys.filter { $0.contains("~") || $0.contains(".swp") || $0.contains("ks.md#") }.isEmpty)
        #expect(site.output("keep/#tag.png") == "kept")
        let memory = MemoryFileSystem(Dictionary(uniqueKeysWithValues: files.map { ("c/" + $0.key, $0.value) }))
        #expect(try memory.io.walk("c", "").files.map(\.path) == ["keep/#tag.png", "ks.md"])
    }

    /// A folder's names come in `String` order whether they are sorted by their bytes (ASCII) or
    /// as strings (any other name among them): names that begin others, capitals, digits and
    /// signs; and names whose order as strings is not their bytes' order (a decomposed "é" sorts
    /// with the precomposed one, Kelvin's sign with the letters after "K"). On disk too.
    @Test func aFolderIsListedInStringOrder() throws {
        var rng = PlainYAMLTests.Seeded(state: 31)
        let pieces = ["a", "ab", "-vs-", "B", "z", "0", "9", "_", ".md", "~", "#", "kubernetes", "Kubernetes", " "]
        let wide = ["é", "e\u{301}", "\u{212A}", "Ж", "😀", "ﬀ"]
        for round in 0..<400 {
            var names = Set<String>()
            for _ in 0..<Int(rng.next() % 60 + 2) {
                let parts = (0..<Int(rng.next() % 5 + 1)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }
                var name = parts.joined()
                if round % 3 == 0, rng.next() % 4 == 0 { name += wide[Int(rng.next() % UInt64(wide.count))] }
                names.insert(name)
            }
            let list = Array(names)
            #expect(Disk.sortedNames(list) == list.sorted(), "\(list)")
        }
        let names = ["b.md", "a-vs-b.md", "a-vs-b-2.md", "A.md", "a.md", "10.md", "9.md"]
        let site = try FixtureSite(Dictionary(uniqueKeysWithValues: names.map { ($0, "x") }))
        let content = site.root + "/content"
        #expect(try Disk.walk(content, within: nil).files.map(\.path) == ["10.md", "9.md", "A.md", "a-vs-b-2.md", "a-vs-b.md", "a.md", "b.md"])
        try Data("x".utf8).write(to: URL(fileURLWithPath: content + "/é.md"))
        #expect(try Disk.walk(content, within: nil).files.map(\.path) == ["10.md", "9.md", "A.md", "a-vs-b-2.md", "a-vs-b.md", "a.md", "b.md", "é.md"])
    }

    /// What kind of source a path is, by its extension in any case; a folder's dot is not one, and
    /// an extension of another script is lower-cased as text (Kelvin's sign is a "k").
    @Test(arguments: [("a.txt", Source.Kind.text), ("a.TXT", .text), ("dir/b.Md", .markdown), ("c.markdown", .markdown),
                      ("c.MarkDown", .markdown), (".md", .markdown), ("d.mar\u{212A}down", .markdown)])
    func aSourceIsKnownByItsExtension(path: String, kind: Source.Kind) {
        #expect(Source.Kind(path: path) == kind)
    }

    @Test(arguments: ["a", "a.md/b", "a.txt~", "a.mdx", "a.", "a.tx", "a.mé", "notes.md.swp", "a.t\u{0301}xt"])
    func aPathThatIsNoSource(path: String) {
        #expect(Source.Kind(path: path) == nil)
    }

    /// A walk's files joined to their folder at once are what joining them by appends gave.
    @Test func aFileIsJoinedToItsFolder() {
        for (folder, relative) in [("content", "a.md"), ("/tmp/x", "guides/sso.md"), ("", "a"), ("dossier", "é/ß.txt"), ("c", "")] {
            #expect(Disk.join(folder, relative) == folder + "/" + relative)
        }
    }

    @Test func symlinksOutsideTheProjectLoopsAndFIFOsAreLeftOutWithAWarning() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        // Built once before the links are made: the next build is incremental and must warn
        // as a clean one does.
        try await site.build()
        let outside = NSTemporaryDirectory() + "versus-outside-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try SEOTests.comparison("Secret", "Thing").write(toFile: outside + "/secret.md", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/outside", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/loop", withDestinationPath: ".")
        #expect(mkfifo(site.root + "/content/f.txt", 0o644) == 0)
        // A name that is not UTF-8 ("caf\xE9.txt", as Latin-1 writes it).
        let latin1: [CChar] = Array((site.root + "/content/caf").utf8CString.dropLast()) + [CChar(bitPattern: 0xE9)] + Array(".txt".utf8CString)
        let fd = creat(latin1, 0o644)
        #expect(fd >= 0)
        close(fd)
        // Read by name (`versus normalize f.txt`), a FIFO is refused at once, not waited on.
        #expect(throws: FileIOError.self) { try FileIO.disk.read(site.root + "/content/f.txt") }
        #expect(throws: FileIOError.self) { try FileIO.disk.read("/dev/zero") }
        let report = try await site.build()   // must not hang on the FIFO
        #expect(report.pages == 1)
        let warnings = report.diagnostics.filter { $0.severity == .warning }.map(\.description)
        #expect(warnings.contains { $0.contains("content/outside") && $0.contains("outside the project") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("content/loop") && $0.contains("loop") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("content/f.txt") && $0.contains("not a regular file") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("content/caf\u{FFFD}.txt") && $0.contains("not valid UTF-8") }, "\(warnings)")
        #expect(site.output("secret-vs-thing/index.html") == nil)
        // A link renamed: the warning names it where it is now, and only there.
        try FileManager.default.moveItem(atPath: site.root + "/content/outside", toPath: site.root + "/content/elsewhere")
        let renamed = try await site.build().diagnostics.map(\.description)
        #expect(renamed.contains { $0.contains("content/elsewhere") && $0.contains("outside the project") }, "\(renamed)")
        #expect(!renamed.contains { $0.contains("content/outside") }, "\(renamed)")
    }

    /// With precompressed copies on, a file beside the content where the build writes a copy
    /// of a page or of the feed is an error naming both; with them off it is copied as it is.
    @Test func aFileWhereTheBuildWritesACompressedCopyIsAnError() async throws {
        let config = "title: \"Fixture Site\"\nbase_url: \"https://fixture.example.com\"\ncompress: { enabled: true }\n"
        let files = ["ks.md": Self.page, "kubernetes-vs-stripe/index.html.br": "mine", "feed.xml.gz": "mine", "archive.tar.gz": "kept"]
        let site = try FixtureSite(files, config: config)
        let d = await site.failingBuild().map(\.description)
        #expect(d.contains { $0.contains("content/kubernetes-vs-stripe/index.html.br") && $0.contains("precompressed copy of '/kubernetes-vs-stripe/index.html'") }, "\(d)")
        #expect(d.contains { $0.contains("content/feed.xml.gz") && $0.contains("precompressed copy of '/feed.xml'") }, "\(d)")
        #expect(!d.contains { $0.contains("archive.tar.gz") }, "\(d)")
        let plain = try FixtureSite(files)
        try await plain.build()
        #expect(plain.output("kubernetes-vs-stripe/index.html.br") == "mine")
    }

    /// A file beside the content whose name no URL holds (a line break, a backslash): an error
    /// naming it, not a file no link can reach and a `_headers` line broken in two. ('?', '#'
    /// and '%' are fine: links write them escaped.)
    @Test func aFileNameThatNoURLCanHoldIsAnError() async throws {
        let site = try FixtureSite(["ks.md": Self.page, "line\nbreak.png": "1", "back\\slash.png": "2", "x?y#1%.png": "3"])
        let d = await site.failingBuild().map(\.description)
        #expect(d.contains { $0.contains("a control character") && $0.contains("no URL holds") }, "\(d)")
        #expect(d.contains { $0.contains("content/back\\slash.png") && $0.contains("a backslash") }, "\(d)")
        #expect(!d.contains { $0.contains("x?y#1%.png") }, "\(d)")
    }

    /// Two assets a template would name the same way (`a b.css` and `a-b.css` are both
    /// `assets.a_b_css`; an asset named `css` takes the name `style.css` has): an error that
    /// names both, not one of them silently chosen.
    @Test func assetsWithTheSameTemplateNameAreAnError() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        try site.write("templates/assets/a b.css", "a { }")
        try site.write("templates/assets/a-b.css", "b { }")
        try site.write("templates/assets/css", "c { }")
        let d = await site.failingBuild().map(\.description)
        #expect(d.contains { $0.contains("templates/assets/a-b.css: error:") && $0.contains("'assets.a_b_css'") && $0.contains("a b.css") }, "\(d)")
        #expect(d.contains { $0.contains("templates/assets/css: error:") && $0.contains("'assets.css'") && $0.contains("style.css") }, "\(d)")
    }

    /// A link in `content/` into the build store (a hidden folder) or into the output: never
    /// followed (the store's database would be published, and the output read back as
    /// sources), with a warning that names it; two clean builds stay the same.
    @Test func linksIntoTheBuildsOwnFoldersAreNotFollowed() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        try await site.build()
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/store", withDestinationPath: "../.versus")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/out", withDestinationPath: "../output")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/robots.txt", withDestinationPath: "../output/robots.txt")
        for _ in 0..<2 {
            let report = try await site.build { $0.clean = true }
            let warnings = report.diagnostics.filter { $0.severity == .warning }.map(\.description)
            #expect(warnings.contains { $0.contains("content/store") && $0.contains("hidden name") }, "\(warnings)")
            #expect(warnings.contains { $0.contains("content/out") && $0.contains("a folder a build wrote") }, "\(warnings)")
            #expect(warnings.contains { $0.contains("content/robots.txt") && $0.contains("a folder a build wrote") }, "\(warnings)")
            #expect(try site.outputFiles().keys.filter { $0.hasPrefix("store/") || $0.hasPrefix("out/") }.isEmpty)
            #expect(report.pages == 1)
        }
    }

    /// Front-matter nested past what the YAML library reads: an error in words, not the
    /// library's own function name.
    @Test func frontMatterNestedTooDeeplyIsAnErrorInWords() async throws {
        let deep = String(repeating: "[", count: 2_000) + String(repeating: "]", count: 2_000)
        let page = Self.page.replacingOccurrences(of: "subjects:", with: "extra: \(deep)\nsubjects:")
        let d = await (try FixtureSite(["ks.md": page])).failingBuild().map(\.description)
        #expect(d.contains { $0.contains("content/ks.md:") && $0.contains("nested too deeply") }, "\(d)")
        #expect(!d.contains { $0.contains("yaml_") }, "\(d)")
    }

    /// Aliases that repeat one another: 1.5 KB of front-matter standing for 40^8 values is an
    /// error at once, not a build that never ends.
    @Test func frontMatterAliasesThatMultiplyAreAnErrorNotAHang() async throws {
        var yaml = "x0: &x0 [" + Array(repeating: "\"a\"", count: 40).joined(separator: ",") + "]\n"
        for n in 1...8 { yaml += "x\(n): &x\(n) [" + Array(repeating: "*x\(n - 1)", count: 40).joined(separator: ",") + "]\n" }
        let page = Self.page.replacingOccurrences(of: "subjects:", with: yaml + "subjects:")
        let site = try FixtureSite(["ks.md": page, "nomad.txt": BuildTests.nomad])
        let d = await site.failingBuild()
        #expect(d.contains { $0.severity == .error && $0.description.contains("content/ks.md:2: error:") && $0.description.contains("aliases") }, "\(d)")
        let (config, problems) = SiteConfig.parse("title: \"T\"\n" + yaml, file: "versus.yml")
        #expect(problems.count == 1 && problems[0].description.contains("over \(YAMLInput.maxValues) values"), "\(problems)")
        _ = config
    }

    // MARK: 8. Failures name their source and what to do

    /// A build replaces its output folder whole: `--output` naming the project, one of its
    /// inputs, a folder around or inside one, a file, or a folder of something else is refused,
    /// and nothing is touched.
    @Test func anOutputFolderThatWouldReplaceSomethingElseIsRefused() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        try site.write("precious/thesis.txt", "mine")
        try site.write("notes.txt", "mine too")
        let root = site.root
        let refused = [("content", "is the project's content folder"), ("templates", "is the project's templates folder"),
                       ("versus.yml", "is the project's config file"), (".versus", "is the project's build cache folder"),
                       ("content/site", "is inside the project's content folder"), (".", "holds the project folder"),
                       ("..", "holds the project folder"), ("templates/..", "holds the project folder"),
                       ("precious", "holds 1 file that no build of Versus wrote"), ("notes.txt", "is a file, not a folder")]
        for (output, message) in refused {
            let project = Project(root: root, output: root + "/" + output)
            do {
                _ = try await ProjectBuilder(project: project, storePath: project.storeFile).build(BuildOptions(today: buildDay, jobs: 2))
                Issue.record("--output \(output) was built into")
            } catch let failed as BuildFailed {
                #expect(failed.diagnostics.count == 1 && failed.diagnostics[0].description.contains(message), "\(output): \(failed.diagnostics)")
                #expect(failed.diagnostics[0].severity == .error)
            }
        }
        #expect(try String(contentsOfFile: root + "/content/ks.md", encoding: .utf8) == Self.page)
        #expect(try String(contentsOfFile: root + "/precious/thesis.txt", encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: root + "/notes.txt", encoding: .utf8) == "mine too")
        #expect(FileManager.default.fileExists(atPath: root + "/templates/page.mustache") || FileManager.default.fileExists(atPath: root + "/templates/comparison.mustache"))
        #expect(!FileManager.default.fileExists(atPath: root + "/output"))
        // An empty folder, and a folder a build wrote, are built into.
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        for output in ["empty", "empty", "output", "output"] {
            let project = Project(root: root, output: root + "/" + output)
            let report = try await ProjectBuilder(project: project, storePath: project.storeFile).build(BuildOptions(today: buildDay, jobs: 2))
            #expect(report.pages == 1)
        }
    }

    /// Beside the output, the spare tree (`OUTPUT.staging`), the one put aside
    /// (`OUTPUT.staging.old`) and the copy a build written whole makes (`OUTPUT.staging.new`)
    /// are replaced whole too: a folder of someone else's files, or a
    /// file, at either place is refused and kept; a spare tree a stopped build left is not.
    @Test func aFolderBesideTheOutputThatABuildWouldReplaceIsRefused() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        let root = site.root
        for (place, isFile) in [("www.staging", false), ("www.staging.old", false), ("www.staging.new", false), ("www.staging", true)] {
            if isFile { try site.write(place, "mine") } else { try site.write(place + "/thesis.txt", "mine") }
            let project = Project(root: root, output: root + "/www")
            do {
                _ = try await ProjectBuilder(project: project, storePath: project.storeFile).build(BuildOptions(today: buildDay, jobs: 2))
                Issue.record("\(place) was replaced")
            } catch let failed as BuildFailed {
                let expected = isFile ? "is a file, not a folder" : "holds 1 file that no build of Versus wrote"
                #expect(failed.diagnostics.count == 1 && failed.diagnostics[0].description.contains(expected), "\(place): \(failed.diagnostics)")
                #expect(failed.diagnostics[0].file.hasSuffix(place))
            }
            #expect(try String(contentsOfFile: root + "/" + place + (isFile ? "" : "/thesis.txt"), encoding: .utf8) == "mine")
            try FileManager.default.removeItem(atPath: root + "/" + place)
        }
        // A spare tree a build was writing when it was stopped says so, and the next build takes it.
        let project = Project(root: root, output: root + "/www")
        _ = try await ProjectBuilder(project: project, storePath: project.storeFile).build(BuildOptions(today: buildDay, jobs: 2))
        try site.write("www.staging/.versus-build", "unfinished")
        try site.write("www.staging/half-written.html", "<p>")
        try FileManager.default.removeItem(atPath: project.storeFile)
        let report = try await ProjectBuilder(project: project, storePath: project.storeFile).build(BuildOptions(today: buildDay, jobs: 2))
        #expect(report.pages == 1)
        #expect(!FileManager.default.fileExists(atPath: root + "/www.staging/half-written.html"))
        // So does the copy a build written whole was making when it was stopped: the next build
        // removes it, and its own copy becomes the spare tree.
        try site.write("www.staging.new/.versus-build", "unfinished")
        try site.write("www.staging.new/half-linked.html", "<p>")
        try FileManager.default.removeItem(atPath: project.storeFile)
        _ = try await ProjectBuilder(project: project, storePath: project.storeFile).build(BuildOptions(today: buildDay, jobs: 2))
        #expect(!FileManager.default.fileExists(atPath: root + "/www.staging.new"))
        #expect(OutputTree.readMarker(.disk, root + "/www.staging") == OutputTree.readMarker(.disk, root + "/www"))
        #expect(try FileIO.disk.list(root + "/www.staging").sorted() == FileIO.disk.list(root + "/www").sorted())
    }

    @Test func aFullDiskIsACompilerStyleErrorAndChangesNothing() async throws {
        let site = try FixtureSite(["ks.md": Self.page, "nomad.txt": BuildTests.nomad])
        try await site.build()
        let before = try site.outputFiles()
        try site.write("content/ks.md", Self.page.replacingOccurrences(of: "hiring pool", with: "pager load"))
        // A disk that fills up after a few files.
        let count = Counter()
        var io = FileIO.disk
        let write = io.write
        io.write = { path, bytes in
            if path.contains("output.staging"), count.next() >= 1 { throw FileIOError(path, "write failed: No space left on device", code: ENOSPC) }
            try write(path, bytes)
        }
        let d = await site.failingBuild(io: io)
        let error = try #require(d.first)
        #expect(error.description.contains("disk is full"), "\(error)")
        #expect(!error.description.contains("Error:"))
        #expect(try site.outputFiles() == before)
        // The next build, with room again, is whole and right.
        try await site.build()
        #expect(site.output("kubernetes-vs-stripe/index.html")?.contains("pager load") == true)
    }

    /// Files that cannot be read (a source, a file beside the content, an asset) are each an
    /// error naming the file, every one of a stage reported at once (the loaded files, then the
    /// sources), and the output is left as it was.
    @Test func everyFileThatCannotBeReadIsAnErrorNamingIt() async throws {
        let site = try FixtureSite(["ks.md": Self.page, "nomad.txt": BuildTests.nomad, "img.png": "png"])
        try site.write("templates/assets/extra.css", "body{}")
        try await site.build()
        let before = try site.outputFiles()
        // Both sources changed, so both are read again.
        try site.write("content/nomad.txt", BuildTests.nomad.replacingOccurrences(of: "very little ceremony", with: "no ceremony"))
        try site.write("content/ks.md", Self.page.replacingOccurrences(of: "hiring pool", with: "pager load"))
        for unreadable in [["content/img.png", "templates/assets/extra.css"], ["content/nomad.txt", "content/ks.md"]] {
            var io = FileIO.disk
            let read = io.read
            io.read = { path in
                if unreadable.contains(where: path.hasSuffix) { throw FileIOError(path, "open failed: Permission denied", code: EACCES) }
                return try read(path)
            }
            let d = await site.failingBuild(io: io).filter { $0.severity == .error }
            #expect(d.count == unreadable.count, "\(d)")
            for name in unreadable {
                #expect(d.contains { $0.file.hasSuffix(name) && $0.message.contains("cannot be read") && $0.message.contains("Permission denied") }, "\(name): \(d)")
            }
            #expect(try site.outputFiles() == before)
        }
        try await site.build()
        #expect(site.output("kubernetes-vs-nomad/index.html")?.contains("no ceremony") == true)
    }

    /// A comparison of a subject with itself ("Go" and "GO!" are both /go/) is an error, in
    /// front-matter and in a text's title alike (there, no pair is found).
    @Test func aSubjectComparedWithItselfIsAnError() async throws {
        let md = SEOTests.comparison("Go", "GO!")
        let (page, d) = MarkdownPageParser.parse(md, path: "go.md", file: "content/go.md")
        #expect(page == nil)
        #expect(d.contains { $0.severity == .error && $0.message.contains("'Go' and 'GO!' are both /go/") }, "\(d)")
        let (textPage, textDiagnostics) = normalise("Go vs GO: Which Fits Backend Services?\n\nBoth compile to one binary, and teams pick one for its tooling and its hiring pool.\n\n## Tooling\n\nThe two share a toolchain and a formatter that every editor runs on save.\n")
        #expect(textPage == nil)
        #expect(textDiagnostics.contains { $0.severity == .error && $0.message.contains("no comparison found") }, "\(textDiagnostics)")
    }

    /// A partial that includes itself whatever the data (inside a section over an object,
    /// which every level finds again) is an error naming the partial, not a page cut off in
    /// silence 64 levels deep.
    @Test func aPartialThatIncludesItselfWithoutEndIsAnError() async throws {
        let comparison = try String(contentsOfFile: repositoryRoot + "/templates/comparison.mustache", encoding: .utf8)
        let site = try FixtureSite(["ks.md": Self.page], templates: [
            "loop.mustache": "{{#site}}x{{> loop}}{{/site}}",
            "comparison.mustache": comparison.replacingOccurrences(of: "{{$main}}\n", with: "{{$main}}\n{{> loop}}\n"),
        ])
        let d = await site.failingBuild()
        #expect(d.count == 1 && d[0].severity == .error && d[0].file.hasSuffix("templates/loop.mustache") && d[0].message.contains("includes itself"), "\(d)")
        // Once for each item of a list every level finds again: within the depth, but the list's
        // length to the 64th power of calls (this hung): stopped after `maxCalls`.
        try site.write("templates/loop.mustache", "{{#page.sections}}<i>{{> loop}}</i>{{/page.sections}}")
        let fanned = await site.failingBuild()
        #expect(fanned.count == 1 && fanned[0].file.hasSuffix("templates/loop.mustache") && fanned[0].message.contains("includes itself"), "\(fanned)")
    }

    /// Front-matter and file mistakes are named as a writer sees them: no type names of the
    /// YAML library, the line of the repeated key, which part of a date is impossible.
    @Test func frontMatterMistakesAreNamedPlainly() {
        func errors(_ yaml: String) -> [Diagnostic] {
            MarkdownPageParser.parse("---\n" + yaml + "---\n\nText.\n", path: "p.md", file: "content/p.md").1.filter { $0.severity == .error }
        }
        let list = errors("title: [1, 2]\nsubjects: [\"A\", \"B\"]\n")
        #expect(list.contains { $0.message.contains("'title' must be a single value") } && !list.contains { $0.message.contains("Scalar") }, "\(list)")
        let date = errors("title: \"A vs B\"\nsubjects: [\"A\", \"B\"]\ndate: 2026-02-30\n")
        #expect(date.contains { $0.line == 4 && $0.message.contains("February 2026 has 28 days") }, "\(date)")
        // A time is not kept, but one that names no time is a mistake worth saying.
        let time = errors("title: \"A vs B\"\nsubjects: [\"A\", \"B\"]\ndate: 2024-01-01T25:61:00Z\n")
        #expect(time.contains { $0.line == 4 && $0.message.contains("the time 25:61:00 does not exist") }, "\(time)")
        #expect(errors("title: \"A vs B\"\nsubjects: [\"A\", \"B\"]\ndate: 2024-01-01T23:59:60Z\n").isEmpty)
        let twice = errors("title: \"A vs B\"\ntitle: \"B vs A\"\nsubjects: [\"A\", \"B\"]\n")
        #expect(twice.count == 1 && twice[0].line == 3 && twice[0].message.contains("gives 'title' twice (first on line 2)"), "\(twice)")
        #expect(twice.allSatisfy { !$0.description.contains("\n") })
        // A repeated key does not hide the front-matter's other faults: each is reported at its
        // line in the same run, and so is a second repeated key (a list's lines go with its key).
        let more = errors("title: \"A vs B\"\naliases:\n- /a/\n- /b/\ntitle: \"B vs A\"\nsubjects: [\"A\"]\naliases:\n  - /c/\ndate: someday\n")
            .sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        #expect(more.map(\.line) == [6, 7, 8, 10], "\(more)")
        #expect(more.count == 4 && more[0].message.contains("gives 'title' twice (first on line 2)")
                 && more[1].message.contains("'subjects' must name two to four subjects") && more[2].message.contains("gives 'aliases' twice (first on line 3)")
                 && more[3].message.contains("'date' must be a date"), "\(more)")
        // Keys given twice are put aside a bounded number of times (each is one more read of the whole front-matter).
        let many = errors((0..<40).map { "k\($0): a\nk\($0): b\n" }.joined() + "title: \"A vs B\"\nsubjects: [\"A\", \"B\"]\n")
        #expect(many.count == 17 && many.allSatisfy { $0.message.contains("twice") }, "\(many.count)")
        // A key repeated inside a nested mapping is reported alone, as before.
        let nested = errors("title: \"A vs B\"\nsubjects: [\"A\", \"B\"]\ncta:\n  label: Try\n  label: Buy\n  url: https://example.com\n")
        #expect(nested.count == 1 && nested[0].message.contains("'label' twice"), "\(nested)")
        let empty = errors("")
        #expect(empty.count == 1 && empty[0].message.contains("front-matter is empty"), "\(empty)")
        let utf16 = normaliseBytes([0xFF, 0xFE] + Array("A vs B".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).1
        #expect(utf16.contains { $0.message.contains("file is UTF-16") }, "\(utf16)")
        let bare = MarkdownPageParser.parse("---\ntitle: \"A vs B\"\nsubjects: [\"A\", \"B\"]\n---\n", path: "p.md", file: "content/p.md").1
        #expect(bare.contains { $0.severity == .warning && $0.message.contains("no text after its front-matter") }, "\(bare)")
        // A file name or message with a line end or NUL in it prints as one line.
        let d = Diagnostic.error("content/a\nb:1: error: forged.txt", "bad \u{0}value")
        #expect(d.description == "content/a\\u{a}b:1: error: forged.txt: error: bad \\u{0}value")
    }

    /// A day of year 0000 names no day (the calendar goes from 1 BC to AD 1, and a sitemap, the
    /// feed and structured data read four digits as a year of our era): an error at its line in
    /// front-matter, as a day its month does not have is; a ledger line with one is ignored.
    @Test func aDateInYearZeroIsAnErrorAtItsLine() {
        func errors(_ page: String) -> [Diagnostic] {
            MarkdownPageParser.parse(page, path: "ks.md", file: "content/ks.md").1.filter { $0.severity == .error }
        }
        let date = errors(SEOTests.comparison("Kubernetes", "Stripe", date: "0000-03-01"))
        #expect(date.count == 1 && date[0].line == 4 && date[0].message.contains("'date' is written as a date, but year 0000 does not exist"), "\(date)")
        let updated = errors(SEOTests.comparison("Kubernetes", "Stripe", extra: "updated: \"0000-12-31T10:00:00Z\"\n"))
        #expect(updated.count == 1 && updated[0].line == 4 && updated[0].message.contains("'updated'") && updated[0].message.contains("year 0000"), "\(updated)")
        #expect(Day("0000-03-01") == nil && Day("0001-01-01") == Day(year: 1, month: 1, day: 1))
        var ledgerProblems: [Diagnostic] = []
        let ledger = Ledger(parsing: "/ks/\t3f2a9c0d1e4b5a67\t0000-01-01\n", file: "lastmod.tsv", diagnostics: &ledgerProblems)
        #expect(ledger.entries.isEmpty && ledgerProblems.count == 1 && ledgerProblems[0].line == 1, "\(ledgerProblems)")
    }

    /// The site-wide errors about a page's aliases and subjects name the line that gives them:
    /// the `aliases:` or `subjects:` key of front-matter, the line of a text that names its
    /// subjects (its title, or the dek under a title that names none).
    @Test func aliasAndSubjectErrorsNameTheirLine() async throws {
        let aliases = Self.page.replacingOccurrences(of: "subjects:", with: "aliases: [\"/kubernetes-vs-stripe/\", \"/old a/\", \"/shared/\"]\nsubjects:")
            .replacingOccurrences(of: "Stripe", with: "Nomad").replacingOccurrences(of: "stripe", with: "nomad")
            .replacingOccurrences(of: "/kubernetes-vs-nomad/", with: "/kubernetes-vs-stripe/")
        let shared = SEOTests.comparison("Zabbix", "Vault", extra: "\n# Old URLs.\naliases:\n  - /shared/\n")
        let site = try FixtureSite(["ks.md": Self.page, "kn.md": aliases, "zv.md": shared])
        let d = await site.failingBuild().filter { $0.severity == .error }
        #expect(d.count == 3, "\(d)")
        #expect(d.contains { $0.file.hasSuffix("kn.md") && $0.line == 3 && $0.message.contains("'/kubernetes-vs-stripe/' is the URL of") }, "\(d)")
        #expect(d.contains { $0.file.hasSuffix("kn.md") && $0.line == 3 && $0.message.contains("'/old a/' is not a usable site path") }, "\(d)")
        #expect(d.contains { $0.file.hasSuffix("zv.md") && $0.line == 6 && $0.message.contains("'/shared/' is also declared by") && $0.message.hasSuffix("kn.md") }, "\(d)")

        let long = String(repeating: "Supercalifragilistic", count: 6)
        let body = "\n\nCost\nAlpha costs less to run than \(long) for a team of three engineers who run a small platform.\n"
        let subjects = try FixtureSite([
            "title.txt": "Alpha vs \(long): Which One Fits a Small Team?\n\nHow Alpha and \(long) differ in cost and in what a small platform team needs to run them." + body,
            "dek.txt": "Choosing a Scheduler for a Small Platform Team\n\nAlpha vs \(long): how the two differ in cost and in what a small platform team needs to run them." + body,
            "bangs.md": "---\ntitle: \"Bangs vs Questions\"\n\nsubjects: [\"!!!\", \"???\"]\ndescription: \"A page whose subjects have no letters or digits, so they cannot have a URL.\"\n---\n## A\n\nText.\n",
        ])
        let e = await subjects.failingBuild().filter { $0.severity == .error }
        #expect(e.contains { $0.file.hasSuffix("title.txt") && $0.line == 1 && $0.message.contains("is too long for a name") }, "\(e)")
        #expect(e.contains { $0.file.hasSuffix("dek.txt") && $0.line == 3 && $0.message.contains("is too long for a name") }, "\(e)")
        #expect(e.contains { $0.file.hasSuffix("bangs.md") && $0.line == 4 && $0.message.contains("no letters or digits") }, "\(e)")
    }

    /// A `versus.yml` (or `lastmod.tsv`) the build cannot read is an error naming it, reported
    /// with the other files that cannot be read, not a failure blamed on the output folder.
    @Test func anUnreadableConfigOrLedgerIsAnErrorNamingIt() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        try site.write("templates/assets/extra.css", "body{}")
        var io = FileIO.disk
        let read = io.read
        io.read = { path in
            if path.hasSuffix("versus.yml") || path.hasSuffix("extra.css") { throw FileIOError(path, "open failed: Permission denied", code: EACCES) }
            return try read(path)
        }
        let denied = await site.failingBuild(io: io)
        #expect(denied.filter { $0.severity == .error }.count == 2, "\(denied)")
        #expect(denied.contains { $0.file.hasSuffix("versus.yml") && $0.message == "cannot be read (open failed: Permission denied)" }, "\(denied)")
        #expect(denied.contains { $0.file.hasSuffix("templates/assets/extra.css") && $0.message.contains("cannot be read") }, "\(denied)")
        #expect(!denied.contains { $0.file == "output" || $0.message.contains("cannot write") || $0.message.contains("placeholder") }, "\(denied)")

        try site.remove("versus.yml")
        try FileManager.default.createDirectory(atPath: site.root + "/versus.yml", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: site.root + "/lastmod.tsv", withIntermediateDirectories: false)
        let folders = await site.failingBuild().map(\.description)
        #expect(folders.contains { $0.hasSuffix("versus.yml: error: cannot be read (is a folder)") }, "\(folders)")
        #expect(folders.contains { $0.hasSuffix("lastmod.tsv: error: cannot be read (is a folder)") }, "\(folders)")
        #expect(folders.count == 2, "\(folders)")
    }

    /// A YAML syntax error is said once, in our words: the file's line and column of the fault
    /// (in front-matter, counted from the file's first line), the reason, and where the value
    /// it was reading began; never Yams's own position, quoted line and caret as well.
    @Test func yamlSyntaxErrorsSayWhereOnce() async throws {
        let config = "title: \"T\"\nbase_url: \"https://fixture.example.com\"\ndescription: \"a\u{1}b\"\n"
        let control = SiteConfig.parse(config, file: "versus.yml").1
        #expect(control.map(\.description) == ["versus.yml:3:16: error: YAML is not valid: control characters are not allowed (U+0001)"], "\(control)")
        let flow = SiteConfig.parse("title: \"T\"\ndescription: [a, b\n", file: "versus.yml").1
        #expect(flow.map(\.description) == ["versus.yml:3:1: error: YAML is not valid: did not find expected ',' or ']' (while parsing a flow sequence from line 2)"], "\(flow)")

        func frontMatter(_ yaml: String) -> [String] {
            MarkdownPageParser.parse("---\ntitle: \"A vs B\"\nsubjects: [\"A\", \"B\"]\n" + yaml + "---\n\nText.\n", path: "p.md", file: "content/p.md").1.map(\.description)
        }
        #expect(frontMatter("description: \"a\u{7F}b\"\n") == ["content/p.md:4:16: error: front-matter is not valid: control characters are not allowed (U+007F)"])
        #expect(frontMatter("description: \"never closed\n") == ["content/p.md:5:1: error: front-matter is not valid: found unexpected end of stream (while scanning a quoted scalar from line 4)"])
        #expect(frontMatter("a: b: c\n") == ["content/p.md:4:5: error: front-matter is not valid: mapping values are not allowed in this context"])

        // Through a build: the config's error, with the page's.
        let site = try FixtureSite(["ks.md": Self.page], config: config)
        let built = await site.failingBuild().map(\.description)
        #expect(built.count == 1 && built[0].hasSuffix("versus.yml:3:16: error: YAML is not valid: control characters are not allowed (U+0001)"), "\(built)")
    }

    /// A source in error does not hide the site-wide errors of the pages that did read (an
    /// alias that is no path, two pages at one URL): one build reports them all.
    @Test func aSourceInErrorDoesNotHideTheSiteWideErrors() async throws {
        let site = try FixtureSite([
            "bad.txt": "Notes from the week\n\nWe met, we talked, and we wrote down what to do next.\n",
            "a.md": Self.withAlias("//x/"),
            "b.md": Self.page,
        ])
        let d = await site.failingBuild().filter { $0.severity == .error }
        #expect(d.count == 3, "\(d)")
        #expect(d.contains { $0.file.hasSuffix("bad.txt") }, "\(d)")
        #expect(d.contains { $0.message.contains("'//x/'") }, "\(d)")
        #expect(d.contains { $0.message.contains("kubernetes-vs-stripe") }, "\(d)")
    }

    /// A template that is not UTF-8 is an error, as a source is (not bytes read as U+FFFD).
    @Test func aTemplateThatIsNotUTF8IsAnError() async throws {
        let site = try FixtureSite(["ks.md": Self.page])
        try site.write("templates/404.mustache", Array("{{<base}}{{$main}}<p>caf".utf8) + [0xE9] + Array("</p>{{/main}}{{/base}}".utf8))
        let d = await site.failingBuild()
        #expect(d.contains { $0.severity == .error && $0.file.hasSuffix("templates/404.mustache") && $0.message.contains("not valid UTF-8") }, "\(d)")
        // One error: the template is there, not also "missing".
        #expect(d.filter { $0.severity == .error }.count == 1 && !d.contains { $0.message.contains("missing template") }, "\(d)")
    }

    /// Mistakes a probe of hostile input found: noncharacters (U+FFFE, U+FDD0, U+1FFFF: an HTML
    /// parse error) leave a text, with a warning naming the line; a versus.yml that is not UTF-8,
    /// or whose language is no language tag, is an error (and a config in error is not also said
    /// to have the placeholder base_url); two names of one front-matter field that disagree are
    /// an error, and a page updated before it is dated is a warning.
    @Test func noncharactersBadConfigBytesAndDisagreeingFieldsAreNamed() async throws {
        // (Swift spells no noncharacter in a literal.)
        func scalar(_ v: UInt32) -> String { String(Unicode.Scalar(v)!) }
        let text = "Alpha vs Beta\n\nAlpha and Beta are tools teams compare when they pick a platform.\n\nCost" + scalar(0xFFFE) + "\n\n"
            + "Alpha is quicker" + scalar(0xFDD0) + " to set up, while Beta" + scalar(0x1FFFF) + " scales better under load.\n"
        let (page, warnings) = normalise(text)
        let read = try #require(page)
        #expect(read.sections.map(\.heading) == ["Cost"], "\(read.sections.map(\.heading))")
        #expect(warnings.contains { $0.line == 5 && $0.message.contains("U+FFFE") && $0.message.contains("noncharacter") }, "\(warnings)")
        #expect(warnings.contains { $0.line == 7 && $0.message.contains("removed 2") }, "\(warnings)")
        // A fullwidth comma, an emoji and U+FFFD stay: their bytes start as a noncharacter's do.
        #expect(!Normaliser.hasControlCharacters("Vue，React 🚀 \u{FFFD} \u{FDCF} \u{FDF0} \u{1FFFD}"))
        #expect(Normaliser.hasControlCharacters("12345678" + scalar(0x10FFFF)) && Normaliser.hasControlCharacters(scalar(0xFDEF)))

        let site = try FixtureSite(["ks.md": Self.page])
        try site.write("versus.yml", Array("title: \"Fixture\"\nbase_url: \"https://fixture.example.com\"\ndescription: \"caf".utf8) + [0xE9] + Array("\"\n".utf8))
        let bytes = await site.failingBuild()
        #expect(bytes.contains { $0.severity == .error && $0.file.hasSuffix("versus.yml") && $0.line == 3 && $0.message.contains("not valid UTF-8") }, "\(bytes)")
        try site.write("versus.yml", "title: \"Fixture\"\nbase_url: \"https://fixture.example.com\"\nlanguage: 'en\"><script>'\n")
        let language = await site.failingBuild()
        #expect(language.contains { $0.line == 3 && $0.message.contains("not a language tag") }, "\(language)")
        try site.write("versus.yml", "title: \"Fixture\"\ntitle: \"Again\"\nbase_url: \"https://fixture.example.com\"\n")
        let twice = await site.failingBuild()
        #expect(twice.contains { $0.line == 2 && $0.message.contains("'title' twice") } && !twice.contains { $0.message.contains("placeholder") }, "\(twice)")
        #expect(SiteConfig.languageProblem("pt-BR") == nil && SiteConfig.languageProblem("zh-Hant-TW") == nil && SiteConfig.languageProblem("e") != nil)

        func parsed(_ yaml: String) -> [Diagnostic] {
            MarkdownPageParser.parse("---\ntitle: \"A vs B\"\nsubjects: [\"A\", \"B\"]\n" + yaml + "---\n\nText.\n", path: "p.md", file: "content/p.md").1
        }
        let both = parsed("updated: 2026-03-01\nlastmod: 2026-04-01\nbyline: \"Ana Lima\"\nauthor: \"Rui Costa\"\n")
        #expect(both.contains { $0.severity == .error && $0.line == 5 && $0.message.contains("'updated' ('2026-03-01') and 'lastmod' ('2026-04-01')") }, "\(both)")
        #expect(both.contains { $0.severity == .error && $0.line == 7 && $0.message.contains("'byline'") && $0.message.contains("'author'") }, "\(both)")
        #expect(!parsed("updated: 2026-03-01\nlastmod: 2026-03-01\n").hasErrors)
        let backwards = parsed("date: 2026-05-01\nupdated: 2026-03-01\n")
        #expect(backwards.contains { $0.severity == .warning && $0.line == 5 && $0.message.contains("before it is dated") }, "\(backwards)")
    }

    @Test func longSubjectsAreShortenedInMessages() async throws {
        let long = String(repeating: "Ab", count: 150_000)
        let site = try FixtureSite(["long.md": "---\ntitle: \"X vs Y\"\nsubjects: [\"\(long)\", \"Y\"]\ndescription: \"A page whose first subject is far too long to be a name or a file name.\"\n---\n## A\n\nText.\n"])
        let d = await site.failingBuild()
        let error = try #require(d.first { $0.severity == .error })
        #expect(error.message.contains("at most 100 characters"), "\(error.message.prefix(300))")
        #expect(error.description.count < 400)
    }
    /// `{{assets.name}}` names a file of templates/assets, known when the templates are compiled:
    /// a name that is not there (a typo, a file deleted) is an error at the tag, as an unknown
    /// variable is, not an empty `href`; a section may still test for an asset a site may lack.
    @Test func anAssetNameNotThereIsAnErrorAtItsTag() async throws {
        let site = try FixtureSite(["Kubernetes-Nomad.md": SEOTests.comparison("Kubernetes", "Nomad")])
        let base = try #require(String(data: FileManager.default.contents(atPath: site.root + "/templates/base.mustache")!, encoding: .utf8))
        let line = try #require(base.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("{{assets.css}}") }) + 1
        try site.write("templates/base.mustache", base.replacingOccurrences(of: "{{assets.css}}", with: "{{#assets.logo_svg}}{{assets.logo_svg}}{{/assets.logo_svg}}{{assets.csss}}"))
        let errors = await site.failingBuild().filter { $0.severity == .error }.map(\.description)
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0.contains("templates/base.mustache:\(line):") && $0.contains("'assets' has no 'csss' (did you mean 'css'?)") }, "\(errors)")
    }

    /// A template or config saved with a byte order mark (as some Windows editors save) reads as
    /// without one: the mark goes into no page (two templates with one put two before the doctype).
    @Test func aByteOrderMarkBeforeATemplateOrTheConfigIsDropped() async throws {
        let site = try FixtureSite(["Kubernetes-Nomad.md": SEOTests.comparison("Kubernetes", "Nomad")])
        for file in ["templates/base.mustache", "templates/comparison.mustache", "versus.yml"] {
            let bytes = try #require(FileManager.default.contents(atPath: site.root + "/" + file))
            try Data([0xEF, 0xBB, 0xBF] + bytes).write(to: URL(fileURLWithPath: site.root + "/" + file))
        }
        let report = try await site.build()
        #expect(!report.diagnostics.hasErrors)
        let page = try #require(site.output("kubernetes-vs-nomad/index.html"))
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(!page.contains("\u{FEFF}"))
    }

    /// Files copied as they are keep their names, which a URL may not hold as they are: a link
    /// to one is percent-encoded (an asset `my app.js`, an image beside a page in `team notes/`),
    /// and leads to the file.
    @Test func linksToFilesNamedWithSpacesArePercentEncoded() async throws {
        let site = try FixtureSite(["team notes/rollout.md": "---\ntitle: \"Rollout notes for the platform team\"\n---\n\nThe plan, as drawn: ![Diagram](diagram.png)\n"])
        try site.write("content/team notes/diagram.png", "png")
        try site.write("templates/assets/my app.js", "console.log(1)\n")
        let base = try #require(String(data: FileManager.default.contents(atPath: site.root + "/templates/base.mustache")!, encoding: .utf8))
        try site.write("templates/base.mustache", base.replacingOccurrences(of: "</body>", with: "<script src=\"{{assets.my_app_js}}\"></script>\n</body>"))
        try await site.build()
        let page = try site.html("team-notes/rollout/index.html")
        #expect(page.all("img").compactMap { $0["src"] } == ["/team%20notes/diagram.png"])
        #expect(site.output("team notes/diagram.png") == "png")
        let script = try #require(page.all("script").compactMap { $0["src"] }.first { $0.contains("app") })
        #expect(script.hasPrefix("/assets/my%20app.") && script.hasSuffix(".js"), "\(script)")
        #expect(site.output(String(script.dropFirst()).removingPercentEncoding!) == "console.log(1)\n")
    }

    /// Front-matter warnings name the line of the key they are about: a description adjusted for
    /// its length (it said line 2, the title's), and a role given to a heading the page does not
    /// have, which does nothing (it was dropped without a word).
    @Test func frontMatterWarningsNameTheirKeysLine() {
        let text = """
        ---
        title: "PostgreSQL vs SQLite"
        subjects: ["PostgreSQL", "SQLite"]
        roles:
          "At a Glancee": technical
        description: "Too short"
        ---

        ## At a Glance

        PostgreSQL is a server; SQLite is a library linked into the program that uses it.
        """
        let diagnostics = MarkdownPageParser.parse(text, path: "p.md", file: "content/p.md").1.map(\.description)
        #expect(diagnostics.contains("content/p.md:6: warning: description is 9 characters; search engines show 50–160, so it was adjusted"), "\(diagnostics)")
        #expect(diagnostics.contains("content/p.md:5: warning: roles gives a role to 'At a Glancee', which is no heading of this page, so it does nothing; did you mean 'At a Glance'?"), "\(diagnostics)")
    }

    /// A template or config in error does not hide the content's errors: one run reports them all
    /// (the content's were reported only once the template was fixed).
    @Test func aTemplateErrorDoesNotHideTheContentsErrors() async throws {
        let site = try FixtureSite(["Kubernetes-Nomad.md": SEOTests.comparison("Kubernetes", "Nomad"),
                                    "bad.md": "---\ntitle: [\n---\nText.\n", "empty.md": ""])
        let notFound = try #require(String(data: FileManager.default.contents(atPath: site.root + "/templates/404.mustache")!, encoding: .utf8))
        try site.write("templates/404.mustache", notFound + "{{site.hoem}}\n")
        try site.write("versus.yml", "title: \"Fixture Site\"\nbase_url: \"https://fixture.example.com\"\ntitel: x\n")
        let errors = await site.failingBuild().filter { $0.severity == .error }.map(\.file)
        #expect(errors.contains { $0.hasSuffix("templates/404.mustache") } && errors.contains { $0.hasSuffix("versus.yml") }, "\(errors)")
        #expect(errors.contains { $0.hasSuffix("content/bad.md") } && errors.contains { $0.hasSuffix("content/empty.md") }, "\(errors)")
    }

    /// A partial in a folder of templates/ is named by its path, as Mustache's partial names may be
    /// (`{{> partials/card}}`); it was not loaded, and the error said the file did not exist.
    @Test func aPartialInAFolderIsNamedByItsPath() async throws {
        let site = try FixtureSite(["Kubernetes-Nomad.md": SEOTests.comparison("Kubernetes", "Nomad")])
        try site.write("templates/partials/stamp.mustache", "<p class=\"stamp\">{{site.title}}</p>\n")
        let base = try #require(String(data: FileManager.default.contents(atPath: site.root + "/templates/base.mustache")!, encoding: .utf8))
        try site.write("templates/base.mustache", base.replacingOccurrences(of: "</body>", with: "{{> partials/stamp}}\n</body>"))
        try await site.build()
        #expect(try site.html("kubernetes-vs-nomad/index.html").all("p").contains { $0["class"] == "stamp" && $0.text == "Fixture Site" })
    }

    /// A comparison's slug is one part of a URL, as the reference says (a '/' was taken, making a
    /// folder); a slug with an empty folder is an error at its line (it had none).
    @Test func slugsWithAFolderTheyMayNotHaveAreNamedAtTheirLine() {
        func errors(_ yaml: String) -> [String] {
            MarkdownPageParser.parse("---\n" + yaml + "---\n\nText.\n", path: "p.md", file: "content/p.md").1.filter { $0.severity == .error }.map(\.description)
        }
        let comparison = errors("title: \"A vs B\"\nsubjects: [\"A\", \"B\"]\nslug: \"a/b\"\n")
        #expect(comparison.contains { $0.hasPrefix("content/p.md:4: error: slug 'a/b' has a '/'") }, "\(comparison)")
        let empty = errors("title: \"Guide\"\nslug: \"a//b\"\n")
        #expect(empty.contains { $0.hasPrefix("content/p.md:3:") && $0.contains("empty folder") }, "\(empty)")
        #expect(errors("title: \"Guide\"\nslug: \"guides/sso\"\n").isEmpty)
    }

    /// A link to a source file (as an editor or GitHub would link two Markdown files) leads nowhere
    /// on the site, which publishes pages at their URL: a warning at its line, not a broken link
    /// found only by `versus check`. Not in code, and not for a URL elsewhere.
    @Test func aLinkToASourceFileIsNamedAtItsLine() {
        let text = """
        ---
        title: "Rollout notes"
        ---

        Before you start, read [the setup](../guides/sso.md#steps "Setup").

        ```
        [not a link](other.md)
        ```

        The upstream [readme](https://example.com/README.md) is fine.
        """
        let warnings = MarkdownPageParser.parse(text, path: "notes/rollout.md", file: "content/notes/rollout.md").1
            .filter { $0.message.contains("leads nowhere") }.map(\.description)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("content/notes/rollout.md:5: warning: the link to '../guides/sso.md' leads nowhere"), "\(warnings)")
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.withLock { defer { n += 1 }; return n } }
    var value: Int { lock.withLock { n } }
}
