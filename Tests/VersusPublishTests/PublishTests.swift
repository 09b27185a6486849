import Foundation
import Testing
import VersusCore
import VersusTestSupport
@testable import VersusPublish

/// AWS's worked Signature Version 4 examples for S3 (access key AKIAIOSFODNN7EXAMPLE,
/// bucket examplebucket, 24 May 2013), checked at every stage.
@Suite struct SigV4Tests {
    let signer = SigV4(credentials: .init(accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                       region: "us-east-1")
    let date = "20130524T000000Z"
    let empty = SigV4.emptyPayloadHash

    @Test func getObject() {
        let r = SigV4.Request(method: "GET", path: "/test.txt", headers: [
            "Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9", "x-amz-content-sha256": empty, "x-amz-date": date,
        ], payloadHash: empty)
        #expect(SigV4.canonicalRequest(r) == """
        GET
        /test.txt

        host:examplebucket.s3.amazonaws.com
        range:bytes=0-9
        x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        x-amz-date:20130524T000000Z

        host;range;x-amz-content-sha256;x-amz-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """)
        #expect(signer.stringToSign(r, amzDate: date) == """
        AWS4-HMAC-SHA256
        20130524T000000Z
        20130524/us-east-1/s3/aws4_request
        7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
        """)
        #expect(signer.signature(r, amzDate: date) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signer.authorization(r, amzDate: date) == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func putObject() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let hash = SigV4.sha256Hex(body)
        #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let r = SigV4.Request(method: "PUT", path: "/" + SigV4.encode("test$file.text", keepSlash: true), headers: [
            "Date": "Fri, 24 May 2013 00:00:00 GMT", "Host": "examplebucket.s3.amazonaws.com", "x-amz-content-sha256": hash,
            "x-amz-date": date, "x-amz-storage-class": "REDUCED_REDUNDANCY",
        ], payloadHash: hash)
        #expect(r.path == "/test%24file.text")
        #expect(signer.stringToSign(r, amzDate: date).hasSuffix("9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"))
        #expect(signer.signature(r, amzDate: date) == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycle() {
        let r = SigV4.Request(method: "GET", path: "/", query: [("lifecycle", "")], headers: [
            "Host": "examplebucket.s3.amazonaws.com", "x-amz-content-sha256": empty, "x-amz-date": date,
        ], payloadHash: empty)
        #expect(SigV4.canonicalRequest(r).split(separator: "\n", omittingEmptySubsequences: false)[2] == "lifecycle=")
        #expect(signer.signature(r, amzDate: date) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjects() {
        let r = SigV4.Request(method: "GET", path: "/", query: [("prefix", "J"), ("max-keys", "2")], headers: [
            "Host": "examplebucket.s3.amazonaws.com", "x-amz-content-sha256": empty, "x-amz-date": date,
        ], payloadHash: empty)
        #expect(SigV4.canonicalQuery(r.query) == "max-keys=2&prefix=J")
        #expect(signer.stringToSign(r, amzDate: date).hasSuffix("df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"))
        #expect(signer.signature(r, amzDate: date) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func encodingAndDates() {
        #expect(SigV4.encode("a b/c~d_e.f-g+h=") == "a%20b%2Fc~d_e.f-g%2Bh%3D")
        #expect(SigV4.encode("guides/sso/index.html", keepSlash: true) == "guides/sso/index.html")
        #expect(SigV4.encode("café") == "caf%C3%A9")
        #expect(SigV4.amzDate(Date(timeIntervalSince1970: 1_369_353_600)) == "20130524T000000Z")
        let signed = signer.sign(.init(method: "GET", path: "/", headers: ["host": "h"], payloadHash: empty), date: Date(timeIntervalSince1970: 0))
        #expect(signed["x-amz-date"] == "19700101T000000Z")
        #expect(signed["Authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/19700101/us-east-1/s3/aws4_request") == true)
        let withToken = SigV4(credentials: .init(accessKey: "A", secretKey: "B", sessionToken: "T"), region: "r")
            .sign(.init(method: "GET", path: "/", headers: ["host": "h"], payloadHash: empty), date: Date())
        #expect(withToken["x-amz-security-token"] == "T")
        #expect(withToken["Authorization"]?.contains("x-amz-security-token") == true)
        #expect(SigV4.Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "a"]) == nil)
        #expect(SigV4.Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])?.sessionToken == nil)
    }
}

/// Publishing to a real S3-compatible server (moto) on loopback.
@Suite(.serialized)
struct PublishTests {
    static let sources: [String: String] = [
        "nomad.txt": nomadSource + "\n",
        "docker.txt": "Docker vs Podman\nDocker vs Podman for Platform Teams\nPodman Focus\nPodman runs containers without a daemon and maps cleanly onto systemd units on a single host.\nThe Technical Breakdown\nDocker relies on a long-running daemon, while Podman forks containers directly from the command line.\n",
    ]

    /// The bucket keys of an output file and its compressed copies.
    static func objectKeys(_ path: String, _ variants: [ManifestEntry.Variant]) -> [String] {
        let key = String(path.dropFirst())
        return [key] + variants.map { key + $0.encoding.suffix }
    }

    /// A bucket name no other test uses.
    static func freshBucket() -> String { "site-" + UUID().uuidString.lowercased().prefix(12) }

    struct World {
        let moto: MotoServer
        let site: FixtureSite
        let client: S3Client
        let target: Publisher.Target

        init(prefix: String = "") async throws {
            moto = try #require(MotoServer.shared)
            site = try FixtureSite(PublishTests.sources)
            let bucket = PublishTests.freshBucket()
            var client = S3Client(endpoint: moto.endpoint, region: "us-east-1", bucket: bucket,
                                  credentials: .init(accessKey: "testing", secretKey: "testing"))
            client.listPageSize = 7   // so listing goes through several pages
            self.client = client
            target = Publisher.Target(endpoint: moto.endpoint, region: "us-east-1", bucket: bucket, prefix: prefix)
            try await client.createBucket()
            try await site.build(compress: true)
        }

        func options(_ configure: (inout Publisher.Options) -> Void = { _ in }) -> Publisher.Options {
            var o = Publisher.Options(output: site.root + "/output", origin: "https://fixture.example.com",
                                      purgeList: site.root + "/purge.txt", indexNowFile: site.root + "/indexnow.json")
            o.uploadCopies = true   // the build made copies; a self-hosting target serves them
            configure(&o)
            return o
        }

        func publish(_ configure: (inout Publisher.Options) -> Void = { _ in }) async throws -> Publisher.Report {
            try await Publisher.publish(options(configure), client: client, target: target)
        }

        func keys() async throws -> Set<String> { Set(try await client.list(prefix: "").map(\.key)) }
    }

    @Test func firstPublishUploadsEverythingWithItsHeaders() async throws {
        let w = try await World()
        let report = try await w.publish()
        let manifest = try #require(Manifest.parse(try FileIO.disk.read(w.site.root + "/output" + Manifest.path)))
        let published = manifest.filter { $0.path != "/_headers" && $0.path != "/_redirects" }
        var expected = Set<String>(["versus-manifest.json"])
        for e in published { expected.formUnion(PublishTests.objectKeys(e.path, e.variants)) }
        #expect(try await w.keys() == expected)
        #expect(report.plan.uploads.count == expected.count)
        // Assets go before pages, pages before sitemaps and the feed, the manifest last.
        let phases = report.plan.uploads.map(\.phase)
        #expect(phases == phases.sorted())
        #expect(report.plan.uploads.last?.key == "versus-manifest.json")

        for entry in manifest where entry.path != "/_headers" && entry.path != "/_redirects" {
            let key = String(entry.path.dropFirst())
            let head = try #require(try await w.client.head(key: key), "\(key)")
            #expect(head["content-type"] == entry.contentType, "\(key)")
            #expect(head["cache-control"] == entry.cacheControl, "\(key)")
            #expect(head["content-encoding"] == nil, "\(key)")
            #expect(head["x-amz-meta-sha256"] == entry.sha256, "\(key)")
            for v in entry.variants {
                let h = try #require(try await w.client.head(key: key + v.encoding.suffix))
                #expect(h["content-encoding"] == v.encoding.rawValue)
                #expect(h["content-type"] == entry.contentType)
            }
        }
        let page = try #require(try await w.client.head(key: "kubernetes-vs-nomad/index.html"))
        #expect(page["cache-control"] == "public, max-age=300, must-revalidate")
        let css = try #require(manifest.first { $0.path.hasPrefix("/assets/style.") && $0.path.hasSuffix(".css") })
        #expect(try await w.client.head(key: String(css.path.dropFirst()))?["cache-control"] == "public, max-age=31536000, immutable")
        // The bytes arrive intact.
        let body = try #require(try await w.client.get(key: "kubernetes-vs-nomad/index.html"))
        #expect(body == (try FileIO.disk.read(w.site.root + "/output/kubernetes-vs-nomad/index.html")))
    }

    @Test func copiesStayHomeUnlessTheTargetServesThem() async throws {
        let world = try await World()
        let report = try await world.publish { $0.uploadCopies = false }
        let keys = try await world.keys()
        #expect(report.uploadedBytes > 0)
        #expect(keys.contains("kubernetes-vs-nomad/index.html"))
        #expect(!keys.contains { $0.hasSuffix(".br") || $0.hasSuffix(".gz") }, "\(keys.sorted())")
    }

    @Test func aSecondPublishUploadsNothing() async throws {
        let w = try await World()
        _ = try await w.publish()
        let again = try await w.publish()
        #expect(again.plan.uploads.isEmpty)
        #expect(again.changedURLs.isEmpty)
        #expect(try FileIO.disk.readString(w.site.root + "/purge.txt") == "")
    }

    @Test func editingOneSourceUploadsExactlyWhatChanged() async throws {
        let w = try await World()
        _ = try await w.publish()
        try w.site.write("content/nomad.txt", PublishTests.sources["nomad.txt"]!.replacingOccurrences(of: "very little ceremony", with: "no ceremony"))
        let build = try await w.site.build(compress: true)
        #expect(build.written.contains("/kubernetes-vs-nomad/index.html"))
        let manifest = try #require(Manifest.parse(try FileIO.disk.read(w.site.root + "/output" + Manifest.path)))
        let variants = Dictionary(uniqueKeysWithValues: manifest.map { ($0.path, $0.variants) })
        // Exactly the files the build rewrote (with their compressed copies), and the manifest.
        var expected = Set<String>(["versus-manifest.json"])
        for path in build.written { expected.formUnion(PublishTests.objectKeys(path, variants[path] ?? [])) }
        let report = try await w.publish()
        #expect(Set(report.plan.uploads.map(\.key)) == expected)
        let purged = try FileIO.disk.readString(w.site.root + "/purge.txt").split(separator: "\n").map(String.init)
        var expectedURLs = Set<String>(["https://fixture.example.com/versus-manifest.json"])
        for path in build.written {
            expectedURLs.insert("https://fixture.example.com" + (path.hasSuffix("/index.html") ? String(path.dropLast(10)) : path))
        }
        #expect(Set(purged) == expectedURLs)
        #expect(purged.contains("https://fixture.example.com/kubernetes-vs-nomad/"))
        #expect(try await w.client.get(key: "kubernetes-vs-nomad/index.html").map { String(decoding: $0, as: UTF8.self).contains("no ceremony") } == true)
    }

    /// A publish that stopped after uploading a changed page, and the one that finishes it: the
    /// page is recognised in the bucket and not uploaded again, but its URL is in the purge list
    /// all the same (a CDN kept serving the old page: the interrupted run wrote no list, the
    /// finishing one listed only its own uploads).
    @Test func thePurgeListHoldsWhatAnInterruptedPublishUploaded() async throws {
        let w = try await World()
        _ = try await w.publish()
        try w.site.write("content/nomad.txt", PublishTests.sources["nomad.txt"]!.replacingOccurrences(of: "very little ceremony", with: "no ceremony"))
        try await w.site.build(compress: true)
        // What the stopped publish did: the page uploaded with its headers, no manifest.
        let page = try #require(Manifest.parse(try FileIO.disk.read(w.site.root + "/output" + Manifest.path))?.first { $0.path == "/kubernetes-vs-nomad/index.html" })
        try await w.client.put(key: "kubernetes-vs-nomad/index.html", body: try FileIO.disk.read(w.site.root + "/output/kubernetes-vs-nomad/index.html"),
                               headers: ["Content-Type": page.contentType, "Cache-Control": page.cacheControl, "x-amz-meta-sha256": page.sha256])
        let report = try await w.publish()
        #expect(!report.plan.uploads.map(\.key).contains("kubernetes-vs-nomad/index.html"))
        #expect(report.changedURLs.contains("https://fixture.example.com/kubernetes-vs-nomad/"))
        #expect(try FileIO.disk.readString(w.site.root + "/purge.txt").contains("https://fixture.example.com/kubernetes-vs-nomad/\n"))
        // Once finished, nothing is left to purge.
        #expect(try await w.publish().changedURLs.isEmpty)
    }

    /// Another site published below this one's target (`staging/`, with its own manifest) is not
    /// this site's to delete: a `--delete` from the bucket's root took its objects for strays.
    @Test func anotherSitesFolderIsNoStray() async throws {
        let w = try await World()
        _ = try await w.publish()
        for key in ["staging/versus-manifest.json", "staging/index.html", "old-page/index.html"] {
            try await w.client.put(key: key, body: Array("x".utf8), headers: ["Content-Type": "text/html; charset=utf-8"])
        }
        let report = try await w.publish { $0.delete = true }
        #expect(report.plan.deletes == ["old-page/index.html"])
        let keys = try await w.keys()
        #expect(keys.contains("staging/index.html") && keys.contains("staging/versus-manifest.json") && !keys.contains("old-page/index.html"))
    }

    @Test func deletesOnlyWhenAskedAndNeverMassDeletes() async throws {
        let w = try await World()
        _ = try await w.publish()
        try w.site.remove("content/docker.txt")
        try await w.site.build(compress: true)
        // Without --delete the old page stays, and is reported.
        let kept = try await w.publish()
        #expect(kept.plan.deletes.isEmpty)
        #expect(kept.plan.strays.contains("docker-vs-podman/index.html"))
        #expect(try await w.keys().contains("docker-vs-podman/index.html"))
        // --max-deletes below the count: refused, nothing changed.
        let before = try await w.keys()
        await #expect(throws: Publisher.Refusal.self) {
            _ = try await w.publish { $0.delete = true; $0.maxDeletes = 1 }
        }
        #expect(try await w.keys() == before)
        // --delete within the limit removes the page (and its compressed copies and empty hubs).
        let deleted = try await w.publish { $0.delete = true }
        #expect(deleted.plan.deletes.contains("docker-vs-podman/index.html"))
        #expect(deleted.changedURLs.contains("https://fixture.example.com/docker-vs-podman/"))
        let after = try await w.keys()
        #expect(!after.contains { $0.hasPrefix("docker-vs-podman/") || $0.hasPrefix("subjects/podman/") })
        #expect(after.contains("kubernetes-vs-nomad/index.html"))
    }

    @Test func aDryRunChangesNothing() async throws {
        let w = try await World()
        let dry = try await w.publish { $0.dryRun = true; $0.indexNowKey = "a1b2c3d4e5f6" }
        #expect(!dry.plan.uploads.isEmpty)
        #expect(try await w.keys().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: w.site.root + "/purge.txt"))
        #expect(!FileManager.default.fileExists(atPath: w.site.root + "/output/a1b2c3d4e5f6.txt"))
        _ = try await w.publish()
        try w.site.remove("content/docker.txt")
        try await w.site.build(compress: true)
        let before = try await w.keys()
        let plan = try await w.publish { $0.dryRun = true; $0.delete = true }
        #expect(!plan.plan.deletes.isEmpty)
        #expect(try await w.keys() == before)
    }

    @Test func anInterruptedPublishIsFinishedByTheNextOne() async throws {
        let w = try await World()
        _ = try await w.publish()
        // As if the last run stopped before its final step: the stored manifest is gone.
        try await w.client.delete(keys: ["versus-manifest.json"])
        let next = try await w.publish()
        // Objects already in the bucket are recognised by their content (ETag) and headers, not uploaded again.
        #expect(next.plan.uploads.map(\.key) == ["versus-manifest.json"])
    }

    /// The same bytes with other headers (put there by another tool, or by a publish whose manifest
    /// is lost) are uploaded again: a match of the bytes alone kept a page served as a download,
    /// and the new manifest recorded it as right, so no later publish fixed it.
    @Test func anObjectOfTheSameBytesWithOtherHeadersIsUploadedAgain() async throws {
        let w = try await World()
        _ = try await w.publish()
        try await w.client.delete(keys: ["versus-manifest.json"])
        let page = try FileIO.disk.read(w.site.root + "/output/index.html")
        try await w.client.put(key: "index.html", body: page, headers: ["Content-Type": "binary/octet-stream"])
        let next = try await w.publish()
        #expect(next.plan.uploads.map(\.key).sorted() == ["index.html", "versus-manifest.json"])
        let headers = try #require(try await w.client.head(key: "index.html"))
        #expect(headers["content-type"] == "text/html; charset=utf-8" && headers["cache-control"] != nil, "\(headers)")
        #expect(try await w.publish().plan.uploads.isEmpty)
    }

    @Test func indexNowAndPrefix() async throws {
        let w = try await World(prefix: "/www/")
        let report = try await w.publish { $0.indexNowKey = "a1b2c3d4e5f6" }
        let keys = try await w.keys()
        #expect(keys.allSatisfy { $0.hasPrefix("www/") })
        #expect(keys.contains("www/a1b2c3d4e5f6.txt"))
        #expect(try await w.client.get(key: "www/a1b2c3d4e5f6.txt") == Array("a1b2c3d4e5f6".utf8))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(try FileIO.disk.read(w.site.root + "/indexnow.json"))) as? [String: Any])
        #expect(body["host"] as? String == "fixture.example.com")
        #expect(body["key"] as? String == "a1b2c3d4e5f6")
        #expect(body["keyLocation"] as? String == "https://fixture.example.com/a1b2c3d4e5f6.txt")
        let urls = try #require(body["urlList"] as? [String])
        #expect(urls.contains("https://fixture.example.com/kubernetes-vs-nomad/"))
        #expect(!urls.contains { $0.hasSuffix(".xml") || $0.hasSuffix(".css") })
        #expect(report.indexNow != nil)
        await #expect(throws: Publisher.Refusal.self) { _ = try await w.publish { $0.indexNowKey = "no!" } }
    }
}
