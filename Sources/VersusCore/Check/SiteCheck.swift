import Foundation

/// `versus check`: an SEO lint over a built site. It reads the output folder,
/// not the content, so it judges exactly what search engines will fetch.
public enum SiteCheck {
    public enum Level: String, Sendable, Comparable {
        case off, warning, error
        public static func < (a: Level, b: Level) -> Bool {
            let order: [Level] = [.off, .warning, .error]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    /// Every rule, its default level, and what it checks.
    public static let rules: [(name: String, level: Level, about: String)] = [
        ("html", .error, "the page cannot be read as HTML"),
        ("title", .error, "a page has no <title>, or more than one"),
        ("title-length", .warning, "a <title> is longer than check.title_max (60)"),
        ("description", .error, "an indexable page has no meta description, or more than one"),
        ("description-length", .warning, "a description is outside check.description_min–description_max (70–160)"),
        ("duplicate-title", .error, "two indexable pages share a <title>"),
        ("duplicate-description", .error, "two indexable pages share a description"),
        ("h1", .error, "a page has no <h1>, or more than one"),
        ("broken-link", .error, "an internal link or #anchor leads nowhere (links, stylesheets, icons, scripts)"),
        ("broken-image", .error, "an image (img src or srcset, picture source) on the site is missing"),
        ("orphan", .warning, "no other page links to an indexable page"),
        ("thin", .warning, "a content page has fewer words than check.thin_words (150)"),
        ("near-duplicate", .warning, "two content pages' text overlaps above check.similarity (0.8), by 5-word shingles"),
        ("misread-title", .warning, "a comparison's <h1> does not name each subject its structured data is about"),
        ("many-sections", .warning, "a page has more sections than check.max_sections (15): a capture read as too many headings"),
        ("misread-heading", .warning, "a section heading reads like code, a table row or a date"),
        ("code-in-cta", .warning, "a call to action holds code"),
    ]

    public struct Finding: Sendable, Hashable {
        public var rule: String
        public var level: Level
        public var page: String
        public var message: String
        public var figure: String?
    }

    public struct Report: Sendable {
        public var pages: Int
        public var findings: [Finding]
        public var errors: Int { findings.filter { $0.level == .error }.count }
        public var warnings: Int { findings.filter { $0.level == .warning }.count }

        public func text() -> String {
            var out = findings.map { "\($0.page): \($0.level.rawValue): \($0.message) [\($0.rule)]\n" }.joined()
            out += "versus check: \(pages) pages; \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
            return out
        }

        public func json() -> String {
            JSON.object([
                ("pages", .int(pages)),
                ("errors", .int(errors)),
                ("warnings", .int(warnings)),
                ("findings", .array(findings.map { f in
                    .object([("rule", .string(f.rule)), ("level", .string(f.level.rawValue)), ("page", .string(f.page)),
                             ("message", .string(f.message)), ("figure", .optional(f.figure))])
                })),
            ]).serialized(pretty: true) + "\n"
        }
    }

    /// What the rules need to know about one HTML file.
    struct PageFacts: Sendable {
        var path: String              // site path: "/x/", "/404.html"
        var parseError: String?
        var titles: [String] = []
        var descriptions: [String] = []
        var h1Count = 0
        var noindex = false
        var redirect = false
        var links: [String] = []
        var images: [String] = []
        var ids: Set<String> = []
        var words = 0
        var shingles: [UInt64] = []   // sorted, unique
        var h1 = ""
        /// What the page's structured data says it is `about` (a comparison's subjects).
        var about: [String] = []
        /// Headings of the page's sections (`<section class="section">`, as the bundled templates write them).
        var sectionHeadings: [String] = []
        /// Whether a call to action (an element of class `cta`) holds `<pre>` or `<code>`.
        var ctaHasCode = false
    }

    /// - Parameter levels: rule → level overrides (from the config and the command line).
    public static func run(output: String, config: SiteConfig, levels: [String: Level] = [:], io: FileIO = .disk,
                           jobs: Int = Parallel.defaultJobs) async throws -> Report {
        var effective = Dictionary(uniqueKeysWithValues: rules.map { ($0.name, $0.level) })
        for (rule, name) in config.check.levels { if let l = Level(rawValue: name) { effective[rule] = l } }
        for (rule, l) in levels { effective[rule] = l }

        let files = try io.list(output)
        let fileSet = Set(files)
        let htmlFiles = files.filter { $0.hasSuffix(".html") }
        let facts = try await Parallel.map(htmlFiles, jobs: jobs) { file in
            try read(file: file, bytes: try io.read(output + "/" + file), config: config)
        }
        let byPath = Dictionary(facts.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })

        var findings: [Finding] = []
        func report(_ rule: String, _ page: String, _ message: String, figure: String? = nil) {
            let level = effective[rule] ?? .warning
            if level != .off { findings.append(Finding(rule: rule, level: level, page: page, message: message, figure: figure)) }
        }

        let s = config.check
        let indexable = facts.filter { $0.parseError == nil && !$0.noindex && !$0.redirect && $0.path != "/404.html" }
        for f in facts {
            if let e = f.parseError { report("html", f.path, "cannot be read as HTML: \(e)"); continue }
            if f.redirect { continue }
            if f.titles.count != 1 { report("title", f.path, "page has \(f.titles.count) <title> elements; it needs exactly one", figure: "\(f.titles.count)") }
            if f.h1Count != 1 { report("h1", f.path, "page has \(f.h1Count) <h1> elements; it needs exactly one", figure: "\(f.h1Count)") }
        }
        for f in indexable {
            // Pages that look misread: the reader of captures says when it is unsure, and these catch what it missed.
            if !f.about.isEmpty {
                let h1 = f.h1.lowercased()
                let missing = f.about.filter { !h1.contains($0.lowercased()) }
                if !missing.isEmpty {
                    report("misread-title", f.path, "the <h1> \"\(Text.abbreviate(f.h1))\" does not name \(missing.map { "'\($0)'" }.joined(separator: ", ")), a subject of the page",
                           figure: missing.joined(separator: ", "))
                }
            }
            if f.sectionHeadings.count > s.maxSections {
                report("many-sections", f.path, "page has \(f.sectionHeadings.count) sections, over \(s.maxSections): was every short line read as a heading?",
                       figure: "\(f.sectionHeadings.count)")
            }
            for heading in f.sectionHeadings {
                if let why = misreadHeading(heading) {
                    report("misread-heading", f.path, "section heading \"\(Text.abbreviate(heading))\" reads like \(why); take the page over as .md to fix it", figure: heading)
                }
            }
            if f.ctaHasCode { report("code-in-cta", f.path, "the call to action holds code: a code block or a note was read as the offer") }
            if let title = f.titles.first, Text.length(title) > s.titleMax {
                report("title-length", f.path, "title is \(Text.length(title)) characters, over \(s.titleMax): \"\(title)\"", figure: "\(Text.length(title))")
            }
            if f.descriptions.count != 1 {
                report("description", f.path, "page has \(f.descriptions.count) meta descriptions; it needs exactly one", figure: "\(f.descriptions.count)")
            } else {
                let n = Text.length(f.descriptions[0])
                if n < s.descriptionMin || n > s.descriptionMax {
                    report("description-length", f.path, "description is \(n) characters, outside \(s.descriptionMin)–\(s.descriptionMax)", figure: "\(n)")
                }
            }
        }
        for (rule, key) in [("duplicate-title", \PageFacts.titles), ("duplicate-description", \PageFacts.descriptions)] {
            var groups: [String: [String]] = [:]
            for f in indexable { if let v = f[keyPath: key].first { groups[v.lowercased(), default: []].append(f.path) } }
            for (_, paths) in groups where paths.count > 1 {
                for p in paths {
                    let others = paths.filter { $0 != p }
                    report(rule, p, "\(rule == "duplicate-title" ? "title" : "description") is also used by \(others.prefix(3).joined(separator: ", "))\(others.count > 3 ? " and \(others.count - 3) more" : "")",
                           figure: "\(paths.count)")
                }
            }
        }

        // Links: resolve every internal href to a file, and its #fragment to an id.
        var inbound: [String: Int] = [:]
        for f in facts where f.parseError == nil {
            var seen: Set<String> = []
            for href in f.links {
                guard let (target, fragment) = resolve(href, from: f.path, config: config) else { continue }
                guard let file = fileFor(target, files: fileSet) else {
                    if seen.insert(href).inserted { report("broken-link", f.path, "links to \(href), which does not exist", figure: href) }
                    continue
                }
                let targetPath = sitePath(file)
                if targetPath != f.path, !f.redirect { inbound[targetPath, default: 0] += 1 }
                if let fragment, !fragment.isEmpty, file.hasSuffix(".html") {
                    let ids = byPath[targetPath]?.ids ?? []
                    if !ids.contains(fragment), seen.insert(href).inserted {
                        report("broken-link", f.path, "links to \(href), but \(targetPath) has no id \"\(fragment)\"", figure: href)
                    }
                }
            }
        }
        // Images: every local src and srcset candidate must be a file of the site.
        for f in facts where f.parseError == nil {
            var seen: Set<String> = []
            for src in f.images {
                guard let (target, _) = resolve(src, from: f.path, config: config), fileFor(target, files: fileSet) == nil,
                      seen.insert(src).inserted else { continue }
                report("broken-image", f.path, "shows the image \(src), which does not exist", figure: src)
            }
        }
        for f in indexable where f.path != "/" && inbound[f.path, default: 0] == 0 {
            report("orphan", f.path, "no other page links here", figure: "0")
        }

        // Content pages: thin and near-duplicate text.
        let content = indexable.filter { !isListing($0.path) }
        for f in content where f.words < s.thinWords {
            report("thin", f.path, "\(f.words) words of content, under \(s.thinWords)", figure: "\(f.words)")
        }
        for (a, b, similarity) in nearDuplicates(content, threshold: s.similarity) {
            let percent = Int((similarity * 100).rounded())
            report("near-duplicate", b.path, "\(percent)% of its text (5-word shingles) is shared with \(a.path)", figure: String(format: "%.2f", similarity))
        }

        findings.sort { ($0.level, $1.page, $1.rule) > ($1.level, $0.page, $0.rule) }
        return Report(pages: facts.count, findings: findings)
    }

    /// Pages the build makes to list others: the index, its pages, the subject hubs.
    static func isListing(_ path: String) -> Bool {
        path == "/" || path.hasPrefix("/page/") || path.hasPrefix("/subjects/")
    }

    static func sitePath(_ file: String) -> String {
        if file == "index.html" { return "/" }
        if file.hasSuffix("/index.html") { return "/" + file.dropLast("index.html".count) }
        return "/" + file
    }

    /// A URL's scheme ("https:", "mailto:").
    static let scheme = NSRegularExpression(compiled: #"^[a-zA-Z][a-zA-Z0-9+.-]*:"#)

    /// An internal link's site path and fragment; nil for external links and other schemes.
    static func resolve(_ href: String, from page: String, config: SiteConfig) -> (String, String?)? {
        var h = href.trimmingWhitespace()
        if h.isEmpty { return nil }
        let origin = config.origin
        if h.hasPrefix(origin + "/") || h == origin { h = String(h.dropFirst(origin.count)); if h.isEmpty { h = "/" } }
        if h.hasPrefix("//") || scheme.matches(h) { return nil }
        var fragment: String?
        if let hash = h.firstIndex(of: "#") {
            fragment = String(h[h.index(after: hash)...]).removingPercentEncoding
            h = String(h[..<hash])
        }
        if let q = h.firstIndex(of: "?") { h = String(h[..<q]) }
        if h.isEmpty { return (page, fragment) }
        if !h.hasPrefix("/") {
            let base = page.hasSuffix("/") ? page : String(page[...(page.lastIndex(of: "/") ?? page.startIndex)])
            h = base + h
        }
        // Normalise "." and ".." segments.
        var parts: [Substring] = []
        for p in h.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if p == "." { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        let path = "/" + parts.joined(separator: "/")
        return (path.removingPercentEncoding ?? path, fragment)
    }

    /// The output file a site path is served from: `/x/` → `x/index.html`, `/x` → `x`.
    static func fileFor(_ path: String, files: Set<String>) -> String? {
        let rel = String(SitePath.file(path).dropFirst())
        return files.contains(rel) ? rel : nil
    }

    // MARK: Reading a page

    static func read(file: String, bytes: [UInt8], config: SiteConfig) throws -> PageFacts {
        var facts = PageFacts(path: sitePath(file))
        let doc: HTMLDocument
        do {
            doc = try HTMLDocument(bytes: bytes)
        } catch {
            facts.parseError = "\(error)"
            return facts
        }
        let head = doc.first("head")
        facts.titles = (head ?? doc.root).all("title").map { Text.collapse($0.text) }
        facts.descriptions = doc.meta(name: "description").map(Text.collapse)
        facts.noindex = doc.meta(name: "robots").contains { $0.lowercased().contains("noindex") }
        facts.redirect = doc.all("meta").contains { $0["http-equiv"]?.lowercased() == "refresh" }
        facts.h1Count = doc.all("h1").count
        facts.links = doc.anchors + doc.all("link").compactMap { $0["href"] }
            + doc.all("script").compactMap { $0["src"] }
        facts.images = (doc.all("img") + doc.all("source")).flatMap { element -> [String] in
            let candidates = (element["srcset"] ?? "").split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) }
            return (element["src"].map { [$0] } ?? []) + candidates
        }
        facts.ids = doc.ids
        facts.h1 = Text.collapse(doc.first("h1")?.text ?? "")
        for script in doc.all("script") where script["type"] == "application/ld+json" {
            facts.about += aboutNames(script.text)
        }
        let sections = doc.all("section").filter { ($0["class"] ?? "").split(separator: " ").contains("section") }
        facts.sectionHeadings = sections.compactMap { section in (section.all("h2").first ?? section.all("h3").first).map { Text.collapse($0.text) } }
        doc.root.walk { e in
            if (e["class"] ?? "").split(separator: " ").contains("cta") && !(e.all("pre").isEmpty && e.all("code").isEmpty) { facts.ctaHasCode = true }
        }
        // Content: the text of <main> without navigation, the way a reader sees the article.
        let main = doc.first("main") ?? doc.first("body") ?? doc.root
        let words = Phrase(main.text(skipping: ["nav", "script", "style", "template"])).words
        facts.words = words.count
        facts.shingles = shingles(words)
        return facts
    }

    // MARK: Misread captures

    /// The names in the `about` of JSON-LD text (walked without recursion).
    static func aboutNames(_ json: String) -> [String] {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return [] }
        var names: [String] = []
        var stack: [Any] = [root]
        while let node = stack.popLast() {
            if let object = node as? [String: Any] {
                if let about = object["about"] {
                    for item in (about as? [Any]) ?? [about] {
                        if let name = (item as? [String: Any])?["name"] as? String { names.append(name) }
                    }
                }
                stack += object.values
            } else if let array = node as? [Any] {
                stack += array
            }
        }
        return names
    }

    /// Why a section heading looks misread (code, a table row, a date), or nil.
    static func misreadHeading(_ heading: String) -> String? {
        let h = heading.trimmingWhitespace()
        if h.contains("\t") || h.filter({ $0 == "|" }).count >= 2 { return "a table row" }
        if dateHeading.matches(h) { return "a date" }
        if codeShapes.contains(where: { $0.matches(h) }) { return "code" }
        return nil
    }

    static let dateHeading = NSRegularExpression(compiled: #"^(\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+,? \d{4}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})$"#)
    static let codeShapes = [#"[;{}]$"#, #"\w\(\)"#, #"\w\([^)]*\)\s*[;{]?$"#, #"=>|==|!=|:=|&&|\|\|"#, #"^\$ "#, #"^#!"#, #"^--?[a-z]"#,
                          #"^(import|from|def|func|fn|class|const|let|var|SELECT|INSERT|UPDATE|CREATE|npm|pip|brew|docker|kubectl|git) "#,
                          #"^<[a-zA-Z/!]"#, #"\w+\.\w+\.\w+\("#].map { NSRegularExpression(compiled: $0) }

    // MARK: Near-duplicates

    static func fnv(_ s: String, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    static func shingles(_ words: [String], size: Int = 5) -> [UInt64] {
        guard words.count >= size else { return words.isEmpty ? [] : [fnv(words.joined(separator: " "))] }
        var out = Set<UInt64>()
        for i in 0...(words.count - size) { out.insert(fnv(words[i..<(i + size)].joined(separator: " "))) }
        return out.sorted()
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Pairs of pages whose shingle sets have a Jaccard similarity at or above the
    /// threshold. MinHash signatures with LSH banding find candidate pairs without
    /// comparing every page with every other; candidates are then measured exactly.
    static func nearDuplicates(_ pages: [PageFacts], threshold: Double) -> [(PageFacts, PageFacts, Double)] {
        let bands = 16, rows = 4
        let k = bands * rows
        var buckets: [Int: [UInt64: [Int]]] = [:]
        for (index, page) in pages.enumerated() where !page.shingles.isEmpty {
            var signature = [UInt64](repeating: .max, count: k)
            for h in page.shingles {
                for i in 0..<k {
                    let v = mix(h ^ (UInt64(i) &* 0xD6E8_FEB8_6659_FD93))
                    if v < signature[i] { signature[i] = v }
                }
            }
            for b in 0..<bands {
                var key: UInt64 = UInt64(b)
                for r in 0..<rows { key = mix(key ^ signature[b * rows + r]) }
                buckets[b, default: [:]][key, default: []].append(index)
            }
        }
        var candidates = Set<[Int]>()
        for (_, table) in buckets {
            for (_, members) in table where members.count > 1 {
                for i in 0..<members.count { for j in (i + 1)..<members.count { candidates.insert([members[i], members[j]]) } }
            }
        }
        var out: [(PageFacts, PageFacts, Double)] = []
        for pair in candidates.sorted(by: { ($0[0], $0[1]) < ($1[0], $1[1]) }) {
            let a = pages[pair[0]], b = pages[pair[1]]
            let j = jaccard(a.shingles, b.shingles)
            if j >= threshold { out.append((a, b, j)) }
        }
        return out
    }

    /// Jaccard similarity of two sorted, unique arrays.
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        var i = 0, j = 0, common = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { common += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        let union = a.count + b.count - common
        return union == 0 ? 0 : Double(common) / Double(union)
    }
}
