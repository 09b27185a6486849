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
///     ## Stripe Focus
///     …
public enum MarkdownPageParser {
    static let knownKeys: Set<String> = [
        "title", "subjects", "slug", "description", "byline", "author", "date", "updated", "lastmod",
        "aliases", "roles", "draft", "noindex",
    ]

    public static func parse(_ text: String, path: String, file: String) -> (Page?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        guard let (yaml, body, bodyLine) = splitFrontMatter(text) else {
            return (nil, [.error(file, line: 1, "missing front-matter: a Markdown page starts with a '---' line, then 'title:' and 'description:', then '---'")])
        }
        let root: Node?
        do {
            // Every value Versus reads is text (dates included), so no scalar needs YAML's
            // implicit typing: the basic resolver spares a regular-expression match per scalar.
            root = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch {
            return (nil, [yamlDiagnostic(error, file: file)])
        }
        guard let mapping = root?.mapping else {
            return (nil, [.error(file, line: 2, "front-matter must be a YAML mapping of keys to values")])
        }

        var title: String?
        var subjects: [String] = []
        var slug: String?
        var description: String?
        var byline: Byline?
        var date: Day?, updated: Day?
        var aliases: [String] = []
        var roles: [String: Role] = [:]
        var draft = false, noindex = false

        func line(_ node: Node) -> Int? { node.mark.map { $0.line + 1 } }
        func string(_ key: String, _ node: Node) -> String? {
            guard let s = node.scalar?.string else {
                diagnostics.append(.error(file, line: line(node), "'\(key)' must be a single text value"))
                return nil
            }
            return Text.collapse(s)
        }
        func strings(_ key: String, _ node: Node) -> [String] {
            if let s = node.scalar?.string { return [Text.collapse(s)] }
            guard let seq = node.sequence else {
                diagnostics.append(.error(file, line: line(node), "'\(key)' must be a list of text values"))
                return []
            }
            return seq.compactMap { $0.scalar.map { Text.collapse($0.string) } }
        }
        func flag(_ key: String, _ node: Node) -> Bool {
            // A plain YAML 1.1 boolean (the basic resolver leaves it untyped).
            if let s = node.scalar, s.style == .plain {
                switch s.string.lowercased() {
                case "true", "yes", "on": return true
                case "false", "no", "off": return false
                default: break
                }
            }
            diagnostics.append(.error(file, line: line(node), "'\(key)' must be true or false"))
            return false
        }
        func day(_ key: String, _ node: Node) -> Day? {
            guard let s = node.scalar?.string, let d = Day(s) else {
                diagnostics.append(.error(file, line: line(node), "'\(key)' must be a date written YYYY-MM-DD"))
                return nil
            }
            return d
        }

        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { continue }
            switch key {
            case "title": title = string(key, value)
            case "subjects":
                subjects = strings(key, value)
                if !(2...4).contains(subjects.count) || subjects.contains(where: \.isEmpty) {
                    diagnostics.append(.error(file, line: line(value), "'subjects' must name two to four subjects, for example [\"Kubernetes\", \"Stripe\"]"))
                }
            case "slug":
                slug = string(key, value)
                if let s = slug, s != s.lowercased() || s.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber) || $0 == "-" || $0 == "/") }) || s.isEmpty {
                    diagnostics.append(.error(file, line: line(value), "slug '\(s)' must use lower-case ASCII letters, digits and hyphens only"))
                }
            case "description": description = string(key, value)
            case "byline", "author":
                if let s = string(key, value), !s.isEmpty {
                    byline = SourceTextParser.parseByline(s) ?? Byline(text: s, name: s, role: nil)
                }
            case "date": date = day(key, value)
            case "updated", "lastmod": updated = day(key, value)
            case "aliases":
                aliases = strings(key, value).map(normaliseAlias)
            case "roles":
                guard let m = value.mapping else {
                    diagnostics.append(.error(file, line: line(value), "'roles' must map section headings to roles"))
                    continue
                }
                for (h, r) in m {
                    guard let heading = h.scalar?.string else { continue }
                    if let name = r.scalar?.string, let role = Role(rawValue: name) {
                        roles[Text.collapse(heading)] = role
                    } else {
                        diagnostics.append(.error(file, line: line(r), "unknown role for '\(heading)': use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
                    }
                }
            case "draft": draft = flag(key, value)
            case "noindex": noindex = flag(key, value)
            default:
                diagnostics.append(.warning(file, line: line(keyNode), "unknown front-matter key '\(key)' is ignored"))
            }
        }
        guard let title, !title.isEmpty else {
            diagnostics.append(.error(file, line: 2, "front-matter has no 'title'"))
            return (nil, diagnostics)
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }

        let isComparison = subjects.count >= 2
        let split = split(body, firstLine: bodyLine)
        if let h1 = split.h1Line {
            diagnostics.append(.warning(file, line: h1, "a '# ' heading makes a second <h1>; the title is the page's <h1>, so start sections with '## '"))
        }
        // Roles are read from the Markdown as written (cues are words; syntax does not matter);
        // plain text through cmark is needed only to derive a description.
        let hasDescription = description?.isEmpty == false
        func paragraphsOf(_ blocks: [Block]) -> [String] {
            blocks.flatMap { block -> [String] in
                guard case .markdown(let markdown) = block else { return [] }
                return hasDescription ? [markdown] : PlainText.paragraphs(markdown)
            }
        }
        var sections: [Section] = []
        var paragraphs: [Describe.Paragraph] = paragraphsOf(split.lead).map { .init(text: $0, role: nil) }
        for (i, raw) in split.sections.enumerated() {
            let plainHeading = PlainText.inline(raw.heading)
            let plain = paragraphsOf(raw.blocks)
            let role = roles[plainHeading] ?? roles[raw.heading]
                ?? (isComparison
                    ? RoleClassifier.classify(.init(heading: plainHeading, paragraphs: plain, subjects: subjects, index: i, count: split.sections.count))
                    : .other)
            sections.append(Section(heading: raw.heading, role: role, blocks: raw.blocks))
            paragraphs += plain.map { .init(text: $0, role: role) }
        }
        let descriptions = Describe.candidates(given: description, title: title, paragraphs: paragraphs, alternates: !hasDescription)
        if !isComparison, description == nil || description?.isEmpty == true {
            diagnostics.append(.warning(file, line: 2, "no 'description' in front-matter; using one derived from the text"))
        } else if let d = description, Text.length(d) > Describe.maximum || Text.length(d) < Describe.hardMinimum {
            diagnostics.append(.warning(file, line: 2, "description is \(Text.length(d)) characters; search engines show 50–160, so it was adjusted"))
        }

        let pageSlug: String
        if isComparison {
            pageSlug = slug ?? Slug.comparison(subjects)
        } else {
            pageSlug = documentSlug(path: path, slug: slug)
        }
        let fm = FrontMatter(title: title, subjects: isComparison ? subjects : [], slug: pageSlug,
                             description: descriptions.first ?? title, byline: byline, date: date, updated: updated,
                             aliases: aliases, roles: roles, draft: draft, noindex: noindex)
        // An author's own description is kept as written; only derived ones have alternates.
        let alternates = hasDescription ? [] : Array(descriptions.dropFirst())
        let page = Page(sourcePath: path, kind: isComparison ? .comparison : .document, frontMatter: fm,
                        lead: split.lead, sections: sections, linkReferences: split.linkReferences,
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

    static func normaliseAlias(_ alias: String) -> String {
        var a = alias.trimmingCharacters(in: .whitespaces)
        if !a.hasPrefix("/") { a = "/" + a }
        if !a.hasSuffix("/") && !a.hasSuffix(".html") { a += "/" }
        return a
    }

    // MARK: Splitting

    /// The YAML between the opening and closing `---`, the body, and the body's first line number.
    static func splitFrontMatter(_ text: String) -> (String, Substring, Int)? {
        let u = text.utf8
        guard u.starts(with: "---".utf8) else { return nil }
        // The opening line: "---" and nothing but spaces.
        guard var i = u.firstIndex(of: 10) else { return nil }
        guard u[u.index(u.startIndex, offsetBy: 3)..<i].allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) else { return nil }
        i = u.index(after: i)
        let yamlStart = i
        var line = 2
        while i < u.endIndex {
            let lineEnd = u[i...].firstIndex(of: 10) ?? u.endIndex
            var j = i, dashes = 0, dots = 0
            while j < lineEnd, u[j] == 45 { dashes += 1; j = u.index(after: j) }
            if dashes == 0 { while j < lineEnd, u[j] == 46 { dots += 1; j = u.index(after: j) } }
            let rest = u[j..<lineEnd].allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }
            if rest, dashes == 3 || dots == 3 {
                let yaml = String(text[yamlStart..<i])
                let bodyStart = lineEnd < u.endIndex ? u.index(after: lineEnd) : u.endIndex
                return (yaml, text[bodyStart...], line + 1)
            }
            line += 1
            i = lineEnd < u.endIndex ? u.index(after: lineEnd) : u.endIndex
        }
        return nil
    }

    struct RawSection {
        var heading: String
        var blocks: [Block]
        var line: Int
    }

    struct Split {
        var lead: [Block] = []
        var sections: [RawSection] = []
        var linkReferences: String = ""
        /// The line of the first level-1 heading, if any.
        var h1Line: Int?
    }

    /// Splits a page body into its lead and its sections at level-2 headings, the one
    /// place a page is split: cmark reads the block structure (so a `## ` inside a fence,
    /// a list or a quote is not a section), and each top-level block keeps its source lines.
    /// A paragraph that is a GitHub-style pipe table becomes a table block. Works over the
    /// UTF-8 bytes: the blocks are cut from the source, never rebuilt character by character.
    static func split(_ body: Substring, firstLine: Int) -> Split {
        let text = String(body)
        let bytes = Array(text.utf8)
        // Where each line starts, and one past the end.
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { starts.append(i + 1) }
        let lineCount = starts.count
        func lineRange(_ n: Int) -> Range<Int> {      // 1-based line, without its newline
            let lo = starts[n - 1]
            let hi = n < lineCount ? starts[n] - 1 : bytes.count
            return lo..<max(lo, hi)
        }
        func isBlank(_ n: Int) -> Bool { bytes[lineRange(n)].allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } }
        func string(_ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }

        var out = Split()
        var blocks: [Block] = []
        var current: RawSection?
        var references: [String] = []
        func flushSection() {
            if var s = current {
                s.blocks = blocks
                out.sections.append(s)
            } else {
                out.lead = blocks
            }
            blocks = []
        }

        let nodes = CMark.outline(text)
        for (k, node) in nodes.enumerated() {
            // The block's lines, without blank lines at either end.
            var first = max(1, node.startLine), last = min(lineCount, k + 1 < nodes.count ? nodes[k + 1].startLine - 1 : lineCount)
            while first <= last, isBlank(first) { first += 1 }
            while last >= first, isBlank(last) { last -= 1 }
            guard first <= last else { continue }
            var end = lineRange(last).upperBound
            while end > starts[first - 1], bytes[end - 1] == 32 || bytes[end - 1] == 9 || bytes[end - 1] == 13 { end -= 1 }
            let range = starts[first - 1]..<end
            if node.kind != .code { references += referenceDefinitions(bytes, lines: (first...last).map(lineRange)) }
            switch node.kind {
            case .heading(let level) where level == 2:
                flushSection()
                current = RawSection(heading: headingText((first...last).map { string(lineRange($0)) }), blocks: [],
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
                    continue
                }
            default:
                break
            }
            blocks.append(.markdown(string(range)))
        }
        flushSection()
        out.linkReferences = references.joined(separator: "\n")
        return out
    }

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
        let first = firstLine.drop(while: { $0 == " " })
        if first.hasPrefix("#") {
            var s = first.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
            // An optional closing sequence of #s, which needs a space before it ("## C#" keeps its #).
            let hashes = s.reversed().prefix(while: { $0 == "#" }).count
            if hashes == s.count {
                s = ""
            } else if hashes > 0, s.dropLast(hashes).last == " " {
                s = String(s.dropLast(hashes)).trimmingCharacters(in: .whitespaces)
            }
            return s
        }
        // Setext: the text lines above the underline.
        let text = lines.prefix { line in !line.trimmingCharacters(in: .whitespaces).allSatisfy({ $0 == "-" || $0 == "=" }) }
        return text.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// - Parameter firstLine: the file line the YAML starts on (2 for front-matter).
    static func yamlDiagnostic(_ error: Error, file: String, firstLine: Int = 2) -> Diagnostic {
        // Yams marks count from 1 within the YAML.
        if let e = error as? YamlError {
            switch e {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return .error(file, line: mark.line + firstLine - 1, "\(firstLine == 2 ? "front-matter" : "YAML") is not valid: \(problem)")
            default:
                break
            }
        }
        return .error(file, line: firstLine, "\(firstLine == 2 ? "front-matter" : "YAML") is not valid: \(error)")
    }
}
