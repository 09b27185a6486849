import Foundation
import Testing
import VersusCore
import VersusTestSupport
@testable import VersusPublish

/// The upload order: a publish cut short at any point leaves a site whose every reachable
/// link leads to an object in the bucket.
@Suite struct PublishOrderTests {
    @Test func phaseFollowsWhatThePathIs() {
        let cases: [(String, Bool, Publisher.Phase)] = [
            ("/assets/style.0123abcd.css", false, .assets),
            ("/assets/favicon.0123abcd.svg", false, .assets),
            ("/a1b2c3d4e5f6.txt", false, .assets),
            ("/images/chart.png", false, .assets),
            ("/kubernetes-vs-nomad/index.html", false, .pages),
            ("/guides/sso/index.html", false, .pages),
            ("/nomad-vs-kubernetes/index.html", true, .redirects),
            ("/subjects/nomad/index.html", false, .hubs),
            ("/subjects/index.html", false, .listings),
            ("/page/2/index.html", false, .listings),
            ("/feed.xml", false, .listings),
            ("/index.html", false, .home),
            ("/404.html", false, .notFound),
            ("/sitemap-1.xml", false, .sitemapParts),
            ("/sitemap.xml", false, .sitemap),
            ("/robots.txt", false, .robots),
            ("/versus-manifest.json", false, .manifest),
        ]
        for (path, redirect, phase) in cases {
            #expect(Publisher.Phase.of(path, isRedirect: redirect) == phase, "\(path)")
        }
    }
}

/// Cuts a publish short after each upload in turn (the stand-in refuses every PUT past the
/// Nth, as if the process were killed there) and checks what a visitor would see.
@Suite
struct InterruptedPublishTests {
    static let origin = "https://fixture.example.com"
    static let config = "title: \"Fixture Site\"\nbase_url: \"\(origin)\"\ndescription: \"A fixture site for tests: small comparisons of tools, built end to end and checked by parsing the output.\"\nindex: { page_size: 1 }\n"

    static let v1: [String: String] = [
        "nomad.txt": nomadSource + "\n",
        "docker.txt": "Docker vs Podman\nDocker vs Podman for Platform Teams\nPodman Focus\nPodman runs containers without a daemon and maps cleanly onto systemd units on a single host.\nThe Technical Breakdown\nDocker relies on a long-running daemon, while Podman forks containers directly from the command line.\n",
    ]
    /// v1 with a page edited, one removed, and two added: one with a new subject, and a
    /// document with an alias.
    static let v2: [String: String] = [
        "nomad.txt": nomadSource.replacingOccurrences(of: "very little ceremony", with: "no ceremony") + "\n",
        "rancher.txt": "Kubernetes vs Rancher\nKubernetes vs Rancher for Platform Teams\nRancher Focus\nRancher manages many Kubernetes clusters from one place, with its own access control and catalog.\nThe Technical Breakdown\nKubernetes runs the workloads, while Rancher provisions and upgrades the clusters that run them.\n",
        "guides/sso.md": "---\ntitle: \"Single sign-on for platform tools\"\ndescription: \"How the platform tools compared on this site handle single sign-on, and what to check before you pick one.\"\naliases: [\"/sso/\"]\n---\n\nSingle sign-on keeps one identity across every tool a platform team runs, from schedulers to registries.\n",
    ]

    /// Links a visitor or crawler can follow from the site's entry points (the home page, the
    /// 404 page, the sitemap, robots.txt) that lead to no object: "from → to".
    static func brokenLinks(_ objects: [String: [UInt8]]) -> (broken: [String], reached: Set<String>) {
        func key(_ link: String) -> String? {
            var path = link.hasPrefix(origin) ? String(link.dropFirst(origin.count)) : link
            guard path.hasPrefix("/"), !path.hasPrefix("//") else { return nil }
            if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = String(path[..<cut]) }
            return String((path.hasSuffix("/") ? path + "index.html" : path).dropFirst())
        }
        let patterns = [#"href="([^"]+)""#, #"<loc>([^<]+)</loc>"#, #"(?m)^Sitemap: (\S+)"#].map { try! NSRegularExpression(pattern: $0) }
        var queue = ["index.html", "404.html", "sitemap.xml", "robots.txt"].filter { objects[$0] != nil }
        var reached = Set(queue), broken: Set<String> = []
        while let from = queue.popLast() {
            let text = String(decoding: objects[from]!, as: UTF8.self)
            let range = NSRange(text.startIndex..., in: text)
            for pattern in patterns {
                for m in pattern.matches(in: text, range: range) {
                    guard let r = Range(m.range(at: 1), in: text), let to = key(String(text[r])) else { continue }
                    if objects[to] == nil {
                        broken.insert("\(from) → \(to)")
                    } else if reached.insert(to).inserted {
                        queue.append(to)
                    }
                }
            }
        }
        return (broken.sorted(), reached)
    }

    func site(_ sources: [String: String]) async throws -> FixtureSite {
        let site = try FixtureSite(sources, config: InterruptedPublishTests.config)
        try await site.build()
        return site
    }

    func options(_ site: FixtureSite, concurrency: Int, delete: Bool = false) -> Publisher.Options {
        var o = Publisher.Options(output: site.root + "/output", origin: InterruptedPublishTests.origin,
                                  purgeList: site.root + "/purge.txt", indexNowFile: site.root + "/indexnow.json")
        o.concurrency = concurrency
        o.delete = delete
        return o
    }

    static func client(_ server: FaultS3) -> S3Client {
        var limits = NetworkLimits()
        limits.retries = 0
        return S3Client(endpoint: server.endpoint, region: "us-east-1", bucket: "site", credentials: FaultTests.credentials, limits: limits)
    }

    /// Publishes `site` over the bucket saved as `saved`, cut after each upload in turn.
    func cutEverywhere(_ site: FixtureSite, over saved: String, server: FaultS3, concurrency: Int, delete: Bool = false,
                       check: ([String: [UInt8]], Int) -> Void) async throws -> Int {
        let client = InterruptedPublishTests.client(server)
        let target = Publisher.Target(endpoint: server.endpoint, region: "us-east-1", bucket: "site")
        let options = options(site, concurrency: concurrency, delete: delete)
        try server.control("restore=" + saved)
        let total = try await Publisher.plan(options, client: client, target: target).uploads.count
        for cut in 0...total {
            try server.control("restore=\(saved)&mode=cut-after:\(cut)")
            do {
                _ = try await Publisher.publish(options, client: client, target: target)
                #expect(cut == total, "the publish went through although cut after \(cut) of \(total) uploads")
            } catch let f as NetworkFailure {
                #expect(cut < total && f.status == 403, "\(f)")
            }
            check(try server.objects(in: "site"), cut)
        }
        return total
    }

    @Test func aFirstPublishCutShortLinksNowhere() async throws {
        let server = try await FaultS3.start()
        try server.control("save=empty")
        let v1 = try await site(InterruptedPublishTests.v1)
        var complete: Set<String> = []
        for concurrency in [1, 4] {
            let total = try await cutEverywhere(v1, over: "empty", server: server, concurrency: concurrency) { objects, cut in
                let (broken, reached) = InterruptedPublishTests.brokenLinks(objects)
                #expect(broken.isEmpty, "concurrency \(concurrency), cut after \(cut): \(broken)")
                complete = reached
            }
            #expect(total > 10)
        }
        // Once complete, every page is reachable.
        let pages = try FileIO.disk.list(v1.root + "/output").filter { $0.hasSuffix(".html") }
        #expect(pages.allSatisfy { complete.contains($0) }, "\(pages.filter { !complete.contains($0) })")
    }

    @Test func aRepublishCutShortLinksNowhere() async throws {
        let server = try await FaultS3.start()
        try server.control("save=empty")
        let v1 = try await site(InterruptedPublishTests.v1)
        let v2 = try await site(InterruptedPublishTests.v2)
        _ = try await Publisher.publish(options(v1, concurrency: 8), client: InterruptedPublishTests.client(server),
                                        target: Publisher.Target(endpoint: server.endpoint, region: "us-east-1", bucket: "site"))
        try server.control("save=v1")
        let v1Keys = Set(try server.objects(in: "site").keys)
        let v2Manifest = try FileIO.disk.read(v2.root + "/output/versus-manifest.json")
        for concurrency in [1, 4] {
            _ = try await cutEverywhere(v2, over: "v1", server: server, concurrency: concurrency, delete: true) { objects, cut in
                let (broken, _) = InterruptedPublishTests.brokenLinks(objects)
                #expect(broken.isEmpty, "concurrency \(concurrency), cut after \(cut): \(broken)")
                // Deletes come only after every upload succeeded.
                if objects["versus-manifest.json"] != v2Manifest {
                    #expect(v1Keys.isSubset(of: objects.keys), "cut after \(cut): deleted \(v1Keys.subtracting(objects.keys).sorted())")
                }
            }
        }
        let after = try server.objects(in: "site")
        #expect(after["docker-vs-podman/index.html"] == nil)
        #expect(after["subjects/rancher/index.html"] != nil)
    }
}
