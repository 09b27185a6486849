import Foundation
import Yams

/// The site config, `versus.yml` at the project root. Every key is optional.
///
///     title: "Versus"
///     base_url: "https://versus.example.com"
///     language: "en"
///     description: "…"
///     markdown: { unsafe_html: false, smart_punctuation: false }
///     sitemap: { max_urls: 45000 }
///     feed: { entries: 50 }
///     index: { page_size: 100 }
///     related: { count: 4 }
///     check: { thin_words: 150, similarity: 0.9, errors: [...], warnings: [...] }
///     headers: { html_max_age: 300, must_revalidate: true }
///     compress: { min_bytes: 1024, brotli: 9, gzip: 9 }
///     publish: { endpoint: "…", region: "…", bucket: "…", prefix: "" }
public struct SiteConfig: Sendable, Hashable, Codable {
    public var title = "Versus"
    public var baseURL = "https://versus.example.com"
    public var language = "en"
    public var description = "Side-by-side comparisons of engineering tools."
    /// Feed author when a page has no byline.
    public var author: String?
    public var markdown = MarkdownOptions()
    public var sitemapMaxURLs = 45_000
    public var feedEntries = 50
    public var indexPageSize = 100
    public var relatedCount = 4
    public var titleMax = 60
    public var check = CheckSettings()
    public var headers = HeaderSettings()
    public var compressMinBytes = 1024
    /// Brotli quality (0–11) and gzip level (1–9) of the precompressed copies. Brotli 10
    /// and 11 save about a tenth more bytes for ten to thirty times the time per page.
    public var brotliQuality = 9
    public var gzipLevel = 9
    public var publish = PublishSettings()

    public init() {}

    public struct CheckSettings: Sendable, Hashable, Codable {
        public var thinWords = 150
        public var similarity = 0.8
        public var titleMax = 60
        public var descriptionMin = 70
        public var descriptionMax = 160
        /// Rule name → "error" or "warning" (or "off").
        public var levels: [String: String] = [:]
        public init() {}
    }

    public struct HeaderSettings: Sendable, Hashable, Codable {
        public var htmlMaxAge = 300
        public var mustRevalidate = true
        public var contentSecurityPolicy: String?
        public init() {}
    }

    public struct PublishSettings: Sendable, Hashable, Codable {
        public var endpoint: String?
        public var region: String?
        public var bucket: String?
        public var prefix: String?
        /// Seconds; nil for the publisher's defaults.
        public var timeout: Double?
        public var connectTimeout: Double?
        public var idleTimeout: Double?
        public var retries: Int?
        public init() {}
    }

    /// The base URL without a trailing slash (`https://host` or `https://host/sub`).
    public var origin: String {
        var b = baseURL
        while b.hasSuffix("/") { b.removeLast() }
        return b
    }

    /// The absolute URL of a site path (`/x/` → `https://host/x/`).
    public func absolute(_ path: String) -> String { origin + path }

    // MARK: Reading

    public static let fileName = "versus.yml"

    /// Parses the config; unknown keys and wrong types are diagnostics against `file`.
    public static func parse(_ text: String, file: String) -> (SiteConfig, [Diagnostic]) {
        var config = SiteConfig()
        var diagnostics: [Diagnostic] = []
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            return (config, [MarkdownPageParser.yamlDiagnostic(error, file: file, firstLine: 1)])
        }
        guard let root else { return (config, []) }
        guard let mapping = root.mapping else {
            return (config, [.error(file, line: 1, "the site config must be a YAML mapping")])
        }
        func line(_ n: Node) -> Int? { n.mark.map(\.line) }
        func str(_ n: Node, _ key: String) -> String? {
            guard let s = n.scalar?.string else {
                diagnostics.append(.error(file, line: line(n), "'\(key)' must be text")); return nil
            }
            return s
        }
        func int(_ n: Node, _ key: String, in range: ClosedRange<Int> = 0...Int.max) -> Int? {
            guard let i = n.int, i >= 0 else {
                diagnostics.append(.error(file, line: line(n), "'\(key)' must be a whole number")); return nil
            }
            guard range.contains(i) else {
                diagnostics.append(.error(file, line: line(n), "'\(key)' must be from \(range.lowerBound) to \(range.upperBound)")); return nil
            }
            return i
        }
        func bool(_ n: Node, _ key: String) -> Bool? {
            guard let b = n.bool else {
                diagnostics.append(.error(file, line: line(n), "'\(key)' must be true or false")); return nil
            }
            return b
        }
        func section(_ n: Node, _ key: String, _ body: (String, Node) -> Bool) {
            guard let m = n.mapping else {
                diagnostics.append(.error(file, line: line(n), "'\(key)' must be a mapping")); return
            }
            for (k, v) in m {
                guard let name = k.scalar?.string else { continue }
                if !body(name, v) {
                    diagnostics.append(.warning(file, line: line(k), "unknown key '\(key).\(name)' is ignored"))
                }
            }
        }
        for (k, v) in mapping {
            guard let key = k.scalar?.string else { continue }
            switch key {
            case "title": config.title = str(v, key) ?? config.title
            case "base_url", "baseURL", "base-url": config.baseURL = str(v, key) ?? config.baseURL
            case "language": config.language = str(v, key) ?? config.language
            case "description": config.description = str(v, key) ?? config.description
            case "author": config.author = str(v, key)
            case "markdown":
                section(v, key) { name, n in
                    switch name {
                    case "unsafe_html": config.markdown.unsafeHTML = bool(n, name) ?? false
                    case "smart_punctuation": config.markdown.smartPunctuation = bool(n, name) ?? false
                    default: return false
                    }
                    return true
                }
            case "sitemap":
                section(v, key) { name, n in
                    guard name == "max_urls" else { return false }
                    config.sitemapMaxURLs = min(50_000, max(1, int(n, name) ?? config.sitemapMaxURLs))
                    return true
                }
            case "feed":
                section(v, key) { name, n in
                    guard name == "entries" else { return false }
                    config.feedEntries = int(n, name) ?? config.feedEntries
                    return true
                }
            case "index":
                section(v, key) { name, n in
                    guard name == "page_size" else { return false }
                    config.indexPageSize = max(1, int(n, name) ?? config.indexPageSize)
                    return true
                }
            case "related":
                section(v, key) { name, n in
                    guard name == "count" else { return false }
                    config.relatedCount = int(n, name) ?? config.relatedCount
                    return true
                }
            case "check":
                section(v, key) { name, n in
                    switch name {
                    case "thin_words": config.check.thinWords = int(n, name) ?? config.check.thinWords
                    case "similarity": config.check.similarity = n.float ?? config.check.similarity
                    case "title_max": config.check.titleMax = int(n, name) ?? config.check.titleMax
                    case "description_min": config.check.descriptionMin = int(n, name) ?? config.check.descriptionMin
                    case "description_max": config.check.descriptionMax = int(n, name) ?? config.check.descriptionMax
                    case "errors", "warnings", "off":
                        let level = name == "errors" ? "error" : name == "warnings" ? "warning" : "off"
                        for rule in n.sequence?.compactMap({ $0.scalar?.string }) ?? [] { config.check.levels[rule] = level }
                    default: return false
                    }
                    return true
                }
            case "headers":
                section(v, key) { name, n in
                    switch name {
                    case "html_max_age": config.headers.htmlMaxAge = int(n, name) ?? config.headers.htmlMaxAge
                    case "must_revalidate": config.headers.mustRevalidate = bool(n, name) ?? true
                    case "content_security_policy": config.headers.contentSecurityPolicy = str(n, name)
                    default: return false
                    }
                    return true
                }
            case "compress":
                section(v, key) { name, n in
                    switch name {
                    case "min_bytes": config.compressMinBytes = int(n, name) ?? config.compressMinBytes
                    case "brotli": config.brotliQuality = int(n, name, in: 0...11) ?? config.brotliQuality
                    case "gzip": config.gzipLevel = int(n, name, in: 1...9) ?? config.gzipLevel
                    default: return false
                    }
                    return true
                }
            case "publish":
                section(v, key) { name, n in
                    switch name {
                    case "endpoint": config.publish.endpoint = str(n, name)
                    case "region": config.publish.region = str(n, name)
                    case "bucket": config.publish.bucket = str(n, name)
                    case "prefix": config.publish.prefix = str(n, name)
                    case "timeout", "connect_timeout", "idle_timeout":
                        guard let seconds = n.float, seconds > 0 else {
                            diagnostics.append(.error(file, line: line(n), "'\(name)' must be a number of seconds above 0"))
                            return true
                        }
                        switch name {
                        case "timeout": config.publish.timeout = seconds
                        case "connect_timeout": config.publish.connectTimeout = seconds
                        default: config.publish.idleTimeout = seconds
                        }
                    case "retries": config.publish.retries = int(n, name) ?? config.publish.retries
                    default: return false
                    }
                    return true
                }
            default:
                diagnostics.append(.warning(file, line: line(k), "unknown key '\(key)' is ignored"))
            }
        }
        if let problem = validateBaseURL(config.baseURL) {
            diagnostics.append(.error(file, problem))
        }
        return (config, diagnostics)
    }

    /// nil when the URL is an absolute http(s) URL without query or fragment.
    public static func validateBaseURL(_ url: String) -> String? {
        guard let u = URL(string: url), let scheme = u.scheme, scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty, u.query == nil, u.fragment == nil
        else { return "base_url '\(url)' must be an absolute http:// or https:// URL, such as https://example.com" }
        return nil
    }

    /// A stable digest of everything in the config that changes the output.
    public var fingerprint: String {
        "\(title)|\(origin)|\(language)|\(description)|\(author ?? "")|\(markdown.unsafeHTML)|\(markdown.smartPunctuation)|\(sitemapMaxURLs)|\(feedEntries)|\(indexPageSize)|\(relatedCount)|\(titleMax)|\(headers.htmlMaxAge)|\(headers.mustRevalidate)|\(headers.contentSecurityPolicy ?? "")|\(compressMinBytes)|\(brotliQuality)|\(gzipLevel)"
    }
}
