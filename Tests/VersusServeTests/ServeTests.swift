import Foundation
import Testing
import VersusCore
import VersusTestSupport
@testable import VersusServe

/// The preview server, started on a free port and spoken to over real sockets.
@Suite(.serialized) struct ServeTests {
    static let nomad = nomadSource

    /// A running server over a fixture site; stopped when the test ends.
    final class Running: @unchecked Sendable {
        let site: FixtureSite
        let server: PreviewServer
        let task: Task<Void, Error>
        let port: Int
        let lines: LogLines

        convenience init(_ files: [String: String], configure: (inout PreviewServer.Options) -> Void = { _ in }) async throws {
            try await self.init(site: try FixtureSite(files), configure: configure)
        }

        init(site: FixtureSite, today: Day = buildDay, configure: (inout PreviewServer.Options) -> Void = { _ in }) async throws {
            self.site = site
            let lines = LogLines()
            self.lines = lines
            // With precompressed copies (as `compress: { enabled: true }` gives), so serving them is tested.
            var build = BuildOptions(today: today, jobs: 2)
            build.compress = true
            var options = PreviewServer.Options(project: site.project, build: build,
                                                today: { today }, log: { lines.append($0) })
            options.port = 0
            options.debounce = .milliseconds(60)
            configure(&options)
            let server = PreviewServer(options: options)
            self.server = server
            let started = PortBox()
            task = Task { try await server.run { port in await started.set(port) } }
            var port = 0
            for _ in 0..<400 where port == 0 {
                try await Task.sleep(for: .milliseconds(25))
                port = await started.value
            }
            guard port != 0 else { throw RawHTTP.Failure(description: "server did not start: \(lines.all)") }
            self.port = port
        }

        func client() throws -> RawHTTP { try RawHTTP(port: port) }

        func get(_ target: String, _ headers: [String: String] = [:]) throws -> RawHTTP.Response {
            do {
                return try client().request("GET", target, headers: headers)
            } catch let failure as RawHTTP.Failure {
                throw RawHTTP.Failure(description: "GET \(target): \(failure.description); server log: \(lines.all)")
            }
        }

        func stop() async {
            task.cancel()
            _ = try? await task.value
            // Remove the site's folder on a thread of its own: for a large site that takes
            // seconds, and the pool the next test's server answers on has a thread or two.
            let root = site.root
            _ = try? await ServeTests.offThePool { try? FileManager.default.removeItem(atPath: root) }
        }
    }

    actor PortBox {
        var value = 0
        func set(_ p: Int) { value = p }
    }

    final class LogLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.withLock { lines.append(s) } }
        var all: [String] { lock.withLock { lines } }

        /// Whether a line that `matches` is logged within `timeout` seconds.
        func appears(within timeout: Double, _ matches: (String) -> Bool) -> Bool {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                if all.contains(where: matches) { return true }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return all.contains(where: matches)
        }
    }

    @Test func statusesTypesRedirectsAndNotFound() async throws {
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        let index = try s.get("/")
        #expect(index.status == 200)
        #expect(index.headers["content-type"] == "text/html; charset=utf-8")
        #expect(index.headers["cache-control"] == "public, max-age=300, must-revalidate")
        #expect(index.headers["x-content-type-options"] == "nosniff")

        let css = try #require(try HTMLDocument(index.text).links(rel: "stylesheet").first)
        let style = try s.get(css)
        #expect(style.status == 200)
        #expect(style.headers["content-type"] == "text/css; charset=utf-8")
        #expect(style.headers["cache-control"] == "public, max-age=31536000, immutable")

        for (path, type) in [("/sitemap.xml", "application/xml; charset=utf-8"), ("/feed.xml", "application/atom+xml; charset=utf-8"),
                             ("/robots.txt", "text/plain; charset=utf-8"), ("/versus-manifest.json", "application/json")] {
            let r = try s.get(path)
            #expect(r.status == 200, "\(path)")
            #expect(r.headers["content-type"] == type, "\(path)")
        }
        // Clean URLs: /x redirects to /x/, which serves x/index.html.
        let bare = try s.get("/kubernetes-vs-nomad?ref=1")
        #expect(bare.status == 301)
        #expect(bare.headers["location"] == "/kubernetes-vs-nomad/?ref=1")
        let page = try s.get("/kubernetes-vs-nomad/")
        #expect(page.status == 200)
        #expect(try HTMLDocument(page.text).first("h1")?.text == "Kubernetes vs Nomad for Platform Teams")
        // The site's 404 page, with status 404.
        let missing = try s.get("/no-such-page/")
        #expect(missing.status == 404)
        #expect(missing.text.contains("Page not found"))
        // HEAD: the same headers, no body.
        let head = try s.client().request("HEAD", "/kubernetes-vs-nomad/")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["content-length"] == String(page.body.count))
        #expect(head.headers["etag"] == page.headers["etag"])
        // Other methods are refused.
        #expect(try s.client().request("POST", "/").status == 405)
        // The CDN's own files are not served.
        #expect(try s.get("/_headers").status == 404)
    }

    @Test func validatorsAndConditionalRequests() async throws {
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        let first = try s.get("/robots.txt")
        let etag = try #require(first.headers["etag"])
        let modified = try #require(first.headers["last-modified"])
        #expect(HTTPDate.parse(modified) != nil)
        let byTag = try s.get("/robots.txt", ["If-None-Match": etag])
        #expect(byTag.status == 304)
        #expect(byTag.body.isEmpty)
        #expect(byTag.headers["etag"] == etag)
        #expect(try s.get("/robots.txt", ["If-Modified-Since": modified]).status == 304)
        #expect(try s.get("/robots.txt", ["If-None-Match": "\"stale\""]).status == 200)
        #expect(try s.get("/robots.txt", ["If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"]).status == 200)
        // Precompressed variants go to clients that take them.
        let css = try #require(try HTMLDocument(try s.get("/").text).links(rel: "stylesheet").first)
        let br = try s.get(css, ["Accept-Encoding": "gzip, br"])
        #expect(br.headers["content-encoding"] == "br")
        #expect(br.headers["vary"] == "Accept-Encoding")
    }

    /// A video element asks for the part it plays; a download resumes: one range of a file's
    /// bytes comes back as 206, one past the end as 416, a list of ranges or a stale If-Range as
    /// the whole file; a compressed body is never cut.
    @Test func byteRangesOfAFile() async throws {
        let clip = String(repeating: "0123456789", count: 100)
        let s = try await Running(site: try FixtureSite(["nomad.txt": Self.nomad], templates: ["static/media/clip.mp4": clip]))
        defer { Task { await s.stop() } }
        let whole = try s.get("/media/clip.mp4")
        #expect(whole.status == 200)
        #expect(whole.text == clip)
        #expect(whole.headers["accept-ranges"] == "bytes")
        let etag = try #require(whole.headers["etag"])

        let part = try s.get("/media/clip.mp4", ["Range": "bytes=13-21"])
        #expect(part.status == 206)
        #expect(part.text == "345678901")
        #expect(part.headers["content-range"] == "bytes 13-21/1000")
        #expect(part.headers["content-length"] == "9")
        #expect(part.headers["content-type"] == whole.headers["content-type"])
        #expect(try s.get("/media/clip.mp4", ["Range": "bytes=-4"]).text == "6789")
        #expect(try s.get("/media/clip.mp4", ["Range": "bytes=996-"]).headers["content-range"] == "bytes 996-999/1000")
        #expect(try s.get("/media/clip.mp4", ["Range": "bytes=990-5000"]).text == "0123456789")

        let past = try s.get("/media/clip.mp4", ["Range": "bytes=1000-"])
        #expect(past.status == 416)
        #expect(past.headers["content-range"] == "bytes */1000")
        // Not served as a part: several ranges, another unit, a malformed range, a stale If-Range.
        for headers in [["Range": "bytes=0-1,5-6"], ["Range": "items=0-1"], ["Range": "bytes=9-3"],
                        ["Range": "bytes=0-9", "If-Range": "\"stale\""], ["Range": "bytes=0-9", "If-Range": "W/" + etag]] {
            let r = try s.get("/media/clip.mp4", headers)
            #expect(r.status == 200 && r.text == clip, "\(headers)")
        }
        #expect(try s.get("/media/clip.mp4", ["Range": "bytes=0-9", "If-Range": etag]).status == 206)
        // HEAD: the part's headers, no body.
        let head = try s.client().request("HEAD", "/media/clip.mp4", headers: ["Range": "bytes=0-99"])
        #expect(head.status == 206 && head.body.isEmpty && head.headers["content-length"] == "100")
        // A compressed page goes whole, whatever the range.
        let page = try s.get("/kubernetes-vs-nomad/", ["Range": "bytes=0-9", "Accept-Encoding": "br"])
        #expect(page.status == 200)
        #expect(page.headers["content-encoding"] == "br" && page.headers["content-range"] == nil)
        // The 404 page is never cut either.
        #expect(try s.get("/no-such-page/", ["Range": "bytes=0-9"]).status == 404)
    }

    /// A file from `StaticSite.streamFrom` bytes on goes from the open file a chunk at a time
    /// (whole, in parts across a chunk's end, for HEAD, and not at all when unchanged), and
    /// nothing of it is kept in the body cache; text larger than `OnTheFly.maxBytes` goes as it
    /// is rather than compressed whole first.
    @Test func aLargeFileIsSentFromTheOpenFileAChunkAtATime() async throws {
        // Numbered 16-byte lines, over three chunks and not a multiple of one: a chunk out of place shows.
        var video: [UInt8] = []
        let lines = (StaticSite.streamFrom * 3 + 17_000) / 16
        video.reserveCapacity(lines * 16)
        for i in 0..<lines {
            var n = i
            var digits = [UInt8](repeating: 48, count: 15)
            for d in stride(from: 14, through: 0, by: -1) { digits[d] = UInt8(48 + n % 10); n /= 10 }
            video += digits
            video.append(10)
        }
        let text = String(repeating: "compressible text, many times over\n", count: OnTheFly.maxBytes / 35 + 1000)
        let s = try await Running(site: try FixtureSite(["nomad.txt": Self.nomad], templates: [
            "static/media/talk.mp4": String(decoding: video, as: UTF8.self), "static/data/all.txt": text,
        ]))
        defer { Task { await s.stop() } }
        let held = s.server.bodies.heldBytes
        let compressions = s.server.bodies.compressions

        let whole = try s.get("/media/talk.mp4")
        #expect(whole.status == 200)
        #expect(whole.headers["content-length"] == String(video.count))
        #expect(whole.headers["accept-ranges"] == "bytes")
        #expect(whole.body == video)
        let etag = try #require(whole.headers["etag"])
        let chunk = StaticSite.Stream.chunk
        let part = try s.get("/media/talk.mp4", ["Range": "bytes=\(chunk - 5)-\(chunk + 10)"])
        #expect(part.status == 206)
        #expect(part.headers["content-range"] == "bytes \(chunk - 5)-\(chunk + 10)/\(video.count)")
        #expect(part.body == Array(video[(chunk - 5)...(chunk + 10)]))
        #expect(try s.get("/media/talk.mp4", ["Range": "bytes=-20"]).body == Array(video.suffix(20)))
        #expect(try s.get("/media/talk.mp4", ["Range": "bytes=0-"]).status == 206)
        let past = try s.get("/media/talk.mp4", ["Range": "bytes=\(video.count)-"])
        #expect(past.status == 416 && past.headers["content-range"] == "bytes */\(video.count)")
        let head = try s.client().request("HEAD", "/media/talk.mp4")
        #expect(head.status == 200 && head.body.isEmpty && head.headers["content-length"] == String(video.count))
        #expect(try s.get("/media/talk.mp4", ["If-None-Match": etag]).status == 304)

        let big = try s.get("/data/all.txt", ["Accept-Encoding": "gzip, br"])
        #expect(big.status == 200)
        #expect(big.headers["content-encoding"] == nil)
        #expect(big.text == text)
        #expect(s.server.bodies.compressions == compressions)
        #expect(s.server.bodies.heldBytes == held, "a large file was read into the body cache")
    }

    @Test func theServerNeverLeavesTheOutputFolder() async throws {
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        try s.site.write("secret.txt", "SECRET-MARKER outside the output folder")
        try FileManager.default.createSymbolicLink(atPath: s.site.root + "/output/escape", withDestinationPath: s.site.root)
        try FileManager.default.createSymbolicLink(atPath: s.site.root + "/output/escape.txt", withDestinationPath: s.site.root + "/secret.txt")
        let attempts = [
            "/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2E%2E/secret.txt", "/.%2e/secret.txt",
            "/..%2fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt",
            "//secret.txt", "/secret.txt%00.html", "/%00", "/index.html%00", "/escape/secret.txt", "/escape.txt",
            "/./../secret.txt", "/kubernetes-vs-nomad/../../secret.txt", "http://127.0.0.1/../secret.txt",
            "/%252e%252e/secret.txt", "/.versus/x", "/" + String(repeating: "../", count: 20) + "etc/passwd",
        ]
        for target in attempts {
            let r = try s.client().request("GET", target)
            #expect(!r.text.contains("SECRET-MARKER"), "\(target) leaked the file")
            #expect(!r.text.contains("root:x:0:0"), "\(target) leaked /etc/passwd")
            #expect([400, 404].contains(r.status), "\(target) answered \(r.status)")
        }
    }

    /// Started on a project built before, the server finds nothing to build and serves at once;
    /// then it reads what an edit works from by delta ("ready for edits"), so the first edit
    /// hands the other sources back from memory instead of reading the store.
    @Test func aServerStartedOnABuiltProjectPreparesForItsFirstEdit() async throws {
        let site = try FixtureSite(["nomad.txt": Self.nomad])
        try await site.build(compress: true)
        let s = try await Running(site: site) { $0.timings = true }
        defer { Task { await s.stop() } }
        #expect(s.lines.all.contains { $0.hasPrefix("built ") && $0.contains(": 0 rendered, 0 written") }, "\(s.lines.all)")
        #expect(s.lines.appears(within: 10) { $0.hasPrefix("ready for edits: ") }, "\(s.lines.all)")
        let events = try s.client()
        _ = try events.openEvents(LiveReload.eventsPath)
        try s.site.write("content/nomad.txt", Self.nomad.replacingOccurrences(of: "very little ceremony", with: "almost no ceremony at all"))
        #expect(try events.nextEvent(named: "reload", timeout: 5) != nil)
        #expect(s.lines.appears(within: 5) { $0.contains("rebuilt after nomad.txt") })
        let steps = s.lines.all.last { $0.contains(" ms, ") && $0.contains("commit ") } ?? ""
        #expect(steps.contains("hand back") && !steps.contains("load outputs"), "the first edit read the store: \(steps)")
    }

    @Test func editingASourceReloadsTheBrowser() async throws {
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        let events = try s.client()
        let head = try events.openEvents("/_versus/livereload")
        #expect(head["content-type"]?.hasPrefix("text/event-stream") == true)
        // Served HTML carries the reload script; the file on disk does not.
        #expect(try s.get("/kubernetes-vs-nomad/").text.contains(LiveReload.scriptPath))
        #expect(s.site.output("kubernetes-vs-nomad/index.html")?.contains(LiveReload.scriptPath) == false)
        #expect(try s.get(LiveReload.scriptPath).headers["content-type"] == "text/javascript; charset=utf-8")

        let start = Date()
        try s.site.write("content/nomad.txt", Self.nomad.replacingOccurrences(of: "very little ceremony", with: "almost no ceremony at all"))
        let data = try #require(try events.nextEvent(named: "reload", timeout: 2))
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(data.contains("/kubernetes-vs-nomad/index.html"))
        #expect(try s.get("/kubernetes-vs-nomad/").text.contains("almost no ceremony at all"))
        // Tabs are told once the new page is in place; the rebuild's line follows when the build
        // store is saved.
        #expect(s.lines.appears(within: 5) { $0.contains("rebuilt after nomad.txt") && $0.contains(" ms") })
    }

    @Test func aBrokenSourceKeepsTheLastGoodSiteAndShowsTheError() async throws {
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        let events = try s.client()
        _ = try events.openEvents("/_versus/livereload")
        let before = try s.get("/kubernetes-vs-nomad/").text
        try s.site.write("content/nomad.txt", "Nothing to compare\nJust a heading\nAnd prose.\n")
        let error = try #require(try events.nextEvent(named: "build-error", timeout: 2))
        #expect(error.contains("nomad.txt:1: error: no comparison found"))
        #expect(try s.get("/kubernetes-vs-nomad/").text == before)
        #expect(s.lines.all.contains { $0.contains("build failed") })
        // A tab that opens now is told about the error straight away.
        let late = try s.client()
        _ = try late.openEvents("/_versus/livereload")
        #expect(try late.nextEvent(named: "build-error", timeout: 2) != nil)
        // Fixing the source clears the overlay; the site is the last good one again, byte for
        // byte, so no tab reloads (each lost its scroll position for nothing).
        try s.site.write("content/nomad.txt", Self.nomad)
        #expect(try events.nextEvent(named: "build-ok", timeout: 2) != nil)
        #expect(try events.nextEvent(named: "reload", timeout: 1) == nil)
        // A save of the same bytes rebuilds nothing and reloads nothing; an edit reloads.
        try s.site.write("content/nomad.txt", Self.nomad)
        #expect(try events.nextEvent(named: "reload", timeout: 1) == nil)
        try s.site.write("content/nomad.txt", Self.nomad.replacingOccurrences(of: "very little ceremony", with: "almost no ceremony at all"))
        #expect(try events.nextEvent(named: "reload", timeout: 2) != nil)
    }

    /// The content folder replaced whole (a branch switched, a copy restored): its going is a
    /// build error, its coming back a build, and edits in the new folder are seen (its watches
    /// went with the old one, and nothing watched for it to come back).
    @Test func aContentFolderReplacedWholeIsWatchedAgain() async throws {
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        let events = try s.client()
        _ = try events.openEvents(LiveReload.eventsPath)
        let content = s.site.root + "/content", aside = s.site.root + "/content-aside"
        try FileManager.default.moveItem(atPath: content, toPath: aside)
        #expect(try events.nextEvent(named: "build-error", timeout: 3)?.contains("content folder not found") == true)
        try FileManager.default.copyItem(atPath: aside, toPath: content)
        #expect(try events.nextEvent(named: "build-ok", timeout: 3) != nil)
        try s.site.write("content/nomad.txt", Self.nomad.replacingOccurrences(of: "very little ceremony", with: "almost no ceremony at all"))
        #expect(try events.nextEvent(named: "reload", timeout: 3) != nil)
        #expect(try s.get("/kubernetes-vs-nomad/").text.contains("almost no ceremony at all"))
    }

    /// The reload script goes before the closing body tag however it is written.
    @Test func theReloadScriptGoesInsideTheBodyInAnyCase() {
        let page = LiveReload.inject("<HTML><BODY><p>x</p></BODY></HTML>")
        #expect(page.hasSuffix("</script>\n</BODY></HTML>"), "\(page)")
    }

    @Test func burstsOfEventsAreDebounced() async throws {
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        let before = s.lines.all.filter { $0.contains("rebuilt") }.count
        for i in 0..<15 {
            try s.site.write("content/extra-\(i).txt", Self.nomad.replacingOccurrences(of: "Nomad", with: "Nomad\(i)"))
        }
        try await Task.sleep(for: .milliseconds(1500))
        let rebuilds = s.lines.all.filter { $0.contains("rebuilt") }.count - before
        #expect(rebuilds >= 1 && rebuilds <= 2, "\(s.lines.all)")
        #expect(try s.get("/kubernetes-vs-nomad14/").status == 200)
    }

    @Test func loopbackOnlyByDefault() {
        let options = PreviewServer.Options(project: Project(), build: BuildOptions(today: buildDay), today: { buildDay }, log: { _ in })
        #expect(options.host == "127.0.0.1")
    }

    @Test func rangeHeadersAreReadAsTheRFCSays() {
        #expect(ByteRange.of(nil, size: 10) == .whole)
        #expect(ByteRange.of("bytes=0-0", size: 10) == .part(0..<1))
        #expect(ByteRange.of(" Bytes = 2 - 4 ", size: 10) == .part(2..<5))
        #expect(ByteRange.of("bytes=8-", size: 10) == .part(8..<10))
        #expect(ByteRange.of("bytes=-3", size: 10) == .part(7..<10))
        #expect(ByteRange.of("bytes=-30", size: 10) == .part(0..<10))
        #expect(ByteRange.of("bytes=5-99999999999999999999999", size: 10) == .part(5..<10))
        #expect(ByteRange.of("bytes=10-", size: 10) == .unsatisfiable)
        #expect(ByteRange.of("bytes=99999999999999999999999-", size: 10) == .unsatisfiable)
        #expect(ByteRange.of("bytes=-0", size: 10) == .unsatisfiable)
        #expect(ByteRange.of("bytes=0-", size: 0) == .unsatisfiable)
        for ignored in ["bytes=", "bytes=-", "bytes=a-b", "bytes=4-2", "bytes=0-1,3-4", "bytes 0-1", "pages=0-1", "bytes=+1-2"] {
            #expect(ByteRange.of(ignored, size: 10) == .whole, "\(ignored)")
        }
        let date = "Sat, 21 Nov 2026 02:59:42 GMT"
        #expect(ByteRange.ifRangeHolds(nil, etag: "\"a\"", lastModified: date))
        #expect(ByteRange.ifRangeHolds("\"a\"", etag: "\"a\"", lastModified: date))
        #expect(!ByteRange.ifRangeHolds("W/\"a\"", etag: "\"a\"", lastModified: date))
        #expect(!ByteRange.ifRangeHolds("\"b\"", etag: "\"a\"", lastModified: date))
        #expect(ByteRange.ifRangeHolds(date, etag: "\"a\"", lastModified: date))
        #expect(!ByteRange.ifRangeHolds("Fri, 20 Nov 2026 02:59:42 GMT", etag: "\"a\"", lastModified: date))
    }

    @Test func pathSafety() {
        #expect(StaticSite.safePath("/a/b/") == "/a/b/")
        #expect(StaticSite.safePath("/caf%C3%A9/") == "/café/")
        for bad in ["a", "/../x", "/%2e%2e/x", "/a%2Fb", "/a%5Cb", "/a%00", "//x", "/a/./b", "/%ff"] {
            #expect(StaticSite.safePath(bad) == nil, "\(bad)")
        }
        #expect(HTTPDate.format(seconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.parse("Sat, 21 Nov 2026 02:59:42 GMT") == 1_795_229_982)
        #expect(HTTPDate.format(seconds: 1_795_229_982) == "Sat, 21 Nov 2026 02:59:42 GMT")
    }

    @Test func loadRunHasNoErrors() async throws {
        let wrk = try Tool.require("wrk", package: "apt wrk")
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        let output = String(decoding: try Tool.run(wrk, ["-t2", "-c64", "-d10s", "http://127.0.0.1:\(s.port)/kubernetes-vs-nomad/"]).output, as: UTF8.self)
        print(output)
        #expect(!output.contains("Socket errors"), "\(output)")
        #expect(!output.contains("Non-2xx"), "\(output)")
        #expect(output.contains("Requests/sec"))
    }
}
