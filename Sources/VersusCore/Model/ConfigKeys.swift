import Foundation
import Yams

/// One key of `versus.yml`: its dotted path, type, default and doc, and how it is read.
/// `ConfigKey.all` is the one definition of the config's keys: `SiteConfig.parse` reads
/// by it, and the reference (docs/reference.md) is generated from it.
public struct ConfigKey: Sendable {
    /// `headers.html_max_age`
    public let path: String
    /// What the value is: `text`, `whole number, 1–50000`, `true or false`.
    public let type: String
    public let doc: String
    /// The default, as the reference shows it (read from `SiteConfig()`).
    public let defaultValue: @Sendable (SiteConfig) -> String
    /// Reads the key's value into the config, or says what is wrong with it.
    let read: @Sendable (_ config: inout SiteConfig, _ value: Node, _ file: String) -> [Diagnostic]
    /// Keys under this one that the reference lists (for a key read as a whole, such as `cta`).
    public let children: [(path: String, type: String, doc: String)]

    init(_ path: String, type: String, doc: String, default defaultValue: @escaping @Sendable (SiteConfig) -> String,
         children: [(path: String, type: String, doc: String)] = [],
         read: @escaping @Sendable (inout SiteConfig, Node, String) -> [Diagnostic]) {
        self.path = path
        self.type = type
        self.doc = doc
        self.defaultValue = defaultValue
        self.children = children
        self.read = read
    }

    /// A key whose value is checked by `parse`, which gives a problem's description or the value.
    static func simple<V>(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, V> & Sendable, type: String, _ doc: String,
                          default shown: (@Sendable (V) -> String)? = nil,
                          parse: @escaping @Sendable (Node) -> Result<V, Problem>) -> ConfigKey {
        ConfigKey(path, type: type, doc: doc, default: { config in
            let value = config[keyPath: keyPath]
            return shown?(value) ?? "\(value)"
        }) { config, node, file in
            switch parse(node) {
            case .success(let value):
                config[keyPath: keyPath] = value
                return []
            case .failure(let problem):
                return [.error(file, line: node.mark?.line, "'\(path)' \(problem.message)")]
            }
        }
    }

    struct Problem: Error { var message: String }

    // MARK: Value kinds

    static func text(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, String> & Sendable, _ doc: String,
                     check: (@Sendable (String) -> String?)? = nil) -> ConfigKey {
        simple(path, keyPath, type: "text", doc, default: { "`\"\($0)\"`" }) { node in
            guard let s = node.scalar?.string else { return .failure(Problem(message: "must be text")) }
            if let problem = check?(s) { return .failure(Problem(message: problem)) }
            return .success(s)
        }
    }

    static func optionalText(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, String?> & Sendable, _ doc: String,
                             none: String = "none", check: (@Sendable (String) -> String?)? = nil) -> ConfigKey {
        simple(path, keyPath, type: "text", doc, default: { $0.map { "`\"\($0)\"`" } ?? none }) { node in
            guard let s = node.scalar?.string else { return .failure(Problem(message: "must be text")) }
            if let problem = check?(s) { return .failure(Problem(message: problem)) }
            return .success(s)
        }
    }

    static func int(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, Int> & Sendable, _ range: ClosedRange<Int>,
                    _ doc: String) -> ConfigKey {
        simple(path, keyPath, type: "whole number, \(range.lowerBound)–\(range.upperBound == .max ? "" : String(range.upperBound))",
               doc, default: { "`\($0)`" }) { node in
            guard let i = node.int else { return .failure(Problem(message: "must be a whole number")) }
            guard range.contains(i) else {
                return .failure(Problem(message: range.upperBound == .max ? "must be \(range.lowerBound) or more"
                                                                           : "must be from \(range.lowerBound) to \(range.upperBound)"))
            }
            return .success(i)
        }
    }

    static func optionalInt(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, Int?> & Sendable, _ range: ClosedRange<Int>,
                            _ doc: String, none: String) -> ConfigKey {
        simple(path, keyPath, type: "whole number, \(range.lowerBound)–\(range.upperBound)", doc, default: { $0.map { "`\($0)`" } ?? none }) { node in
            guard let i = node.int else { return .failure(Problem(message: "must be a whole number")) }
            guard range.contains(i) else { return .failure(Problem(message: "must be from \(range.lowerBound) to \(range.upperBound)")) }
            return .success(i)
        }
    }

    static func bool(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, Bool> & Sendable, _ doc: String) -> ConfigKey {
        simple(path, keyPath, type: "true or false", doc, default: { "`\($0)`" }) { node in
            guard let b = node.bool else { return .failure(Problem(message: "must be true or false")) }
            return .success(b)
        }
    }

    static func fraction(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, Double> & Sendable, _ doc: String) -> ConfigKey {
        simple(path, keyPath, type: "number, 0–1", doc, default: { "`\($0)`" }) { node in
            guard let d = node.float, (0...1).contains(d) else { return .failure(Problem(message: "must be a number from 0 to 1")) }
            return .success(d)
        }
    }

    static func seconds(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, Double?> & Sendable, _ doc: String, none: String) -> ConfigKey {
        simple(path, keyPath, type: "seconds", doc, default: { $0.map { "`\($0)`" } ?? none }) { node in
            guard let d = node.float, d > 0 else { return .failure(Problem(message: "must be a number of seconds above 0")) }
            return .success(d)
        }
    }

    static func texts(_ path: String, _ keyPath: WritableKeyPath<SiteConfig, [String]> & Sendable, _ doc: String,
                      check: (@Sendable (String) -> String?)? = nil) -> ConfigKey {
        simple(path, keyPath, type: "list of text", doc, default: { $0.isEmpty ? "`[]`" : "`\($0)`" }) { node in
            let items = node.sequence.map { Array($0) } ?? (node.scalar != nil ? [node] : nil)
            guard let items else { return .failure(Problem(message: "must be a list of text")) }
            var out: [String] = []
            for item in items {
                guard let s = item.scalar?.string else { return .failure(Problem(message: "must be a list of text")) }
                if let problem = check?(s) { return .failure(Problem(message: problem)) }
                out.append(s)
            }
            return .success(out)
        }
    }

    /// `check.errors`, `check.warnings`, `check.off`: rule names given that level.
    static func ruleLevel(_ path: String, level: String, _ doc: String) -> ConfigKey {
        ConfigKey(path, type: "list of rule names", doc: doc, default: { _ in "`[]`" }) { config, node, file in
            let names = node.sequence.map { $0.compactMap { $0.scalar?.string } } ?? node.scalar.map { [$0.string] }
            guard let names else { return [.error(file, line: node.mark?.line, "'\(path)' must be a list of rule names")] }
            var out: [Diagnostic] = []
            let known = SiteCheck.rules.map(\.name)
            for name in names {
                if known.contains(name) {
                    config.check.levels[name] = level
                } else {
                    out.append(.error(file, line: node.mark?.line, "'\(path)': unknown rule '\(name)'\(Suggest.didYouMean(name, in: known))"))
                }
            }
            return out
        }
    }

    /// `cta`: read whole by `CallToAction`'s own decoding, the same as a page's `cta:`.
    static let cta = ConfigKey("cta", type: "mapping", doc: "The site's call to action: a button on every comparison (and on documents that set their own), linking where the site sends its readers. A page's `cta:` replaces it.",
                               default: { _ in "none" },
                               children: CallToAction.CodingKeys.allCases.map { ("cta." + $0.stringValue, $0.type, $0.doc) }
                                   + UTM.CodingKeys.allCases.map { ("cta.utm." + $0.stringValue, $0.type, $0.doc) }) { config, node, file in
        var out = YAMLInput.unknownKeys(node, CallToAction.keys, prefix: "cta", firstLine: 1).map {
            Diagnostic.error(file, line: $0.line, "unknown key '\($0.key)'\($0.suggestion)")
        }
        let (cta, problems) = YAMLInput.decode(CallToAction.self, from: node, file: file, firstLine: 1, prefix: "cta")
        out += problems
        if let cta { config.cta = cta }
        return out
    }

    // MARK: The table

    /// Every key of `versus.yml`, in the order the reference lists them.
    public static let all: [ConfigKey] = [
        .text("title", \.title, "The site's name: the home page's `<title>` and `<h1>`, the feed's title, `og:site_name`."),
        .text("base_url", \.baseURL, "Where the site is served: the root of a host (`https://example.com`, `https://docs.example.com`; a path is refused, as the pages link from the root). Canonical URLs, the sitemap, robots.txt and the feed use it; `--base-url` overrides it. The default is a placeholder: a build warns about it and `versus publish` refuses it.",
              check: { SiteConfig.validateBaseURL($0) }),
        .text("language", \.language, "The language code for `<html lang>` and the feed: a BCP 47 tag (`en`, `pt-BR`, `zh-Hant`).",
              check: { SiteConfig.languageProblem($0) }),
        .text("description", \.description, "The home page's meta description and the feed's subtitle (50–160 characters)."),
        .optionalText("author", \.author, "The feed's author for pages without a byline.", none: "the title"),
        .bool("markdown.unsafe_html", \.markdown.unsafeHTML, "Keep raw HTML written in Markdown pages (it is dropped by default)."),
        .bool("markdown.smart_punctuation", \.markdown.smartPunctuation, "Curly quotes and dashes from straight quotes and `--`."),
        .int("sitemap.max_urls", \.sitemapMaxURLs, 1...50_000, "URLs per sitemap file; past it, `sitemap.xml` becomes an index of `sitemap-N.xml` files."),
        .int("feed.entries", \.feedEntries, 0...Int.max, "How many comparisons the Atom feed lists, newest first."),
        .int("index.page_size", \.indexPageSize, 1...Int.max, "Comparisons per index page (`/`, `/page/2/`, …)."),
        .int("related.count", \.relatedCount, 0...Int.max, "Related comparisons linked from each comparison."),
        cta,
        .int("headers.html_max_age", \.headers.htmlMaxAge, 0...Int.max, "Seconds browsers and CDNs may keep pages, sitemaps and the feed (`Cache-Control: max-age`). Fingerprinted assets are always cached for a year."),
        .bool("headers.must_revalidate", \.headers.mustRevalidate, "Add `must-revalidate` to the pages' `Cache-Control`."),
        .texts("headers.script_hosts", \.headers.scriptHosts, "Origins allowed to serve scripts and receive their requests, added to the default Content-Security-Policy's `script-src` and `connect-src` (`[\"https://plausible.io\"]` for analytics).",
               check: Headers.originProblem),
        .optionalText("headers.content_security_policy", \.headers.contentSecurityPolicy, "A Content-Security-Policy that replaces the default whole (then `script_hosts` is not used).", none: "see Content-Security-Policy below",
                      check: Headers.valueProblem),
        .bool("compress.enabled", \.precompress, "Write `.gz` and `.br` copies of text files over `min_bytes`, for servers that send them as they are (nginx `gzip_static`/`brotli_static`). CDNs compress by themselves, so the default writes none; `--no-compress` turns them off for one build."),
        .int("compress.min_bytes", \.compressMinBytes, 0...Int.max, "Files smaller than this get no compressed copies."),
        .int("compress.brotli", \.brotliQuality, 0...11, "Brotli quality of the `.br` copies (10 and 11 save about a tenth more for 10–30× the time)."),
        .int("compress.gzip", \.gzipLevel, 0...9, "gzip level of the `.gz` copies; 0 writes none (brotli copies only)."),
        .int("check.thin_words", \.check.thinWords, 0...Int.max, "`versus check`: content pages with fewer words are thin."),
        .fraction("check.similarity", \.check.similarity, "`versus check`: two pages sharing more of their text (5-word shingles) are near-duplicates."),
        .int("check.title_max", \.check.titleMax, 1...Int.max, "`versus check`: longest `<title>`."),
        .int("check.description_min", \.check.descriptionMin, 0...Int.max, "`versus check`: shortest meta description."),
        .int("check.description_max", \.check.descriptionMax, 1...Int.max, "`versus check`: longest meta description."),
        .int("check.max_sections", \.check.maxSections, 1...Int.max, "`versus check`: more sections on one page than this reads as a misread capture (`many-sections`)."),
        .ruleLevel("check.errors", level: "error", "`versus check`: rules reported as errors (exit 1)."),
        .ruleLevel("check.warnings", level: "warning", "`versus check`: rules reported as warnings."),
        .ruleLevel("check.off", level: "off", "`versus check`: rules not run."),
        .optionalText("publish.endpoint", \.publish.endpoint, "`versus publish`: the S3 endpoint URL (`https://s3.eu-west-1.amazonaws.com`, or an S3-compatible store); `--endpoint` overrides it.", none: "none"),
        .optionalText("publish.region", \.publish.region, "`versus publish`: the region requests are signed for.", none: "`us-east-1`"),
        .optionalText("publish.bucket", \.publish.bucket, "`versus publish`: the bucket.", none: "none"),
        .optionalText("publish.prefix", \.publish.prefix, "`versus publish`: a folder in the bucket.", none: "`\"\"`"),
        .seconds("publish.timeout", \.publish.timeout, "`versus publish`: seconds one request may take, to the last byte of the answer.", none: "`30`"),
        .seconds("publish.connect_timeout", \.publish.connectTimeout, "`versus publish`: seconds to open a connection.", none: "`5`"),
        .seconds("publish.idle_timeout", \.publish.idleTimeout, "`versus publish`: seconds a connection may stall.", none: "`6`"),
        .bool("publish.upload_copies", \.publish.uploadCopies, "`versus publish`: upload the `.br` and `.gz` copies as objects of their own (with `Content-Encoding`), for a target that serves them as they are. CloudFront, Cloudflare and Netlify compress at the edge and never pick a sibling object, so the default uploads only the files themselves."),
        .optionalInt("publish.retries", \.publish.retries, 0...20, "`versus publish`: more attempts for a request that failed transiently.", none: "`3`"),
    ]

    static let byPath: [String: ConfigKey] = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })

    /// Mappings that hold keys (`markdown`, `headers`, …).
    static let sections: Set<String> = Set(all.flatMap { key -> [String] in
        let parts = key.path.split(separator: ".")
        return (1..<max(1, parts.count)).map { parts[..<$0].joined(separator: ".") }
    })

    /// The names directly under a section (`""` for the top level).
    static func children(of prefix: String) -> [String] {
        var out: [String] = []
        for key in all {
            guard prefix.isEmpty || key.path.hasPrefix(prefix + ".") else { continue }
            let rest = prefix.isEmpty ? key.path : String(key.path.dropFirst(prefix.count + 1))
            let name = String(rest.split(separator: ".")[0])
            if !out.contains(name) { out.append(name) }
        }
        return out
    }

    /// `; did you mean 'base_url'?` for a mistyped key: the nearest name beside it, else the
    /// nearest key anywhere with that last name (`script_hosts` at the top → `headers.script_hosts`).
    static func suggestion(for name: String, under prefix: String) -> String {
        if let near = Suggest.nearest(name, in: children(of: prefix)) {
            return "; did you mean '\(prefix.isEmpty ? near : prefix + "." + near)'?"
        }
        let leaves = all.flatMap { [$0.path] + $0.children.map(\.path) }
        let byLast = Dictionary(leaves.map { (String($0.split(separator: ".").last!), $0) }, uniquingKeysWith: { a, _ in a })
        if let near = Suggest.nearest(name, in: Array(byLast.keys).sorted()), let path = byLast[near] {
            return "; did you mean '\(path)'?"
        }
        return ""
    }

    /// Every key the reference lists: the table's, with the keys under those read whole.
    public static var referenceRows: [(path: String, type: String, defaultValue: String, doc: String)] {
        let defaults = SiteConfig()
        return all.flatMap { key in
            [(key.path, key.type, key.defaultValue(defaults), key.doc)] + key.children.map { ($0.path, $0.type, "", $0.doc) }
        }
    }
}
