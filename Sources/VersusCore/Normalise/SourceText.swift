import Foundation

/// Reads a comparison source text as it was captured (loose layout, no markup)
/// into a normalised `Page`.
///
/// The layouts it understands, by example:
///
///     Kubernetes vs Stripe                               ⚖️
///     Kubernetes vs Stripe for Enterprise Engineering
///     Stripe Focus                                       Bleeding Runway on Kubernetes or Pulumi? | Comparison
///     Stripe abstracts away …
///                                                        Compare execution risks … of Kubernetes vs Pulumi.
///                                                        Competitor Focus
///                                                        Pulumi focuses on …
///
/// Lines become blocks (paragraphs, hard-wrapped or not, and bullet lists). The
/// header is the pair line and the title; prose before the first heading is the
/// lead (the description line); then each heading opens a section; a
/// "Name — Role" or "Written by …" line at the end is the byline.
public enum SourceTextParser {
    /// One physical line, cleaned.
    struct Line {
        var text: String
        var number: Int
        var indent: Int
        var isBlank: Bool { text.isEmpty }
    }

    /// Consecutive lines that belong together.
    struct TextBlock {
        enum Kind { case text, list }
        var kind: Kind
        var parts: [String]      // text: the physical lines; list: the items
        var line: Int
        var ordered = false
        var text: String { parts.joined(separator: " ") }
    }

    public static func parse(_ text: String, path: String, file: String) -> Result<Page, Diagnostic> {
        let lines = cleanLines(text)
        guard lines.contains(where: { !$0.isBlank }) else {
            let onlySpace = !text.unicodeScalars.isEmpty
            return .failure(.error(file, onlySpace ? "file contains only whitespace; expected a comparison text"
                                               : "file is empty; expected a comparison text"))
        }

        var lines2 = lines
        let byline = takeByline(&lines2)
        let blocks = makeBlocks(lines2)
        let document = lines.map(\.text).joined(separator: "\n")
        let finder = SubjectFinder(document: document)

        // Header: the first heading-like block (a pair line or the title), and
        // any heading-like blocks after it that are followed by another heading-like
        // block (so they cannot be section headings with a body).
        guard let first = blocks.first, isTitleLike(first) else {
            let line = blocks.first?.line
            return .failure(.error(file, line: line, "no title line: a comparison text starts with a line such as 'Kubernetes vs Stripe'"))
        }
        var header = [first]
        var index = 1
        while index + 1 < blocks.count, isTitleLike(blocks[index]), isHeadingLike(blocks[index + 1]) {
            header.append(blocks[index])
            index += 1
        }
        // "Kubernetes vs Stripe" followed by the longer title that repeats the pair.
        if header.count == 1, index < blocks.count, isTitleLike(blocks[index]),
           let pair = finder.pair(in: first.text, allowOr: true), pair.bare,
           Phrase(blocks[index].text).contains(Phrase(pair.left).normalised),
           Phrase(blocks[index].text).contains(Phrase(pair.right).normalised) {
            header.append(blocks[index])
            index += 1
        }

        // Sections: a heading-like block opens one unless it directly follows a heading
        // (then it is a short body line) or it is the very last block.
        var lead: [TextBlock] = []
        var rawSections: [(heading: TextBlock, body: [TextBlock])] = []
        var previousWasHeading = false
        for i in index..<blocks.count {
            let block = blocks[i]
            if isHeadingLike(block), !previousWasHeading, i + 1 < blocks.count {
                rawSections.append((block, []))
                previousWasHeading = true
            } else {
                if rawSections.isEmpty { lead.append(block) } else { rawSections[rawSections.count - 1].body.append(block) }
                previousWasHeading = false
            }
        }

        // Subjects: a bare pair line first, then the title and lead, then headings and body.
        let titleBlock = header.first(where: { finder.pair(in: $0.text, allowOr: true)?.bare != true }) ?? header.last!
        var pair: SubjectPair?
        for block in header {
            if let p = finder.pair(in: block.text, allowOr: true), p.bare { pair = p; break }
        }
        if pair == nil { pair = finder.pair(in: titleBlock.text, allowOr: true) }
        if pair == nil {
            for block in header + lead where block.kind == .text {
                if let p = finder.pair(in: block.text, allowOr: block.parts.count == 1 && isHeadingLike(block)) { pair = p; break }
            }
        }
        if pair == nil {
            outer: for (heading, body) in rawSections {
                for block in [heading] + body {
                    for part in block.kind == .list ? block.parts : [block.text] {
                        if let p = finder.pair(in: part, allowOr: false) { pair = p; break outer }
                    }
                }
            }
        }
        guard let pair else {
            return .failure(.error(file, line: first.line,
                "no comparison found: no line names two subjects joined by 'vs', 'versus', 'or' or 'compared to'"))
        }
        let title = stripSiteSuffix(titleBlock.text)
        guard !rawSections.isEmpty else {
            return .failure(.error(file, line: titleBlock.line,
                "'\(title)' has a title but no sections: expected a heading line followed by at least one paragraph"))
        }

        // Build the model: Markdown bodies, roles, descriptions.
        let subjects = [pair.left, pair.right]
        var sections: [Section] = []
        var paragraphs: [Describe.Paragraph] = lead.flatMap { plainParagraphs($0).map { Describe.Paragraph(text: $0, role: nil) } }
        for (i, raw) in rawSections.enumerated() {
            let plain = raw.body.flatMap(plainParagraphs)
            let role = RoleClassifier.classify(.init(heading: raw.heading.text, paragraphs: plain, subjects: subjects,
                                                     index: i, count: rawSections.count))
            sections.append(Section(heading: MarkdownEscape.inline(raw.heading.text), role: role,
                                    blocks: raw.body.map { .markdown(markdown($0)) }))
            paragraphs += plain.map { Describe.Paragraph(text: $0, role: role) }
        }
        let given = lead.first(where: { $0.kind == .text }).map(\.text)
        let descriptions = Describe.candidates(given: given, title: title, paragraphs: paragraphs)

        let frontMatter = FrontMatter(
            title: title, subjects: subjects, slug: Slug.pair(pair.left, pair.right),
            description: descriptions.first ?? title, byline: byline)
        return .success(Page(sourcePath: path, kind: .comparison, frontMatter: frontMatter,
                             lead: lead.map { .markdown(markdown($0)) }, sections: sections,
                             alternateDescriptions: Array(descriptions.dropFirst())))
    }

    // MARK: Lines

    static func cleanLines(_ text: String) -> [Line] {
        var text = Substring(text)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        // "\r\n" is a single Character in Swift, so this splits CRLF, CR and LF alike.
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().map { i, raw in
            var indent = 0
            for c in raw {
                if c == " " { indent += 1 } else if c == "\t" { indent += 4 } else { break }
            }
            let cleaned = Text.collapse(raw)
            // Decorative lines (an emoji, a rule of dashes) separate like blank lines.
            return Line(text: Text.hasWordCharacter(cleaned) ? cleaned : "", number: i + 1, indent: indent)
        }
    }

    static let bulletMarkers: Set<Character> = ["-", "•", "*", "·", "◦", "▪", "‣", "+", "●", "■", "✓", "✔", "➢", "►", "–"]

    /// The item text of a bullet line, if it is one.
    static func bulletItem(_ line: String) -> (text: String, ordered: Bool)? {
        let chars = Array(line)
        if chars.count > 2, bulletMarkers.contains(chars[0]), chars[1] == " " {
            return (String(chars[2...]), false)
        }
        var digits = 0
        while digits < chars.count, digits < 3, chars[digits].isASCII, chars[digits].isNumber { digits += 1 }
        if digits > 0, digits + 2 < chars.count, chars[digits] == "." || chars[digits] == ")", chars[digits + 1] == " " {
            return (String(chars[(digits + 2)...]), true)
        }
        return nil
    }

    static func endsSentence(_ s: String) -> Bool {
        var s = Substring(s)
        while let l = s.last, "\"”’')»".contains(l) { s = s.dropLast() }
        guard let last = s.last else { return false }
        return ".!?…".contains(last)
    }

    static func makeBlocks(_ lines: [Line]) -> [TextBlock] {
        let content = lines.filter { !$0.isBlank }
        let lengths = content.map { Text.length($0.text) }
        let width = lengths.max() ?? 0
        // Paragraphs separated by blank lines (after the first line of text)?
        let firstContent = lines.firstIndex(where: { !$0.isBlank }) ?? 0
        let separated = zip(lines[firstContent...], lines[firstContent...].dropFirst()).contains { $0.isBlank && !$1.isBlank }
        // Hard-wrapped: no line is very long, and some long line stops mid-sentence
        // with more text right under it.
        var wrapped = false
        if width <= 100, lengths.filter({ $0 >= 50 }).count >= 2 {
            for (a, b) in zip(lines, lines.dropFirst()) where !a.isBlank && !b.isBlank
                && Text.length(a.text) >= 50 && !endsSentence(a.text) && bulletItem(b.text) == nil {
                wrapped = true
                break
            }
        }

        func firstWordLength(_ s: String) -> Int { Text.length(s.prefix { $0 != " " }) }
        func continues(_ a: String, _ b: String) -> Bool {
            let filled = Text.length(a) + 1 + firstWordLength(b) > width - 8
            if wrapped && filled {
                return separated || !endsSentence(a)
            }
            // A clear continuation in any layout: the line stops mid-sentence and the next starts in lower case.
            return Text.length(a) >= 40 && !endsSentence(a) && (b.first?.isLowercase ?? false)
        }

        var blocks: [TextBlock] = []
        var lastLine: Line?
        for line in lines {
            if line.isBlank {
                lastLine = nil
                continue
            }
            if let (item, ordered) = bulletItem(line.text) {
                if let last = blocks.last, last.kind == .list, last.ordered == ordered {
                    blocks[blocks.count - 1].parts.append(item)   // also joins items split by blank lines
                } else {
                    blocks.append(TextBlock(kind: .list, parts: [item], line: line.number, ordered: ordered))
                }
                lastLine = line
                continue
            }
            if let previous = lastLine, var block = blocks.last {
                if block.kind == .list {
                    if line.indent >= 2 || continues(previous.text, line.text) {
                        block.parts[block.parts.count - 1] += " " + line.text
                        blocks[blocks.count - 1] = block
                        lastLine = line
                        continue
                    }
                } else if continues(previous.text, line.text) {
                    block.parts.append(line.text)
                    blocks[blocks.count - 1] = block
                    lastLine = line
                    continue
                }
            }
            blocks.append(TextBlock(kind: .text, parts: [line.text], line: line.number))
            lastLine = line
        }
        return blocks
    }

    /// A short single line without closing punctuation: a heading. It starts with a
    /// capital, or with a lower-case name in an otherwise title-cased line ("containerd Focus").
    static func isHeadingLike(_ block: TextBlock) -> Bool {
        guard block.kind == .text, block.parts.count == 1 else { return false }
        let s = block.text
        guard Text.length(s) <= 90, Text.words(s).count <= 14 else { return false }
        guard let last = s.last, !".,;:".contains(last), let first = s.first else { return false }
        if first.isLowercase, !Text.words(s).dropFirst().contains(where: { $0.first?.isUppercase == true }) { return false }
        if Text.sentences(s).count > 1 { return false }
        return true
    }

    /// The first lines of a text (the pair line, the title) may be longer than a heading
    /// and start with a lower-case name.
    static func isTitleLike(_ block: TextBlock) -> Bool {
        guard block.kind == .text, block.parts.count == 1 else { return false }
        let s = block.text
        guard Text.length(s) <= 200, Text.words(s).count <= 30, let last = s.last else { return false }
        return !".,;".contains(last)
    }

    // MARK: Header and byline

    /// "Title | Site" → "Title". Also "Title · Site" and "Title :: Site", and a dash
    /// before a short, generic suffix ("Title — Comparison").
    static func stripSiteSuffix(_ title: String) -> String {
        var title = title
        for separator in [" | ", " · ", " :: ", " ‹ ", " » "] {
            if let r = title.range(of: separator, options: .backwards) {
                let left = title[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
                if Text.words(left).count >= 2 { title = left }
            }
        }
        let generic: Set<String> = ["comparison", "comparisons", "compare", "review", "reviews", "blog", "guide", "guides", "versus", "vs"]
        for separator in [" — ", " – ", " - "] {
            if let r = title.range(of: separator, options: .backwards) {
                let suffix = title[r.upperBound...].lowercased()
                if generic.contains(suffix.trimmingCharacters(in: .whitespaces)) {
                    title = String(title[..<r.lowerBound])
                }
            }
        }
        return title
    }

    /// Removes and returns a byline from the last non-blank line.
    static func takeByline(_ lines: inout [Line]) -> Byline? {
        guard let lastIndex = lines.lastIndex(where: { !$0.isBlank }),
              lines[..<lastIndex].contains(where: { !$0.isBlank }) else { return nil }
        let raw = lines[lastIndex].text
        guard let byline = parseByline(raw) else { return nil }
        // A dash-led line directly under a list item is the list's last item, not a byline.
        if bulletItem(raw) != nil, lastIndex > 0, !lines[lastIndex - 1].isBlank, bulletItem(lines[lastIndex - 1].text) != nil {
            return nil
        }
        lines[lastIndex].text = ""
        return byline
    }

    static func parseByline(_ s: String) -> Byline? {
        guard Text.length(s) <= 120, !s.hasSuffix("?"), !s.hasSuffix(":"),
              SubjectFinder.tokenize(s).allSatisfy({ !SubjectFinder.strongJoiners.contains($0.raw.lowercased()) })
        else { return nil }
        func split(_ rest: String) -> (String, String?) {
            for sep in [" — ", " – ", " - ", ", ", " | "] {
                if let r = rest.range(of: sep) {
                    return (String(rest[..<r.lowerBound]), String(rest[r.upperBound...]))
                }
            }
            return (rest, nil)
        }
        func make(_ rest: String) -> Byline? {
            let (name, role) = split(rest.trimmingCharacters(in: .whitespaces))
            guard isPersonName(name) else { return nil }
            return Byline(text: s, name: name, role: role.map { Text.trimTrailingPunctuation($0, ".") })
        }
        let lower = s.lowercased()
        for prefix in ["written by ", "posted by ", "authored by ", "reviewed by ", "compiled by ", "by ", "author: ", "byline: "] {
            if lower.hasPrefix(prefix) {
                var rest = String(s.dropFirst(prefix.count))
                if rest.hasPrefix(":") { rest.removeFirst() }
                return make(rest)
            }
        }
        for dash in ["— ", "– ", "-- ", "- "] where s.hasPrefix(dash) {
            return make(String(s.dropFirst(dash.count)))
        }
        for sep in [" — ", " – ", " - ", ", "] {
            if let r = s.range(of: sep), isPersonName(String(s[..<r.lowerBound])) {
                return make(s)
            }
        }
        return nil
    }

    /// Two to four capitalised words ("Richard Ewing", "Ana de la Cruz", "J. R. Smith").
    static func isPersonName(_ s: String) -> Bool {
        let words = Text.words(s)
        guard (2...5).contains(words.count), !s.contains(where: { $0.isNumber }) else { return false }
        let particles: Set<String> = ["de", "la", "van", "von", "der", "da", "del", "di", "du", "bin", "al", "le"]
        var capitalised = 0
        for w in words {
            if particles.contains(w.lowercased()) { continue }
            guard let f = w.first, f.isUppercase, w.allSatisfy({ $0.isLetter || ".-'’".contains($0) }) else { return false }
            capitalised += 1
        }
        return capitalised >= 2 && !SubjectFinder.stopwords.contains(words[0].lowercased())
    }

    // MARK: Markdown

    static func plainParagraphs(_ block: TextBlock) -> [String] {
        block.kind == .list ? block.parts : [block.text]
    }

    static func markdown(_ block: TextBlock) -> String {
        switch block.kind {
        case .text:
            return MarkdownEscape.inline(block.text)
        case .list:
            return block.parts.enumerated().map { i, item in
                (block.ordered ? "\(i + 1). " : "- ") + MarkdownEscape.inline(item)
            }.joined(separator: "\n")
        }
    }
}
