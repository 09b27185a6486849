import Foundation
import Yams

/// The site config, `versus.yml` at the project root. Every key is optional; the keys,
/// their types, defaults and docs are one table (`ConfigKey.all`), which the parser reads
/// and docs/reference.md is generated from.
public struct SiteConfig: Sendable, Hashable, Codable {
    public var title = "Versus"
    public var baseURL = SiteConfig.exampleBaseURL
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
    /// Brotli quality (0–11) and gzip level (0–9; 0 writes no `.gz` copies) of the
    /// precompressed copies. Brotli 5 gives files within a tenth of a percent of brotli 9
    /// on comparison pages at twice the speed; 10 and 11 cost ten to thirty times more.
    public var brotliQuality = 5
    public var gzipLevel = 9
    /// Write `.gz` and `.br` copies beside text files (`compress.enabled`).
    public var precompress = false
    public var publish = PublishSettings()
    /// The site's call to action: the button on every comparison without one of its own.
    public var cta: CallToAction?

    public init() {}

    public struct CheckSettings: Sendable, Hashable, Codable {
        public var thinWords = 150
        public var similarity = 0.8
        public var titleMax = 60
        public var descriptionMin = 70
        public var descriptionMax = 160
        /// More sections than this on one page reads as a misread capture.
        public var maxSections = 15
        /// Rule name → "error" or "warning" (or "off").
        public var levels: [String: String] = [:]
        public init() {}
    }

    public struct HeaderSettings: Sendable, Hashable, Codable {
        public var htmlMaxAge = 300
        public var mustRevalidate = true
        public var contentSecurityPolicy: String?
        /// Origins allowed to serve scripts (and receive their requests) besides the site.
        public var scriptHosts: [String] = []
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
        /// Upload the `.br`/`.gz` copies too (for a target that serves them as they are).
        public var uploadCopies = false
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
    /// The `base_url` of the defaults and of `versus init`: a placeholder that a build warns
    /// about and `versus publish` refuses.
    public static let exampleBaseURL = "https://versus.example.com"

    /// Parses the config against the key table (`ConfigKey.all`): an unknown key or a wrong
    /// value is an error against `file`, with the line, and for a mistyped key the nearest
    /// known one.
    public static func parse(_ text: String, file: String) -> (SiteConfig, [Diagnostic]) {
        var config = SiteConfig()
        var diagnostics: [Diagnostic] = []
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            return (config, [MarkdownPageParser.yamlDiagnostic(error, file: file, firstLine: 1, yaml: text)])
        }
        guard let root else { return (config, []) }
        if let oversized = YAMLInput.oversized(root, file: file, line: 1) { return (config, [oversized]) }
        guard let mapping = root.mapping else {
            return (config, [.error(file, line: 1, "the site config must be a YAML mapping")])
        }
        func line(_ n: Node) -> Int? { n.mark.map(\.line) }
        func visit(_ mapping: Node.Mapping, prefix: String) {
            for (k, v) in mapping {
                guard let name = k.scalar?.string else {
                    diagnostics.append(.error(file, line: line(k), "keys must be plain names")); continue
                }
                let path = prefix.isEmpty ? name : prefix + "." + name
                if let key = ConfigKey.byPath[path] {
                    diagnostics += key.read(&config, v, file)
                } else if ConfigKey.sections.contains(path) {
                    guard let m = v.mapping else {
                        diagnostics.append(.error(file, line: line(v), "'\(path)' must be a mapping of keys (\(ConfigKey.children(of: path).joined(separator: ", ")))"))
                        continue
                    }
                    visit(m, prefix: path)
                } else {
                    diagnostics.append(.error(file, line: line(k), "unknown key '\(path)'" + ConfigKey.suggestion(for: name, under: prefix)))
                }
            }
        }
        visit(mapping, prefix: "")
        return (config, diagnostics)
    }

    /// A build without `versus.yml`, or with the placeholder `base_url`, makes a site whose
    /// canonical URLs, sitemap and robots.txt point at example.com: a warning for a build
    /// (an error for `versus publish`, which passes `severity: .error`).
    public static func placeholderWarning(config: SiteConfig, hasConfig: Bool, file: String,
                                          severity: Diagnostic.Severity = .warning) -> Diagnostic? {
        if !hasConfig {
            return Diagnostic(file: file, severity: severity, "not found: the site is built with the default settings, and its canonical URLs, sitemap and robots.txt point at \(exampleBaseURL); 'versus init' writes a versus.yml")
        }
        if config.origin == exampleBaseURL {
            return Diagnostic(file: file, severity: severity, "base_url is the placeholder \(exampleBaseURL): canonical URLs, the sitemap, robots.txt and the feed point there; set base_url to the site's address (or pass --base-url)")
        }
        return nil
    }

    /// What is wrong with a language tag, if anything: BCP 47's shape (a language of two to
    /// eight letters, then subtags of one to eight letters or digits, joined by hyphens).
    public static func languageProblem(_ tag: String) -> String? {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        func alphanumeric(_ b: UInt8) -> Bool { b >= 97 && b <= 122 || b >= 65 && b <= 90 || b >= 48 && b <= 57 }
        let ok = parts.first.map { $0.count >= 2 && $0.count <= 8 && $0.utf8.allSatisfy { alphanumeric($0) && $0 > 57 } } == true
            && parts.dropFirst().allSatisfy { (1...8).contains($0.utf8.count) && $0.utf8.allSatisfy(alphanumeric) }
        return ok ? nil : "'\(Text.abbreviate(tag))' is not a language tag: write a BCP 47 tag such as en, pt-BR or zh-Hant"
    }

    /// nil when the URL is an absolute http(s) URL without query or fragment.
    public static func validateBaseURL(_ url: String) -> String? {
        // Shown with its line breaks and other control characters written out.
        let shown = url.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        // Every URL of the site starts with it, in robots.txt, the sitemaps and the feed as they are.
        if url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || "\"'<>\\`{}|^".unicodeScalars.contains($0) }) {
            return "'\(shown)' must not contain spaces, line breaks, quotes, angle brackets or backslashes (percent-encode them)"
        }
        var rest = Substring(url)
        while let percent = rest.firstIndex(of: "%") {
            let hex = rest[rest.index(after: percent)...].prefix(2)
            guard hex.count == 2, hex.allSatisfy(\.isHexDigit) else { return "'\(url)' has a '%' that is not followed by two hex digits" }
            rest = rest[rest.index(after: percent)...]
        }
        guard let u = URL(string: url), let scheme = u.scheme, scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty, u.query == nil, u.fragment == nil
        else { return "'\(url)' must be an absolute http:// or https:// URL, such as https://example.com" }
        if let port = u.port, !(1...65535).contains(port) { return "'\(url)' has the port \(port), which is not 1 to 65535" }
        // Written into every page, sitemap and feed: no credentials.
        if u.user != nil || u.password != nil { return "'\(url)' holds a user name or password; a site's address must not" }
        // A path of empty folders ("https://host//x") is another address than the one meant.
        let afterHost = url.range(of: "://").map { url[$0.upperBound...] }.flatMap { $0.firstIndex(of: "/").map { url[$0...] } } ?? ""
        if afterHost.contains("//") || SitePath.hasOddFolder(afterHost) {
            return "'\(url)' has an empty, '.' or '..' folder in its path"
        }
        // The pages link to one another, their assets and the feed from the root of the host
        // (`/assets/…`, `/subjects/`): under a path, those links would leave the site.
        if afterHost.contains(where: { $0 != "/" }) {
            return "'\(url)' has a path; Versus sites are served from the root of a host, as their links are (/assets/…, /subjects/): give the site its own host, such as https://docs.example.com"
        }
        return nil
    }
}
