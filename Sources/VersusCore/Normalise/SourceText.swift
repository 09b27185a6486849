import Foundation

/// Reads a comparison text as it was captured (a copy-paste of a real page, no markup)
/// into a normalised `Page`, the way a careful editor reads it:
///
/// 1. every line gets its features (`Lines`): length, how it ends, list markers, cells,
///    code shape, dates and read times, furniture vocabulary;
/// 2. code blocks and tables are found over the lines (`Structure`);
/// 3. one decision over the whole page gives every line its class (`Layout`): navigation,
///    the title, the header (dek, byline, date), headings, paragraphs, list items, tables,
///    code, furniture inside the article, the footer;
/// 4. the title names the subjects (`SubjectFinder`, `PairReader`), the header gives the
///    byline (`Bylines`) and the dek, the sections get their roles (`RoleClassifier`).
///
/// Decisions that could be wrong are reported as warnings, and `explain` says line by
/// line what was decided and why.
public enum SourceTextParser {
    /// The outcome of reading one text.
    public struct Reading: Sendable {
        public var page: Page?
        public var diagnostics: [Diagnostic]
        /// `versus normalize --explain`: one line per source line.
        public var explanation: [String]
        /// What kind of rejection, when the text is not a comparison page.
        public var errorKind: ErrorKind?
    }

    public enum ErrorKind: String, Sendable {
        case empty, whitespace, notAComparison = "not-a-comparison", roundup, noBody = "no-body", tooLarge = "too-large"
    }

    /// Texts beyond this are not one article: refuse them rather than take long.
    static let maximumLines = 60_000
    static let maximumBytes = 6_000_000

    public static func parse(_ text: String, path: String, file: String) -> Result<Page, Diagnostic> {
        let r = read(text, path: path, file: file)
        if let page = r.page { return .success(page) }
        return .failure(r.diagnostics.first { $0.severity == .error } ?? .error(file, "cannot read this text"))
    }

    /// Reads "By Name", "Name — Role" and the other byline forms of one line.
    static func parseByline(_ s: String) -> Byline? { Bylines.parse(s) }

    public static func read(_ text: String, path: String, file: String, explain: Bool = false) -> Reading {
        var reading = Reading(page: nil, diagnostics: [], explanation: [], errorKind: nil)
        func fail(_ kind: ErrorKind, line: Int? = nil, _ message: String) -> Reading {
            reading.errorKind = kind
            reading.diagnostics.append(.error(file, line: line, message))
            return reading
        }
        if text.utf8.count > maximumBytes {
            return fail(.tooLarge, "file is \(text.utf8.count / 1_000_000) MB; a comparison text is one article (at most \(maximumBytes / 1_000_000) MB): split it, or check that the capture is what you meant")
        }
        let lines = Lines.read(text)
        guard lines.contains(where: { !$0.blank }) else {
            let onlySpace = !text.unicodeScalars.isEmpty
            return fail(onlySpace ? .whitespace : .empty, onlySpace ? "file contains only whitespace; expected a comparison text"
                                                                     : "file is empty; expected a comparison text")
        }
        if lines.count > maximumLines {
            return fail(.tooLarge, "file has \(lines.count) lines; a comparison text is one article (at most \(maximumLines) lines): split it, or check that the capture is what you meant")
        }
        let document = ByteText.joined(lines.map(\.text), separator: 10)
        let prose = ByteText.joined(lines.filter { $0.prose && $0.code < 2.5 }.map(\.text), separator: 10)
        let finder = SubjectFinder(document: document, prose: prose)

        // Structure, then the layout decision over the whole page.
        let code = Structure.codeRuns(lines)
        let provisional = provisionalSubjects(lines, finder: finder)
        let tables = Structure.tables(lines, code: code, subjects: provisional)
        let layout = Layout.decide(lines, code: code, tables: tables, finder: finder, subjects: provisional, explain: explain)
        let units = layout.units
        let classes = layout.classes
        if explain { reading.explanation = explanation(layout) }

        guard let titleUnit = classes.firstIndex(of: .title) else {
            return fail(.notAComparison, line: lines.first { !$0.blank }?.number,
                        "no comparison found: no line names two subjects joined by 'vs', 'versus', 'or' or 'compared to'")
        }
        let titleLine = units[titleUnit].line.number
        let brands = publishers(lines)
        let title = PairReader.stripSiteSuffix(units[titleUnit].text, brands: brands)

        // Subjects: the title names them; a page whose title does not may say it in its dek.
        var match = finder.match(in: title, weak: true)
        var subjectsLine = titleLine
        if PairReader.roundupTitle(title), match.map({ $0.strength < 3 || PairReader.validate($0, line: title, finder: finder) != nil }) ?? true {
            return fail(.roundup, line: titleLine, "'\(title)' is a roundup (a ranked list or alternatives), not a comparison of two to four named things")
        }
        if let m = match, let rejection = PairReader.validate(m, line: title, finder: finder) {
            switch rejection {
            case .placeholder:
                return fail(.notAComparison, line: titleLine, "no comparison found: '\(title)' names placeholders, not two named things; a comparison text names its subjects, as in 'PostgreSQL vs MySQL'")
            case .unnamed:
                return fail(.notAComparison, line: titleLine, "no comparison found: '\(title)' compares \(m.subjects.map { "'\($0)'" }.joined(separator: " and ")), which are not named things; a comparison text names its subjects, as in 'PostgreSQL vs MySQL'")
            case .roundup:
                return fail(.roundup, line: titleLine, "'\(title)' names \(m.subjects.count) subjects (\(m.subjects.joined(separator: ", "))); a comparison page compares two to four, so this reads as a roundup, not a comparison")
            }
        }
        if match == nil {
            if PairReader.roundupTitle(title) {
                return fail(.roundup, line: titleLine, "'\(title)' is a roundup (a ranked list or alternatives), not a comparison of two to four named things")
            }
            if PairReader.placeholderPair(title) {
                return fail(.notAComparison, line: titleLine, "no comparison found: '\(title)' names placeholders, not two named things")
            }
            // The dek or the first lines of the article.
            var k = titleUnit + 1
            var looked = 0
            while k < units.count, looked < 4, match == nil {
                if units[k].isText, classes[k] == .header || classes[k] == .paragraph, units[k].line.prose {
                    looked += 1
                    if let m = finder.match(in: units[k].text, weak: false), PairReader.validate(m, line: units[k].text, finder: finder) == nil {
                        match = m
                        subjectsLine = units[k].line.number
                    }
                }
                if classes[k] == .heading { break }
                k += 1
            }
            if match == nil {
                let named = PairReader.namedInTitle(title, finder: finder)
                if (2...4).contains(named.count) {
                    match = SubjectMatch(subjects: named, strength: 0, joiner: "", bare: false)
                    reading.diagnostics.append(.warning(file, line: titleLine, "subjects taken from the names '\(title)' keeps repeating (\(named.joined(separator: ", "))): the title joins them with no 'vs'"))
                }
            }
        }
        guard let subjectMatch = match else {
            let headings = units.indices.filter { classes[$0] == .heading }
            if headings.contains(where: { PairReader.roundupTitle(units[$0].text) }) {
                return fail(.roundup, line: titleLine, "'\(title)' lists alternatives, not a comparison of two to four named things")
            }
            if units.contains(where: { $0.isText && PairReader.placeholderPair($0.text) }) {
                return fail(.notAComparison, line: titleLine, "no comparison found: the only pairs are placeholders such as '[Product] vs [Competitor]', not two named things")
            }
            return fail(.notAComparison, line: lines.first { !$0.blank }?.number,
                        "no comparison found: no line names two subjects joined by 'vs', 'versus', 'or' or 'compared to'")
        }
        let subjects = subjectMatch.subjects

        // Body: the lead (before the first heading) and the sections.
        var built = TextBody.build(lines, layout, code: code, tables: tables, after: titleUnit)
        if !built.hasBody {
            // A thread whose only text is its replies ("Top comments" under the question): the replies are the body.
            var replies = layout
            var taken = 0
            for k in replies.units.indices where k > titleUnit && replies.classes[k] == .footer && replies.units[k].isText
                && replies.units[k].line.prose && replies.units[k].line.cue.intersection(.copyright | .promo).isEmpty {
                replies.classes[k] = .paragraph
                taken += 1
            }
            if taken >= 2 {
                built = TextBody.build(lines, replies, code: code, tables: tables, after: titleUnit)
                if built.hasBody, let first = replies.classes.indices.first(where: { $0 > titleUnit && replies.classes[$0] == .paragraph }) {
                    reading.diagnostics.append(.warning(file, line: replies.units[first].line.number,
                        "no article text outside the page's comments: the \(taken) replies were read as its body"))
                }
            }
        }
        guard built.hasBody else {
            return fail(.noBody, line: titleLine,
                        "'\(title)' has a title but no sections: expected a heading line followed by at least one paragraph")
        }
        let dek = TextBody.dek(layout, after: titleUnit)
        var lead = built.lead
        if let dek { lead.insert(.markdown(MarkdownEscape.inline(dek.text)), at: 0) }

        // Roles, read for the whole page at once.
        let headingKeys = built.sections.map { Phrase($0.heading).normalised }
        let decisionRecord = Set(headingKeys).isSuperset(of: ["context", "decision"])
        let firstPersonTitle = Phrase(title).hashes.contains(where: { RoleClassifier.firstPersonHashes.contains($0) })
        let inputs = built.sections.enumerated().map { i, s -> RoleClassifier.Input in
            var input = RoleClassifier.Input(heading: s.heading, paragraphs: s.plain, subjects: subjects, index: i, count: built.sections.count)
            input.tables = s.tables.count
            input.comparisonTables = s.tables.filter { comparisonTable($0, subjects: subjects) }.count
            input.codeBlocks = s.codeBlocks
            input.publishers = brands
            input.decisionRecord = decisionRecord
            input.firstPersonPage = firstPersonTitle
            return input
        }
        let roles = RoleClassifier.classifyAll(inputs)
        var sections: [Section] = []
        var paragraphs: [Describe.Paragraph] = (dek.map { [$0.text] } ?? []).map { .init(text: $0, role: nil) }
            + built.leadPlain.map { .init(text: $0, role: nil) }
        for (i, s) in built.sections.enumerated() {
            sections.append(Section(heading: MarkdownEscape.inline(s.heading), role: roles[i], blocks: s.blocks))
            paragraphs += s.plain.map { .init(text: $0, role: roles[i]) }
        }

        // Byline.
        let found = Bylines.find(lines, layout, titleUnit: titleUnit, subjects: subjects)
        let byline = found.map { Bylines.canonical(name: $0.name, role: $0.role, line: $0.text) }
        if let found, found.how == Bylines.copyrightHolderHow {
            reading.diagnostics.append(.warning(file, line: found.line, "the by-line '\(found.name)' is the copyright holder's name: the page names no author elsewhere"))
        }

        // Headings that are just a subject's name ("Terraform") do not make a sentence about it a glued heading.
        let subjectKeys = Set(subjects.map { Phrase($0).normalised })
        let openings = zip(built.sections, headingKeys).filter { !subjectKeys.contains($1) }.map(\.0.heading)
        let descriptions = Describe.candidates(given: dek?.text, title: title, paragraphs: paragraphs, avoiding: openings)
        let frontMatter = FrontMatter(title: title, subjects: subjects, slug: Slug.comparison(subjects),
                                      description: descriptions.first ?? title, byline: byline,
                                      lines: .init(subjects: subjectsLine))
        reading.page = Page(sourcePath: path, kind: .comparison, frontMatter: frontMatter, lead: lead, sections: sections,
                            alternateDescriptions: Array(descriptions.dropFirst()))
        reading.diagnostics += Warnings.collect(file: file, lines: lines, layout: layout, titleUnit: titleUnit,
                                                title: title, tables: tables, dek: dek)
        if explain {
            reading.explanation.insert(contentsOf: [
                "title: \(title) (line \(titleLine))",
                "subjects: \(subjects.joined(separator: ", ")) → /\(Slug.comparison(subjects))/",
                "dek: " + (dek.map { "line \($0.line): \($0.text)" } ?? "none"),
                "byline: " + (found.map { "\($0.name)\($0.role.map { " — \($0)" } ?? "") (line \($0.line), \($0.how))" } ?? "none"),
                "roles (cta/our/focus/technical/other):"] + zip(inputs, roles).map { input, role in
                    "  \(input.heading) → \(role.rawValue) \(RoleClassifier.score(input).scores)"
                } + [
                "",
            ], at: 0)
        }
        return reading
    }

    /// The subjects the best early pair line names, for reading tables before the layout is known.
    static func provisionalSubjects(_ lines: [CaptureLine], finder: SubjectFinder) -> [String] {
        var seen = 0
        for l in lines where !l.blank && l.length <= 200 {
            seen += 1
            if seen > 40 { break }
            if l.cue.contains(.breadcrumb) { continue }
            if let m = finder.match(in: l.text, weak: false) { return m.subjects }
        }
        // "Comparing Substack with Medium": no 'vs' near the top, so a headline-shaped line among the first
        // ones that joins two names with a weaker word (as the title is read).
        seen = 0
        for l in lines where !l.blank && l.length <= 200 {
            seen += 1
            if seen > 16 { break }
            guard l.headingShape, !l.cue.contains(.breadcrumb), l.end != .period else { continue }
            if let m = finder.match(in: l.text, weak: true) { return m.subjects }
        }
        return []
    }

    /// The site's own names: the brand in its copyright line and its masthead.
    static func publishers(_ lines: [CaptureLine]) -> [String] {
        var out: [String] = []
        for l in lines.reversed() where l.cue.contains(.copyright) {
            var s = Vocabulary.copyrightHolder(l.text)
            for suffix in [" Inc", " Ltd", " LLC", " GmbH", " Pty", " Corporation", " Corp", " All rights reserved"] {
                if s.hasSuffix(suffix) { s = String(s.dropLast(suffix.count)) }
            }
            s = s.trimmingWhitespace()
            if !s.isEmpty, s.spaceCount <= 4 { out.append(s) }
            break
        }
        if let first = lines.first(where: { !$0.blank }), first.words <= 3, first.cue.intersection(.nav | .skipLink | .menu).isEmpty {
            out.append(first.text)
        }
        return out
    }

    /// A table whose header names at least two of the subjects.
    static func comparisonTable(_ table: Table, subjects: [String]) -> Bool {
        let keys = subjects.map { Phrase($0).normalised }
        var hits = 0
        for cell in table.header {
            let c = Phrase(PlainText.inline(cell)).normalised
            if keys.contains(where: { !$0.isEmpty && (c == $0 || c.hasPrefix($0 + " ") || c.hasSuffix(" " + $0) || $0.hasPrefix(c + " ") && !c.isEmpty) }) {
                hits += 1
            }
        }
        return hits >= 2
    }

    /// One line per unit: where it is, what it was read as, how sure, and why.
    static func explanation(_ layout: Layout) -> [String] {
        var out: [String] = []
        let candidates = layout.titleScores.indices.filter { layout.titleScores[$0] > Layout.impossible / 2 }
            .sorted { layout.titleScores[$0] > layout.titleScores[$1] }.prefix(5)
        out.append("title candidates: " + candidates.map { k in
            "line \(layout.units[k].line.number) (\(String(format: "%.1f", layout.titleScores[k])): \(layout.titleReasons[k]))"
        }.joined(separator: ", "))
        for (k, u) in layout.units.enumerated() {
            let c = layout.classes[k]
            let first = u.line.number
            let lastLine = first + (u.last - u.first)
            let location = lastLine > first ? "\(first)–\(lastLine)" : "\(first)"
            var text: String
            switch u.kind {
            case .code: text = "[code] " + u.line.text
            case .table: text = "[table] " + u.line.text
            default: text = u.text
            }
            if text.count > 64 { text = String(text.prefix(61)) + "…" }
            let margin = layout.margins[k] >= 99 ? "  —  " : String(format: "%5.1f", layout.margins[k])
            let reason = layout.reasons[k].indices.contains(c.rawValue) ? layout.reasons[k][c.rawValue] : ""
            let padded = location.padding(toLength: 9, withPad: " ", startingAt: 0)
            let cls = c.name.padding(toLength: 9, withPad: " ", startingAt: 0)
            let codeNote = u.isText && u.line.code >= 1.5 ? " [code-like \(String(format: "%.1f", u.line.code))]" : ""
            out.append("\(padded) \(cls) \(margin)  \(text)" + (reason.isEmpty ? "" : "  ← \(reason)") + codeNote)
            if ProcessInfo.processInfo.environment["VERSUS_EXPLAIN_SCORES"] != nil {
                for other in LineClass.allCases where layout.scores[k][other.rawValue] > Layout.impossible / 2 {
                    out.append("            \(other.name): \(String(format: "%.2f", layout.scores[k][other.rawValue])) \(layout.reasons[k][other.rawValue])")
                }
            }
        }
        return out
    }
}
