import Foundation

/// Structure a capture keeps under its flattened text: code blocks, tables (tab
/// rows, pipe rows, or one cell per line), lists, hard-wrapped paragraphs.
/// Found over the lines before the layout decision, so the decision can keep a
/// code block or a table together; turned into Markdown blocks after it.
enum Structure {
    struct CodeRun {
        var lines: ClosedRange<Int>       // indices into the line array (blank lines inside included)
        var info: String?                 // a language label line above it ("yaml")
        var labelIndex: Int?
        /// The line numbers copied above the code ("1", "2", "3", a line each): the block's gutter, not its text.
        var gutter: ClosedRange<Int>?
    }

    struct TableRun {
        enum Source: String { case tabs, pipes, cells }
        var lines: [Int]                  // indices of the lines it is made of
        var table: Table
        var source: Source
        var score: Double
    }

    // MARK: Code

    static func codeRuns(_ lines: [CaptureLine]) -> [CodeRun] {
        var runs: [CodeRun] = []
        let n = lines.count
        var i = 0
        func nextNonBlank(_ k: Int) -> Int? {
            var j = k
            while j < n, lines[j].blank { j += 1 }
            return j < n ? j : nil
        }
        /// A table copied with tabs starts at `k` (a row of cells, and the next line has as many):
        /// the code above it ends there, whatever the header row's words look like.
        func tableStarts(_ k: Int, after previous: CaptureLine) -> Bool {
            guard lines[k].tabCells >= 2, previous.tabCells < 2, let next = nextNonBlank(k + 1) else { return false }
            return lines[next].tabCells == lines[k].tabCells
        }
        /// "curl" under a wget command, over "curl is for talking to a server…": a short line that the
        /// sentence under it starts by naming is that sentence's heading, not more code.
        func headsProse(_ k: Int, depth: Int) -> Bool {
            let line = lines[k]
            guard line.words <= 3, !line.prose, depth == 0, let next = nextNonBlank(k + 1) else { return false }
            let below = lines[next]
            guard below.prose, below.code < 1, let word = line.text.spaceSplit.first else { return false }
            return below.text.spaceSplit.first.map { $0.lowercased() == word.lowercased() } ?? false
        }
        while i < n {
            // "1", "2", "3", "4" a line each, then four lines of code: the block copied with its line numbers.
            if let run = numberedBlock(lines, at: i) {
                runs.append(run)
                i = run.lines.upperBound + 1
                continue
            }
            let line = lines[i]
            guard !line.blank, line.cue.intersection(.embed | .footer | .copyright | .question | .languageName).isEmpty else { i += 1; continue }
            let next = nextNonBlank(i + 1)
            let nextLine = next.map { lines[$0] }
            let labelled = languageLabel(lines, before: i) != nil
            let strongStart = line.code >= 4 && line.end != .colon
            // "from mylib import task" over a blank line and "@asset" over "def …": the decorator leads on.
            let decoratedNext = next.map { k in commentLike(lines[k]) && k + 1 < n && !lines[k + 1].blank && lines[k + 1].code >= 2.5 } == true
            let pairedStart = line.code >= 2.5 && (nextLine.map { isCodeLike($0, after: line) } == true || decoratedNext)
            // "brew install acme/tap/acme" alone under "Install it:": one command is a code block too.
            let loneCommand = line.code >= 3.5 && !line.prose && CodeShape.commandLine(line)
                && (previousNonBlank(lines, before: i).map { lines[$0].end == .colon } == true || line.blankBefore && line.blankAfter)
                // "from fastapi import FastAPI" alone between blank lines, under "Import it:".
                || line.code >= 3 && line.startsLower && !line.prose && line.words >= 2 && line.blankBefore && line.blankAfter
                    && CodeShape.keywords.contains(String(line.text.prefix { $0 != " " }))
                    && (previousNonBlank(lines, before: i).map { lines[$0].end == .colon } == true
                        || ByteText.hasPrefix(line.text, "from ") && ByteText.contains(line.text, " import ") || ByteText.hasPrefix(line.text, "import "))
            let commandStart = line.code >= 1.5 && line.words <= 2 && nextLine.map { $0.code >= 2.5 && sameFirstWord($0, line) } == true
                || line.code >= 1.5 && !line.prose && !line.headingShape && nextLine.map { $0.code >= 4 } == true
                || line.code >= 1.5 && !line.prose && nextLine.map { $0.text == "{" } == true
            let yamlStart = yamlKey(line) && ByteText.hasSuffix(line.text, ":") && nextLine.map {
                ($0.indent > line.indent || $0.text.hasPrefix("- ")) && !$0.prose && ($0.words <= 6 || $0.code >= 2.5)
            } == true
            let treeStart = line.words == 1 && CodeShape.pathLike(line.text) && nextLine.map { $0.indent > line.indent && $0.words == 1 } == true
            // "screen -S work" under "…looks like this:": a lower-case command with a flag, introduced by a colon.
            let flaggedCommand = CodeShape.commandShaped(line) && CodeShape.hasFlag(line)
                && previousNonBlank(lines, before: i).map { lines[$0].end == .colon } == true
            let labelStart = labelled && !line.prose && !line.headingShape || labelled && line.code >= 1
            // "svn copy http://host/trunk \" over the rest of the command: a shell line that goes on below.
            let continuedCommand = continuesBelow(line) && next == i + 1 && !line.prose && (line.code >= 1 || CodeShape.commandShaped(line))
            guard strongStart || pairedStart || commandStart || yamlStart || treeStart || labelStart || loneCommand || flaggedCommand || continuedCommand else { i += 1; continue }
            if line.prose && line.code < 5 && !labelStart { i += 1; continue }

            var depth = bracketDelta(line.raw)
            let base = line.indent
            let yaml = yamlStart || (labelled && (yamlKey(line) || ByteText.hasPrefix(line.text, "- ")))
            var last = i
            var previous = line
            var j = i + 1
            while j < n {
                if lines[j].blank {
                    guard let k = nextNonBlank(j), k - last <= 3 else { break }
                    // A comment right above more code goes on with the block ("// Usage", "# Azure resource").
                    let comment = commentLike(lines[k]) && k + 1 < n && !lines[k + 1].blank && lines[k + 1].code >= 2.5
                    guard !tableStarts(k, after: previous) else { break }
                    guard comment || continues(lines[k], previous: previous, base: base, depth: depth, afterBlank: true, yaml: yaml) else { break }
                    if comment {
                        // The comment is taken as it stands; the code under it is judged as usual.
                        previous = lines[k]
                        last = k
                        j = k + 1
                        continue
                    }
                    j = k
                    continue
                }
                guard !tableStarts(j, after: previous), !headsProse(j, depth: depth),
                      continues(lines[j], previous: previous, base: base, depth: depth, afterBlank: false, yaml: yaml) else { break }
                depth = max(0, depth + bracketDelta(lines[j].raw))
                previous = lines[j]
                last = j
                j += 1
            }
            // Comments and decorators right above belong to the block: "# AWS resource", "// webpack.config.js".
            var first = i
            while first > 0, !lines[first - 1].blank, commentLike(lines[first - 1]), !runs.contains(where: { $0.lines.contains(first - 1) }) {
                first -= 1
            }
            var run = CodeRun(lines: first...last)
            // "yaml" on the line above names the language.
            if let p = languageLabel(lines, before: first) {
                run.info = Vocabulary.key(lines[p].text)
                run.labelIndex = p
            }
            runs.append(run)
            i = last + 1
        }
        let indented = indentedRuns(lines, besides: runs)
        return indented.isEmpty ? runs : (runs + indented).sorted { $0.lines.lowerBound < $1.lines.lowerBound }
    }

    /// A code block copied with its gutter: the lines "1" to "N" (N ≥ 2), then the N lines they number.
    static func numberedBlock(_ lines: [CaptureLine], at i: Int) -> CodeRun? {
        guard lines[i].text == "1" else { return nil }
        var count = 1
        while i + count < lines.count, lines[i + count].text == String(count + 1) { count += 1 }
        let first = i + count, last = first + count - 1
        // (A drawing's border, "┌────┐", has no letters: a blank line to the reader, but not an empty one.)
        guard count >= 2, last < lines.count, !lines[first].raw.allSatisfy({ $0 == " " || $0 == "\t" }) else { return nil }
        // Most of them code or a drawing, and no sentence among them ("1" to "5" over "(3 votes)" and the text
        // is a rating's stars).
        let drawn = (first...last).filter { k in
            lines[k].code >= 1.5 || lines[k].indent >= 2 || lines[k].raw.unicodeScalars.contains { (0x2500...0x257F).contains($0.value) }
        }.count
        guard drawn * 2 >= count, !(first...last).contains(where: { lines[$0].prose && lines[$0].code < 1 }) else { return nil }
        var run = CodeRun(lines: first...last)
        run.gutter = i...(first - 1)
        return run
    }

    /// Code set off by indentation, as plain-text documents (and Markdown) write it: a block of
    /// lines after a blank line, each indented at least four columns deeper than the text above
    /// (a list item's text starts after its marker), with something in it that looks like code.
    /// Blocks as deep after blank lines go on with it. Lines already in `taken` are left alone.
    static func indentedRuns(_ lines: [CaptureLine], besides taken: [CodeRun]) -> [CodeRun] {
        let n = lines.count
        var inRun = [Bool].filled(false, count: n)
        for run in taken { for k in run.lines { inRun[k] = true } }
        func blockEnd(_ start: Int) -> Int {
            var end = start
            while end + 1 < n, !lines[end + 1].blank { end += 1 }
            return end
        }
        var runs: [CodeRun] = []
        var i = 0
        while i < n {
            guard !lines[i].blank, lines[i].indent >= 4, lines[i].blankBefore, !inRun[i], let p = previousNonBlank(lines, before: i) else { i += 1; continue }
            let above = lines[p]
            var end = blockEnd(i)
            let base = (i...end).reduce(Int.max) { min($0, lines[$1].indent) }
            guard base >= above.indent + max(above.bulletPrefix, above.numberPrefix) + 4 else { i = end + 1; continue }
            while end + 1 < n, let k = (end + 1..<min(n, end + 4)).first(where: { !lines[$0].blank }), !inRun[k], lines[k].indent >= base {
                let next = blockEnd(k)
                guard (k...next).allSatisfy({ lines[$0].indent >= base }) else { break }
                end = next
            }
            let range = i...end
            if range.allSatisfy({ !inRun[$0] && lines[$0].tabCells < 2 && !lines[$0].pipeRow }),
               range.contains(where: { !lines[$0].blank && lines[$0].code >= 1 }) {
                runs.append(CodeRun(lines: range))
            }
            i = end + 1
        }
        return runs
    }

    /// "services:", "- name: web", "apiVersion: apps/v1": a YAML key.
    static func yamlKey(_ line: CaptureLine) -> Bool {
        var t = Substring(line.text).utf8
        if t.starts(with: [45, 32]) { t = t.dropFirst(2) }
        // The key: letters, digits, "_-.\"'" up to the first colon; then the end or a space.
        var i = t.startIndex
        var keyLength = 0
        while i < t.endIndex {
            let b = t[i]
            if b == 58 { break }
            let ok = (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 || b == 45 || b == 46 || b == 34 || b == 39
            if !ok {
                guard b >= 0x80 else { return false }
                // Another script's letters ("ключ:"), not punctuation. (The scalar read where it starts:
                // `i` is always at one. Copying the rest of the line for it made a long line quadratic.)
                let scalar = line.text.unicodeScalars[i]
                guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { return false }
                i = t.index(i, offsetBy: UTF8.width(scalar))
                keyLength += 1
                continue
            }
            keyLength += 1
            i = t.index(after: i)
        }
        guard i < t.endIndex, keyLength > 0 else { return false }
        let after = t.index(after: i)
        return after == t.endIndex || t[after] == 32
    }

    static func commentLike(_ l: CaptureLine) -> Bool {
        let t = l.text
        // Each opening below starts with "#", "/", "-" or "@", characters no other bytes write.
        guard let f = t.utf8.first, f == 35 || f == 47 || f == 45 || f == 64 else { return false }
        if Vocabulary.hashtagLine(t) { return false }
        return (ByteText.hasPrefix(t, "# ") && !t.hasPrefix("# [")) || ByteText.hasPrefix(t, "// ") || ByteText.hasPrefix(t, "-- ") || ByteText.hasPrefix(t, "/*")
            || (ByteText.hasPrefix(t, "@") && !t.contains(" ") && t.count > 2)
    }

    /// "yaml" right above a block, or above its "Copy code" button.
    static func languageLabel(_ lines: [CaptureLine], before k: Int) -> Int? {
        var j = k - 1, skipped = 0
        while j >= 0, k - j <= 6, lines[j].blank || lines[j].cue.contains(.embed) {
            if !lines[j].blank { skipped += 2 }
            j -= 1
        }
        guard j >= 0, k - j <= 2 + skipped, lines[j].cue.contains(.languageName) else { return nil }
        return j
    }

    static func previousNonBlank(_ lines: [CaptureLine], before k: Int) -> Int? {
        var j = k - 1
        while j >= 0, lines[j].blank { j -= 1 }
        return j >= 0 ? j : nil
    }

    static func sameFirstWord(_ a: CaptureLine, _ b: CaptureLine) -> Bool {
        a.text.spaceSplit.first == b.text.spaceSplit.first
    }

    static func isCodeLike(_ line: CaptureLine, after previous: CaptureLine) -> Bool {
        if line.code >= 2.5 { return true }
        if line.indent > previous.indent, !line.prose, line.bulletPrefix == 0 || yamlKey(line) { return true }
        return false
    }

    /// Whether a line goes on with the code block above it.
    static func continues(_ line: CaptureLine, previous: CaptureLine, base: Int, depth: Int, afterBlank: Bool, yaml: Bool) -> Bool {
        if !line.cue.intersection(.embed | .footer | .copyright).isEmpty { return false }
        if line.cue.contains(.languageName) { return false }
        // The line above ends with a backslash: this is the rest of it.
        if !afterBlank, continuesBelow(previous) { return true }
        if depth > 0 { return !(line.prose && line.indent <= base && line.code < 1.5) }
        if line.indent > base, !(line.prose && line.code < 1) { return !afterBlank || line.code >= 1 || yaml }
        if yaml, line.indent >= base, yamlKey(line) || ByteText.hasPrefix(line.text, "- "), !line.prose || line.code >= 2 {
            return !afterBlank || yamlKey(line) && ByteText.hasSuffix(line.text, ":")
        }
        if line.code >= 2.5 { return !(line.prose && line.code < 4) && !(afterBlank && line.headingShape && line.code < 3.5) }
        if afterBlank {
            // After a blank line only clear code goes on; a short line may be the next heading.
            return line.code >= 2 && !line.headingShape
        }
        if line.code >= 1.5, !line.prose, sameFirstWord(line, previous) { return true }
        // "acme login", "acme init": a lower-case command with its arguments between commands.
        if previous.code >= 1.5 || CodeShape.commandLine(previous) || CodeShape.commandShaped(previous), CodeShape.commandShaped(line) { return true }
        if line.code >= 1.5, !line.prose, !line.headingShape || line.code >= 2 { return true }
        return false
    }

    /// A line ending with a shell's line continuation (" \\").
    static func continuesBelow(_ line: CaptureLine) -> Bool {
        let u = line.raw.utf8
        var end = u.endIndex
        while end > u.startIndex, u[u.index(before: end)] == 32 || u[u.index(before: end)] == 9 { end = u.index(before: end) }
        guard end > u.startIndex, u[u.index(before: end)] == 92 else { return false }
        let before = u.index(before: end)
        return before > u.startIndex && u[u.index(before: before)] == 32
    }

    /// Opening minus closing brackets outside quotes. A backtick left open at the line's end starts
    /// or ends a template string of several lines ("$fragment(`" … "`)"): on that line backticks
    /// quote nothing, so the brackets around them count.
    static func bracketDelta(_ raw: Substring) -> Int {
        let (delta, open) = bracketDelta(raw, backticks: true)
        return open == 96 ? bracketDelta(raw, backticks: false).delta : delta
    }

    private static func bracketDelta(_ raw: Substring, backticks: Bool) -> (delta: Int, open: UInt8) {
        var delta = 0
        var quote: UInt8 = 0
        var previous: UInt8 = 0
        for b in raw.byteArray {
            if quote != 0 {
                if b == quote && previous != 92 { quote = 0 }
            } else if b == 34 || b == 39 || b == 96 && backticks {
                // An apostrophe inside a word ("don't") is not a quote.
                if !(b == 39 && ((previous >= 65 && previous <= 90) || (previous >= 97 && previous <= 122))) { quote = b }
            } else if b == 123 || b == 40 || b == 91 {
                delta += 1
            } else if b == 125 || b == 41 || b == 93 {
                delta -= 1
            }
            previous = b
        }
        return (delta, quote)
    }

    /// The Markdown of a code block: a fence longer than any backtick run inside.
    static func fenced(_ lines: [CaptureLine], _ run: CodeRun) -> String {
        var body: [Substring] = []
        for k in run.lines {
            var raw = lines[k].raw
            while let l = raw.last, l == " " || l == "\t" { raw = raw.dropLast() }
            body.append(raw)
        }
        // Remove the indentation every line shares.
        let common = body.filter { !$0.isEmpty }.map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        let lines = body.map { $0.isEmpty ? "" : String($0.dropFirst(common)) }
        var longest = 0
        for l in lines {
            var run = 0
            for c in l { if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + (run.info ?? "") + "\n" + lines.joined(separator: "\n") + "\n" + fence
    }

    // MARK: Tables

    static func tables(_ lines: [CaptureLine], code: [CodeRun], subjects: [String]) -> [TableRun] {
        var inCode = Set<Int>()
        for r in code { for k in r.lines { inCode.insert(k) } }
        var out: [TableRun] = []
        var used = Set<Int>()
        let n = lines.count

        // Tab-separated rows.
        var i = 0
        while i < n {
            guard lines[i].tabCells >= 2, !inCode.contains(i) else { i += 1; continue }
            var rows = [i]
            var j = i + 1
            let width = lines[i].tabCells
            // "Type-safe<TAB><TAB>": a row whose last cells were pictures (ticks, crosses) copied as
            // nothing still has the tabs between its cells.
            func emptyCells(_ k: Int) -> Bool {
                lines[k].tabCells < 2 && !lines[k].blank && !inCode.contains(k) && lines[k].raw.utf8.count(where: { $0 == 9 }) >= width - 1
            }
            while j < n, lines[j].tabCells >= 2 || emptyCells(j) || (lines[j].blank && j + 1 < n && lines[j + 1].tabCells >= 2 && rows.count >= 1) {
                if !lines[j].blank { rows.append(j) }
                j += 1
            }
            if rows.count >= 2 {
                let cells = rows.map { k in
                    let cells = tabCells(lines[k].raw)
                    return cells.count < width ? cells + Array.filled("", count: width - cells.count) : cells
                }
                let table = Table(header: cells[0].map(cell), rows: cells.dropFirst().map { $0.map(cell) })
                out.append(TableRun(lines: rows, table: table, source: .tabs, score: 6))
                used.formUnion(rows)
            }
            i = j
        }

        // Pipe rows, with or without a delimiter row; blank lines between rows allowed.
        i = 0
        while i < n {
            guard lines[i].pipeRow, !used.contains(i), !inCode.contains(i) else { i += 1; continue }
            var rows = [i]
            var j = i + 1
            while j < n {
                if lines[j].pipeRow { rows.append(j); j += 1; continue }
                if lines[j].blank, j + 1 < n, lines[j + 1].pipeRow { j += 1; continue }
                break
            }
            var parsed = rows.map { PipeTable.cells(lines[$0].text[...]) }
            if rows.count == 1, let expanded = collapsedPipeTable(parsed[0]) {
                parsed = expanded
            }
            var alignments: [Table.Alignment]?
            if parsed.count >= 2, let a = PipeTable.delimiterRow(lines[rows[min(1, rows.count - 1)]].text[...]), rows.count >= 2 {
                alignments = a
                parsed.remove(at: 1)
            } else if parsed.count >= 2, parsed[1].allSatisfy({ c in !c.isEmpty && c.allSatisfy { $0 == "-" || $0 == ":" } }) {
                parsed.remove(at: 1)
            }
            if parsed.count >= 2, parsed[0].count >= 2 {
                let width = parsed[0].count
                let body = parsed.dropFirst().map { Array($0.prefix(width)).map(cellFromMarkdownish) }
                let table = Table(header: parsed[0].map(cellFromMarkdownish), rows: body, alignments: alignments)
                out.append(TableRun(lines: rows, table: table, source: .pipes, score: 6))
                used.formUnion(rows)
            }
            i = j
        }

        // Pipe rows without the outer pipes ("Feature | Kafka | Pulsar" over "--- | --- | ---"): the delimiter row says so.
        i = 0
        while i + 1 < n {
            guard !used.contains(i), !inCode.contains(i), !lines[i].pipeRow, lines[i].text.hasByte(124), lines[i + 1].text.hasByte(124),
                  let delimiter = PipeTable.delimiterRow(lines[i + 1].text[...]), delimiter.count >= 2,
                  PipeTable.cells(lines[i].text[...]).count == delimiter.count else { i += 1; continue }
            var rows = [i, i + 1]
            var j = i + 2
            while j < n, !lines[j].blank, lines[j].text.hasByte(124), !inCode.contains(j), !used.contains(j) { rows.append(j); j += 1 }
            if rows.count >= 3, let table = PipeTable.parse(rows.map { Substring(lines[$0].text) }[...]) {
                let cleaned = Table(header: table.header.map(cellFromMarkdownish),
                                    rows: table.rows.map { $0.map(cellFromMarkdownish) }, alignments: table.alignments)
                out.append(TableRun(lines: rows, table: cleaned, source: .pipes, score: 6))
                used.formUnion(rows)
            }
            i = j
        }

        // One cell per line: a block of short lines whose shape repeats with a fixed period.
        i = 0
        while i < n {
            guard !lines[i].blank, lines[i].blankBefore || i == 0 else { i += 1; continue }
            var j = i
            while j < n, !lines[j].blank { j += 1 }
            let block = Array(i..<j)
            i = j
            guard block.count >= 6, block.count <= 400, !block.contains(where: { used.contains($0) || inCode.contains($0) }) else { continue }
            if let run = cellTable(lines, block, subjects: subjects) {
                out.append(run)
                used.formUnion(run.lines)
            }
        }
        return out.sorted { $0.lines[0] < $1.lines[0] }
    }

    static func tabCells(_ raw: Substring) -> [String] {
        var cells = raw.split(separator: "\t", omittingEmptySubsequences: false).map { Text.collapse($0) }
        while let l = cells.last, l.isEmpty { cells.removeLast() }
        // Leading spaces before the first tab are indentation, not a cell; a leading tab is an empty corner cell.
        return cells
    }

    /// Plain text → a table cell's inline Markdown.
    static func cell(_ s: String) -> String { MarkdownEscape.inline(s, atLineStart: false) }

    /// Cells of a captured pipe row are text too, except for escaped pipes.
    static func cellFromMarkdownish(_ s: String) -> String { MarkdownEscape.inline(s, atLineStart: false) }

    /// "| a | b | |---|---| | 1 | 2 |": a whole Markdown table copied onto one line.
    static func collapsedPipeTable(_ cells: [String]) -> [[String]]? {
        func isDelimiter(_ c: String) -> Bool { c.count >= 3 && c.allSatisfy { $0 == "-" || $0 == ":" } }
        guard let d = cells.firstIndex(where: isDelimiter) else { return nil }
        var k = 0
        while d + k < cells.count, isDelimiter(cells[d + k]) { k += 1 }
        guard k >= 2, d >= k + 1, cells[d - 1].isEmpty else { return nil }
        var rows = [Array(cells[(d - 1 - k)..<(d - 1)])]
        var p = d + k
        while p < cells.count {
            if cells[p].isEmpty { p += 1 }
            guard p + k <= cells.count else { break }
            rows.append(Array(cells[p..<(p + k)]))
            p += k
        }
        return rows.count >= 2 ? rows : nil
    }

    /// A table copied one cell per line: try periods of 3 to 6 cells and keep the one whose
    /// columns differ most from each other while their cells look alike.
    static func cellTable(_ lines: [CaptureLine], _ block: [Int], subjects: [String]) -> TableRun? {
        let cells = block.map { lines[$0] }
        for c in cells {
            if c.bulletPrefix > 0 || c.tabCells >= 2 || c.pipeRow || c.length > 110 || c.end == .period || c.end == .colon
                || c.code >= 3 && !c.cue.contains(.number) || !c.cue.intersection(.footer | .copyright | .share | .button | .menu | .date | .readTime | .byMarker).isEmpty { return nil }
        }
        // "Pricing", "Security", "Roadmaps" are row labels as often as menu items; a menu is mostly such words.
        if cells.filter({ $0.cue.contains(.nav) }).count * 3 > cells.count { return nil }
        let subjectKeys = subjects.map { Phrase($0).normalised }
        var best: (k: Int, score: Double)?
        for k in 2...6 where cells.count % k == 0 && cells.count / k >= (k == 2 ? 4 : 3) {
            // Two columns alternate like many other things: only short, unpunctuated cells whose
            // second column repeats its values ("Pick" → "Kafka", "Pulsar", "Kafka").
            if k == 2, cells.contains(where: { $0.words >= 16 || $0.end == .question || $0.end == .exclamation }) { continue }
            let header = cells.prefix(k)
            guard header.allSatisfy({ $0.words <= 6 && $0.end != .question }) else { continue }
            var headerSubjects = 0
            for h in header {
                let key = Phrase(h.text).normalised
                if subjectKeys.contains(where: { key == $0 || key.hasSuffix(" " + $0) || key.hasPrefix($0 + " ") || $0.hasSuffix(" " + key) }) {
                    headerSubjects += 1
                }
            }
            let headerDigits = header.contains { h in h.text.contains(where: { $0.isNumber }) }
            if headerDigits && headerSubjects < 2 { continue }
            // Column shape: mean and spread of the word counts per column.
            var means: [Double] = [], within = 0.0
            var repeats = 0
            for col in 0..<k {
                var values: [Double] = []
                var seen: [String: Int] = [:]
                var row = 1
                while row * k + col < cells.count {
                    let c = cells[row * k + col]
                    values.append(Double(c.words))
                    seen[c.text.lowercased(), default: 0] += 1
                    row += 1
                }
                let mean = values.reduce(0, +) / Double(values.count)
                means.append(mean)
                within += values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
                repeats += seen.values.filter { $0 >= 2 }.reduce(0) { $0 + $1 }
            }
            within /= Double(k)
            let grand = means.reduce(0, +) / Double(k)
            let between = means.map { ($0 - grand) * ($0 - grand) }.reduce(0, +) / Double(k)
            var score = between / (within + 0.5)
            score += Double(headerSubjects) * 1.5
            // "Aspect | Terraform | OpenTofu": a label's column, then one column per subject.
            if headerSubjects >= 2, headerSubjects == k - 1 { score += 2 }
            score += min(3, Double(repeats) * 0.4)
            if k == 2 {
                if repeats < 2 { continue }
                score -= 1
            }
            // The first column holds short labels.
            let labels = stride(from: k, to: cells.count, by: k).map { cells[$0] }
            if labels.allSatisfy({ $0.words <= 5 }) { score += 0.5 }
            if header.allSatisfy({ $0.words <= 4 }) { score += 0.3 }
            if score >= 1.6, score > (best?.score ?? 0) { best = (k, score) }
        }
        guard let (k, score) = best else { return nil }
        var rows: [[String]] = []
        var r = 0
        while r * k < cells.count {
            rows.append(cells[(r * k)..<(r * k + k)].map { cell($0.text) })
            r += 1
        }
        let table = Table(header: rows[0], rows: Array(rows.dropFirst()))
        return TableRun(lines: block, table: table, source: .cells, score: score)
    }

    // MARK: Paragraphs and lists

    /// Whether a document is hard-wrapped (a plain-text or PDF page), judged once.
    static func isWrapped(_ lines: [CaptureLine], skip: Set<Int>) -> Bool {
        var long = 0, widest = 0, broken = 0
        for (k, l) in lines.enumerated() where !l.blank && !skip.contains(k) {
            widest = max(widest, l.length)
            if l.length >= 50 { long += 1 }
        }
        guard widest <= 100, long >= 2 else { return false }
        for k in lines.indices.dropLast() where !skip.contains(k) && !skip.contains(k + 1) {
            let a = lines[k], b = lines[k + 1]
            if !a.blank, !b.blank, a.length >= 50, !endsSentence(a), b.bulletPrefix == 0 { broken += 1 }
        }
        return broken >= 1
    }

    static func endsSentence(_ l: CaptureLine) -> Bool {
        l.end == .period || l.end == .question || l.end == .exclamation || l.end == .ellipsis
    }

    /// Words a phrase cannot stop on ("Angular vs React vs Vue: Which Framework is", "Design – Style Vs"):
    /// a line ending with one was cut by wrapping.
    static let joiningWords = WordSet(words: ["is", "the", "a", "an", "of", "to", "and", "for", "with", "in", "on", "or", "be", "vs", "versus"])

    /// The line's last word is one a phrase cannot stop on (over the bytes, lower-cased as they are hashed:
    /// the words are ASCII).
    static func stopsMidPhrase(_ text: String) -> Bool {
        let u = text.utf8
        guard let lastSpace = u.lastIndex(of: 32), u.distance(from: lastSpace, to: u.endIndex) <= 7 else { return false }
        return joiningWords.contains(Phrase.hash(u[u.index(after: lastSpace)...].lazy.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }))
    }

    /// Whether line `b` continues the paragraph of line `a`.
    /// The scalars of a text before its first space character: over the bytes while they are ASCII
    /// (a space followed by a combining mark is no space character, so that case is left to the characters).
    static func firstWordLength(_ text: String) -> Int {
        let ascii = text.withBytes { b -> Int? in
            for i in 0..<b.count {
                if b[i] >= 0x80 { return nil }
                if b[i] == 32 { return i + 1 < b.count && b[i + 1] >= 0x80 ? nil : i }
            }
            return b.count
        }
        return ascii ?? text.prefix { $0 != " " }.unicodeScalars.count
    }

    static func continuesParagraph(_ a: CaptureLine, _ b: CaptureLine, wrapped: Bool, width: Int, separated: Bool) -> Bool {
        guard !a.blank, !b.blank, b.bulletPrefix == 0, b.tabCells < 2, !b.pipeRow, b.numberPrefix == 0 || b.startsLower else { return false }
        // A name, a date or a menu item under a line is not the rest of its sentence.
        guard b.words >= 2 || b.end == .period, b.cue.intersection(.handle | .nav | .menu | .date | .readTime | .views | .button | .footer | .copyright | .url).isEmpty,
              a.cue.intersection(.nav | .menu | .breadcrumb | .date | .byMarker).isEmpty,
              a.end != .semicolon, a.code < 2.5 || b.code < 2.5 else { return false }
        // "Design – Style Vs" over "Style and Substance": a short line left hanging on a joining word goes on below.
        if wrapped, a.end == .none, !a.prose, b.words <= 8, !b.prose, stopsMidPhrase(a.text) { return true }
        let firstWord = firstWordLength(b.text)
        if wrapped, a.length + 1 + firstWord > width - 8 {
            // A filled line goes on, unless it ends a sentence in a page that does not separate paragraphs.
            return separated || !endsSentence(a) || b.startsLower
        }
        return a.length >= 40 && !endsSentence(a) && a.end != .colon && b.startsLower
    }
}
