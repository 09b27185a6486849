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
                if subjects.count != 2 || subjects.contains(where: \.isEmpty) {
                    diagnostics.append(.error(file, line: line(value), "'subjects' must name exactly two subjects, for example [\"Kubernetes\", \"Stripe\"]"))
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

        let isComparison = subjects.count == 2
        let (leadMarkdown, rawSections, h1Line) = splitSections(body, firstLine: bodyLine)
        if let h1 = h1Line {
            diagnostics.append(.warning(file, line: h1, "a '# ' heading makes a second <h1>; the title is the page's <h1>, so start sections with '## '"))
        }
        // Roles are read from the Markdown as written (cues are words; syntax does not matter);
        // plain text through cmark is needed only to derive a description.
        let hasDescription = description?.isEmpty == false
        func paragraphsOf(_ markdown: String) -> [String] {
            hasDescription ? (markdown.isEmpty ? [] : [markdown]) : PlainText.paragraphs(markdown)
        }
        var sections: [Section] = []
        var paragraphs: [Describe.Paragraph] = paragraphsOf(leadMarkdown).map { .init(text: $0, role: nil) }
        for (i, raw) in rawSections.enumerated() {
            let plainHeading = PlainText.inline(raw.heading)
            let plain = paragraphsOf(raw.body)
            let role = roles[plainHeading] ?? roles[raw.heading]
                ?? (isComparison
                    ? RoleClassifier.classify(.init(heading: plainHeading, paragraphs: plain, subjects: subjects, index: i, count: rawSections.count))
                    : .other)
            sections.append(Section(heading: raw.heading, role: role, body: raw.body))
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
            pageSlug = slug ?? Slug.pair(subjects[0], subjects[1])
        } else {
            pageSlug = documentSlug(path: path, slug: slug)
        }
        let fm = FrontMatter(title: title, subjects: isComparison ? subjects : [], slug: pageSlug,
                             description: descriptions.first ?? title, byline: byline, date: date, updated: updated,
                             aliases: aliases, roles: roles, draft: draft, noindex: noindex)
        // An author's own description is kept as written; only derived ones have alternates.
        let alternates = hasDescription ? [] : Array(descriptions.dropFirst())
        let page = Page(sourcePath: path, kind: isComparison ? .comparison : .document, frontMatter: fm,
                        lead: leadMarkdown, sections: sections, alternateDescriptions: alternates)
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
        var body: String
        var line: Int
    }

    /// Splits Markdown at ATX level-2 headings outside fenced code, over UTF-8 bytes.
    /// Also returns the line of the first level-1 heading, if any.
    static func splitSections(_ body: Substring, firstLine: Int) -> (String, [RawSection], h1Line: Int?) {
        let bytes = Array(body.utf8)
        var lead = ""
        var sections: [RawSection] = []
        var h1Line: Int?
        var chunkStart = 0           // byte offset where the current lead/section body starts
        var fence: (UInt8, Int)?
        var lineNumber = firstLine
        var lineStart = 0
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 }
        func text(_ r: Range<Int>) -> String {
            // Trim blank lines at both ends and trailing whitespace; keep the first line's indent.
            var lo = r.lowerBound, hi = r.upperBound
            var firstNonBlankLine = lo
            var k = lo
            while k < hi {
                if bytes[k] == 10 { firstNonBlankLine = k + 1 } else if !isSpace(bytes[k]) { break }
                k += 1
            }
            lo = k == hi ? hi : firstNonBlankLine
            while hi > lo, bytes[hi - 1] == 10 || isSpace(bytes[hi - 1]) { hi -= 1 }
            return String(decoding: bytes[lo..<hi], as: UTF8.self)
        }
        func flush(upTo end: Int) {
            if sections.isEmpty { lead = text(chunkStart..<end) } else { sections[sections.count - 1].body = text(chunkStart..<end) }
        }
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
            var k = lineStart
            while k < lineEnd, bytes[k] == 32 { k += 1 }
            let indent = k - lineStart
            if indent < 4, k < lineEnd, bytes[k] == UInt8(ascii: "`") || bytes[k] == UInt8(ascii: "~") {
                let marker = bytes[k]
                var run = 0
                while k + run < lineEnd, bytes[k + run] == marker { run += 1 }
                if run >= 3 {
                    if let open = fence {
                        var rest = k + run
                        while rest < lineEnd, isSpace(bytes[rest]) { rest += 1 }
                        if open.0 == marker, run >= open.1, rest == lineEnd { fence = nil }
                    } else {
                        fence = (marker, run)
                    }
                }
            } else if fence == nil, indent < 4, k < lineEnd, bytes[k] == UInt8(ascii: "#") {
                var hashes = 0
                while k + hashes < lineEnd, bytes[k + hashes] == UInt8(ascii: "#") { hashes += 1 }
                let after = k + hashes
                let spaced = after == lineEnd || isSpace(bytes[after])
                if hashes == 1, spaced, h1Line == nil { h1Line = lineNumber }
                if hashes == 2, spaced {
                    flush(upTo: lineStart)
                    // An optional closing sequence of #s, which needs a space before it ("## C#" keeps its #).
                    var lo = after, hi = lineEnd
                    while lo < hi, isSpace(bytes[lo]) { lo += 1 }
                    while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
                    var h = hi
                    while h > lo, bytes[h - 1] == UInt8(ascii: "#") { h -= 1 }
                    if h == lo { hi = lo } else if h < hi, isSpace(bytes[h - 1]) {
                        hi = h
                        while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
                    }
                    let heading = String(decoding: bytes[lo..<hi], as: UTF8.self)
                    sections.append(RawSection(heading: heading, body: "", line: lineNumber))
                    chunkStart = min(bytes.count, lineEnd + 1)
                }
            }
            lineNumber += 1
            lineStart = lineEnd + 1
        }
        flush(upTo: bytes.count)
        return (lead, sections, h1Line)
    }

    static func trimBlankLines(_ lines: [Substring]) -> String {
        var lo = 0, hi = lines.count
        while lo < hi, lines[lo].allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { lo += 1 }
        while hi > lo, lines[hi - 1].allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { hi -= 1 }
        return lines[lo..<hi].joined(separator: "\n")
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
