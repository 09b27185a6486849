import Foundation
import Testing
import VersusCore
import VersusTestSupport
@testable import VersusServe

/// The server and the build in one process (issues 10 and 13): rules as data, progress
/// lines, the ledger left alone, and requests answered while a long rebuild runs.
extension ServeTests {
    static let nomadPage = """
    ---
    title: "Kubernetes vs Nomad for Platform Teams"
    subjects: ["Kubernetes", "Nomad"]
    aliases: ["/old-nomad/"]
    ---

    ## Nomad Focus

    Nomad schedules containers and plain binaries with a single small binary and very little ceremony.

    ## The Technical Breakdown

    Kubernetes reconciles declared state through controllers, while Nomad evaluates jobs against a plan queue.

    """

    /// Sources for a site of `count` comparisons.
    static func manySources(_ count: Int) -> [String: String] {
        var files: [String: String] = [:]
        for i in 0..<count {
            files["p\(i).txt"] = nomad.replacingOccurrences(of: "Nomad", with: "Nomad\(i)")
        }
        return files
    }

    /// Sources for a site of `count` comparisons with long technical sections (`paragraphs` each).
    static func heavySources(_ count: Int, paragraphs: Int) -> [String: String] {
        var files: [String: String] = [:]
        let body = (0..<paragraphs).map { "Paragraph \($0): Kubernetes reconciles declared state through controllers, while Nomad evaluates jobs against a plan queue and *schedules* them with `little` ceremony." }
            .joined(separator: "\n")
        for i in 0..<count {
            files["p\(i).txt"] = nomad.replacingOccurrences(of: "Nomad", with: "Nomad\(i)") + "\n" + body + "\n"
        }
        return files
    }

    @Test func cdnRulesComeFromTheBuildNotFromTheFilesItWrote() async throws {
        let s = try await Running(["nomad.md": Self.nomadPage])
        defer { Task { await s.stop() } }
        let moved = try s.get("/old-nomad/?ref=1")
        #expect(moved.status == 301)
        #expect(moved.headers["location"] == "/kubernetes-vs-nomad/?ref=1")
        // The files the build wrote, changed or removed under the server, change nothing.
        let originals = try ["_headers", "_redirects"].map { ($0, try Data(contentsOf: URL(fileURLWithPath: s.site.root + "/output/" + $0))) }
        try s.site.remove("output/_headers")
        try s.site.write("output/_headers", "/*\n  X-Injected: yes\n  Cache-Control: no-store\n")
        try s.site.remove("output/_redirects")
        try s.site.write("output/_redirects", "/kubernetes-vs-nomad/ /elsewhere/ 301\n/robots.txt /elsewhere/ 301\n")
        for _ in 0..<2 {
            let page = try s.get("/kubernetes-vs-nomad/")
            #expect(page.status == 200)
            #expect(page.headers["x-injected"] == nil)
            #expect(page.headers["cache-control"] == "public, max-age=300, must-revalidate")
            #expect(page.headers["x-content-type-options"] == "nosniff")
            #expect(try s.get("/robots.txt").status == 200)
            #expect(try s.get("/old-nomad/").status == 301)
            try? s.site.remove("output/_headers")
            try? s.site.remove("output/_redirects")
        }
        // (Put back as they were: the next build keeps them.)
        for (name, bytes) in originals { try s.site.write("output/" + name, Array(bytes)) }
        // A rebuild swaps in the new site's rules.
        let events = try s.client()
        _ = try events.openEvents(LiveReload.eventsPath)
        try s.site.write("content/nomad.md", Self.nomadPage.replacingOccurrences(of: "/old-nomad/", with: "/older-nomad/"))
        #expect(try events.nextEvent(named: "reload", timeout: 3) != nil, "\(s.lines.all)")
        #expect(try s.get("/older-nomad/").headers["location"] == "/kubernetes-vs-nomad/")
        #expect(try s.get("/old-nomad/").status == 404)
    }

    @Test func longBuildsPrintProgressLines() async throws {
        let s = try await Running(Self.manySources(100)) { $0.progressEvery = .zero }
        defer { Task { await s.stop() } }
        #expect(s.lines.all.contains { $0.hasPrefix("building: read ") && $0.hasSuffix("/100 sources") })
        #expect(s.lines.all.contains { $0 == "building: rendered 100/100 pages" })
        let events = try s.client()
        _ = try events.openEvents(LiveReload.eventsPath)
        let template = s.site.root + "/templates/comparison.mustache"
        try s.site.write("templates/comparison.mustache", try String(contentsOfFile: template, encoding: .utf8) + "\n<!-- edited -->\n")
        #expect(try events.nextEvent(named: "reload", timeout: 20) != nil)
        #expect(s.lines.all.contains { $0.hasPrefix("rebuilding: rendered ") && $0.hasSuffix("/100 pages") })
        // Throttled: never more than one line per interval.
        let lines = LogLines()
        let progress = BuildProgress(verb: "rebuilding", every: .seconds(3600), log: { lines.append($0) })
        for i in 1...1000 { progress.report("render", i, 1000) }
        #expect(lines.all.isEmpty)
    }

    @Test func requestsAreAnsweredPromptlyDuringALongRebuild() async throws {
        // Sixteen sources, then each replaced by a long one: the rebuild reads them in eight
        // batches of two, each batch about a second of work, on every core (jobs: 2 here).
        let count = 16
        let paragraphs = Int(ProcessInfo.processInfo.environment["VERSUS_TEST_PARAGRAPHS"] ?? "") ?? 1500
        let s = try await Running(Self.manySources(count)) { $0.progressEvery = .zero }
        defer { Task { await s.stop() } }
        let port = s.port, lines = s.lines
        for (path, text) in Self.heavySources(count, paragraphs: paragraphs) { try s.site.write("content/" + path, text) }
        let (latencies, seconds) = try await Self.offThePool { () throws -> ([Double], Double) in
            let start = Date()
            var latencies: [Double] = []
            while !lines.all.contains(where: { $0.hasPrefix("rebuilt after") || $0.hasPrefix("build failed") })
                    && Date().timeIntervalSince(start) < 60 {
                let t = Date()
                let r = try RawHTTP(port: port).request("GET", "/kubernetes-vs-nomad7/", timeout: 10)
                guard r.status == 200 else { throw RawHTTP.Failure(description: "status \(r.status)") }
                latencies.append(Date().timeIntervalSince(t))
                Thread.sleep(forTimeInterval: 0.05)
            }
            return (latencies, Date().timeIntervalSince(start))
        }
        let slowest = latencies.max() ?? 0
        #expect(s.lines.all.contains { $0.hasPrefix("rebuilt after") }, "\(s.lines.all)")
        #expect(s.lines.all.contains { $0.hasPrefix("rebuilding: read ") && $0.hasSuffix("/\(count) sources") })
        #expect(seconds > 1.5, "the rebuild took \(seconds) s: too short to tell")
        #expect(slowest < 0.5, "a request waited \(slowest) s during a \(seconds) s rebuild")
    }

    @Test func aSourceSavedDuringTheFirstBuildIsBuiltAfterIt() async throws {
        // The source is saved while the first build renders (it has read the sources by then):
        // the watcher, started before that build, sees it, and a rebuild follows.
        let site = try FixtureSite(Self.manySources(20))
        let source = site.root + "/content/p3.txt"
        let saved = SavedOnce()
        let s = try await Running(site: site) { options in
            options.progressEvery = .zero
            let log = options.log
            options.log = { line in
                log(line)
                if line.hasPrefix("building: rendered"), saved.first() {
                    try? (Self.nomad.replacingOccurrences(of: "Nomad", with: "Nomad3") + "\nSaved while the first build ran.\n")
                        .write(toFile: source, atomically: false, encoding: .utf8)
                }
            }
        }
        defer { Task { await s.stop() } }
        #expect(saved.done, "the first build logged no progress: \(s.lines.all)")
        var page = ""
        for _ in 0..<100 where !page.contains("Saved while the first build ran.") {
            page = try s.get("/kubernetes-vs-nomad3/").text
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(page.contains("Saved while the first build ran."), "\(s.lines.all)")
    }

    /// The lastmod the served sitemap gives /kubernetes-vs-nomad/.
    static func lastmod(of s: Running) throws -> String? {
        let sitemap = try s.get("/sitemap.xml").text
        guard let r = sitemap.range(of: "/kubernetes-vs-nomad/</loc><lastmod>") else { return nil }
        return String(sitemap[r.upperBound...].prefix(10))
    }

    @Test func undoingAnEditUnderServeLeavesTheLedgerAsItWas() async throws {
        let site = try FixtureSite(["nomad.txt": Self.nomad])
        let earlier = Day(year: 2026, month: 3, day: 14)
        try await site.build(today: earlier)   // `versus build` writes the ledger
        let ledger = site.root + "/" + Ledger.fileName
        let before = try Data(contentsOf: URL(fileURLWithPath: ledger))
        #expect(String(decoding: before, as: UTF8.self).contains("2026-03-14"))
        let s = try await Running(site: site)  // today is later: buildDay
        defer { Task { await s.stop() } }
        func lastmod() throws -> String? { try Self.lastmod(of: s) }
        #expect(try lastmod() == "2026-03-14")
        let events = try s.client()
        _ = try events.openEvents(LiveReload.eventsPath)
        try site.write("content/nomad.txt", Self.nomad.replacingOccurrences(of: "very little ceremony", with: "no ceremony"))
        #expect(try events.nextEvent(named: "reload", timeout: 3) != nil)
        #expect(try lastmod() == buildDay.description)
        try site.write("content/nomad.txt", Self.nomad)
        #expect(try events.nextEvent(named: "reload", timeout: 3) != nil)
        #expect(try lastmod() == "2026-03-14")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger)) == before)
    }

    /// The ledger gives the pages' dates: changed while the preview runs (a `git pull`), it is
    /// built as a change to the content is.
    @Test func aLedgerChangedWhileServingGivesThePagesTheirDates() async throws {
        let site = try FixtureSite(["nomad.txt": Self.nomad])
        try await site.build(today: Day(year: 2026, month: 3, day: 14))
        let ledger = site.root + "/" + Ledger.fileName
        let s = try await Running(site: site)
        defer { Task { await s.stop() } }
        func lastmod() throws -> String? { try Self.lastmod(of: s) }
        #expect(try lastmod() == "2026-03-14")
        let text = try String(contentsOfFile: ledger, encoding: .utf8)
        try text.replacingOccurrences(of: "2026-03-14", with: "2026-02-01").write(toFile: ledger, atomically: true, encoding: .utf8)
        var seen: String?
        for _ in 0..<100 where seen != "2026-02-01" {
            try await Task.sleep(for: .milliseconds(50))
            seen = try lastmod()
        }
        #expect(seen == "2026-02-01", "\(s.lines.all)")
    }
}

/// A flag set once, from any thread.
final class SavedOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    /// True the first time only.
    func first() -> Bool { lock.withLock { defer { set = true }; return !set } }
    var done: Bool { lock.withLock { set } }
}
