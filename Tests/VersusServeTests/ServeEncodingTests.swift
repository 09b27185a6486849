import Foundation
import Testing
import VersusCore
import VersusTestSupport
@testable import VersusServe

/// Containment of every file sent, content codings as the client weighs them, and
/// compression on the fly (issues 11 #6 and 12).
extension ServeTests {
    /// Makes `output/<name>` a symbolic link to `target` (replacing a file there: removed first,
    /// never written through, since the spare output tree shares it as a hard link).
    static func link(_ s: Running, _ name: String, to target: String) throws {
        let path = s.site.root + "/output/" + name
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    @Test func compressedCopiesAndThe404PageNeverLeadOutOfTheOutputFolder() async throws {
        let s = try await Running(["nomad.txt": Self.nomad])
        defer { Task { await s.stop() } }
        let secret = "SECRET-MARKER outside the output folder " + String(repeating: "x", count: 2000)
        try s.site.write("secret.txt", secret)
        let outside = s.site.root + "/secret.txt"
        // A small file and a large one, each with "copies" that are links to the file outside.
        let small = "plain text inside the output folder\n"
        let large = String(repeating: "compressible text inside the output folder\n", count: 100)
        try s.site.write("output/plain.txt", small)
        try s.site.write("output/large.txt", large)
        for name in ["plain.txt", "large.txt"] {
            for suffix in [".gz", ".br"] { try Self.link(s, name + suffix, to: outside) }
        }
        for accept in ["gzip", "br", "gzip, br", "*", "br;q=0.5, gzip;q=1"] {
            for method in ["GET", "HEAD"] {
                let r = try s.client().request(method, "/plain.txt", headers: ["Accept-Encoding": accept])
                #expect(r.status == 200, "\(accept)")
                #expect(!r.text.contains("SECRET-MARKER"), "\(method) /plain.txt with \(accept) sent the file outside")
                #expect(r.headers["content-encoding"] == nil, "\(accept): a small file goes as it is")
                #expect(r.headers["content-length"] == String(small.utf8.count))
                if method == "GET" { #expect(r.text == small) }
            }
            // The large file is compressed from its own bytes instead.
            let r = try s.get("/large.txt", ["Accept-Encoding": accept])
            let encoding = try #require(r.headers["content-encoding"].flatMap(ContentEncoding.init(rawValue:)), "\(accept)")
            #expect(r.body == OnTheFly.compress(Array(large.utf8), encoding), "\(accept)")
        }
        // The 404 page, linked outside, is not sent for unknown URLs.
        try Self.link(s, "404.html", to: outside)
        for target in ["/no-such-page/", "/no-such-file.txt", "/_headers"] {
            let r = try s.get(target, ["Accept-Encoding": "gzip, br"])
            #expect(r.status == 404)
            #expect(!r.text.contains("SECRET-MARKER"), "\(target) sent the 404 page's target outside")
            #expect(r.text == "not found\n")
        }
        // A folder linked outside is not one of the site's folders either.
        try FileManager.default.createDirectory(atPath: s.site.root + "/elsewhere", withIntermediateDirectories: true)
        try s.site.write("elsewhere/index.html", "<p>SECRET-MARKER</p>")
        try Self.link(s, "elsewhere", to: s.site.root + "/elsewhere")
        for target in ["/elsewhere", "/elsewhere/", "/elsewhere/index.html"] {
            let r = try s.get(target)
            #expect(r.status == 404, "\(target)")
            #expect(!r.text.contains("SECRET-MARKER"), "\(target)")
        }
    }

    @Test func acceptEncodingIsReadWithItsWeights() {
        func choice(_ header: String?, _ offered: [ContentEncoding] = ContentEncoding.allCases) -> String? {
            AcceptEncoding(header).preferred(offered).map { $0 == .identity ? "identity" : ($0 == .encoded(.br) ? "br" : "gzip") }
        }
        #expect(choice(nil) == "identity")
        #expect(choice("") == "identity")
        #expect(choice("gzip, br") == "br")
        #expect(choice("br;q=0") == "identity")
        #expect(choice("gzip, br;q=0") == "gzip")
        #expect(choice("gzip;q=0.5, br;q=0.1") == "gzip")
        #expect(choice("br;q=0.9, gzip;q=0.8") == "br")
        #expect(choice("GZIP ; Q=0.4, identity;q=0.3") == "gzip")
        #expect(choice("*") == "br")
        #expect(choice("*;q=0.5, br;q=0") == "gzip")
        #expect(choice("*;q=0") == nil)
        #expect(choice("*;q=0, identity") == "identity")
        #expect(choice("identity;q=0") == nil)
        #expect(choice("identity;q=0, gzip;q=0.1") == "gzip")
        #expect(choice("gzip;q=0.2, identity;q=0.5") == "identity")
        #expect(choice("br;q=abc, gzip;q=0.1") == "gzip")
        #expect(choice("br, br;q=0") == "identity")
        #expect(choice("gzip, br", []) == "identity")
        #expect(choice("gzip, br, identity;q=0", []) == nil)
    }

    @Test func contentCodingsFollowTheClientsWeights() async throws {
        let s = try await Running(["nomad.txt": Self.nomad]) { $0.build.compress = true }  // with precompressed copies
        defer { Task { await s.stop() } }
        let css = try #require(try HTMLDocument(try s.get("/").text).links(rel: "stylesheet").first)
        let copies = try [ContentEncoding.br, .gzip].map { e in (e, try Data(contentsOf: URL(fileURLWithPath: s.site.root + "/output" + css + e.suffix))) }
        let cases: [(String?, String?)] = [
            ("br;q=0", nil), ("gzip, br;q=0", "gzip"), ("gzip;q=0.5, br;q=0.1", "gzip"), ("br;q=0.9, gzip;q=0.8", "br"),
            ("gzip, br", "br"), ("*", "br"), ("*;q=0.5, br;q=0", "gzip"), ("identity", nil), ("", nil), (nil, nil),
            ("GZIP", "gzip"), ("identity;q=0, gzip;q=0.1", "gzip"),
        ]
        var tags: [String: String] = [:]
        for (accept, expected) in cases {
            let r = try s.get(css, accept.map { ["Accept-Encoding": $0] } ?? [:])
            #expect(r.status == 200, "\(accept ?? "none")")
            #expect(r.headers["content-encoding"] == expected, "\(accept ?? "none")")
            #expect(r.headers["vary"] == "Accept-Encoding", "\(accept ?? "none")")
            if let expected, let copy = copies.first(where: { $0.0.rawValue == expected }) {
                #expect(Data(r.body) == copy.1, "\(accept ?? "none") did not get the build's copy")
            }
            tags[expected ?? "identity"] = r.headers["etag"]
        }
        // Each coding is its own representation, with its own validator.
        #expect(Set(tags.values).count == 3)
        let br = try #require(tags["br"])
        #expect(try s.get(css, ["Accept-Encoding": "br", "If-None-Match": br]).status == 304)
        #expect(try s.get(css, ["Accept-Encoding": "gzip", "If-None-Match": br]).status == 200)
        // Nothing acceptable: 406.
        for accept in ["*;q=0", "identity;q=0", "br;q=0, gzip;q=0, identity;q=0"] {
            #expect(try s.get(css, ["Accept-Encoding": accept]).status == 406, "\(accept)")
        }
        // A client that refuses the plain bytes gets a small file compressed all the same.
        let robots = try s.get("/robots.txt", ["Accept-Encoding": "identity;q=0, gzip"])
        #expect(robots.headers["content-encoding"] == "gzip")
        #expect(try s.get("/robots.txt", ["Accept-Encoding": "gzip, br"]).headers["content-encoding"] == nil)
    }

    @Test func withoutCopiesTheServerCompressesOnTheFlyOncePerFileVersion() async throws {
        let s = try await Running(["nomad.txt": Self.nomad]) { $0.build.compress = false }
        defer { Task { await s.stop() } }
        #expect(try s.site.outputFiles().keys.filter { $0.hasSuffix(".br") || $0.hasSuffix(".gz") }.isEmpty)
        let page = "/kubernetes-vs-nomad/"
        let plain = try s.get(page)
        #expect(plain.headers["content-encoding"] == nil)
        #expect(plain.headers["vary"] == "Accept-Encoding")
        #expect(plain.body.count > OnTheFly.minBytes)
        let before = s.server.bodies.compressions
        var tags: Set<String> = [try #require(plain.headers["etag"])]
        for encoding in ContentEncoding.allCases {
            let r = try s.get(page, ["Accept-Encoding": encoding.rawValue])
            #expect(r.headers["content-encoding"] == encoding.rawValue)
            #expect(r.headers["vary"] == "Accept-Encoding")
            // The served page (with the reload script) compressed, at the preview's levels.
            #expect(r.body == OnTheFly.compress(plain.body, encoding))
            #expect(r.body.count < plain.body.count)
            let head = try s.client().request("HEAD", page, headers: ["Accept-Encoding": encoding.rawValue])
            #expect(head.headers["content-length"] == String(r.body.count))
            let tag = try #require(r.headers["etag"])
            tags.insert(tag)
            #expect(try s.get(page, ["Accept-Encoding": encoding.rawValue, "If-None-Match": tag]).status == 304)
        }
        #expect(tags.count == 3)
        #expect(s.server.bodies.compressions == before + 2)
        // Many requests at once, and again later: still compressed once per coding.
        let port = s.port
        DispatchQueue.concurrentPerform(iterations: 12) { i in
            _ = try? RawHTTP(port: port).request("GET", page, headers: ["Accept-Encoding": i % 2 == 0 ? "br" : "gzip"])
        }
        let css = try #require(try HTMLDocument(plain.text).links(rel: "stylesheet").first)
        let cssBefore = s.server.bodies.compressions
        DispatchQueue.concurrentPerform(iterations: 12) { _ in
            _ = try? RawHTTP(port: port).request("GET", css, headers: ["Accept-Encoding": "br"])
        }
        #expect(s.server.bodies.compressions == cssBefore + 1)
        #expect(cssBefore == before + 2)
        // Small files and types that do not compress go as they are, without Vary for the latter.
        #expect(try s.get("/robots.txt", ["Accept-Encoding": "br"]).headers["content-encoding"] == nil)
        try s.site.write("output/picture.png", [UInt8](repeating: 7, count: 4096))
        let png = try s.get("/picture.png", ["Accept-Encoding": "br, gzip"])
        #expect(png.headers["content-encoding"] == nil)
        #expect(png.headers["vary"] == nil)
        // A new version of the page is compressed anew, under a new validator.
        let events = try s.client()
        _ = try events.openEvents(LiveReload.eventsPath)
        try s.site.write("content/nomad.txt", Self.nomad.replacingOccurrences(of: "very little ceremony", with: "hardly any ceremony"))
        #expect(try events.nextEvent(named: "reload", timeout: 3) != nil)
        let newer = try s.get(page, ["Accept-Encoding": "br"])
        #expect(!tags.contains(try #require(newer.headers["etag"])))
        #expect(s.server.bodies.compressions == cssBefore + 2)
    }
}
