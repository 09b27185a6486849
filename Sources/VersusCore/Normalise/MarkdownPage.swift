import Foundation
import Yams

/// Reads a Markdown page: YAML front-matter, then Markdown whose `## ` headings
/// open sections. A page whose front-matter names two `subjects` is a comparison
/// (built at `/<slug>/`); any other page is a document built at the URL of its path.
///
///     ---
///     title: "Kubernetes vs Stripe for Enterprise Engineering"
///     subjects: ["Kubernetes", "Stripe"]
///     slug: "kubernetes-vs-stripe"          # optional: made from the subjects
///     description: "…"                       # optional: derived from the text
///     byline: "Jane Doe — Platform Lead"     # optional
///     date: 2024-05-01                       # optional; updated: likewise
///     aliases: ["/stripe-vs-kubernetes/"]    # optional: old URLs that redirect here
///     roles: {"Stripe Focus": subject_focus} # optional: pin a section's role
///     ---
///
/// The keys and their forms are the model's (`FrontMatter.Written`, decoded by Yams's
/// decoder, or read straight from the usual plain form); this parser checks what a page
/// needs and derives the rest.
///
///     ## Stripe Focus
///     …
public enum MarkdownPageParser {
    /// Front-matter decoded from Yams's tree (composed by `PlainYAML` when it could, else by
    /// Yams), with a diagnostic for each unknown key and each value that is not what its key needs.
    /// - Parameter repeats: how many more keys given twice may be put aside to read the rest
    ///   (each is one more read of the whole front-matter).
    static func decodeFrontMatter(_ yaml: String, plain: Node?, file: String, repeats: Int = 16) -> (FrontMatter.Written?, [Diagnostic]) {
        let root: Node?
        do {
            root = try plain ?? Yams.compose(yaml: yaml, YAMLInput.resolver, .default, .utf8)
        } catch {
            let fault = yamlDiagnostic(error, file: file, yaml: yaml)
            // A key given twice stops Yams at once: the front-matter without the key's later
            // appearances is read for its other faults, so that one run reports them all (the
            // page is not built either way).
            if case YamlError.duplicatedKeysInMapping(let duplicates, _) = error, repeats > 0, let key = duplicates.sorted().first,
               let rest = withoutRepeats(of: key, in: yaml) {
                let (written, more) = decodeFrontMatter(rest, plain: nil, file: file, repeats: repeats - 1)
                return (written, [fault] + more)
            }
            return (nil, [fault])
        }
        guard let root else {
            return (nil, [.error(file, line: 1, "front-matter is empty: it needs at least 'title:' (and 'subjects:' for a comparison)")])
        }
        guard root.mapping != nil else {
            return (nil, [.error(file, line: 2, "front-matter must be a YAML mapping of keys to values")])
        }
        // A tree composed from the plain form has no aliases: it holds fewer values than its bytes (each takes one at least).
        if !(plain != nil && yaml.utf8.count < YAMLInput.maxValues), let oversized = YAMLInput.oversized(root, file: file, line: 2) { return (nil, [oversized]) }

        // The keys and their values, as the model declares them (FrontMatter.Written).
        var diagnostics: [Diagnostic] = []
        for unknown in YAMLInput.unknownKeys(root, FrontMatter.Written.keys, firstLine: 2) {
            diagnostics.append(.warning(file, line: unknown.line, "unknown front-matter key '\(unknown.key)' is ignored\(unknown.suggestion)"))
        }
        let (decoded, problems) = YAMLInput.decode(FrontMatter.Written.self, from: root, file: file, firstLine: 2)
        return (decoded, diagnostics + problems)
    }

    /// Whether a YAML line (its indent dropped) gives `key`: `key:`, `"key":` or `'key':`.
    static func gives(_ line: Substring, _ key: String) -> Bool {
        line.hasPrefix(key + ":") || line.hasPrefix("\"" + key + "\":") || line.hasPrefix("'" + key + "':")
    }

    /// The front-matter with the second and later appearances of a top-level `key` blanked (the
    /// key's line and the lines that continue its value: indented, or a list's `- ` items),
    /// so every other line keeps its number; nil when the key is not given twice at the start
    /// of a line (a key repeated inside a nested mapping).
    static func withoutRepeats(of key: String, in yaml: String) -> String? {
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        func continues(_ line: Substring) -> Bool {
            line.first == " " || line.first == "\t" || line == "-" || ByteText.hasPrefix(line, "- ")
        }
        var seen = false, blanked = false
        var i = 0
        while i < lines.count {
            guard gives(lines[i], key) else { i += 1; continue }
            if !seen { seen = true; i += 1; continue }
            lines[i] = ""
            blanked = true
            i += 1
            while i < lines.count, continues(lines[i]) { lines[i] = ""; i += 1 }
        }
        return blanked ? lines.joined(separator: "\n") : nil
    }

    /// - Parameter html: keep the blocks cmark renders alike under every option as their HTML
    ///   (`split(_:firstLine:html:)`), for a build; else every block as its Markdown.
    public static func parse(_ text: String, path: String, file: String, html: Bool = false) -> (Page?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let yaml: String, body: Substring, bodyLine: Int
        switch splitFrontMatter(text) {
        case .missing:
            return (nil, [.error(file, line: 1, "missing front-matter: a Markdown page starts with a '---' line, then 'title:' and 'description:', then '---'")])
        case .unclosed:
            return (nil, [.error(file, line: 1, "front-matter starts with '---' on line 1 but is never closed: end it with a '---' line before the page's text")])
        case .found(let y, let b, let line):
            (yaml, body, bodyLine) = (y, b, line)
        }
        // The usual one-line keys and values are read without Yams (`PlainYAML`): straight into
        // the keys the model declares when each is one of them and plainly what it needs, or
        // else into Yams's own tree for its decoder.
        let plain = PlainYAML.read(yaml)
        let written: FrontMatter.Written
        if let entries = plain, let fast = FrontMatter.Written(plain: entries) {
            written = fast
        } else {
            let (decoded, problems) = decodeFrontMatter(yaml, plain: plain.flatMap(PlainYAML.node), file: file)
            diagnostics += problems
            guard let decoded else { return (nil, diagnostics) }
            written = decoded
        }
        let title = written.title.map(Text.collapse)
        let subjects = written.subjects?.values ?? []
        let description = written.description.map(Text.collapse)
        let roles = written.roles?.roles ?? [:]

        guard let title, !title.isEmpty else {
            diagnostics.append(.error(file, line: 2, "front-matter has no 'title'"))
            return (nil, diagnostics)
        }
        func line(of key: String) -> Int { MarkdownPageParser.line(of: key, in: yaml) }
        // Two names of one field that say different things: which one is meant is not for Versus to guess.
        let updated = (written.updated ?? written.lastmod)?.day
        for (a, b, x, y) in [("updated", "lastmod", written.updated?.day.description, written.lastmod?.day.description),
                             ("byline", "author", written.byline?.byline?.text, written.author?.byline?.text)] {
            if let x, let y, x != y {
                diagnostics.append(.error(file, line: line(of: b), "front-matter gives both '\(a)' ('\(x)') and '\(b)' ('\(y)'), two names of one field; keep one"))
            }
        }
        if let date = written.date?.day, let updated, updated < date {
            diagnostics.append(.warning(file, line: line(of: written.updated != nil ? "updated" : "lastmod"),
                "the page is updated (\(updated)) before it is dated (\(date)): its structured data and feed entry say so; check both days"))
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }

        let isComparison = subjects.count >= 2
        if body.allSatisfy(\.isWhitespace) {
            diagnostics.append(.warning(file, line: bodyLine, "the page has no text after its front-matter: it is built as a title and a description alone, which search engines treat as a thin page"))
        }
        let split = split(body, firstLine: bodyLine, html: html)
        if let h1 = split.h1Line {
            diagnostics.append(.warning(file, line: h1, "a '# ' heading makes a second <h1>; the title is the page's <h1>, so start sections with '## '"))
        }
        for link in split.sourceLinks {
            diagnostics.append(.warning(file, line: link.at, "the link to '\(link.target)' leads nowhere: a source is published at its page's URL, not as a file (content/guides/sso.md is /guides/sso/, a comparison /<slug>/); link to the URL"))
        }
        // Roles are read from the Markdown as written (cues are words; syntax does not matter);
        // plain text through cmark is needed only to derive a description.
        let hasDescription = description?.isEmpty == false
        func paragraphsOf(_ blocks: [Block]) -> [String] {
            // (Into one list: a list for each block, then joined, cost an allocation a block.)
            var out: [String] = []
            for block in blocks {
                guard case .markdown(let markdown) = block else { continue }
                if hasDescription { out.append(markdown) } else { out += PlainText.paragraphs(markdown) }
            }
            return out
        }
        var sections: [Section] = []
        var paragraphs: [Describe.Paragraph] = paragraphsOf(split.lead).map { .init(text: $0, role: nil) }
        let pageWords = isComparison ? RoleClassifier.PageWords(subjects: subjects, publishers: []) : nil
        for (i, raw) in split.sections.enumerated() {
            let plainHeading = PlainText.inline(raw.heading)
            let plain = paragraphsOf(raw.blocks)
            func classified(_ words: RoleClassifier.PageWords) -> Role {
                var input = RoleClassifier.Input(heading: plainHeading, paragraphs: plain, subjects: subjects, index: i, count: split.sections.count)
                words.share(with: &input)
                return RoleClassifier.classify(input)
            }
            let role = roles[plainHeading] ?? roles[raw.heading] ?? pageWords.map(classified) ?? .other
            sections.append(Section(heading: raw.heading, role: role, blocks: raw.kept))
            paragraphs += plain.map { .init(text: $0, role: role) }
        }
        let descriptions = Describe.candidates(given: description, title: title, paragraphs: paragraphs, alternates: !hasDescription)
        if !isComparison, description == nil || description?.isEmpty == true {
            diagnostics.append(.warning(file, line: 2, "no 'description' in front-matter; using one derived from the text"))
        } else if let d = description, Text.length(d) > Describe.maximum || Text.length(d) < Describe.hardMinimum {
            diagnostics.append(.warning(file, line: line(of: "description"), "description is \(Text.length(d)) characters; search engines show 50–160, so it was adjusted"))
        }
        // A role given for a heading the page does not have (a typo, a heading renamed since) does nothing.
        let headings = roles.isEmpty ? [] : split.sections.flatMap { [PlainText.inline($0.heading), $0.heading] }
        for name in roles.keys.sorted() where !headings.contains(name) {
            let yamlLines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let rolesAt = line(of: "roles") - 2
            let entry = yamlLines.indices.first { $0 > rolesAt && yamlLines[$0].contains(name) }.map { $0 + 2 } ?? rolesAt + 2
            diagnostics.append(.warning(file, line: entry, "roles gives a role to '\(name)', which is no heading of this page, so it does nothing"
                                        + Suggest.didYouMean(name, in: split.sections.map { PlainText.inline($0.heading) })))
        }

        let pageSlug: String
        if isComparison {
            if let given = written.slug?.value, given.utf8.contains(47) {   // "/"
                diagnostics.append(.error(file, line: line(of: "slug"), "slug '\(given)' has a '/': a comparison is built at /<slug>/, one part of a URL (a document may give a path)"))
            }
            pageSlug = written.slug?.value ?? Slug.comparison(subjects)
        } else {
            pageSlug = documentSlug(path: path, slug: written.slug?.value)
        }
        let fm = FrontMatter(written, title: title, subjects: isComparison ? subjects : [], slug: pageSlug,
                             description: descriptions.first ?? title,
                             lines: .init(subjects: isComparison ? line(of: "subjects") : nil,
                                          aliases: written.aliases == nil ? nil : line(of: "aliases")))
        // An author's own description is kept as written; only derived ones have alternates.
        let alternates = hasDescription ? [] : Array(descriptions.dropFirst())
        let page = Page(sourcePath: path, kind: isComparison ? .comparison : .document, frontMatter: fm,
                        lead: split.keptLead, sections: sections, linkReferences: split.linkReferences,
                        alternateDescriptions: alternates)
        return (page, diagnostics)
    }

    /// `guides/sso.md` → `guides/sso`; `guides/index.md` → `guides`; `slug` replaces the last part.
    static func documentSlug(path: String, slug: String?) -> String {
        var parts = path.split(separator: "/").map(String.init)
        var name = parts.removeLast()
        if let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) }
        let isIndex = name == "index" || name == "_index"
        if let slug, !slug.isEmpty {
            if slug.contains("/") { return slug.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
            name = slug
        } else if isIndex {
            return parts.map(Slug.make).joined(separator: "/")
        }
        return (parts + [name]).map(Slug.make).joined(separator: "/")
    }

    // MARK: Splitting

    enum FrontMatterSplit {
        /// The YAML between the opening and closing `---`, the body, and the body's first line number.
        case found(String, Substring, Int)
        /// The text does not start with a `---` line.
        case missing
        /// It does, but no `---` (or `...`) line closes it.
        case unclosed
    }

    static func splitFrontMatter(_ text: String) -> FrontMatterSplit {
        // Over the bytes in place, each line's end found by memchr (the UTF-8 view's generic
        // search stepped an index a byte at a time); the parts are cut from the text by offset.
        enum Found { case missing, unclosed, found(yaml: Range<Int>, body: Int, line: Int) }
        let found = text.withBytes { u -> Found in
            let n = u.count
            guard n >= 3, u[0] == 45, u[1] == 45, u[2] == 45 else { return .missing }
            func blank(_ from: Int, _ to: Int) -> Bool {
                var k = from
                while k < to { guard u[k] == 32 || u[k] == 9 || u[k] == 13 else { return false }; k += 1 }
                return true
            }
            func lineEnd(from: Int) -> Int { ByteText.offset(of: 10, in: u, from: from) ?? n }
            // The opening line: "---" and nothing but spaces.
            let first = lineEnd(from: 0)
            guard first < n else { return blank(3, n) ? .unclosed : .missing }
            guard blank(3, first) else { return .missing }
            var i = first + 1
            var line = 2
            while i < n {
                let end = lineEnd(from: i)
                var j = i, dashes = 0, dots = 0
                while j < end, u[j] == 45 { dashes += 1; j += 1 }
                if dashes == 0 { while j < end, u[j] == 46 { dots += 1; j += 1 } }
                if dashes == 3 || dots == 3, blank(j, end) {
                    return .found(yaml: first + 1..<i, body: end < n ? end + 1 : n, line: line + 1)
                }
                line += 1
                i = end + 1
            }
            return .unclosed
        }
        switch found {
        case .missing: return .missing
        case .unclosed: return .unclosed
        case .found(let yaml, let body, let line):
            let u = text.utf8
            func at(_ offset: Int) -> String.Index { u.index(u.startIndex, offsetBy: offset) }
            return .found(String(text[at(yaml.lowerBound)..<at(yaml.upperBound)]), text[at(body)...], line)
        }
    }

    struct RawSection {
        var heading: String
        var blocks: [Block]
        /// The blocks as the page keeps them: `blocks`, with the HTML of each Markdown block the
        /// split rendered (`split(_:firstLine:html:)`) in its place.
        var kept: [Block]
        var line: Int
    }

    struct Split {
        var lead: [Block] = []
        var keptLead: [Block] = []
        var sections: [RawSection] = []
        var linkReferences: String = ""
        /// The line of the first level-1 heading, if any.
        var h1Line: Int?
        /// Links to a source file (`[setup](../guides/sso.md)`), by line: no page is published
        /// at such a path (a page is built at its URL), so each leads nowhere.
        var sourceLinks: [SourceLink] = []
    }

    /// A link to a source file: where it is (a byte offset while a body is split, then its line) and its target.
    struct SourceLink {
        var at: Int
        var target: String
    }

    /// The targets of Markdown links and images to a source file in `bytes[range]`, with where
    /// each starts: `](../x.md)`, `](<x.txt>)`, `](x.markdown#part "title")`; not a URL with a
    /// scheme. One pass: `]` (rare in prose) is looked for with memchr, then what follows it.
    static func sourceLinkTargets(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [SourceLink] {
        guard let base = bytes.baseAddress else { return [] }
        var out: [SourceLink] = []
        var at = range.lowerBound
        while at < range.upperBound, let hit = memchr(base + at, 93, range.upperBound - at) {   // "]"
            let close = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            at = close + 1
            guard at < range.upperBound, bytes[at] == 40 else { continue }   // "("
            var i = at + 1
            while i < range.upperBound, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
            if i < range.upperBound, bytes[i] == 60 { i += 1 }   // "<"
            let start = i
            // The path: up to a fragment, a query, a title, the closing bracket or the line's end.
            pathLoop: while i < range.upperBound {
                switch bytes[i] {
                case 32, 9, 10, 13, 41, 62, 35, 63, 34, 39: break pathLoop   // space, tab, line end, ) > # ? " '
                default: i += 1
                }
            }
            let path = UnsafeBufferPointer(rebasing: bytes[start..<i])
            guard !path.contains(58) else { continue }   // ":": a scheme (mailto:, https:)
            let lowered = path.map { $0 | 0x20 }
            if [".md", ".markdown", ".txt"].contains(where: { lowered.count > $0.utf8.count && lowered.suffix($0.utf8.count).elementsEqual($0.utf8) }) {
                out.append(SourceLink(at: start, target: String(decoding: path, as: UTF8.self)))
            }
        }
        return out
    }

    /// The line of a top-level key of a front-matter, which starts on line 2: the first line
    /// that starts with `key:`, read in the front-matter's bytes (a comparison page asks for its
    /// `subjects:` line; cutting the text into lines for it cost a seventh of reading the page).
    /// Line 2 when no line does.
    static func line(of key: String, in yaml: String) -> Int {
        let pattern = Array(key.utf8) + [58]   // "key:"
        return yaml.withBytes { bytes -> Int in
            guard let base = bytes.baseAddress else { return 2 }
            var start = 0, line = 2
            while true {
                if bytes.count - start >= pattern.count, memcmp(base + start, pattern, pattern.count) == 0 { return line }
                guard let newline = ByteText.offset(of: 10, in: bytes, from: start) else { return 2 }
                start = newline + 1
                line += 1
            }
        }
    }

    /// Splits a page body into its lead and its sections at level-2 headings, the one
    /// place a page is split: cmark reads the block structure (so a `## ` inside a fence,
    /// a list or a quote is not a section), and each top-level block keeps its source lines.
    /// A paragraph that is a GitHub-style pipe table becomes a table block. Works over the
    /// UTF-8 bytes: the blocks are cut from the source, never rebuilt character by character.
    /// - Parameter html: keep each Markdown block that renders alike under every option
    ///   (`CMark.rendersAlikeUnderEveryOption`) as the HTML cmark made of it in the parse that
    ///   found the sections, for a build (it is not parsed again to be rendered); not when the
    ///   body defines a link reference (a block rendered alone resolves its own first).
    static func split(_ body: Substring, firstLine: Int, html: Bool = false) -> Split {
        let text = String(body)
        let bytes = Array(text.utf8)
        let html = html && !bytes.withUnsafeBufferPointer { h in Self.definitionMark.withUnsafeBufferPointer { ByteText.find(h, $0) } }
        // Where each line starts, and one past the end.
        var starts = [0]
        // Room for a line of every 40 bytes or so: grown a few times at most, not at every doubling.
        starts.reserveCapacity(bytes.count / 40 + 8)
        bytes.withUnsafeBufferPointer { buf in
            var at = 0
            while let newline = ByteText.offset(of: 10, in: buf, from: at) {
                at = newline + 1
                starts.append(at)
            }
        }
        let lineCount = starts.count
        func lineRange(_ n: Int) -> Range<Int> {      // 1-based line, without its newline
            let lo = starts[n - 1]
            let hi = n < lineCount ? starts[n] - 1 : bytes.count
            return lo..<max(lo, hi)
        }
        func isBlank(_ n: Int) -> Bool { bytes[lineRange(n)].allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } }
        func string(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }

        var out = Split()
        var blocks: [Block] = [], kept: [Block] = []
        var current: RawSection?
        var references: [String] = []
        func flushSection() {
            if var s = current {
                s.blocks = blocks
                s.kept = kept
                out.sections.append(s)
            } else {
                out.lead = blocks
                out.keptLead = kept
            }
            blocks = []
            kept = []
        }

        // Rendered in the outline's parse: the blocks no option changes (their lines, blank ones
        // and all, hold nothing an option turns).
        let nodes = CMark.outline(text, html: html ? { first, next in
            let from = starts[max(1, first) - 1], to = next.map { starts[min(lineCount, max(1, $0)) - 1] } ?? bytes.count
            return from < to && bytes.withUnsafeBufferPointer { CMark.rendersAlikeUnderEveryOption(UnsafeBufferPointer(rebasing: $0[from..<to])) }
        } : nil)
        for (k, node) in nodes.enumerated() {
            // The block's lines, without blank lines at either end.
            var first = max(1, node.startLine), last = min(lineCount, k + 1 < nodes.count ? nodes[k + 1].startLine - 1 : lineCount)
            while first <= last, isBlank(first) { first += 1 }
            while last >= first, isBlank(last) { last -= 1 }
            guard first <= last else { continue }
            var end = lineRange(last).upperBound
            while end > starts[first - 1], bytes[end - 1] == 32 || bytes[end - 1] == 9 || bytes[end - 1] == 13 { end -= 1 }
            let range = starts[first - 1]..<end
            // A definition's line holds "]:"; a block without the pair has none (most blocks).
            if node.kind != .code, bytes[range].withUnsafeBufferPointer({ h in Self.definitionMark.withUnsafeBufferPointer { ByteText.find(h, $0) } }) {
                references += referenceDefinitions(bytes, lines: (first...last).map(lineRange))
            }
            if node.kind != .code {
                for link in bytes.withUnsafeBufferPointer({ Self.sourceLinkTargets($0, range) }) {
                    // (The line: the last one starting at or before the link, among the block's.)
                    let n = (first...last).last { starts[$0 - 1] <= link.at } ?? first
                    out.sourceLinks.append(SourceLink(at: firstLine + n - 1, target: link.target))
                }
            }
            switch node.kind {
            case .heading(let level) where level == 2:
                flushSection()
                current = RawSection(heading: headingText((first...last).map { string(lineRange($0)) }), blocks: [], kept: [],
                                     line: firstLine + node.startLine - 1)
                continue
            case .heading(1):
                if out.h1Line == nil { out.h1Line = firstLine + node.startLine - 1 }
            case .paragraph where bytes[range].contains(UInt8(ascii: "|")):
                // A table runs to the first blank line.
                var tableLines: [Substring] = []
                for n in first...last {
                    if isBlank(n) { break }
                    tableLines.append(Substring(string(lineRange(n))))
                }
                if let table = PipeTable.parse(tableLines[...]) {
                    blocks.append(.table(table))
                    kept.append(.table(table))
                    continue
                }
            default:
                break
            }
            let markdown = Block.markdown(string(range))
            blocks.append(markdown)
            kept.append(node.html.map(Block.html) ?? markdown)
        }
        flushSection()
        out.linkReferences = references.joined(separator: "\n")
        return out
    }

    static let definitionMark: [UInt8] = Array("]:".utf8)

    /// Link reference definitions (`[ref]: https://…`) that open a block or follow another.
    static func referenceDefinitions(_ bytes: [UInt8], lines: [Range<Int>]) -> [String] {
        var out: [String] = []
        var atBlockStart = true
        for r in lines {
            var i = r.lowerBound
            while i < r.upperBound, i - r.lowerBound < 4, bytes[i] == 32 { i += 1 }
            if atBlockStart, i - r.lowerBound < 4, i < r.upperBound, bytes[i] == UInt8(ascii: "["),
               let close = bytes[(i + 2)..<max(i + 2, r.upperBound)].firstIndex(of: UInt8(ascii: "]")),
               close + 1 < r.upperBound, bytes[close + 1] == UInt8(ascii: ":") {
                out.append(String(decoding: bytes[r], as: UTF8.self))
                continue
            }
            atBlockStart = bytes[r].allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }
        }
        return out
    }

    /// A heading's inline Markdown: an ATX heading without its `#`s, or a setext heading's text lines.
    static func headingText(_ lines: [String]) -> String {
        guard let firstLine = lines.first else { return "" }
        if let text = atxHeadingText(firstLine) { return text }
        return headingTextByCharacters(lines)
    }

    /// `headingTextByCharacters` of an ATX heading line in ASCII ("## Pricing ##"), over its bytes in
    /// place; nil for any other line. (In ASCII a character is a byte, but for CR LF, which a line
    /// may not hold here: a line with a CR is left to the characters too.)
    static func atxHeadingText(_ line: String) -> String? {
        line.withBytes { b -> String? in
            var i = 0
            while i < b.count, b[i] == 32 { i += 1 }
            guard i < b.count, b[i] == 35, ByteText.allASCII(b), !b.contains(13) else { return nil }
            while i < b.count, b[i] == 35 { i += 1 }
            // The text between the opening #s and an optional closing sequence, trimmed as
            // `trimmingWhitespace` trims (spaces and tabs).
            var start = i, end = b.count
            while start < end, b[start] == 32 || b[start] == 9 { start += 1 }
            while end > start, b[end - 1] == 32 || b[end - 1] == 9 { end -= 1 }
            var closing = end
            while closing > start, b[closing - 1] == 35 { closing -= 1 }
            if closing == start { return "" }
            if closing < end, b[closing - 1] == 32 {
                end = closing
                while end > start, b[end - 1] == 32 || b[end - 1] == 9 { end -= 1 }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        }
    }

    /// The heading's text, by characters: what `headingText` gives for any line.
    static func headingTextByCharacters(_ lines: [String]) -> String {
        guard let firstLine = lines.first else { return "" }
        let first = firstLine.drop(while: { $0 == " " })
        if ByteText.hasPrefix(first, "#") {
            var s = first.drop(while: { $0 == "#" }).trimmingWhitespace()
            // An optional closing sequence of #s, which needs a space before it ("## C#" keeps its #).
            let hashes = s.reversed().prefix(while: { $0 == "#" }).count
            if hashes == s.count {
                s = ""
            } else if hashes > 0, s.dropLast(hashes).last == " " {
                s = String(s.dropLast(hashes)).trimmingWhitespace()
            }
            return s
        }
        // Setext: the text lines above the underline.
        let text = lines.prefix { line in !line.trimmingWhitespace().allSatisfy({ $0 == "-" || $0 == "=" }) }
        return text.map { $0.trimmingWhitespace() }.joined(separator: " ")
    }

    /// A YAML error as a diagnostic at the file's line (and column) of the fault, with libyaml's
    /// reason alone: Yams's own description of the error repeats the position and quotes the
    /// line under a caret, which the diagnostic's `file:line:column:` already says.
    /// - Parameter firstLine: the file line the YAML starts on (2 for front-matter).
    static func yamlDiagnostic(_ error: Error, file: String, firstLine: Int = 2, yaml: String? = nil) -> Diagnostic {
        let what = firstLine == 2 ? "front-matter" : "YAML"
        // Yams marks count lines and columns from 1 within the YAML; a column is in Unicode scalars.
        func invalid(line: Int, column: Int?, _ reason: String) -> Diagnostic {
            Diagnostic(file: file, line: line + firstLine - 1, column: column, "\(what) is not valid: \(reason)")
        }
        if let e = error as? YamlError {
            switch e {
            case .duplicatedKeysInMapping(let duplicates, let context):
                // Yams names the keys and where their mapping starts: the line is that of the key's
                // second appearance, found in the text (a key at the start of its line).
                let key = duplicates.sorted().first ?? ""
                let lines = (yaml ?? "").split(separator: "\n", omittingEmptySubsequences: false)
                let at = lines.indices.filter { i in
                    gives(lines[i].drop(while: { $0 == " " }), key)
                }
                if at.count >= 2 {
                    return .error(file, line: at[1] + firstLine, "\(what) gives '\(key)' twice (first on line \(at[0] + firstLine)); keep one")
                }
                return .error(file, line: context.mark.line + firstLine - 1, "\(what) gives \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) twice; keep one of each")
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                // libyaml's words, but not the name of its own function ("set with yaml_set_max_nest_level()").
                var reason = ByteText.hasPrefix(problem, "Maximum nesting level reached") ? "nested too deeply (lists and mappings inside one another)" : problem
                // What libyaml was reading, when it began on another line (a quote never closed
                // is found where the text ends, a line or more below where it opens).
                if let context, context.mark.line != mark.line {
                    reason += " (\(context.text) from line \(context.mark.line + firstLine - 1))"
                }
                return invalid(line: mark.line, column: mark.column, reason)
            case .reader(let problem, let offset, let value, let text):
                // A character YAML does not allow (a control character, a noncharacter), named by
                // its code point; Yams gives where as an offset in characters into the text.
                let reason = problem + (value >= 0 ? " (U+" + String(value, radix: 16, uppercase: true).leftPadded(4) + ")" : "")
                guard let offset, let at = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else {
                    return invalid(line: 1, column: nil, reason)
                }
                let before = text.unicodeScalars[..<at]
                let lineStart = before.lastIndex(of: "\n").map(text.unicodeScalars.index(after:)) ?? before.startIndex
                return invalid(line: 1 + before.count { $0 == "\n" }, column: 1 + before.distance(from: lineStart, to: at), reason)
            default:
                break
            }
        }
        return .error(file, line: firstLine, "\(what) is not valid: \(error)")
    }
}
