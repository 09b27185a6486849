import Foundation

/// Turns the classified units of a capture into the page's lead and sections: paragraphs,
/// lists (with nesting), tables and fenced code, in Markdown that renders back to the
/// captured text.
enum TextBody {
    struct RawSection {
        var heading: String
        var line: Int
        var blocks: [Block] = []
        var plain: [String] = []
        var tables: [Table] = []
        var codeBlocks = 0
    }

    struct Built {
        var lead: [Block] = []
        var leadPlain: [String] = []
        var sections: [RawSection] = []
        var hasBody = false
    }

    struct Dek {
        var text: String
        var line: Int
    }

    static func build(_ lines: [CaptureLine], _ layout: Layout, code: [Structure.CodeRun], tables: [Structure.TableRun], after title: Int) -> Built {
        var out = Built()
        var current: RawSection?
        var items: [LayoutUnit] = []

        func append(_ block: Block, plain: [String]) {
            out.hasBody = true
            // Two lists of one kind with nothing between them are one list in Markdown (a blank
            // line does not end a list): keep them one block, so the page reads back the same.
            if case .markdown(let text) = block, let kind = listKind(text) {
                let blocks = current?.blocks ?? out.lead
                if case .markdown(let previous)? = blocks.last, listKind(previous) == kind {
                    let merged = Block.markdown(previous + "\n\n" + text)
                    if current != nil {
                        current!.blocks[current!.blocks.count - 1] = merged
                        current!.plain += plain
                    } else {
                        out.lead[out.lead.count - 1] = merged
                        out.leadPlain += plain
                    }
                    return
                }
            }
            if current != nil {
                current!.blocks.append(block)
                current!.plain += plain
            } else {
                out.lead.append(block)
                out.leadPlain += plain
            }
        }
        func flushList() {
            guard !items.isEmpty else { return }
            let (markdown, plain) = list(items)
            items = []
            append(.markdown(markdown), plain: plain)
        }
        for (k, unit) in layout.units.enumerated() where k > title {
            let c = layout.classes[k]
            if c != .item { flushList() }
            switch c {
            case .heading:
                if let s = current { out.sections.append(s) }
                current = RawSection(heading: unit.text, line: unit.line.number)
            case .paragraph:
                append(.markdown(MarkdownEscape.inline(unit.text)), plain: [unit.text])
            case .item:
                if let last = items.last, !sameList(last, unit) { flushList() }
                items.append(unit)
            case .table:
                if case .table(let t) = unit.kind {
                    append(.table(tables[t].table), plain: [])
                    current?.tables.append(tables[t].table)
                }
            case .code:
                if case .code(let r) = unit.kind {
                    append(.markdown(Structure.fenced(lines, code[r])), plain: [])
                    current?.codeBlocks += 1
                }
            default:
                break
            }
        }
        flushList()
        if let s = current { out.sections.append(s) }
        return out
    }

    /// 1 for a bullet list ("- "), 2 for an ordered one ("1. "), nil for any other block.
    static func listKind(_ markdown: String) -> Int? {
        let u = markdown.utf8
        if u.starts(with: [45, 32]) { return 1 }
        var digits = 0
        for b in u {
            if b >= 48 && b <= 57 { digits += 1; continue }
            return digits > 0 && digits <= 9 && b == 46 && u.dropFirst(digits + 1).first == 32 ? 2 : nil
        }
        return nil
    }

    /// Items of one list: bullets with bullets, numbers with numbers.
    static func sameList(_ a: LayoutUnit, _ b: LayoutUnit) -> Bool {
        let kindA = a.line.bulletPrefix > 0 ? 1 : a.line.numberPrefix > 0 ? 2 : 0
        let kindB = b.line.bulletPrefix > 0 ? 1 : b.line.numberPrefix > 0 ? 2 : 0
        if kindA == kindB { return true }
        // A nested bullet under a numbered item, or the other way round.
        return b.line.indent > a.line.indent || a.line.indent > b.line.indent
    }

    /// A Markdown list: "- item" or "1. item", nested by indentation.
    static func list(_ items: [LayoutUnit]) -> (String, [String]) {
        let base = items.map(\.line.indent).min() ?? 0
        let ordered = items.allSatisfy { $0.line.numberPrefix > 0 && $0.line.numberPrefix != 3 }
        var out: [String] = []
        var plain: [String] = []
        var number = 1
        var parentIndent = base
        var nested = false
        for (i, item) in items.enumerated() {
            let text = String(item.line.bulletPrefix > 0 || ordered ? item.line.itemText : item.text[...])
            plain.append(text)
            let escaped = MarkdownEscape.inline(text)
            if i > 0, item.line.indent > parentIndent {
                nested = true
                out.append((ordered ? "   " : "  ") + "- " + escaped)
                continue
            }
            if nested, item.line.indent <= base { nested = false }
            parentIndent = item.line.indent
            if ordered {
                out.append("\(number). " + escaped)
                number += 1
            } else {
                out.append("- " + escaped)
            }
        }
        return (out.joined(separator: "\n"), plain)
    }

    /// Whether a line ends a sentence before going on with another: `.`, `?` or `!`, a space, a capital.
    static func holdsTwoSentences(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 4 else { return false }
        for i in 0..<(b.count - 2) where (b[i] == 46 || b[i] == 63 || b[i] == 33) && b[i + 1] == 32 && b[i + 2] >= 65 && b[i + 2] <= 90 {
            return true
        }
        return false
    }

    /// The dek: the header's prose line under the title.
    static func dek(_ layout: Layout, after title: Int) -> Dek? {
        var k = title + 1
        let titleKey = LayoutContext.key(PairReader.stripSiteSuffix(layout.units[title].text))
        while k < layout.units.count, layout.classes[k] == .header {
            let u = layout.units[k]
            let key = u.line.layoutKey
            // The headline again, unless it goes on to another sentence ("MySQL or PostgreSQL? That
            // question comes up a lot." under "MySQL or PostgreSQL" is the dek, not an echo).
            if key.hasPrefix(titleKey) && !Self.holdsTwoSentences(u.text) || titleKey.hasPrefix(key) { k += 1; continue }
            // A subtitle repeated with the headline ("Title" / "Subtitle" / "Title" again) is the dek however short.
            func echo(_ j: Int) -> Bool {
                guard j > title, j < layout.units.count, layout.units[j].isText else { return false }
                let other = layout.units[j].line.layoutKey
                return other.hasPrefix(titleKey) || titleKey.hasPrefix(other) && other.utf8.count * 2 > titleKey.utf8.count
            }
            let besideEcho = u.line.words >= 5 && (echo(k + 1) || echo(k - 1) && k - 1 > title)
            if u.isText, u.line.prose || u.kind == .paragraph || u.line.words >= 10 || besideEcho,
               u.line.cue.intersection(.callout | .altText | .byMarker | .button | .footer | .copyright | .date | .readTime | .views | .label | .promo | .disclosure).isEmpty,
               u.line.end != .colon, u.line.length >= 20,
               !LayoutContext.personName(u.line) {
                // A sentence over a button ("… so you can catch problems early" / "Start Free Trial") is a promotion.
                if k + 1 < layout.units.count, layout.units[k + 1].isText,
                   layout.units[k + 1].line.cue.contains(.button) || Vocabulary.endsWithGluedButton(layout.units[k + 1].line) {
                    k += 1
                    continue
                }
                let score = layout.scores[k][LineClass.header.rawValue]
                if score > -0.5 || besideEcho { return Dek(text: u.text, line: u.line.number) }
            }
            k += 1
        }
        return nil
    }
}

/// Warnings for the decisions a reader should check: a title that won narrowly, a table
/// read from cells one per line, headings decided by a hair.
enum Warnings {
    static func collect(file: String, lines: [CaptureLine], layout: Layout, titleUnit: Int, title: String,
                        tables: [Structure.TableRun], dek: TextBody.Dek?) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let units = layout.units
        let titleLine = units[titleUnit].line.number
        // The title: narrowly ahead of another candidate, or after dropped lines that named a pair.
        var runnerUp: Int?
        for k in layout.titleScores.indices where k != titleUnit && layout.titleScores[k] > Layout.impossible / 2 && units[k].line.headingShape {
            if units[k].line.layoutKey == units[titleUnit].line.layoutKey { continue }
            if runnerUp == nil || layout.titleScores[k] > layout.titleScores[runnerUp!] { runnerUp = k }
        }
        if let r = runnerUp, layout.titleScores[titleUnit] - layout.titleScores[r] < 1.5 {
            let beforeAreNav = units[..<titleUnit].indices.allSatisfy { layout.classes[$0] == .nav }
            let firstLine = lines.first { !$0.blank }?.number ?? 1
            var message = "title taken from line \(titleLine) ('\(short(title))')"
            if titleLine > firstLine, beforeAreNav {
                message += "; lines \(firstLine)–\(titleLine - 1) dropped as navigation"
            }
            message += "; line \(units[r].line.number) ('\(short(units[r].text))') was the other candidate"
            out.append(.warning(file, line: titleLine, message))
        }
        // Tables read from one cell per line.
        for t in tables where t.source == .cells {
            let first = lines[t.lines[0]].number, last = lines[t.lines[t.lines.count - 1]].number
            out.append(.warning(file, line: first, "lines \(first)–\(last) read as a table of \(t.table.columns) columns, one cell per line ('\(short(PlainText.inline(t.table.header.joined(separator: " | "))))')"))
        }
        // Prose after the author card and its bio, left out as the page's furniture: say so (it
        // may be the article's).
        if let card = layout.authorCard,
           let k = units.indices.first(where: { $0 > card + 2 && units[$0].isText && units[$0].line.prose && units[$0].line.length >= 100
                                                && [.footer, .aside].contains(layout.classes[$0]) }) {
            out.append(.warning(file, line: units[k].line.number, "'\(short(units[k].text))' and the text around it come after the author card (line \(units[card].line.number)), so they are left out as the page's, not the article's; if they are the article's, put the author card below them"))
        }
        // A heading joined over two lines because the first stops on a joining word.
        for (k, u) in units.enumerated() where k > titleUnit && u.kind == .line && u.last > u.first && layout.classes[k] == .heading {
            out.append(.warning(file, line: u.line.number, "lines \(lines[u.first].number)–\(lines[u.last].number) read as one heading ('\(short(u.text))'): the first stops on a joining word"))
        }
        // Lines a rule that may be wrong kept from being headings (where, without it, the line scored as a heading
        // at least as well as what it became): one warning per rule and page, with the count of lines like it.
        var doubted: [String: (line: Int, text: String, class: LineClass, more: Int)] = [:]
        var order: [String] = []
        for (k, u) in units.enumerated() where k > titleUnit && u.isText && layout.classes[k] != .heading {
            guard layout.doubts.indices.contains(k), let d = layout.doubts[k] else { continue }
            let chosen = layout.classes[k]
            guard layout.scores[k][LineClass.heading.rawValue] + d.weight >= layout.scores[k][chosen.rawValue] else { continue }
            if doubted[d.why] != nil { doubted[d.why]!.more += 1; continue }
            doubted[d.why] = (u.line.number, u.text, chosen, 0)
            order.append(d.why)
        }
        for why in order {
            let d = doubted[why]!
            let read = d.class == .paragraph ? "text" : d.class == .item ? "a list item" : "furniture"
            let more = d.more == 0 ? "" : " (and \(d.more) more line\(d.more == 1 ? "" : "s") like it)"
            out.append(.warning(file, line: d.line, "'\(short(d.text))' read as \(read), not a heading: \(why)\(more)"))
        }
        // Headings and paragraphs decided narrowly.
        var narrow = 0
        for (k, u) in units.enumerated() where k > titleUnit && narrow < 3 && u.isText {
            let c = layout.classes[k]
            guard c == .heading || (c == .paragraph && u.line.headingShape), layout.margins[k] < 0.4 else { continue }
            narrow += 1
            out.append(.warning(file, line: u.line.number, "'\(short(u.text))' read as \(c == .heading ? "a heading" : "text, not a heading"); the layout was close"))
        }
        return out
    }

    static func short(_ s: String) -> String {
        s.count <= 60 ? s : String(s.prefix(57)) + "…"
    }
}
