import Crypto
import Foundation
import VersusCore

/// `versus publish`: puts the built site in an S3-compatible bucket, uploading only
/// what changed, in an order that never leaves a live page linking to something not yet
/// uploaded (see `Phase` and `Item.step`), deleting only when asked (and never past a
/// limit), and telling the CDN and search engines exactly which URLs changed.
public enum Publisher {
    public struct Target: Sendable {
        public var endpoint: URL
        public var region: String
        public var bucket: String
        /// A folder in the bucket (`site/`); empty for the bucket's root.
        public var prefix: String

        public init(endpoint: URL, region: String, bucket: String, prefix: String = "") {
            self.endpoint = endpoint
            self.region = region
            self.bucket = bucket
            var p = prefix.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if !p.isEmpty { p += "/" }
            self.prefix = p
        }

        /// What is wrong with a folder in the bucket, if anything: keys are used as written, so
        /// `a/../b` or `x//y` would be other folders than the ones meant (and a `--delete` from the
        /// bucket's root would take another prefix's objects for strays).
        public static func prefixProblem(_ prefix: String) -> String? {
            if prefix.contains("//") || SitePath.hasOddFolder(prefix) {
                return "prefix '\(prefix)' has an empty, '.' or '..' folder; write it as folders joined by one '/', such as site/en"
            }
            if prefix.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) {
                return "prefix '\(prefix)' has a control character or a backslash"
            }
            return nil
        }
    }

    public struct Options: Sendable {
        public var output: String
        /// The site's origin, for the URLs in the purge list and IndexNow.
        public var origin: String
        public var delete = false
        public var maxDeletes = 256
        public var dryRun = false
        public var concurrency = 8
        public var indexNowKey: String?
        public var indexNowEndpoint: URL?
        /// Where the changed URLs are written (one per line).
        public var purgeList: String
        /// Where the IndexNow body is written when there is no endpoint to post it to.
        public var indexNowFile: String
        public var progress: (@Sendable (Progress) -> Void)?
        /// Upload the precompressed copies as objects of their own (`publish.upload_copies`).
        public var uploadCopies = false

        public init(output: String, origin: String, purgeList: String, indexNowFile: String) {
            self.output = output
            self.origin = origin
            self.purgeList = purgeList
            self.indexNowFile = indexNowFile
        }
    }

    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var bytes: Int
    }

    /// One object to put in the bucket.
    public struct Item: Sendable, Hashable {
        public var key: String
        /// The file in the output folder (`/x/index.html.br`).
        public var file: String
        /// The site path it answers (`/x/index.html`).
        public var sitePath: String
        public var sha256: String
        public var size: Int
        public var headers: [String: String]
        public var phase: Phase
        /// Whether the bucket already has an object at this key (set by the plan).
        public var replaces = false

        /// When the item goes up: objects new to the bucket first, phase by phase (nothing
        /// live links to them yet, so until the whole step is done they are invisible); then
        /// those that replace live objects, phase by phase (everything they link to is in the
        /// bucket by then); the manifest last. Each step finishes before the next starts.
        public var step: Int {
            if phase == .manifest { return 2 * Phase.allCases.count }
            return (replaces ? Phase.allCases.count : 0) + phase.rawValue
        }
    }

    /// What an object is, which decides when it goes up: each phase holds what the phases
    /// after it link to, so a visitor who can reach a page finds everything it links to.
    public enum Phase: Int, Sendable, Comparable, CaseIterable {
        /// Fingerprinted files under /assets/ and every other file that is not a page or
        /// one of the site files below (images, the IndexNow key file…): pages link to them.
        case assets
        /// Comparison and document pages.
        case pages
        /// Alias stubs, which point at pages.
        case redirects
        /// Subject hubs (`/subjects/<subject>/`), which list pages.
        case hubs
        /// The subject list (`/subjects/`), index pages after the first (`/page/N/`) and the
        /// feed, which list pages and hubs. (Every page links to the feed.)
        case listings
        /// The home page, which links to all of the above.
        case home
        /// The 404 page, which links home.
        case notFound
        /// Parts of a split sitemap (`/sitemap-N.xml`), which list every page.
        case sitemapParts
        /// `/sitemap.xml`, which lists every page, or the parts.
        case sitemap
        /// `/robots.txt`, which names the sitemap.
        case robots
        /// The manifest, which records what the bucket holds once everything else is there.
        case manifest

        /// The phase of an output path (`/x/index.html`); `isRedirect` for alias stubs.
        public static func of(_ path: String, isRedirect: Bool = false) -> Phase {
            switch path {
            case Manifest.path: return .manifest
            case "/robots.txt": return .robots
            case "/sitemap.xml": return .sitemap
            case _ where Sitemap.isSitemap(path): return .sitemapParts
            case "/404.html": return .notFound
            case "/index.html": return .home
            case Feed.path, "/subjects/index.html": return .listings
            case _ where path.hasPrefix("/page/") && path.hasSuffix("/index.html"): return .listings
            case _ where path.hasPrefix("/subjects/") && path.hasSuffix("/index.html"): return .hubs
            case _ where isRedirect: return .redirects
            case _ where path.hasSuffix(".html"): return .pages
            default: return .assets
            }
        }

        public static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Plan: Sendable {
        /// In upload order (by `Item.step`, then key).
        public var uploads: [Item]
        public var skipped: [Item]
        /// Skipped objects whose bytes the last complete publish did not record (an interrupted
        /// publish since uploaded them): changed all the same, for the purge list and IndexNow.
        public var recognised: [Item] = []
        /// Keys that will be deleted (only with `--delete`).
        public var deletes: [String]
        /// Keys in the bucket that the site no longer has.
        public var strays: [String]
    }

    public struct Report: Sendable {
        public var plan: Plan
        public var uploadedBytes: Int
        public var seconds: Double
        /// The URLs whose content changed (uploaded or deleted), for CDN invalidation.
        public var changedURLs: [String]
        /// The IndexNow request body, when a key was given.
        public var indexNow: String?
    }

    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    // MARK: Planning

    /// Compares the output's manifest with the bucket's listing and its stored manifest.
    public static func plan(_ options: Options, client: S3Client, target: Target) async throws -> Plan {
        let local = try localItems(options, target: target)
        let listing = Dictionary(try await client.list(prefix: target.prefix).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let remoteManifest = try await client.get(key: target.prefix + String(Manifest.path.dropFirst()))
            .flatMap(Manifest.parse) ?? []
        // What the last publish recorded for each key: digest, type, cache-control, encoding.
        var recorded: [String: (sha: String, type: String, cache: String)] = [:]
        for e in remoteManifest {
            let key = target.prefix + e.path.dropFirst()
            recorded[key] = (e.sha256, e.contentType, e.cacheControl)
            for v in e.variants { recorded[key + v.encoding.suffix] = (v.sha256, e.contentType, e.cacheControl) }
        }

        var uploads: [Item] = [], skipped: [Item] = []
        var unrecorded: [Item] = []   // the same bytes, headers no manifest records
        var recognised: [Item] = []
        for var item in local {
            item.replaces = listing[item.key] != nil
            guard let remote = listing[item.key], remote.size == item.size else { uploads.append(item); continue }
            let headersMatch = { (r: (sha: String, type: String, cache: String)) in
                r.type == item.headers["Content-Type"] && r.cache == item.headers["Cache-Control"]
            }
            if let r = recorded[item.key], r.sha == item.sha256, headersMatch(r) {
                skipped.append(item)
            } else if remote.etag.count == 32, remote.etag == (try md5(options.output + item.file)) {
                // Same bytes as an earlier (perhaps interrupted) upload: kept when its headers are
                // this build's, as recorded, or else as the object has them.
                if let r = recorded[item.key] {
                    if headersMatch(r) { skipped.append(item); recognised.append(item) } else { uploads.append(item) }
                } else {
                    unrecorded.append(item)
                }
            } else {
                uploads.append(item)
            }
        }
        // Bytes alone do not make an object right: one put there by another tool (or by a publish
        // whose manifest is lost) may have another type or cache rule, which no later publish
        // would fix. Those are asked for their headers.
        for (item, headers) in try await headersOf(unrecorded, client: client, concurrency: options.concurrency) {
            // Every header this build gives it (its digest among them), and no encoding it does not.
            let same = headers.map { h in
                item.headers.allSatisfy { h[$0.key.lowercased()] == $0.value } && h["content-encoding"] == item.headers["Content-Encoding"]
            } ?? false
            if same {
                skipped.append(item)
                // (The manifest is never in the manifest it replaces.)
                if item.sitePath != Manifest.path { recognised.append(item) }
            } else {
                uploads.append(item)
            }
        }
        let localKeys = Set(local.map(\.key))
        // Objects the site no longer has, but not another site's: a folder below the target that
        // holds a manifest of its own (`staging/versus-manifest.json`) is another publish's target.
        let manifestName = String(Manifest.path.dropFirst())
        let otherSites = listing.keys.filter { $0.hasSuffix("/" + manifestName) && $0 != target.prefix + manifestName }
            .map { String($0.dropLast(manifestName.count)) }
        let strays = listing.keys.filter { key in !localKeys.contains(key) && !otherSites.contains { key.hasPrefix($0) } }.sorted()
        if options.delete && strays.count > options.maxDeletes {
            throw Refusal(description: "publishing would delete \(strays.count) objects, more than --max-deletes \(options.maxDeletes); nothing was changed. Check the target, or raise --max-deletes.")
        }
        uploads.sort { ($0.step, $0.key) < ($1.step, $1.key) }
        return Plan(uploads: uploads, skipped: skipped, recognised: recognised, deletes: options.delete ? strays : [], strays: strays)
    }

    /// Each object's headers (HEAD), `concurrency` at a time, in the items' order.
    static func headersOf(_ items: [Item], client: S3Client, concurrency: Int) async throws -> [(Item, [String: String]?)] {
        var out = [[String: String]?](repeating: nil, count: items.count)
        try await concurrently(items, limit: concurrency, { try await client.head(key: $0.key) }) { i, headers in out[i] = headers }
        return Array(zip(items, out))
    }

    /// Runs `body` on each item, at most `limit` at a time (a request each); `done` gets each
    /// result, with its item's index, as it comes.
    static func concurrently<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ body: @escaping @Sendable (T) async throws -> R,
                                                       done: (Int, R) async -> Void) async throws {
        try await withThrowingTaskGroup(of: (Int, R).self) { group in
            var next = 0
            func addNext() -> Bool {
                guard next < items.count else { return false }
                let i = next, item = items[i]
                next += 1
                group.addTask { (i, try await body(item)) }
                return true
            }
            for _ in 0..<max(1, limit) where !addNext() { break }
            while let (i, result) = try await group.next() {
                await done(i, result)
                _ = addNext()
            }
        }
    }

    /// The objects the output folder should become, from its deploy manifest.
    static func localItems(_ options: Options, target: Target) throws -> [Item] {
        guard let bytes = try? FileIO.disk.read(options.output + Manifest.path), let manifest = Manifest.parse(bytes) else {
            throw Refusal(description: "\(options.output)\(Manifest.path) is missing or unreadable; run 'versus build' first")
        }
        var items: [Item] = []
        for e in manifest where e.path != "/_headers" && e.path != "/_redirects" {
            let key = target.prefix + e.path.dropFirst()
            let phase = Phase.of(e.path, isRedirect: e.redirect != nil)
            var headers = ["Content-Type": e.contentType, "Cache-Control": e.cacheControl, "x-amz-meta-sha256": e.sha256]
            // Alias stubs get S3's website redirect header, so S3 website hosting answers 301.
            if let to = e.redirect { headers["x-amz-website-redirect-location"] = to }
            items.append(Item(key: key, file: e.path, sitePath: e.path, sha256: e.sha256, size: e.size, headers: headers, phase: phase))
            for v in e.variants where options.uploadCopies {
                items.append(Item(key: key + v.encoding.suffix, file: e.path + v.encoding.suffix, sitePath: e.path,
                                  sha256: v.sha256, size: v.size,
                                  headers: ["Content-Type": e.contentType, "Cache-Control": e.cacheControl,
                                            "Content-Encoding": v.encoding.rawValue, "x-amz-meta-sha256": v.sha256],
                                  phase: phase))
            }
        }
        // Files the publish itself adds (the IndexNow key file).
        if let key = options.indexNowKey {
            let path = "/\(key).txt"
            let body = Array(key.utf8)
            items.append(Item(key: target.prefix + path.dropFirst(), file: path, sitePath: path, sha256: Digest.sha256(body),
                              size: body.count, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=300"],
                              phase: Phase.of(path)))
        }
        // The manifest goes last: it records what the bucket holds once everything else is there.
        let manifestKey = target.prefix + Manifest.path.dropFirst()
        items.append(Item(key: manifestKey, file: Manifest.path, sitePath: Manifest.path, sha256: Digest.sha256(bytes), size: bytes.count,
                          headers: ["Content-Type": "application/json", "Cache-Control": "no-cache"], phase: Phase.of(Manifest.path)))
        return items
    }

    static func md5(_ file: String) throws -> String {
        Insecure.MD5.hash(data: try FileIO.disk.read(file)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Publishing

    public static func publish(_ options: Options, client: S3Client, target: Target) async throws -> Report {
        let start = ContinuousClock.now
        if let key = options.indexNowKey {
            guard key.count >= 8, key.count <= 128, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw Refusal(description: "an IndexNow key is 8 to 128 letters, digits or hyphens")
            }
        }
        if !options.dryRun, let key = options.indexNowKey {
            try FileIO.disk.write(options.output + "/\(key).txt", Array(key.utf8))
        }
        let plan = try await plan(options, client: client, target: target)
        let changed = changedURLs(plan, origin: options.origin, prefix: target.prefix)
        var indexNow: String?
        if let key = options.indexNowKey {
            let pages = changed.filter { $0.hasSuffix("/") || $0.hasSuffix(".html") }
            let host = URL(string: options.origin)?.host ?? ""
            indexNow = JSON.object([("host", .string(host)), ("key", .string(key)),
                                    ("keyLocation", .string(options.origin + "/\(key).txt")), ("urlList", .strings(pages))])
                .serialized(pretty: true)
        }
        if options.dryRun {
            return Report(plan: plan, uploadedBytes: 0, seconds: seconds(since: start), changedURLs: changed, indexNow: indexNow)
        }

        // Upload step by step (see `Item.step`), each step finished before the next starts.
        let total = plan.uploads.count
        let counter = Counter()
        for step in Set(plan.uploads.map(\.step)).sorted() {
            let items = plan.uploads.filter { $0.step == step }
            try await concurrently(items, limit: options.concurrency, { item in
                let body = try FileIO.disk.read(options.output + item.file)
                try await client.put(key: item.key, body: body, headers: item.headers)
                return body.count
            }) { _, bytes in
                let p = await counter.add(bytes)
                options.progress?(Progress(done: p.count, total: total, bytes: p.bytes))
            }
        }
        // Deletes come last, after everything new is live: a failed publish deletes nothing.
        if !plan.deletes.isEmpty {
            try await client.delete(keys: plan.deletes)
        }

        try FileIO.disk.write(options.purgeList, Array(changed.map { $0 + "\n" }.joined().utf8))
        if let body = indexNow {
            if let endpoint = options.indexNowEndpoint {
                try await IndexNowPoster.post(body, to: endpoint, transport: client.transport)
            } else {
                try FileIO.disk.write(options.indexNowFile, Array((body + "\n").utf8))
            }
        }
        let done = await counter.value
        return Report(plan: plan, uploadedBytes: done.bytes, seconds: seconds(since: start), changedURLs: changed, indexNow: indexNow)
    }

    /// The public URLs of everything uploaded or deleted (compressed copies fold into their page).
    /// What changed since the last complete publish: what this one uploads or deletes, and what
    /// an interrupted one uploaded since (a purge list of this run's uploads alone missed those).
    static func changedURLs(_ plan: Plan, origin: String, prefix: String) -> [String] {
        var paths = Set((plan.uploads + plan.recognised).map(\.sitePath))
        for key in plan.deletes {
            var path = "/" + key.dropFirst(prefix.count)
            for s in [".gz", ".br"] where path.hasSuffix(s) { path = String(path.dropLast(s.count)) }
            paths.insert(path)
        }
        return paths.map { path in
            origin + SitePath.url(path.hasSuffix("/index.html") ? String(path.dropLast("index.html".count)) : path)
        }.sorted()
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000
    }

    actor Counter {
        var value = (count: 0, bytes: 0)
        func add(_ bytes: Int) -> (count: Int, bytes: Int) {
            value.count += 1
            value.bytes += bytes
            return value
        }
    }
}
