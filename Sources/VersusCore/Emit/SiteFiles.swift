import Foundation

/// Site-wide files, each a pure function of the assembled site.

/// sitemaps.org 0.9: one `sitemap.xml`, or past `max_urls` URLs a `sitemap.xml`
/// index of `sitemap-1.xml`, `sitemap-2.xml`, …  Only `<loc>` and `<lastmod>`:
/// search engines ignore `changefreq` and `priority`.
public enum Sitemap {
    public struct Entry: Sendable, Hashable {
        public var path: String
        public var lastmod: Day
    }

    /// Every indexable URL of the site, in path order.
    public static func entries(_ site: Site) -> [Entry] {
        var listings: [Entry] = site.index.map { Entry(path: $0.urlPath, lastmod: site.lastmod) }
        if !site.hubs.isEmpty {
            listings.append(Entry(path: "/subjects/", lastmod: site.hubs.map(\.lastmod).max()!))
            listings += site.hubs.filter { !$0.noindex }.map { Entry(path: $0.urlPath, lastmod: $0.lastmod) }
        }
        listings.sort { $0.path < $1.path }
        // The listings are merged into the pages, not every URL sorted again.
        var pages: [Entry] = []
        pages.reserveCapacity(site.pages.count)
        for (i, page) in site.pages.enumerated() where !page.noindex {
            pages.append(Entry(path: page.urlPath, lastmod: site.plans[i].lastmod))
        }
        // Pages go in slug order, which is URL order unless one slug begins another ("a-vs-b" and
        // "a-vs-b-2": "/a-vs-b-2/" comes first); the few out of place are sorted in.
        if !zip(pages, pages.dropFirst()).allSatisfy({ $0.path < $1.path }) { pages.sort { $0.path < $1.path } }
        var out: [Entry] = []
        out.reserveCapacity(listings.count + pages.count)
        var l = 0
        for entry in pages {
            while l < listings.count, listings[l].path <= entry.path { out.append(listings[l]); l += 1 }
            out.append(entry)
        }
        out += listings[l...]
        return out
    }

    /// How many URLs `entries` lists, without listing them.
    public static func count(_ site: Site) -> Int { count(index: site.index, hubs: site.hubs, indexablePages: site.indexablePages) }

    /// The pages the sitemap lists: those search engines may index.
    static func indexable(_ pages: [PageSummary]) -> Int { pages.reduce(0) { $0 + ($1.noindex ? 0 : 1) } }

    static func count(index: [IndexPage], hubs: [Hub], indexablePages: Int) -> Int {
        index.count + (hubs.isEmpty ? 0 : 1 + hubs.reduce(0) { $0 + ($1.noindex ? 0 : 1) }) + indexablePages
    }

    /// `/sitemap.xml` and `/sitemap-N.xml`.
    public static func isSitemap(_ path: String) -> Bool {
        path.hasPrefix("/sitemap") && path.hasSuffix(".xml") && !path.dropFirst().contains("/")
    }

    /// The sitemap files a site of `count` URLs gets.
    static func paths(count: Int, config: SiteConfig) -> [String] {
        let max = Swift.max(1, Swift.min(50_000, config.sitemapMaxURLs))
        guard count > max else { return ["/sitemap.xml"] }
        return ["/sitemap.xml"] + (1...((count + max - 1) / max)).map { "/sitemap-\($0).xml" }
    }

    public static func files(_ entries: [Entry], config: SiteConfig) -> [(path: String, text: String)] {
        let max = Swift.max(1, Swift.min(50_000, config.sitemapMaxURLs))
        if entries.count <= max {
            return [("/sitemap.xml", urlset(entries, config: config))]
        }
        var files: [(String, String)] = []
        var index = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        var start = 0
        var n = 1
        while start < entries.count {
            let chunk = Array(entries[start..<Swift.min(entries.count, start + max)])
            let path = "/sitemap-\(n).xml"
            files.append((path, urlset(chunk, config: config)))
            index += "<sitemap><loc>\(Escape.xml(config.absolute(path)))</loc><lastmod>\(chunk.map(\.lastmod).max()!)</lastmod></sitemap>\n"
            start += max
            n += 1
        }
        index += "</sitemapindex>\n"
        return [("/sitemap.xml", index)] + files
    }

    static func urlset(_ entries: [Entry], config: SiteConfig) -> String {
        let origin = Array(Escape.xml(config.origin).utf8)
        // Runs of 8,192 URLs written on every core and joined (the same bytes as one pass).
        let runs = Parallel.runs(entries.count, size: 8192) { run -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(run.count * 110)
            for e in entries[run] {
                out += "<url><loc>".utf8
                out += origin
                out += Escape.xml(e.path).utf8
                out += "</loc><lastmod>".utf8
                e.lastmod.append(to: &out)
                out += "</lastmod></url>\n".utf8
            }
            return out
        }
        var out: [UInt8] = []
        out.reserveCapacity(runs.reduce(200) { $0 + $1.count })
        out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n".utf8
        for run in runs { out += run }
        out += "</urlset>\n".utf8
        return String(decoding: out, as: UTF8.self)
    }
}

public enum Robots {
    public static func text(_ config: SiteConfig) -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(config.absolute("/sitemap.xml"))\n"
    }
}

/// An Atom 1.0 feed of the comparisons, newest first.
public enum Feed {
    public static let path = "/feed.xml"

    public static func text(_ site: Site) -> String {
        let config = site.config
        let newer = { (a: Int, b: Int) -> Bool in
            let pa = site.plans[a], pb = site.plans[b]
            if pa.lastmod != pb.lastmod { return pa.lastmod > pb.lastmod }
            return site.pages[a].urlPath < site.pages[b].urlPath
        }
        // The newest `feed.entries`, kept in order while the pages go by (not a sort of every page);
        // a page that asks not to be indexed is not announced either.
        var entries: [Int] = []
        let limit = config.feedEntries
        for i in site.pages.indices where site.pages[i].kind == .comparison && !site.pages[i].noindex && limit > 0 {
            if entries.count == limit, let last = entries.last, !newer(i, last) { continue }
            var at = entries.count
            while at > 0 && newer(i, entries[at - 1]) { at -= 1 }
            entries.insert(i, at: at)
            if entries.count > limit { entries.removeLast() }
        }
        let updated = entries.first.map { site.plans[$0].lastmod } ?? site.lastmod
        var out = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(Escape.xml(config.language))">
        <title>\(Escape.xml(config.title))</title>
        <subtitle>\(Escape.xml(config.description))</subtitle>
        <link rel="self" type="application/atom+xml" href="\(Escape.xml(config.absolute(path)))"/>
        <link rel="alternate" type="text/html" href="\(Escape.xml(config.absolute("/")))"/>
        <id>\(Escape.xml(config.absolute("/")))</id>
        <updated>\(updated.timestamp)</updated>
        <author><name>\(Escape.xml(config.author ?? config.title))</name></author>
        <generator uri="https://github.com/versus-ssg/versus">Versus</generator>

        """
        for i in entries {
            let page = site.pages[i], plan = site.plans[i]
            let url = Escape.xml(config.absolute(page.urlPath))
            out += "<entry>\n"
            out += "<title>\(Escape.xml(page.title))</title>\n"
            out += "<link rel=\"alternate\" type=\"text/html\" href=\"\(url)\"/>\n"
            out += "<id>\(url)</id>\n"
            out += "<updated>\(plan.lastmod.timestamp)</updated>\n"
            if let published = plan.published { out += "<published>\(published.timestamp)</published>\n" }
            if let byline = page.byline { out += "<author><name>\(Escape.xml(byline.name))</name></author>\n" }
            out += "<summary>\(Escape.xml(plan.description))</summary>\n"
            for s in page.subjects { out += "<category term=\"\(Escape.xml(s))\"/>\n" }
            out += "</entry>\n"
        }
        return out + "</feed>\n"
    }
}

/// `_redirects` in the Netlify / Cloudflare Pages format: `from to status`.
public enum Redirects {
    public static func text(_ site: Site) -> String {
        site.redirects.map { "\($0.from) \($0.to) 301\n" }.joined()
    }
}

/// `_headers` in the Netlify / Cloudflare Pages format, and the same rules for
/// the preview server and the publisher. Rules never overlap on a header name,
/// so CDNs that merge matching rules get one value per header.
public enum Headers {
    public struct Rule: Sendable, Hashable {
        public var pattern: String
        public var headers: [(String, String)]
        public static func == (a: Rule, b: Rule) -> Bool {
            a.pattern == b.pattern && a.headers.map { $0.0 + ":" + $0.1 } == b.headers.map { $0.0 + ":" + $0.1 }
        }
        public func hash(into h: inout Hasher) { h.combine(pattern) }
    }

    public static let immutable = "public, max-age=31536000, immutable"

    public static func revalidating(_ config: SiteConfig) -> String {
        "public, max-age=\(config.headers.htmlMaxAge)" + (config.headers.mustRevalidate ? ", must-revalidate" : "")
    }

    /// The default policy: scripts, styles, fonts and requests from the site itself, images
    /// from the site or HTTPS, nothing framed, no plugins. JSON-LD is data, not script.
    /// `headers.script_hosts` adds origins to `script-src` and `connect-src` (an analytics
    /// script and the host it reports to); `headers.content_security_policy` replaces it all.
    public static func contentSecurityPolicy(_ config: SiteConfig) -> String {
        if let policy = config.headers.contentSecurityPolicy { return policy }
        let hosts = config.headers.scriptHosts.map { " " + $0 }.joined()
        return "default-src 'none'; script-src 'self'\(hosts); connect-src 'self'\(hosts); style-src 'self'; img-src 'self' https: data:; "
            + "font-src 'self'; manifest-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    }

    /// What is wrong with a header's value, if anything: it is sent as one line of `_headers`
    /// (and of an HTTP answer), so a line break or another control character would start a
    /// rule or a header of its own.
    static func valueProblem(_ value: String) -> String? {
        guard value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || !$0.isASCII }) else { return nil }
        return "must be one line of printable ASCII: it is sent as a header, where a line break would start another"
    }

    /// What is wrong with an origin for `script_hosts`, if anything: it must be a scheme and
    /// a host (`https://plausible.io`, `https://*.example.com`), nothing that could end the directive.
    static let originPattern = NSRegularExpression(compiled: #"^https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]+)?/?$"#)
    static func originProblem(_ origin: String) -> String? {
        let ok = originPattern.matches(origin)
        return ok ? nil : "'\(origin)' is not an origin: write a scheme and a host, such as https://plausible.io"
    }

    public static func rules(_ config: SiteConfig) -> [Rule] {
        let short = revalidating(config)
        return [
            Rule(pattern: "/*", headers: [
                ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "strict-origin-when-cross-origin"),
                ("Content-Security-Policy", contentSecurityPolicy(config)),
            ]),
            Rule(pattern: "/assets/*", headers: [("Cache-Control", immutable)]),
            Rule(pattern: "/", headers: [("Cache-Control", short)]),
            Rule(pattern: "/*/", headers: [("Cache-Control", short)]),
            Rule(pattern: "/*.html", headers: [("Cache-Control", short)]),
            Rule(pattern: "/*.xml", headers: [("Cache-Control", short)]),
            Rule(pattern: "/robots.txt", headers: [("Cache-Control", short)]),
        ]
    }

    public static func text(_ config: SiteConfig) -> String {
        rules(config).map { rule in
            rule.pattern + "\n" + rule.headers.map { "  \($0.0): \($0.1)\n" }.joined()
        }.joined()
    }

    /// The Cache-Control a file gets (the same answer the `_headers` rules give).
    public static func cacheControl(for path: String, config: SiteConfig) -> String {
        if path.hasPrefix("/assets/") { return immutable }
        return revalidating(config)
    }
}

/// Content types of the files a build emits.
public enum ContentType {
    public static func of(_ path: String) -> String {
        // An ASCII path (every path the build writes), over its bytes in place.
        if let type = path.withBytes({ bytes -> String? in
            guard ByteText.allASCII(bytes) else { return nil }
            var end = bytes.count
            while end > 0, bytes[end - 1] == 47 { end -= 1 }
            // The last part of the path that is not empty (the whole path when there is none).
            let (start, stop) = end == 0 ? (0, bytes.count) : ((bytes[..<end].lastIndex(of: 47)).map { $0 + 1 } ?? 0, end)
            let name = UnsafeBufferPointer(rebasing: bytes[start..<stop])
            if name.elementsEqual("_headers".utf8) || name.elementsEqual("_redirects".utf8) { return "text/plain; charset=utf-8" }
            guard let dot = name.lastIndex(of: 46) else { return "application/octet-stream" }
            let ext = ByteText.loweredString(name, dot + 1, name.count)
            return type(extension: ext, path: path)
        }) {
            return type
        }
        // Other scripts: by characters, as a name is read.
        var end = path.endIndex
        while end > path.startIndex, path[path.index(before: end)] == "/" { end = path.index(before: end) }
        let name = end == path.startIndex ? path : String(path[(path[..<end].lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex)..<end])
        if name == "_headers" || name == "_redirects" { return "text/plain; charset=utf-8" }
        guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
        return type(extension: name[name.index(after: dot)...].lowercased(), path: path)
    }

    static func type(extension ext: String, path: String) -> String {
        if ext == "xml" { return path.hasSuffix("feed.xml") ? "application/atom+xml; charset=utf-8" : "application/xml; charset=utf-8" }
        return byExtension[ext] ?? "application/octet-stream"
    }

    /// Types by extension (lower case). `.xml` is looked at apart: the feed is Atom.
    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json",
        "txt": "text/plain; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
        "ico": "image/x-icon",
        "woff2": "font/woff2",
        "woff": "font/woff",
        "pdf": "application/pdf",
        "gz": "application/gzip",
        "br": "application/x-brotli",
        "webmanifest": "application/manifest+json",
        // Files beside the content: media, fonts, data (with `nosniff`, a browser takes the type
        // as given: `WebAssembly.instantiateStreaming` and `<video>` refuse an untyped file).
        "mp4": "video/mp4",
        "m4v": "video/mp4",
        "webm": "video/webm",
        "mov": "video/quicktime",
        "mp3": "audio/mpeg",
        "m4a": "audio/mp4",
        "ogg": "audio/ogg",
        "oga": "audio/ogg",
        "opus": "audio/ogg",
        "ogv": "video/ogg",
        "wav": "audio/wav",
        "flac": "audio/flac",
        "vtt": "text/vtt; charset=utf-8",
        "wasm": "application/wasm",
        "ttf": "font/ttf",
        "otf": "font/otf",
        "csv": "text/csv; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "markdown": "text/markdown; charset=utf-8",
        "yaml": "application/yaml",
        "yml": "application/yaml",
        "ics": "text/calendar; charset=utf-8",
        "jsonld": "application/ld+json",
        "map": "application/json",
        "atom": "application/atom+xml; charset=utf-8",
        "rss": "application/rss+xml; charset=utf-8",
        "xsl": "application/xslt+xml",
        "xslt": "application/xslt+xml",
        "zip": "application/zip",
        "epub": "application/epub+zip",
        "tif": "image/tiff",
        "tiff": "image/tiff",
        "bmp": "image/bmp",
        "apng": "image/apng",
        "jxl": "image/jxl",
        "glb": "model/gltf-binary",
        "gltf": "model/gltf+json",
    ]

    /// Text formats worth precompressing.
    public static func isCompressible(_ path: String) -> Bool {
        // Sitemaps get no copies: `sitemap.xml.gz` is how the protocol names a gzipped
        // sitemap, so a copy would read as a second sitemap listing every URL again.
        if Sitemap.isSitemap(path) { return false }
        let t = of(path)
        return t.hasPrefix("text/") || t.contains("xml") || t.hasPrefix("application/json") || t == "image/svg+xml"
    }
}
