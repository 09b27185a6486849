import Foundation
import Testing
import GRDB
@testable import VersusCore
import VersusTestSupport

/// Incremental builds: a no-change rebuild writes nothing, an edit redoes only what
/// it affects, and after any series of edits the output equals a clean build's.
@Suite struct IncrementalTests {
    /// A builder of the fixture's project with its store on disk, as a process keeps one.
    static func builder(_ site: FixtureSite, io: FileIO = .disk) -> ProjectBuilder {
        ProjectBuilder(project: site.project, io: io, storePath: site.project.storeFile)
    }

    /// The options of a builder's builds in these tests (the ledger left alone, so each build
    /// compares with a clean one of the same day).
    static var options: BuildOptions {
        var options = BuildOptions(today: Day(year: 2026, month: 12, day: 2), jobs: 2)
        options.updateLedger = false
        return options
    }

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
    func expectSameAsCleanBuild(_ site: FixtureSite, today: Day = buildDay, _ note: String, identity: String? = nil,
                                compress: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var options = BuildOptions(today: today, jobs: 2)
        options.identity = identity
        options.clean = true
        options.compress = compress
        options.updateLedger = false
        _ = try await ProjectBuilder(project: Project(root: site.root, output: site.root + "/clean")).build(options)
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
        try expectStoreHoldsOnlyTheSources(site, sourceLocation: sourceLocation)
    }

    /// The build store holds one normalised source for each source there is now (what none
    /// has any more was dropped), and a page for each that has one.
    func expectStoreHoldsOnlyTheSources(_ site: FixtureSite, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sources = try Loader.load(site.project, options: BuildOptions(today: buildDay), io: .disk).sources.count
        let db = try DatabaseQueue(path: site.project.storeFile)
        let normalised = try Chunked<Normalised>.normalised.read(db)
        let pages = try db.read { try String.fetchAll($0, sql: "SELECT key FROM page") }
        let last = try db.read { try Data.fetchOne($0, sql: "SELECT value FROM meta WHERE name = 'last'") }
        try db.close()
        // The sizes the next build checks `output/` against (patched after a delta) are every
        // file's, once each.
        let recorded = String(decoding: try BinaryDecoder.decode(BuildStore.LastBuild.self, from: try #require(last, sourceLocation: sourceLocation)).sizes.bytes,
                              as: UTF8.self).split(separator: "\n").map(String.init).sorted()
        let present = try site.outputFiles().map { "\($0.value.count)\t/\($0.key)" }.sorted()
        let same = recorded == present
        #expect(same, "the recorded sizes are not the output's: \(Set(recorded).symmetricDifference(present).sorted().prefix(6))",
                sourceLocation: sourceLocation)
        #expect(normalised.count == sources, "the store holds \(normalised.count) normalised sources for \(sources)", sourceLocation: sourceLocation)
        #expect(Set(pages) == Set(normalised.filter { $0.value.summary != nil }.keys), sourceLocation: sourceLocation)
    }

    @Test func theStoreKeepsSmallRecordsInChunksAndRewritesOnlyThoseAChangeTouches() throws {
        let folder = NSTemporaryDirectory() + "versus-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/build.sqlite"
        func stamp(_ i: Int, size: Int = 100) -> BuildStore.SourceStamp {
            .init(FileInfo(size: size, modified: Int64(i), isDirectory: false, inode: UInt64(i), changed: Int64(i)), file: "content/p\(i).md", key: "k\(i)")
        }
        var expected: [String: BuildStore.SourceStamp] = [:]
        var changes = BuildStore.Changes()
        for i in 0..<500 { expected["p\(i).md"] = stamp(i); changes.sources["p\(i).md"] = stamp(i) }
        var store = try BuildStore(path: path, identity: "versus test-1")
        try store.save(changes)
        #expect(try store.sources() == expected)
        func chunks() throws -> [Int: Data] {
            try store.db.read { db in
                var out: [Int: Data] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT n, value FROM chunk WHERE name = 'source'") { out[row[0]] = row[1] }
                return out
            }
        }
        let before = try chunks()
        #expect(before.count == Chunked<BuildStore.SourceStamp>.count)

        // One record changed, one removed, one added: only their chunks are written again.
        changes = BuildStore.Changes()
        changes.sources["p7.md"] = stamp(7, size: 200); expected["p7.md"] = stamp(7, size: 200)
        changes.sources["p8.md"] = .some(nil); expected["p8.md"] = nil
        changes.sources["new.md"] = stamp(900); expected["new.md"] = stamp(900)
        try store.save(changes)
        #expect(try store.sources() == expected)
        let touched = Set(["p7.md", "p8.md", "new.md"].map(Chunked<BuildStore.SourceStamp>.chunk))
        let after = try chunks()
        for (n, blob) in after where !touched.contains(n) { #expect(before[n] == blob, "chunk \(n) was written again") }
        #expect(touched.contains { before[$0] != after[$0] })

        // Read again by the same build: all there. By another build: nothing, in a file with large pages.
        try store.close()
        store = try BuildStore(path: path, identity: "versus test-1")
        #expect(try store.sources() == expected)
        try store.close()
        store = try BuildStore(path: path, identity: "versus test-2")
        #expect(try store.sources().isEmpty)
        #expect(try store.db.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 65536)
        try store.close()
    }

    /// Stores no build can use any more leave `.versus/` with the next build: one for an output
    /// folder that is gone, one an earlier Versus left (no output recorded), one that is not a
    /// store. A store for an output that is still there stays, and so does one whose lock
    /// another build holds.
    @Test func storesNoBuildCanUseAreSwept() async throws {
        let site = try FixtureSite(["nomad.txt": nomadSource])
        try await site.build()
        let cache = site.project.resolved().cache
        let other = site.root + "/other-output", gone = site.root + "/gone-output"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        func store(_ name: String, output: String?) throws -> String {
            let path = cache + "/build-" + name + ".sqlite"
            try BuildStore(path: path, identity: "versus test", output: output).close()
            return path
        }
        let kept = try store("aaaaaaaaaaaa", output: other)
        let forGone = try store("bbbbbbbbbbbb", output: gone)
        let legacy = try store("cccccccccccc", output: nil)
        let held = try store("dddddddddddd", output: gone)
        let junk = cache + "/build-eeeeeeeeeeee.sqlite"
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: junk))
        let lock = try #require(BuildLock.tryTake(BuildLock.file(beside: held)))

        try site.write("content/nomad.txt", nomadSource.replacingOccurrences(of: "very little ceremony", with: "no ceremony"))
        let report = try await site.build()
        #expect(report.incremental && report.normalised == 1)
        #expect(report.timings.contains { $0.step == "sweep stores" })
        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
        #expect(exists(site.project.storeFile))
        #expect(exists(kept))
        #expect(exists(held))
        #expect(!exists(forGone) && !exists(legacy) && !exists(junk))
        lock.release()
        // Once no build holds it, the next build that does work sweeps it.
        try site.write("content/nomad.txt", nomadSource)
        let again = try await site.build()
        #expect(again.incremental && again.normalised == 1)
        #expect(exists(kept) && !exists(held))
    }

    @Test func noChangeRebuildWritesNothing() async throws {
        let site = try Self.site()
        let first = try await site.build(compress: true)
        #expect(!first.incremental)
        let before = try stamps(site)
        try await Task.sleep(for: .milliseconds(20))
        let second = try await site.build(compress: true)
        #expect(second.incremental)
        #expect(second.normalised == 0)
        #expect(second.rendered == 0)
        #expect(second.written.isEmpty && second.removed.isEmpty)
        #expect(try stamps(site) == before)
    }

    /// One project named two ways (in it and from above it, or through a link) is one build:
    /// the second name reuses the first's store and work, and its diagnostics name files the
    /// second way.
    @Test func aProjectNamedAnotherWayReusesItsBuild() async throws {
        let site = try Self.site()
        try site.write("content/odd.md", SEOTests.comparison("Vault", "Doppler", extra: "colour: blue\n"))
        let link = NSTemporaryDirectory() + "versus-link-" + UUID().uuidString
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: site.root)
        defer { try? FileManager.default.removeItem(atPath: link) }
        func build(_ root: String) async throws -> BuildReport {
            try await ProjectBuilder(project: Project(root: root)).build(Self.options)
        }
        func warned(_ report: BuildReport) -> [String] {
            report.diagnostics.filter { $0.message.contains("colour") }.map(\.file)
        }
        let first = try await build(site.root)
        #expect(!first.incremental)
        #expect(warned(first) == [site.root + "/content/odd.md"])
        for root in [link, site.root + "/.", link + "/"] {
            let again = try await build(root)
            #expect(again.incremental && again.normalised == 0 && again.rendered == 0, "\(root)")
            #expect(again.written.isEmpty && again.removed.isEmpty, "\(root)")
            #expect(warned(again) == [Project(root: root).content + "/odd.md"], "\(root)")
        }
        // Every name of the project names one store (and so one build lock, which `versus
        // publish` takes too).
        let linked = Project(root: link)
        #expect(Disk.resolved(linked.storeFile) == Disk.resolved(Project(root: site.root + "/.").storeFile))
        #expect(FileIO.disk.exists(linked.storeFile))
        // What a watcher of the linked name reports is the file the build read.
        #expect(linked.resolved().path(spelledIn: linked)(link + "/content/odd.md") == Disk.resolved(site.root) + "/content/odd.md")
        #expect(linked.resolved().spelled(in: linked)(Disk.resolved(site.root) + "/content/odd.md") == link + "/content/odd.md")
        #expect(Project(root: ".").resolved().spelled(in: Project(root: "."))(Disk.resolved(".") + "/content/a.md") == "content/a.md")
        try await expectSameAsCleanBuild(site, today: Self.options.today, "after builds under three names", compress: false)

        // A message that names a file of the project names it the same way too.
        try site.write("content/guides/sso", "a file where the page /guides/sso/ goes\n")
        do {
            _ = try await build(link)
            Issue.record("a page inside a copied file's path must fail the build")
        } catch let failed as BuildFailed {
            let clash = try #require(failed.diagnostics.first { $0.message.contains("inside '/guides/sso'") })
            #expect(clash.file == link + "/content/guides/sso.md")
            #expect(clash.message == "the page of \(link)/content/guides/sso.md would be written at '/guides/sso/index.html', inside '/guides/sso', which is already a file copied from \(link)/content/guides/sso")
        }
    }

    /// A builder kept in memory (as `versus serve` keeps one) works the site out by delta when
    /// only pages' words change; the output is still a clean build's, byte for byte.
    @Test func aBuilderKeptInMemoryAssemblesByDelta() async throws {
        let site = try Self.site()
        let builder = Self.builder(site)
        let options = Self.options
        _ = try await builder.build(options)
        let edits: [(String, String, String)] = [
            ("content/Stripe-Adyen.md", "hiring pool", "payout speed"),       // a comparison's words
            ("content/guides/sso.md", "Start with the tools", "Begin with the tools"),  // a document's words
            ("content/Stripe-Adyen.md", "payout speed", "hiring pool"),       // undone: its old date comes back
        ]
        for (n, (file, from, to)) in edits.enumerated() {
            let text = try FileIO.disk.readString(site.root + "/" + file)
            #expect(text.contains(from), "\(file) has no '\(from)'")
            try site.write(file, text.replacingOccurrences(of: from, with: to))
            let report = try await builder.build(options)
            #expect(report.normalised == 1)
            #expect(report.assembledByDelta, "edit \(n + 1) was assembled in full")
            try await expectSameAsCleanBuild(site, today: options.today, "after edit \(n + 1) with a builder kept in memory", compress: false)
        }
        // A title change is not a delta: the full assemble runs, and the output is still a clean build's.
        try site.write("content/Kubernetes-Nomad.md", SEOTests.comparison("Kubernetes", "Nomad", title: "Kubernetes vs Nomad: Which One?"))
        #expect(try await builder.build(options).assembledByDelta == false)
        try await expectSameAsCleanBuild(site, today: options.today, "after a title change with a builder kept in memory", compress: false)
    }

    /// A builder kept in memory (`versus serve`) and builds by another process (`versus build`)
    /// take turns on one output folder: each build starts from what the last one left, whoever
    /// made it, and the output is always a clean build's.
    @Test func aBuilderKeptInMemoryAndAnotherProcessTakeTurns() async throws {
        let site = try Self.site()
        let serve = Self.builder(site)
        let options = Self.options
        _ = try await serve.build(options)
        let edits = ["payout speed", "settlement time", "fee levels", "card coverage"]
        var last = "hiring pool"
        for (n, words) in edits.enumerated() {
            let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
            try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: last, with: words))
            last = words
            // Odd turns: a builder of its own, as a command line in another process has.
            let builder = n % 2 == 0 ? Self.builder(site) : serve
            let report = try await builder.build(options)
            #expect(report.normalised == 1, "turn \(n + 1)")
            // Written as an edit is, not whole: the builder kept in memory reads what the other left.
            #expect(report.written == ["/stripe-vs-adyen/index.html", "/versus-manifest.json"], "turn \(n + 1)")
            try await expectSameAsCleanBuild(site, today: options.today, "turn \(n + 1)", compress: false)
        }
    }

    /// The preview tells the builder which files its watcher saw change: only those are read
    /// again (no walk of the content folder), and the output is still a clean build's. A file
    /// added or removed, or a change outside the content folder, makes it load the project again.
    @Test func aBuilderToldWhatChangedReadsOnlyThat() async throws {
        let site = try Self.site()
        // The disk, counting the walks of the content folder.
        let walks = WalkCount()
        var io = FileIO.disk
        let content = site.project.content
        io.walk = { folder, within in
            if folder == content { walks.add() }
            return try FileIO.disk.walk(folder, within)
        }
        let builder = Self.builder(site, io: io)
        let options = Self.options
        _ = try await builder.build(options)
        #expect(walks.count == 1)
        let file = site.project.content + "/Stripe-Adyen.md"
        let text = try FileIO.disk.readString(file)
        try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: "hiring pool", with: "payout speed"))
        // An editor's temporary file, come and gone, is named too.
        var report = try await builder.build(options, changed: [file, site.project.content + "/.Stripe-Adyen.md.swp", site.project.content + "/4913"])
        #expect(report.normalised == 1)
        #expect(walks.count == 1, "the content folder was walked again for an edit the watcher reported")
        try await expectSameAsCleanBuild(site, today: options.today, "after an edit the watcher reported", compress: false)

        // A new page is seen although only the edit is named: adding a file makes the builder walk again.
        try site.write("content/Vault-Consul.md", SEOTests.comparison("Vault", "Consul"))
        report = try await builder.build(options, changed: [site.project.content + "/Vault-Consul.md"])
        #expect(report.written.contains("/vault-vs-consul/index.html"))
        #expect(walks.count == 2, "a new file needs a walk")
        try await expectSameAsCleanBuild(site, today: options.today, "after a page the watcher reported as new", compress: false)
        // A removed one too.
        try site.remove("content/Vault-Consul.md")
        report = try await builder.build(options, changed: [site.project.content + "/Vault-Consul.md"])
        #expect(report.removed.contains("/vault-vs-consul/index.html"))
        try await expectSameAsCleanBuild(site, today: options.today, "after a page the watcher reported as gone", compress: false)
        // A template change is outside the content folder: everything is loaded again.
        let template = try FileIO.disk.readString(site.root + "/templates/comparison.mustache")
        try site.write("templates/comparison.mustache", template.replacingOccurrences(of: "</article>", with: "<p>edited</p></article>"))
        report = try await builder.build(options, changed: [site.root + "/templates/comparison.mustache"])
        #expect(site.output("kubernetes-vs-nomad/index.html")?.contains("<p>edited</p>") == true)
        try await expectSameAsCleanBuild(site, today: options.today, "after a template edit", compress: false)
    }

    /// A build that fails while loading (the config names an unknown key) leaves nothing a later
    /// build takes as its inputs: an edit the watcher reports next still fails on that config,
    /// and is not built with the config of the last good build (`versus serve` did that).
    @Test func aBuilderToldWhatChangedDoesNotBuildWithTheConfigOfTheLastGoodBuild() async throws {
        let site = try Self.site()
        let builder = Self.builder(site)
        let options = Self.options
        _ = try await builder.build(options)
        let config = try FileIO.disk.readString(site.root + "/versus.yml")
        try site.write("versus.yml", config + "\nbaseurl: \"x\"\n")
        await #expect(throws: BuildFailed.self) { try await builder.build(options, changed: [site.root + "/versus.yml"]) }
        let file = site.project.content + "/Stripe-Adyen.md"
        try site.write("content/Stripe-Adyen.md", try FileIO.disk.readString(file).replacingOccurrences(of: "hiring pool", with: "payout speed"))
        do {
            _ = try await builder.build(options, changed: [file])
            Issue.record("an edit after a config error was built with the config of the last good build")
        } catch let failed as BuildFailed {
            #expect(failed.diagnostics.contains { $0.message.contains("baseurl") }, "\(failed.diagnostics)")
        }
        // Mended, the next edit builds as a clean build does.
        try site.write("versus.yml", config)
        _ = try await builder.build(options, changed: [site.root + "/versus.yml"])
        try await expectSameAsCleanBuild(site, today: options.today, "after the config was mended", compress: false)
    }

    /// What a watcher tells but `reload` cannot take as an edit of known files: a folder of
    /// pages moved out of the content folder (told under the folder's name only), and the target
    /// of a symbolic link edited (told under the target's name, not the link's). Each makes the
    /// builder load the project again, and the output is a clean build's.
    @Test func aFolderMovedOutAndALinkedFileEditedAreSeenByABuilderToldWhatChanged() async throws {
        let site = try Self.site()
        let builder = Self.builder(site)
        let options = Self.options
        try site.write("content/old/Vault-Consul.md", SEOTests.comparison("Vault", "Consul"))
        _ = try await builder.build(options)
        #expect(site.output("vault-vs-consul/index.html") != nil)
        try FileManager.default.moveItem(atPath: site.root + "/content/old", toPath: site.root + "/attic")
        var report = try await builder.build(options, changed: [site.project.content + "/old"])
        #expect(report.removed.contains("/vault-vs-consul/index.html"))
        try await expectSameAsCleanBuild(site, today: options.today, "after a folder of pages was moved out", compress: false)

        // A page and a file beside the content, each also reached through a symbolic link.
        try site.write("content/notes.txt.asc", "version 1\n")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/notes-link.asc", withDestinationPath: "notes.txt.asc")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/content/guides/sso-copy.md", withDestinationPath: "sso.md")
        _ = try await builder.build(options)
        try site.write("content/notes.txt.asc", "version 2\n")
        try site.write("content/guides/sso.md", BuildTests.guide.replacingOccurrences(of: "one group at a time", with: "one team per week"))
        report = try await builder.build(options, changed: [site.project.content + "/notes.txt.asc", site.project.content + "/guides/sso.md"])
        #expect(site.output("notes-link.asc") == "version 2\n")
        #expect(site.output("guides/sso-copy/index.html")?.contains("one team per week") == true)
        try await expectSameAsCleanBuild(site, today: options.today, "after the targets of links were edited", compress: false)
    }

    /// The config read through a link: an edit of its target, which a watcher does not tell
    /// under `versus.yml`, is built with the next change it does tell.
    @Test func aConfigReadThroughALinkIsReadAgainWithTheNextChange() async throws {
        let site = try Self.site()
        let builder = Self.builder(site)
        let options = Self.options
        let config = try FileIO.disk.readString(site.root + "/versus.yml")
        try site.write("conf/site.yml", config)
        try FileManager.default.removeItem(atPath: site.root + "/versus.yml")
        try FileManager.default.createSymbolicLink(atPath: site.root + "/versus.yml", withDestinationPath: "conf/site.yml")
        _ = try await builder.build(options)
        try site.write("conf/site.yml", config.replacingOccurrences(of: "Fixture Site", with: "Renamed Site"))
        try site.write("content/guides/sso.md", BuildTests.guide)
        _ = try await builder.build(options, changed: [site.project.content + "/guides/sso.md"])
        #expect(site.output("index.html")?.contains("Renamed Site") == true)
        try await expectSameAsCleanBuild(site, today: options.today, "after the config's target was edited", compress: false)
    }

    /// `versus serve`'s builder and a command line on one project: a file the command line built
    /// first leaves the serve builder nothing to do when its watcher tells it, and its next build
    /// still has the file.
    @Test func aBuilderKeptInMemorySeesWhatAnotherProcessBuilt() async throws {
        let site = try Self.site()
        let serve = Self.builder(site)
        let options = Self.options
        _ = try await serve.build(options)
        try site.write("templates/static/a.css", "body { color: red }\n")
        _ = try await Self.builder(site).build(options)
        var report = try await serve.build(options, changed: [site.root + "/templates/static/a.css"])
        #expect(report.written.isEmpty)
        let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
        try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: "hiring pool", with: "payout speed"))
        report = try await serve.build(options, changed: [site.project.content + "/Stripe-Adyen.md"])
        #expect(site.output("a.css") != nil, "the file another process built is gone")
        try await expectSameAsCleanBuild(site, today: options.today, "after a file another process built", compress: false)
    }

    /// `versus serve` started again on a project a preview edited (the store keeps no assemble
    /// then: the preview writes no ledger): its first build finds nothing to do, and the build
    /// that prepares (once it serves) keeps what a delta works from, so the first edit after
    /// starting is worked out by delta like every later one.
    @Test func aPreviewStartedAgainWorksItsFirstEditByDelta() async throws {
        let site = try Self.site()
        let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
        let first = Self.builder(site)
        _ = try await first.build(Self.options)
        try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: "hiring pool", with: "payout speed"))
        _ = try await first.build(Self.options, changed: [site.project.content + "/Stripe-Adyen.md"])
        let again = Self.builder(site)
        var report = try await again.build(Self.options)
        #expect(report.written.isEmpty && report.rendered == 0 && !again.isPrepared)
        var prepare = Self.options
        prepare.prepares = true
        report = try await again.build(prepare)
        #expect(report.written.isEmpty && report.rendered == 0 && again.isPrepared)
        try site.write("content/Stripe-Adyen.md", text)
        report = try await again.build(Self.options, changed: [site.project.content + "/Stripe-Adyen.md"])
        #expect(report.assembledByDelta, "the first edit after starting assembled the site whole")
        #expect(report.written.contains("/stripe-vs-adyen/index.html"))
        try await expectSameAsCleanBuild(site, today: Self.options.today, "after the first edit of a preview started again", compress: false)
    }

    /// A preview started on a project the command line built changes no page of it: the
    /// store's assemble stays, and the command line's next edit is worked out by delta.
    @Test func aPreviewThatChangedNoPageLeavesTheStoredAssemble() async throws {
        let site = try Self.site()
        var once = Self.options
        once.exitsAfter = true
        once.updateLedger = true
        _ = try await Self.builder(site).build(once)
        var prepare = Self.options
        prepare.prepares = true
        #expect(try await Self.builder(site).build(prepare).written.isEmpty)
        let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
        try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: "hiring pool", with: "payout speed"))
        let report = try await Self.builder(site).build(once)
        #expect(report.assembledByDelta, "the preview dropped the store's assemble")
        try await expectSameAsCleanBuild(site, today: once.today, "after a preview that changed nothing", compress: false)
    }

    /// After a build written whole, the spare tree is made a copy of the new one, so the next
    /// edit writes only what it changes (no tree to remake), and nothing is left beside it.
    /// A spare tree the build does not trust is made again from the live one, marked as holding
    /// no build before the first file is linked into it: a build stopped while it links (here,
    /// a link that fails part way) leaves a tree the next build takes and remakes, not a folder of
    /// files no build claims, which every later build, `--clean` too, would refuse to replace.
    @Test func aBuildStoppedWhileRemakingTheSpareTreeLeavesOneTheNextBuildTakes() async throws {
        let site = try Self.site()
        try await site.build()
        try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen") + "\nA new paragraph.\n")
        try await site.build()
        try site.write("output.staging/.versus-build", "a build no record names")
        var io = FileIO.disk
        let link = io.link
        let links = Counter()
        io.link = { from, to in
            if to.contains("/output.staging/"), links.next() == 3 { throw FileIOError(to, "link failed: stopped") }
            try link(from, to)
        }
        try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen") + "\nAnother paragraph.\n")
        _ = await site.failingBuild(io: io)
        #expect(OutputTree.readMarker(.disk, site.root + "/output.staging") == "unfinished")
        try await site.build()
        #expect(site.output("stripe-vs-adyen/index.html")?.contains("Another paragraph.") == true)
        try await expectSameAsCleanBuild(site, "after a build stopped while remaking the spare tree", compress: false)
    }

    @Test func theSpareTreeMirrorsAFullBuild() async throws {
        let site = try Self.site()
        try await site.build()
        let spare = site.project.output + ".staging"
        #expect(OutputTree.readMarker(.disk, spare) == OutputTree.readMarker(.disk, site.project.output))
        #expect(try FileIO.disk.list(spare).sorted() == FileIO.disk.list(site.project.output).sorted())
        // The copy is the same files under a second name, made after the commit, with nothing left beside it.
        for path in try FileIO.disk.list(site.project.output) where "/" + path != OutputTree.marker {
            let live = try FileManager.default.attributesOfItem(atPath: site.project.output + "/" + path)[.systemFileNumber] as? Int
            let copy = try FileManager.default.attributesOfItem(atPath: spare + "/" + path)[.systemFileNumber] as? Int
            #expect(live != nil && live == copy, "\(path) is not linked into the spare tree")
        }
        #expect(!FileIO.disk.exists(spare + ".new") && !FileIO.disk.exists(spare + ".old"))
        // A clean build over an existing output moves the old spare aside and removes it after the commit.
        try await site.build { $0.clean = true }
        #expect(!FileIO.disk.exists(spare + ".old"))
        #expect(OutputTree.readMarker(.disk, spare) == OutputTree.readMarker(.disk, site.project.output))
        let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
        try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: "hiring pool", with: "payout speed"))
        let report = try await site.build()
        #expect(report.written.contains("/stripe-vs-adyen/index.html"))
        try await expectSameAsCleanBuild(site, "after an edit following a clean build", compress: false)
        // Stopped after a clean build's commit, before its copy was in place: the spare tree's place
        // holds the build before, marked as holding none, and the copy is half made. The next
        // build trusts neither, and the edit after it still writes only what it changes.
        try await site.build { $0.clean = true }
        try site.write("output.staging/.versus-build", "unfinished")
        try site.write("output.staging/stale.html", "<p>the build before")
        try site.write("output.staging.new/.versus-build", "unfinished")
        try site.write("output.staging.new/half-linked.html", "<p>")
        try site.write("content/Stripe-Adyen.md", text)
        let after = try await site.build()
        #expect(after.written.contains("/stripe-vs-adyen/index.html") && !after.written.contains("/stale.html"))
        #expect(!FileIO.disk.exists(spare + ".new") && !FileIO.disk.exists(spare + "/stale.html"))
        try await expectSameAsCleanBuild(site, "after a clean build stopped before its copy was made", compress: false)
    }

    /// `versus build` (a new builder each time) works the site out by delta from the store's
    /// last assemble when only pages' words change, with the ledger written between builds.
    @Test func theCommandLineAssemblesByDeltaFromTheStore() async throws {
        let site = try Self.site()
        let today = Day(year: 2026, month: 12, day: 3)
        try await site.build(today: today)
        for (n, (from, to)) in [("hiring pool", "payout speed"), ("payout speed", "hiring pool")].enumerated() {
            let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
            try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: from, with: to))
            let report = try await site.build(today: today)
            #expect(report.assembledByDelta, "edit \(n + 1) was assembled in full")
            #expect(report.normalised == 1)
            // One page changed: the manifest is the last one with that page's entry written again.
            #expect(report.manifestPatched, "edit \(n + 1) wrote the manifest whole")
            try await expectSameAsCleanBuild(site, today: today, "after edit \(n + 1) by delta from the store", compress: false)
        }
        // A delta keeps every other page's file as the last build left it, but those changed by
        // hand since, which are made again; and the tree it leaves serves the next delta.
        try FileManager.default.removeItem(atPath: site.root + "/output/docker-vs-podman/index.html")
        try site.write("output/kubernetes-vs-nomad/index.html", "changed by hand")
        for (n, (from, to)) in [("hiring pool", "payout speed"), ("payout speed", "hiring pool")].enumerated() {
            let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
            try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: from, with: to))
            let report = try await site.build(today: today)
            #expect(report.assembledByDelta)
            let handEdited: Set = ["/docker-vs-podman/index.html", "/kubernetes-vs-nomad/index.html"]
            #expect(Set(report.written).isDisjoint(with: handEdited) == (n == 1))
            #expect(report.written.contains("/stripe-vs-adyen/index.html"))
            #expect(!report.written.contains("/kubernetes-vs-docker/index.html"))
            try await expectSameAsCleanBuild(site, today: today, "after a delta over hand edits (\(n + 1))", compress: false)
        }
        // A ledger changed by hand since (another day for a page) is not the one the stored
        // assemble was made with: the next edit is assembled in full, with the file's dates, and
        // the one after it by delta again.
        var ledger = try FileIO.disk.readString(site.root + "/lastmod.tsv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let entry = try #require(ledger.firstIndex { !$0.isEmpty && !$0.hasPrefix("#") })
        ledger[entry] = ledger[entry].split(separator: "\t").dropLast().joined(separator: "\t") + "\t2020-02-02"
        try site.write("lastmod.tsv", ledger.joined(separator: "\n"))
        for (n, (from, to)) in [("hiring pool", "payout speed"), ("payout speed", "hiring pool")].enumerated() {
            let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
            try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: from, with: to))
            let report = try await site.build(today: today)
            #expect(report.assembledByDelta == (n == 1))
            try await expectSameAsCleanBuild(site, today: today, "after the ledger was changed by hand (\(n + 1))", compress: false)
        }
        #expect(try FileIO.disk.readString(site.root + "/lastmod.tsv").contains("\t2020-02-02\n"), "the hand-set day is gone")
        // A new subject is not a delta, and a new file is not a patch of the manifest.
        try site.write("content/Vault-Consul.md", SEOTests.comparison("Vault", "Consul"))
        let added = try await site.build(today: today)
        #expect(added.assembledByDelta == false)
        #expect(added.manifestPatched == false)
        try await expectSameAsCleanBuild(site, today: today, "after adding a page", compress: false)
    }

    /// A manifest changed by hand in `output/` (the same size, so the size check of the output
    /// cannot see it) is not patched: its digest differs from the one it was written with, and
    /// it is written whole.
    @Test func aManifestChangedByHandIsWrittenWhole() async throws {
        let site = try Self.site()
        let today = Day(year: 2026, month: 12, day: 3)
        try await site.build(today: today)
        let manifest = site.root + "/output" + Manifest.path
        var bytes = try FileIO.disk.read(manifest)
        let digit = try #require(bytes.firstIndex(of: UInt8(ascii: "1")))   // "version": 1
        bytes[digit] = UInt8(ascii: "2")
        try FileIO.disk.write(manifest, bytes)
        let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
        try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: "hiring pool", with: "payout speed"))
        let report = try await site.build(today: today)
        #expect(report.assembledByDelta)
        #expect(!report.manifestPatched)
        try await expectSameAsCleanBuild(site, today: today, "after a manifest changed by hand", compress: false)
    }

    /// A builder kept in memory (`versus serve`) patches the manifest it wrote last from its own
    /// copy, not from the file read back (so a copy in `output/` spoiled by hand, which a new
    /// builder writes whole, is patched too); each edit gives the manifest a clean build writes.
    @Test func aBuilderKeptInMemoryPatchesTheManifestItWrote() async throws {
        let site = try Self.site()
        let serve = Self.builder(site)
        let options = Self.options
        _ = try await serve.build(options)
        let manifest = site.root + "/output" + Manifest.path
        var bytes = try FileIO.disk.read(manifest)
        let digit = try #require(bytes.firstIndex(of: UInt8(ascii: "1")))   // "version": 1
        bytes[digit] = UInt8(ascii: "2")
        try FileIO.disk.write(manifest, bytes)
        for (n, (from, to)) in [("hiring pool", "payout speed"), ("payout speed", "hiring pool"), ("hiring pool", "payout speed")].enumerated() {
            let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
            try site.write("content/Stripe-Adyen.md", text.replacingOccurrences(of: from, with: to))
            let report = try await serve.build(options, changed: [site.project.content + "/Stripe-Adyen.md"])
            #expect(report.manifestPatched, "edit \(n + 1) wrote the manifest whole")
            try await expectSameAsCleanBuild(site, today: options.today, "after edit \(n + 1) of a builder kept in memory", compress: false)
        }
        // A page grown by a digit moves every entry after its own; the next patch starts from
        // where they moved to (kept with the manifest, not looked for again), and so on back.
        let text = try FileIO.disk.readString(site.root + "/content/Stripe-Adyen.md")
        let grown = text + "\n\n" + String(repeating: "Settlement timing differs by region and volume. ", count: 300) + "\n"
        for (n, edited) in [grown, grown.replacingOccurrences(of: "payout speed", with: "hiring pool"), text].enumerated() {
            try site.write("content/Stripe-Adyen.md", edited)
            let report = try await serve.build(options, changed: [site.project.content + "/Stripe-Adyen.md"])
            #expect(report.manifestPatched, "growing edit \(n + 1) wrote the manifest whole")
            try await expectSameAsCleanBuild(site, today: options.today, "after growing edit \(n + 1) of a builder kept in memory", compress: false)
        }
    }

    /// Linking a file over a name that is already a link to it (the spare tree holds it) leaves
    /// no temporary name beside it: a rename between two names of one file does nothing.
    @Test func aLinkOverAnotherNameOfTheSameFileLeavesNothingBeside() throws {
        let folder = NSTemporaryDirectory() + "versus-link-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileIO.disk.write(folder + "/live/a.html", Array("a".utf8))
        try FileIO.disk.write(folder + "/live/b.html", Array("b".utf8))
        try FileIO.disk.link(folder + "/live/a.html", folder + "/spare/a.html")
        try FileIO.disk.link(folder + "/live/a.html", folder + "/spare/a.html")
        #expect(try FileIO.disk.list(folder).sorted() == ["live/a.html", "live/b.html", "spare/a.html"])
        // Over another file, the link replaces it.
        try FileIO.disk.link(folder + "/live/b.html", folder + "/spare/a.html")
        #expect(try FileIO.disk.list(folder).sorted() == ["live/a.html", "live/b.html", "spare/a.html"])
        #expect(try FileIO.disk.readString(folder + "/spare/a.html") == "b")
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
        // Its lastmod moved: the sitemap and the feed say so.
        #expect(report.written.contains("/sitemap.xml") && report.written.contains("/feed.xml"))
        try await expectSameAsCleanBuild(site, today: Day(year: 2026, month: 12, day: 1), "after changing a source")
        // Changed again the same day, its lastmod stays: the sitemap and the feed are kept as they are.
        try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen").replacingOccurrences(of: "hiring pool", with: "settlement time"))
        report = try await site.build(today: Day(year: 2026, month: 12, day: 1), compress: true)
        #expect(report.written.contains("/stripe-vs-adyen/index.html"))
        #expect(!report.written.contains("/sitemap.xml") && !report.written.contains("/feed.xml"))
        try await expectSameAsCleanBuild(site, today: Day(year: 2026, month: 12, day: 1), "after changing a source again the same day")

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

        // A page whose copy was changed by hand, and whose source then goes, leaves nothing
        // behind (its files are still the live tree's, though not ones a build can keep).
        try site.write("output/docker-vs-podman/index.html.br", "changed by hand")
        try FileManager.default.removeItem(atPath: site.root + "/content/Docker-Podman.md")
        report = try await site.build(compress: true)
        #expect(report.removed.contains("/docker-vs-podman/index.html"))
        #expect(site.output("docker-vs-podman/index.html") == nil && site.output("docker-vs-podman/index.html.br") == nil)
        try await expectSameAsCleanBuild(site, "after a page changed by hand lost its source")
        // The same with the spare tree gone: a file removed by hand is made again, and one
        // changed by hand whose page goes is removed.
        try FileManager.default.removeItem(atPath: site.root + "/output.staging")
        try FileManager.default.removeItem(atPath: site.root + "/output/kubernetes-vs-docker/index.html")
        try site.write("output/nomad-vs-consul/index.html", "changed by hand")
        try FileManager.default.removeItem(atPath: site.root + "/content/Nomad-Consul.md")
        report = try await site.build(compress: true)
        #expect(report.written.contains("/kubernetes-vs-docker/index.html"))
        #expect(site.output("nomad-vs-consul/index.html") == nil)
        try await expectSameAsCleanBuild(site, "after hand edits with the spare tree gone")

        // Built without copies (`--no-compress`) after builds with them: no page keeps its copies.
        try await site.build(compress: false)
        #expect(site.output("kubernetes-vs-docker/index.html.br") == nil)
        try await expectSameAsCleanBuild(site, "without copies after builds with them", compress: false)
    }

    /// A path that is a file in one build and a folder in the next (a page swapped for a file
    /// beside the content, a page at the name of a file added to `output/` by hand), and a spare
    /// tree changed by hand: every later build still equals a clean one. The spare tree holds an
    /// older build, so the folder or file in the way turns up a build or two later.
    @Test func aFileThatBecomesAFolderAndASpareTreeChangedByHand() async throws {
        let site = try Self.site()
        try await site.build()
        func edit(_ n: Int) throws {
            try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen").replacingOccurrences(of: "hiring pool", with: "edit \(n)"))
        }
        func rebuildThrice(_ note: String) async throws {
            for n in 1...3 {
                if n > 1 { try edit(n) }
                try await site.build()
                try await expectSameAsCleanBuild(site, "\(note), build \(n)", compress: false)
            }
        }
        // The page /guides/sso/ becomes the file /guides/sso, and back.
        try site.remove("content/guides/sso.md")
        try site.write("content/guides/sso", "a file beside the content\n")
        try await rebuildThrice("a page swapped for a file")
        #expect(site.output("guides/sso") == "a file beside the content\n")
        try site.remove("content/guides/sso")
        try site.write("content/guides/sso.md", BuildTests.guide)
        try await rebuildThrice("the file swapped back for the page")
        #expect(site.output("guides/sso/index.html") != nil)
        // A page swapped for a file, then its folder removed whole: the spare tree holds the
        // page's folder from the build before, where the live one has the file.
        try site.remove("content/guides/sso.md")
        try site.write("content/guides/sso", "a file beside the content\n")
        try await site.build()
        try FileManager.default.removeItem(atPath: site.root + "/content/guides")
        try await rebuildThrice("a page swapped for a file, then its folder removed")
        #expect(site.output("guides/sso") == nil)
        try site.write("content/guides/sso.md", BuildTests.guide)
        try await rebuildThrice("the page back")

        // A file added to `output/` by hand where a new page goes: the swap hands it to the spare tree.
        try site.write("output/handmade", "added by hand\n")
        try site.write("content/handmade.md", BuildTests.guide.replacingOccurrences(of: "Single Sign-On", with: "Handmade Pages"))
        try await rebuildThrice("a page where a file was added by hand")
        #expect(site.output("handmade/index.html") != nil)
        // The same, and the page goes at the next build: the file goes with it.
        try site.write("output/handmade-2", "added by hand\n")
        try site.write("content/handmade-2.md", BuildTests.guide.replacingOccurrences(of: "Single Sign-On", with: "More Handmade Pages"))
        try await site.build()
        try await expectSameAsCleanBuild(site, "a second page where a file was added by hand", compress: false)
        try site.remove("content/handmade-2.md")
        try await rebuildThrice("that page removed")

        // Files removed from the spare tree by hand: the next build's tree has them all the same.
        try FileManager.default.removeItem(atPath: site.root + "/output.staging/subjects")
        try FileManager.default.removeItem(atPath: site.root + "/output.staging/kubernetes-vs-docker/index.html")
        try await rebuildThrice("files removed from the spare tree")
    }

    /// `lastmod.tsv` edited by hand so that it says the same in another form (lines reordered
    /// or repeated, no header): the next build writes it as a clean build does, though nothing
    /// else changed.
    @Test func aLedgerChangedOnlyInFormIsWrittenAsACleanBuildWritesIt() async throws {
        let site = try Self.site()
        var options = Self.options
        options.updateLedger = true
        func build() async throws -> BuildReport { try await ProjectBuilder(project: site.project).build(options) }
        _ = try await build()
        let written = try FileIO.disk.readString(site.root + "/lastmod.tsv")
        let lines = written.split(separator: "\n").map(String.init)
        let header = lines.filter { $0.hasPrefix("#") }, entries = lines.filter { !$0.hasPrefix("#") }
        #expect(!header.isEmpty && entries.count > 3)
        let forms = ["reordered": header + entries.reversed(), "a line repeated": header + entries + [entries[1]], "no header": entries]
        for (form, edited) in forms.sorted(by: { $0.key < $1.key }) {
            try site.write("lastmod.tsv", edited.joined(separator: "\n") + "\n")
            let report = try await build()
            #expect(report.rendered == 0, "\(form)")
            #expect(try FileIO.disk.readString(site.root + "/lastmod.tsv") == written, "\(form)")
        }
    }

    @Test func failedIncrementalBuildLeavesOutputAndCacheAsTheyWere() async throws {
        let site = try Self.site()
        try await site.build()
        let before = try site.outputFiles()
        try site.write("content/Stripe-Adyen.md", "---\ntitle: [broken\n---\n")
        let d = await site.failingBuild()
        #expect(d.contains { $0.file.hasSuffix("Stripe-Adyen.md") })
        #expect(try site.outputFiles() == before)
    }

    @Test func aBuildThatFailsAtTheCommitLeavesTheStoreStillAndClosed() async throws {
        let site = try Self.site()
        try await site.build()
        try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen") + "\nA new paragraph.\n")
        var io = FileIO.disk
        let write = io.write
        io.write = { path, bytes in
            if path.hasSuffix("versus-manifest.json") { throw FileIOError(path, "write failed: No space left on device", code: ENOSPC) }
            try write(path, bytes)
        }
        let d = await site.failingBuild(io: io)
        #expect(d.first?.description.contains("disk is full") == true, "\(d)")
        // Nothing of the failed build still writes to the store: another connection that will
        // not wait can take its write lock at once.
        var config = Configuration()
        config.busyMode = .immediateError
        let other = try DatabaseQueue(path: site.project.storeFile, configuration: config)
        try await other.write { try $0.execute(sql: "CREATE TABLE IF NOT EXISTS probe (x); DROP TABLE probe") }
        try other.close()
        try await site.build()
        #expect(site.output("stripe-vs-adyen/index.html")?.contains("A new paragraph.") == true)
    }

    @Test func aSecondBuildOfTheSameOutputWaitsForTheFirst() async throws {
        let site = try Self.site()
        // Another process's build holds the lock (a lock taken here conflicts the same way).
        let held = try await BuildLock.take(BuildLock.file(beside: site.project.storeFile))
        let told = Counter()
        let project = site.project
        let build = Task { [project] in
            var options = BuildOptions(today: buildDay, jobs: 2)
            options.waiting = { _ in _ = told.next() }
            return try await ProjectBuilder(project: project).build(options)
        }
        // Told once that it waits (however long the task takes to start on a busy machine)...
        for _ in 0..<400 where told.value == 0 { try await Task.sleep(nanoseconds: 25_000_000) }
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(told.value == 1)
        // ...and it does wait: nothing is built while the other holds the lock.
        #expect(site.output("index.html") == nil)
        held.release()
        let report = try await build.value
        #expect(report.pages > 0)
        #expect(site.output("index.html") != nil)
    }

    /// Two projects building into one `--output` have a store (and a store lock) each: the
    /// second still waits, on the lock of the folder the output is in, since both would write
    /// the same spare tree beside it. No lock file is left there.
    @Test func aBuildOfAnotherProjectIntoTheSameOutputWaitsForTheFirst() async throws {
        let a = try Self.site(), b = try Self.site()
        let output = a.root + "/shared-out"
        // Project a's build (in another process) holds the lock of the folder the output is in.
        let held = try await BuildLock.take(folderOf: output)
        let told = Counter()
        let build = Task { [project = Project(root: b.root, output: output)] in
            var options = BuildOptions(today: buildDay, jobs: 2)
            options.waiting = { _ in _ = told.next() }
            return try await ProjectBuilder(project: project).build(options)
        }
        for _ in 0..<400 where told.value == 0 { try await Task.sleep(nanoseconds: 25_000_000) }
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(told.value == 1)
        #expect(!FileManager.default.fileExists(atPath: output + "/index.html"))
        held.release()
        #expect(try await build.value.pages > 0)
        #expect(FileManager.default.fileExists(atPath: output + "/index.html"))
        let beside = try FileManager.default.contentsOfDirectory(atPath: a.root).filter { $0.hasPrefix("shared-out") }.sorted()
        #expect(beside == ["shared-out", "shared-out.staging"])
    }

    /// A first build fills its new store in rollback-journal mode (each page written once, no
    /// log to copy in at the end); the next build opens it in write-ahead mode and works from it.
    @Test func aNewStoreIsWrittenOnceThenLogged() async throws {
        let site = try Self.site()
        try await site.build()
        let file = site.project.storeFile
        // Bytes 18 and 19 of an SQLite file: 1 for a rollback journal, 2 for write-ahead logging.
        func mode() throws -> [UInt8] { Array(try FileIO.disk.read(file)[18...19]) }
        #expect(try mode() == [1, 1])
        #expect(!FileManager.default.fileExists(atPath: file + "-wal"))
        try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen") + "\nA new paragraph.\n")
        let edit = try await site.build()
        #expect(edit.incremental && edit.normalised == 1)
        #expect(try mode() == [2, 2])
        try await expectSameAsCleanBuild(site, "after the store changed mode", compress: false)
    }

    /// A store removed (damaged, or swept) goes with its log and with the rollback journal a
    /// first build stopped while saving leaves, which a new store at that path must not take in.
    @Test func aRemovedStoreTakesItsJournalsWithIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("versus-remove-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/build-0123456789ab.sqlite"
        for suffix in ["", "-journal", "-wal", "-shm"] { try FileIO.disk.write(file + suffix, Array("x".utf8)) }
        try FileIO.disk.write(folder + "/other.txt", Array("kept".utf8))
        BuildStore.remove(file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["other.txt"])
    }

    /// The build store is a cache: a damaged one (not SQLite at all, cut short, a page
    /// overwritten) is started afresh with a warning, and the build is whole and right.
    @Test(arguments: ["not a store", "cut short", "a page overwritten"])
    func aDamagedBuildStoreIsStartedAfresh(_ damage: String) async throws {
        let site = try Self.site()
        try await site.build()
        let file = site.project.storeFile
        var bytes = try FileIO.disk.read(file)
        #expect(bytes.count > 3 * 65536, "the store is smaller than expected: \(bytes.count) bytes")
        switch damage {
        case "not a store": bytes = Array("not a database at all\n".utf8)
        case "cut short": bytes = Array(bytes.prefix(65536 + 4000))
        default: for i in (2 * 65536)..<min(bytes.count, 3 * 65536) { bytes[i] = 0xA5 }
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        try FileIO.disk.write(file, bytes)
        try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen") + "\nA new paragraph.\n")
        let report = try await site.build()
        let warnings = report.diagnostics.filter { $0.severity == .warning && $0.message.contains("started afresh") }
        #expect(warnings.count == 1, "\(damage): \(report.diagnostics)")
        #expect(site.output("stripe-vs-adyen/index.html")?.contains("A new paragraph.") == true)
        try await expectSameAsCleanBuild(site, "after a store that was \(damage)", compress: false)
        // The next build works from the new store, and says nothing more of it.
        let next = try await site.build()
        #expect(next.incremental && next.written.isEmpty)
        #expect(!next.diagnostics.contains { $0.message.contains("started afresh") })
    }

    /// A page the store should hold but does not (found missing only when render asks for
    /// it) is the same: the store is started afresh and the build made whole.
    @Test func aPageMissingFromTheStoreIsStartedAfresh() async throws {
        let site = try Self.site()
        try await site.build()
        let db = try DatabaseQueue(path: site.project.storeFile)
        try await db.write { try $0.execute(sql: "DELETE FROM page") }
        try db.close()
        // Every page is rendered again, from the normalised pages the store should hold.
        let template = try FileIO.disk.readString(site.root + "/templates/comparison.mustache")
        try site.write("templates/comparison.mustache", template.replacingOccurrences(of: "</article>", with: "<p>edited</p></article>"))
        let report = try await site.build()
        #expect(report.diagnostics.contains { $0.severity == .warning && $0.message.contains("a normalised page is missing") && $0.message.contains("started afresh") },
                "\(report.diagnostics)")
        #expect(site.output("stripe-vs-adyen/index.html")?.contains("<p>edited</p>") == true)
        try await expectSameAsCleanBuild(site, "after a page went missing from the store", compress: false)
    }

    /// A build in a new process hands back every source whose stamp is the last build's from the
    /// last assemble, with what reading it said, without reading the build store's stamps and
    /// summaries; only the edited source is read. When a source comes, goes or is renamed (the
    /// others move), each is looked up in the store as before. Either way the output is a clean build's.
    @Test func aBuildHandsBackTheSourcesItDidNotReadFromTheLastAssemble() async throws {
        let site = try Self.site()
        try site.write("content/about.md", "---\ntitle: \"About\"\ncolour: blue\ndescription: \"About this fixture site, which exists to show that warnings come back on every build.\"\n---\nText.\n")
        let first = try await site.build()
        let sources = try Loader.load(site.project, options: BuildOptions(today: buildDay), io: .disk).sources.count
        try site.write("content/Stripe-Adyen.md", SEOTests.comparison("Stripe", "Adyen") + "\nOne more paragraph, written after the first build.\n")
        let edited = try await site.build()
        #expect(edited.handedBack == sources - 1)
        #expect(edited.normalised == 1)
        #expect(edited.diagnostics == first.diagnostics, "the warning of a source handed back is shown again")
        try await expectSameAsCleanBuild(site, "after an edit with the others handed back", compress: false)
        // A title changed: the site is assembled whole from summaries read on first use.
        try site.write("content/Okta-Auth0.md", SEOTests.comparison("Okta", "Auth0").replacingOccurrences(of: "Okta vs Auth0", with: "Okta vs Auth0 Compared"))
        #expect(try await site.build().handedBack == sources - 1)
        try await expectSameAsCleanBuild(site, "after a title changed", compress: false)
        // A source renamed: nothing is handed back; the store is read as before.
        try FileManager.default.moveItem(atPath: site.root + "/content/Docker-Podman.md", toPath: site.root + "/content/Podman-Docker.md")
        #expect(try await site.build().handedBack == 0)
        try await expectSameAsCleanBuild(site, "after a source was renamed", compress: false)
        try site.write("content/Nomad-Consul.md", SEOTests.comparison("Nomad", "Consul") + "\nAnother paragraph.\n")
        #expect(try await site.build().handedBack == sources - 1)
        try await expectSameAsCleanBuild(site, "after an edit once the rename was built", compress: false)
    }

    /// Rewrites a file in place (the same inode) with text of the same length, then gives it
    /// back its modification time to the nanosecond, as `touch -r`, `rsync -t` or an editor that
    /// keeps times do: only its status change time (ctime) tells the edit.
    static func editKeepingSizeAndTime(_ path: String, _ edit: (String) -> String) throws {
        var before = stat()
        #expect(stat(path, &before) == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = edit(text)
        #expect(edited != text && edited.utf8.count == text.utf8.count, "the edit keeps the size")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data(edited.utf8))
        try handle.close()
        #if canImport(Darwin)
        var times = [before.st_atimespec, before.st_mtimespec]
        #else
        var times = [before.st_atim, before.st_mtim]
        #endif
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let after = try #require(FileIO.disk.info(path))
        #expect(after.size == Int(before.st_size) && after.modified == Disk.info(before).modified && after.inode == UInt64(before.st_ino),
                "the file keeps its size, time and inode")
    }

    @Test func aSourceEditedToItsOldSizeAndTimeIsReadAgain() async throws {
        let site = try Self.site()
        _ = try await site.build()
        // Every source the same as the last build's but this one: its summary is handed back
        // from the last assemble unless its stamp digest moved.
        try Self.editKeepingSizeAndTime(site.root + "/content/Stripe-Adyen.md") { $0.replacingOccurrences(of: "ecosystem breadth", with: "ECOSYSTEM BREADTH") }
        #expect(try await site.build().normalised == 1)
        try await expectSameAsCleanBuild(site, "after a same-size edit with its time put back", compress: false)
        // A source renamed too: every other source is looked up by its stamp in the store.
        try FileManager.default.moveItem(atPath: site.root + "/content/Docker-Podman.md", toPath: site.root + "/content/Podman-Docker.md")
        try Self.editKeepingSizeAndTime(site.root + "/content/Okta-Auth0.md") { $0.replacingOccurrences(of: "hiring pool", with: "HIRING POOL") }
        #expect(try await site.build().normalised == 2)
        try await expectSameAsCleanBuild(site, "after a rename and a same-size edit with its time put back", compress: false)
    }

    @Test func warningsAreShownOnEveryBuild() async throws {
        let site = try FixtureSite(["about.md": "---\ntitle: \"About\"\ncolour: blue\ndescription: \"About this fixture site, which exists to show that warnings come back on every build.\"\n---\nText.\n"])
        let first = try await site.build()
        let second = try await site.build()
        #expect(first.diagnostics.contains { $0.message.contains("colour") })
        #expect(second.incremental)
        #expect(second.diagnostics == first.diagnostics)
    }
}

/// An upgrade never serves stale pages: every memo key carries the Versus build identity.
@Suite(.serialized) struct UpgradeTests {
    @Test func aNewVersusRebuildsWhatItsContextsChange() async throws {
        let site = try IncrementalTests.site()
        try await site.build { $0.identity = "versus test-1" }
        // The "new version": what the templates receive changes, no input does.
        try await TestSeam.$siteDescriptionSuffix.withValue(" (new wording)") {
            // The same identity would keep the old pages: this is what the identity guards against.
            let stale = try await site.build { $0.identity = "versus test-1" }
            #expect(stale.rendered < stale.pages)

            // A new identity: everything it could change is made again, and equals a clean build.
            let upgraded = try await site.build { $0.identity = "versus test-2" }
            #expect(upgraded.rendered >= upgraded.pages)
            #expect(site.output("kubernetes-vs-nomad/index.html")?.contains("(new wording)") == true)
            try await IncrementalTests().expectSameAsCleanBuild(site, "after an upgrade", identity: "versus test-2", compress: false)
        }
    }
}

/// `SiteAssembler.patch` gives the site a full assemble gives, or declines.
@Suite struct SitePatchTests {
    static func summary(_ a: String, _ b: String, hash: String = "h0", title: String? = nil, date: Day? = nil) -> PageSummary {
        PageSummary(sourcePath: "\(a)-\(b).md", file: "content/\(a)-\(b).md", kind: .comparison, slug: Slug.make("\(a) vs \(b)"),
                    title: title ?? "\(a) vs \(b)", subjects: [a, b], description: "How \(a) and \(b) differ for platform teams, and when to pick each one.",
                    alternateDescriptions: [], byline: nil, date: date, updated: nil, aliases: [], draft: false, noindex: false,
                    contentHash: hash, key: "k-\(a)-\(b)-\(hash)")
    }

    static func expectSame(_ a: Site, _ b: Site, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.pages == b.pages, sourceLocation: sourceLocation)
        #expect(a.plans == b.plans, sourceLocation: sourceLocation)
        #expect(a.hubs == b.hubs, sourceLocation: sourceLocation)
        #expect(a.index == b.index, sourceLocation: sourceLocation)
        #expect(a.redirects == b.redirects, sourceLocation: sourceLocation)
        #expect(a.lastmod == b.lastmod, sourceLocation: sourceLocation)
        #expect(a.ledger == b.ledger, sourceLocation: sourceLocation)
    }

    @Test func theStoreCoderWritesRepeatedStringsOnce() throws {
        // Plans link the same pages and hubs again and again; the store writes their strings once.
        let hub = Link(title: "Kubernetes", path: "/subjects/kubernetes/")
        let plans: [PagePlan] = (0..<200).map { i in
            PagePlan(metaTitle: "Kubernetes vs Tool \(i)", description: "How Kubernetes and Tool \(i) differ, ünïcode and all.",
                     lastmod: Day(year: 2026, month: 1, day: 1 + i % 28), published: i % 2 == 0 ? nil : Day(year: 2025, month: 6, day: 1),
                     subjectHubs: [hub, Link(title: "Tool \(i)", path: "/subjects/tool-\(i)/")],
                     related: (1...4).map { Link(title: "Kubernetes vs Tool \((i + $0) % 200)", path: "/kubernetes-vs-tool-\((i + $0) % 200)/") },
                     breadcrumbs: [Link(title: "Home", path: "/"), hub])
        }
        let plain = BinaryEncoder.encode(plans), interned = BinaryEncoder.encode(plans, interning: true)
        #expect(try BinaryDecoder.decode([PagePlan].self, from: plain) == plans)
        #expect(try BinaryDecoder.decode([PagePlan].self, from: interned, interning: true) == plans)
        #expect(interned.count * 2 < plain.count, "\(interned.count) bytes interned, \(plain.count) plain")
        // Cut short, or read the other way, the bytes are refused or read as something else, never past their end.
        #expect(throws: BinaryDecodingError.self) { try BinaryDecoder.decode([PagePlan].self, from: Array(interned.prefix(interned.count / 2)), interning: true) }
        #expect((try? BinaryDecoder.decode([PagePlan].self, from: interned)) != plans)
        // Links and days are written and read in place: the bytes their own `Codable` form gives.
        struct ByCodable<T: Codable>: Encodable {
            let value: T
            func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
        }
        let link = plans[3].related[0], day = plans[5].lastmod
        #expect(BinaryEncoder.encode(link) == BinaryEncoder.encode(ByCodable(value: link)))
        #expect(BinaryEncoder.encode(day) == BinaryEncoder.encode(ByCodable(value: day)))
        #expect(try BinaryDecoder.decode(Link.self, from: BinaryEncoder.encode(ByCodable(value: link))) == link)
        #expect(try BinaryDecoder.decode(Day.self, from: BinaryEncoder.encode(ByCodable(value: day))) == day)
        // So are a page's sections and blocks, tables among them, interned or not.
        let table = Table(header: ["", "Kubernetes", "Nomad"], rows: [["Scheduler", "yes", "yes"], ["Price", "free", "free"]],
                          alignments: [.left, .center])
        let blocks: [Block] = [.markdown("Intro, ünïcode."), .table(table), .markdown(""), .markdown("Intro, ünïcode.")]
        let sections = Role.allCases.enumerated().map { Section(heading: "About \($0.offset)", role: $0.element, blocks: blocks) } + [Section(heading: "", role: .other, blocks: [])]
        for interning in [false, true] {
            #expect(BinaryEncoder.encode(sections, interning: interning) == BinaryEncoder.encode(ByCodable(value: sections), interning: interning))
            #expect(BinaryEncoder.encode(blocks, interning: interning) == BinaryEncoder.encode(ByCodable(value: blocks), interning: interning))
            #expect(try BinaryDecoder.decode([Section].self, from: BinaryEncoder.encode(ByCodable(value: sections), interning: interning), interning: interning) == sections)
            #expect(try BinaryDecoder.decode([Block].self, from: BinaryEncoder.encode(ByCodable(value: blocks), interning: interning), interning: interning) == blocks)
        }
        // A role the build does not know, or bytes cut short, are refused as damage.
        var unknownRole = BinaryEncoder.encode(sections)
        let at = unknownRole.firstIndex(of: UInt8(ascii: "_"))!   // in "subject_focus", the first role written
        unknownRole[at] = UInt8(ascii: "-")
        #expect(throws: BinaryDecodingError.self) { try BinaryDecoder.decode([Section].self, from: unknownRole) }
        let encoded = BinaryEncoder.encode(sections)
        #expect(throws: BinaryDecodingError.self) { try BinaryDecoder.decode([Section].self, from: Array(encoded.prefix(encoded.count - 3))) }
    }

    @Test func eachTypeTellsTheCodersHowItIsWrittenAndRead() {
        // One conformance each type is asked for (`BinaryEncodingKind`, `BinaryDecodingKind`): the
        // types that write and read themselves, lists and dictionaries by the coders, the rest by `Codable`.
        func kinds<T>(_ t: T.Type) -> (written: String, read: String) {
            ("\(BinaryEncoder.Kind.of(t))", "\(BinaryDecoder.Kind.of(t))")
        }
        func named<T>(_ kind: String, _ t: T.Type) -> String { "\(kind)(\(String(reflecting: t)))" }
        #expect(kinds(Page.self) == (named("writable", Page.self), named("readable", Page.self)))
        #expect(kinds([Page].self) == (named("array", [Page].self), named("array", [Page].self)))
        #expect(kinds([String: Role].self) == (named("dictionary", [String: Role].self), named("dictionary", [String: Role].self)))
        #expect(kinds(SiteConfig.self) == ("other", "other"))
        #expect(kinds(Role?.self) == ("other", "other"))
    }

    @Test func typesThatWriteThemselvesWriteTheirCodableBytes() throws {
        // The types a build stores and keys by the ten thousand write their fields themselves
        // (`BinaryWritable`): the same bytes as their `Codable` form, with every optional given and
        // not, read back through `Codable`, interned or not.
        let day = Day(year: 2026, month: 3, day: 9)
        let table = Table(header: ["", "Kubernetes", "Nomad"], rows: [["Price", "free", "free"]], alignments: [.left, .center])
        let sections = [Section(heading: "Pricing", role: .technical, blocks: [.markdown("Both are free."), .table(table)]),
                        Section(heading: "Talk to us", role: .callToAction, blocks: [.html("<p>Call</p>")])]
        func page(_ full: Bool) -> Page {
            let fm = FrontMatter(title: "Kubernetes vs Nomad", subjects: ["Kubernetes", "Nomad"], slug: "kubernetes-vs-nomad",
                                 description: "How Kubernetes and Nomad differ in scheduling, ünïcode and all.",
                                 byline: full ? Byline(text: "Ann Lee — Editor", name: "Ann Lee", role: full ? "Editor" : nil) : nil,
                                 date: full ? day : nil, updated: full ? Day(year: 2026, month: 4, day: 1) : nil,
                                 aliases: full ? ["/k8s-vs-nomad/"] : [], roles: full ? ["Pricing": .technical, "Talk to us": .callToAction] : [:],
                                 draft: full, noindex: !full,
                                 cta: full ? CallToAction(label: "Try it", url: "https://example.com/try", text: "Free for 30 days") : nil,
                                 lines: full ? .init(subjects: 4, aliases: 7) : .init())
            return Page(sourcePath: "k8s/nomad.md", kind: full ? .comparison : .document, frontMatter: fm, lead: [.markdown("Lead.")],
                        sections: sections, linkReferences: full ? "[a]: https://example.com/a" : "", alternateDescriptions: full ? ["Another."] : [])
        }
        let link = Link(title: "Kubernetes", path: "/subjects/kubernetes/")
        for full in [true, false] {
            let p = page(full)
            let summary = PageSummary(page: p, file: "/kubernetes-vs-nomad/index.html", contentHash: "0123abcd", key: "k\(full)")
            let plan = PagePlan(metaTitle: "Kubernetes vs Nomad", description: "Differ.", lastmod: day, published: full ? day : nil,
                                subjectHubs: full ? [link] : [], related: [Link(title: "Kubernetes vs Swarm", path: "/kubernetes-vs-swarm/")],
                                breadcrumbs: [Link(title: "Home", path: "/"), link])
            let item = ListItem(title: "Kubernetes vs Nomad", url: "/kubernetes-vs-nomad/", description: "Differ.", subjects: ["Kubernetes", "Nomad"], lastmod: day)
            let entry = ManifestEntry(path: "/kubernetes-vs-nomad/index.html", sha256: "ab", size: 1234, contentType: "text/html; charset=utf-8",
                                      cacheControl: "public, max-age=300", variants: full ? [.init(encoding: .gzip, sha256: "cd", size: 300)] : [],
                                      redirect: full ? "/kubernetes-vs-nomad/" : nil)
            let record = BuildStore.OutputRecord(key: "key", entry: entry, compression: full ? "br5" : "")
            let stamp = BuildStore.SourceStamp(FileInfo(size: 2905, modified: -5, isDirectory: false, inode: UInt64.max, changed: 1_700_000_000_123_456_789),
                                               file: "/k8s/nomad.md", key: "key")
            let normalised = Normalised(summary: full ? summary : nil,
                                        diagnostics: full ? [Diagnostic(file: "k8s/nomad.md", line: 3, severity: .warning, "a warning")] : [])
            try expectWritesAsCodable(p)
            try expectWritesAsCodable(summary)
            try expectWritesAsCodable(plan)
            try expectWritesAsCodable(PageInput(summary: summary, plan: plan))
            try expectWritesAsCodable(item)
            try expectWritesAsCodable(HubInput(name: "Kubernetes", urlPath: "/subjects/kubernetes/", metaTitle: "Kubernetes", description: "All.",
                                               lastmod: day, items: [item, item], against: full ? [link] : []))
            try expectWritesAsCodable(record)
            try expectWritesAsCodable(stamp)
            try expectWritesAsCodable(normalised)
            let chunk = Chunked<BuildStore.OutputRecord>.Chunk(["b": record, "a": record])
            #expect(BinaryEncoder.writesAsCodable(chunk))
            #expect(try BinaryDecoder.decode(Chunked<BuildStore.OutputRecord>.Chunk.self, from: BinaryEncoder.encode(chunk)).values == chunk.values)
        }
        // The check itself: a type whose own writing leaves a field out is caught.
        struct Forgetful: Codable, BinaryWritable {
            var title: String
            var added: Bool
            func writeBinary(to e: BinaryEncoder) { e.str(title) }
        }
        #expect(!BinaryEncoder.writesAsCodable(Forgetful(title: "Kubernetes", added: true)))
        // And a type whose own reading leaves a field unread.
        struct Careless: Codable, Equatable, BinaryReadable {
            var title: String
            var added: Bool
            init(title: String, added: Bool) { (self.title, self.added) = (title, added) }
            init(binary d: BinaryDecoder) throws { self.init(title: try d.str(), added: false) }
        }
        #expect(try BinaryDecoder.readsAsCodable(Careless.self, from: BinaryEncoder.encode(Careless(title: "Kubernetes", added: true))) == false)
    }

    private func expectWritesAsCodable<T: Codable & Equatable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(BinaryEncoder.writesAsCodable(value), "\(T.self)", sourceLocation: sourceLocation)
        #expect(BinaryEncoder.writesAsCodable([value, value]), "[\(T.self)]", sourceLocation: sourceLocation)
        for interning in [false, true] {
            let bytes = BinaryEncoder.encode(value, interning: interning)
            #expect(try BinaryDecoder.decode(T.self, from: bytes, interning: interning) == value, sourceLocation: sourceLocation)
            // Read back as the type reads itself (`BinaryReadable`), and as its `Codable` form reads it.
            #expect(try BinaryDecoder.readsAsCodable(T.self, from: bytes, interning: interning), "\(T.self)", sourceLocation: sourceLocation)
        }
    }

    @Test func summariesAndPlansReadFromTheStoreAreReadWholeOnFirstUse() throws {
        // A summary: what every build reads of every page at once, the rest when first asked for.
        let summary = Self.summary("Kubernetes", "Nomad", date: Day(year: 2025, month: 3, day: 4))
        let bytes = BinaryEncoder.encode(summary)
        let damage = StoreDamage()
        let read = try BinaryDecoder.decode(PageSummary.self, from: bytes, damage: damage)
        #expect(read.key == summary.key && read.urlPath == summary.urlPath && read.file == summary.file && read.kind == .comparison)
        // Written again before it was read whole, it is written as it was read.
        #expect(BinaryEncoder.encode(read) == bytes)
        #expect(read == summary)
        #expect(read.title == "Kubernetes vs Nomad" && read.date == Day(year: 2025, month: 3, day: 4) && read.subjects == ["Kubernetes", "Nomad"])
        #expect(!damage.wasFound)

        // Plans: their heads at once, the links of a run of plans together on first use.
        let plans = (0..<5).map { i in
            PagePlan(metaTitle: "Title \(i)", description: "Description \(i)", lastmod: Day(year: 2026, month: 1, day: 1 + i), published: nil,
                     subjectHubs: [Link(title: "Kubernetes", path: "/subjects/kubernetes/")],
                     related: [Link(title: "Page \((i + 1) % 5)", path: "/page-\((i + 1) % 5)/")], breadcrumbs: [Link(title: "Home", path: "/")])
        }
        let chunk = try BinaryDecoder.decode(PlanChunk.self, from: BinaryEncoder.encode(PlanChunk(plans[...]), interning: true), interning: true)
        #expect(chunk.plans(damage: damage) == plans)
        #expect(!damage.wasFound)

        // Bytes that do not decode are found when first read, and reported (the build then
        // commits nothing and starts the store afresh), not taken as a page.
        let broken = PageSummary.Stored(head: .init(key: "k", file: "content/x.md", urlPath: "/x/", kind: .comparison, noindex: false), fields: Blob([1, 2, 3]))
        let damaged = try BinaryDecoder.decode(PageSummary.self, from: BinaryEncoder.encode(broken), damage: damage)
        #expect(damaged.key == "k" && !damage.wasFound)
        _ = damaged.title
        #expect(damage.wasFound)
        let otherDamage = StoreDamage()
        var cut = chunk
        cut.links = Blob(Array(cut.links.bytes.prefix(3)))
        _ = cut.plans(damage: otherDamage)[2].related
        #expect(otherDamage.wasFound)
    }

    @Test func aRepeatedAuthorDescriptionIsKeptAndNamesTheFirstPageWithIt() throws {
        // Four pages share one description their authors wrote (no derived alternatives).
        let shared = "One description an author pasted into every page of a section, word for word."
        let summaries = ["Ansible", "Chef", "Puppet", "Salt"].map { a -> PageSummary in
            let s = Self.summary(a, "Terraform")
            return PageSummary(sourcePath: s.sourcePath, file: s.file, kind: .comparison, slug: s.slug, title: s.title, subjects: s.subjects,
                               description: shared, alternateDescriptions: [], byline: nil, date: nil, updated: nil, aliases: [],
                               draft: false, noindex: false, contentHash: "h0", key: s.key)
        } + [Self.summary("Nomad", "Consul")]
        let (site, diagnostics) = SiteAssembler.assemble(.init(config: SiteConfig(), summaries: summaries, ledger: Ledger(),
                                                                today: Day(year: 2026, month: 12, day: 1)))
        let plans = try #require(site).plans
        #expect(plans.filter { $0.description == shared }.count == 4)
        let warnings = diagnostics.filter { $0.message.contains("description is the same as") }
        #expect(warnings.map(\.file).sorted() == ["content/Chef-Terraform.md", "content/Puppet-Terraform.md", "content/Salt-Terraform.md"])
        for w in warnings { #expect(w.message.hasPrefix("description is the same as content/Ansible-Terraform.md's")) }
    }

    @Test func relatedPagesOfOnePairAreTheNextInTitleOrderWrappingAround() throws {
        // Twelve pages of one pair (their related links are worked out on every core): each
        // links the four after it in title order, the last ones wrapping to the first.
        let parts = (1...12).map { String(format: "%02d", $0) }
        let summaries = parts.shuffled().map { n -> PageSummary in
            PageSummary(sourcePath: "p\(n).md", file: "content/p\(n).md", kind: .comparison, slug: "kubernetes-vs-nomad-part-\(n)",
                        title: "Kubernetes vs Nomad, part \(n)", subjects: ["Kubernetes", "Nomad"],
                        description: "Part \(n) of how Kubernetes and Nomad differ for platform teams, and when to pick each.",
                        alternateDescriptions: [], byline: nil, date: Day(year: 2026, month: 1, day: 2), updated: nil, aliases: [],
                        draft: false, noindex: false, contentHash: "h\(n)", key: "k\(n)")
        }
        let (assembled, diagnostics) = SiteAssembler.assemble(.init(config: SiteConfig(), summaries: summaries, ledger: Ledger(),
                                                                     today: Day(year: 2026, month: 12, day: 1)))
        let site = try #require(assembled)
        #expect(!diagnostics.hasErrors)
        for (i, page) in site.pages.enumerated() {
            let at = parts.firstIndex(of: String(page.slug.suffix(2)))!
            let expected = (1...4).map { "/kubernetes-vs-nomad-part-\(parts[(at + $0) % parts.count])/" }
            #expect(site.plans[i].related.map(\.path) == expected, "\(page.slug)")
        }
        // The claims made beside them still see every page.
        #expect(site.hubs.map(\.name) == ["Kubernetes", "Nomad"])
    }

    @Test func pagesOfOneTitleAreNumberedInTurn() throws {
        // 300 pages with one title: each gets its own `<title>`, numbered in URL order.
        let summaries = (0..<300).map { i in Self.summary("Tool\(1000 + i)", "Kubernetes", title: "Kubernetes compared") }
        let (site, _) = SiteAssembler.assemble(.init(config: SiteConfig(), summaries: summaries, ledger: Ledger(),
                                                      today: Day(year: 2026, month: 12, day: 1)))
        let titles = try #require(site).plans.map(\.metaTitle)
        #expect(Set(titles).count == 300)
        #expect(titles.first == "Kubernetes compared")
        #expect(titles.dropFirst().map { $0.hasPrefix("Kubernetes compared (") } == Array(repeating: true, count: 299))
        #expect(titles.last == "Kubernetes compared (300)")
    }

    /// A page without a description of its own in the front-matter has one derived from its
    /// first words, and others from later paragraphs for when that one is taken. An edit to a
    /// later paragraph changes only the others; the patch must give the description a full
    /// assemble gives (it kept the old other one before).
    @Test func otherDescriptionsEditedGiveTheFullAssemblesSite() throws {
        func page(_ a: String, _ b: String, description: String, others: [String], hash: String = "h0") -> PageSummary {
            let s = Self.summary(a, b)
            return PageSummary(sourcePath: s.sourcePath, file: s.file, kind: .comparison, slug: s.slug, title: s.title, subjects: s.subjects,
                               description: description, alternateDescriptions: others, byline: nil, date: Day(year: 2026, month: 2, day: 3),
                               updated: nil, aliases: [], draft: false, noindex: false, contentHash: hash, key: "k-\(a)-\(b)-\(hash)")
        }
        let lead = "The same first paragraph, pasted at the top of two pages about different tools."
        let taken = "A later paragraph of one page, which another page has as its first paragraph."
        let first = "A second paragraph of the last page, long enough to stand as its description."
        let second = "The same paragraph after an edit, which a search result must now show instead."
        let config = SiteConfig()
        let today = Day(year: 2026, month: 12, day: 1)
        func site(_ summaries: [PageSummary]) throws -> (SiteAssembler.Assembled, Site) {
            let input = SiteAssembler.Input(config: config, summaries: summaries, ledger: Ledger(), today: today)
            let (site, diagnostics) = SiteAssembler.assemble(input)
            let s = try #require(site)
            return (SiteAssembler.Assembled(input: input, site: s, diagnostics: diagnostics), s)
        }
        // In URL order: "Ansible vs Terraform" takes the shared lead; "Chef vs Terraform" has it
        // taken and shows its other description; that is "Nomad vs Consul"'s own (no other page
        // has it as its own), which therefore shows its other one.
        let ansible = page("Ansible", "Terraform", description: lead, others: ["Ansible's own later paragraph, long enough to describe it too."])
        let chef = page("Chef", "Terraform", description: lead, others: [taken])
        let (previous, before) = try site([ansible, chef, page("Nomad", "Consul", description: taken, others: [first])])
        #expect(before.plans.map(\.description) == [lead, taken, first])

        // The page showing another description: its new other description, as a full assemble gives.
        let edited = [ansible, chef, page("Nomad", "Consul", description: taken, others: [second], hash: "h1")]
        let (_, full) = try site(edited)
        #expect(full.plans[2].description == second)
        let input = SiteAssembler.Input(config: config, summaries: edited, ledger: Ledger(), today: today)
        if let patched = SiteAssembler.patch(previous, to: input) { Self.expectSame(patched.site, full) }

        // The page showing its own description: the patch still covers it.
        let ownEdited = [page("Ansible", "Terraform", description: lead, others: [second], hash: "h1"), chef,
                         page("Nomad", "Consul", description: taken, others: [first])]
        let (_, ownFull) = try site(ownEdited)
        let ownPatched = try #require(SiteAssembler.patch(previous, to: .init(config: config, summaries: ownEdited, ledger: Ledger(), today: today)))
        Self.expectSame(ownPatched.site, ownFull)

        // A page that kept a taken description with a warning (it had no others) and now has one.
        let nomad = page("Nomad", "Consul", description: "How Nomad and Consul differ for platform teams, and when to pick each one.", others: [first])
        let (warned, _) = try site([ansible, page("Chef", "Terraform", description: lead, others: []), nomad])
        let given = [ansible, page("Chef", "Terraform", description: lead, others: [second], hash: "h1"), nomad]
        let (givenAssembled, givenFull) = try site(given)
        #expect(givenFull.plans[1].description == second)
        if let patched = SiteAssembler.patch(warned, to: givenAssembled.input) {
            Self.expectSame(patched.site, givenFull)
            #expect(patched.diagnostics == givenAssembled.diagnostics)
        }
    }

    @Test func wordsChangedGiveTheFullAssemblesSite() throws {
        let names = ["Kubernetes", "Nomad", "Docker", "Podman", "Consul", "Vault"]
        var summaries: [PageSummary] = []
        for (i, a) in names.enumerated() { for b in names[(i + 1)...] { summaries.append(Self.summary(a, b, date: b == "Vault" ? Day(year: 2025, month: 1, day: 2) : nil)) } }
        var ledger = Ledger()
        for s in summaries { ledger.entries[s.urlPath] = .init(hash: "h0", day: Day(year: 2026, month: 1, day: 5)) }
        let config = SiteConfig()
        let today = Day(year: 2026, month: 12, day: 1)
        let before = SiteAssembler.Input(config: config, summaries: summaries, ledger: ledger, today: today)
        let (site, diagnostics) = SiteAssembler.assemble(before)
        let previous = SiteAssembler.Assembled(input: before, site: try #require(site), diagnostics: diagnostics)

        // Two pages' words change: one dated by the ledger, one by its front-matter.
        var edited = summaries
        edited[3] = Self.summary(names[0], names[4], hash: "h1")
        let dated = try #require(edited.firstIndex { $0.subjects.contains("Vault") })
        edited[dated] = Self.summary(edited[dated].subjects[0], edited[dated].subjects[1], hash: "h1", date: Day(year: 2025, month: 1, day: 2))
        let after = SiteAssembler.Input(config: config, summaries: edited, ledger: ledger, today: today)
        let result = try #require(SiteAssembler.patch(previous, to: after))
        let patched = result.site
        #expect(result.pages.count == 2)
        let (full, _) = SiteAssembler.assemble(after)
        Self.expectSame(patched, try #require(full))
        #expect(patched.plans.contains { $0.lastmod == today })
        // Only the page whose lastmod moved changes in the listings, and only its hubs are dated again;
        // the page dated by its front-matter lists as it did.
        let ledgerDated = try #require(patched.pages.firstIndex { $0.key == edited[3].key })
        let frontMatterDated = try #require(patched.pages.firstIndex { $0.key == edited[dated].key })
        #expect(result.pages == [ledgerDated, frontMatterDated])
        #expect(result.listed == [ledgerDated])
        #expect(result.hubs.map { patched.hubs[$0].name }.sorted() == ["Consul", "Kubernetes"])

        // Undone: the ledger's day comes back, as a full assemble gives it.
        let undone = try #require(SiteAssembler.patch(.init(input: after, site: patched, diagnostics: []), to: before)).site
        Self.expectSame(undone, previous.site)

        // A title change moves site-wide facts: no patch.
        var retitled = summaries
        retitled[3] = Self.summary(names[0], names[4], hash: "h1", title: "Kubernetes vs Consul: Which One?")
        #expect(SiteAssembler.patch(previous, to: .init(config: config, summaries: retitled, ledger: ledger, today: today)) == nil)
        // Nor another day, config or ledger.
        #expect(SiteAssembler.patch(previous, to: .init(config: config, summaries: edited, ledger: ledger, today: Day(year: 2026, month: 12, day: 2))) == nil)
    }
}

/// How many times a test's file system walked a folder.
final class WalkCount: @unchecked Sendable {
    private let lock = NSLock()
    private var walks = 0
    func add() { lock.withLock { walks += 1 } }
    var count: Int { lock.withLock { walks } }
}
