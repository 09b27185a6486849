import Foundation

/// How a line ends: the first thing a reader's eye uses to tell a sentence from a
/// heading, a label or a menu item.
enum LineEnd: UInt8, Sendable {
    case none, period, question, exclamation, colon, comma, semicolon, ellipsis, arrow, dash
}

/// Page-furniture vocabulary a line matches. A line can match several.
///
/// Sets of cues are written `.date | .readTime`, not `[.date, .readTime]`: in the long scoring
/// functions the optimiser left each array literal on the heap, one allocation per test
/// (about 150 for each text read).
struct Cue: OptionSet, Sendable {
    let rawValue: UInt32
    static let skipLink = Cue(rawValue: 1 << 0)      // "Skip to main content"
    static let nav = Cue(rawValue: 1 << 1)           // a menu item ("Pricing", "Log in")
    static let menu = Cue(rawValue: 1 << 2)          // several menu items on one line
    static let breadcrumb = Cue(rawValue: 1 << 3)    // "Home › Blog › Databases"
    static let language = Cue(rawValue: 1 << 4)      // "PT | EN", "English ▾"
    static let share = Cue(rawValue: 1 << 5)         // "Share on X", "Copy link"
    static let button = Cue(rawValue: 1 << 6)        // "Start free trial", "Book a demo"
    static let footer = Cue(rawValue: 1 << 7)        // "Related posts", "Leave a reply": the article is over
    static let copyright = Cue(rawValue: 1 << 8)     // "© 2025 Acme"
    static let label = Cue(rawValue: 1 << 9)         // "Tags: …", "Categories: …", "Posted in: …"
    static let hashtags = Cue(rawValue: 1 << 10)     // "#postgres #search"
    static let date = Cue(rawValue: 1 << 11)
    static let readTime = Cue(rawValue: 1 << 12)
    static let views = Cue(rawValue: 1 << 13)        // "1,482 views", "3 Likes", "18.2K subscribers"
    static let altText = Cue(rawValue: 1 << 14)      // "DigitalOcean logo", "Cover image for …", "pic 0.png"
    static let languageName = Cue(rawValue: 1 << 15) // "yaml" above a code block
    static let forum = Cue(rawValue: 1 << 16)        // "Logged", "View Profile", "Re: …", "Quote from: …"
    static let ornament = Cue(rawValue: 1 << 17)     // no letters or digits: an emoji, a rule
    static let url = Cue(rawValue: 1 << 18)          // "www.chapter247.com"
    static let byMarker = Cue(rawValue: 1 << 19)     // "By …", "Written by …", "Posted by …"
    static let toc = Cue(rawValue: 1 << 20)          // "On this page", "Table of contents"
    static let question = Cue(rawValue: 1 << 21)     // "Q: …", "A: …"
    static let callout = Cue(rawValue: 1 << 22)      // "Important Note: …", "Heads Up: …", "📝 …"
    static let number = Cue(rawValue: 1 << 23)       // "412", "01", "$33.3B", "36%"
    static let timestamp = Cue(rawValue: 1 << 24)    // "02:35 Biggest differences …"
    static let embed = Cue(rawValue: 1 << 25)        // "Enter fullscreen mode Exit fullscreen mode", "Advertisement"
    static let attribution = Cue(rawValue: 1 << 26)  // "— Head of Data, gaming company" under a quote
    static let handle = Cue(rawValue: 1 << 27)       // "noah.kellerman", "chapter247"
    static let promo = Cue(rawValue: 1 << 28)        // "Need to move C++ code? Try our free online translator."
    static let disclosure = Cue(rawValue: 1 << 29)   // "We may earn a commission if you buy through links on this page."
    static let dialogue = Cue(rawValue: 1 << 30)     // "ずんだもん「どっちを選ぶのだ?」": a speaker's name, then their words in corner brackets
    static let comments = Cue(rawValue: 1 << 31)     // "Top comments (3)", "12 Responses": readers' comments begin
    static let meta: Cue = [.date, .readTime, .views, .byMarker, .hashtags]
}

extension OptionSet where RawValue: FixedWidthInteger {
    /// The union of two sets of options, as an expression of constants (see `Cue`).
    @inline(__always)
    static func | (a: Self, b: Self) -> Self { Self(rawValue: a.rawValue | b.rawValue) }
}

/// One physical line of a capture, and what a careful reader sees in it at a glance.
struct CaptureLine: Sendable {
    /// What a line is, kept in one box that copies of the line share until one of them changes
    /// (copy on write): the layout passes copy lines and units often, and a copy of the fields
    /// themselves cost a call and a retain of each of their strings.
    struct Fields: Sendable {
        /// 1-based line number in the file.
        var number: Int
        /// The line as captured (tabs kept), without its line end.
        var raw: Substring
        /// Whitespace collapsed, invisible characters removed.
        var text: String
        var indent = 0
        var blankBefore = true
        var blankAfter = true
        /// A wiki's edit link came with the line ("Design aims[edit]"): the line is a section heading.
        var editLink = false

        var length = 0                 // Unicode scalars
        var hasWord = false            // a letter or a digit
        var words = 0                  // CJK text counts two characters as a word
        var cjk = false                // mostly CJK characters
        var end: LineEnd = .none
        var capitalised = 0            // words starting with a capital
        var startsLower = false
        var cue: Cue = []
        /// "• item", "- item": the marker's byte length (with its space) and indentation.
        var bulletPrefix = 0
        /// "1. Overview", "1) item", "A) item": the prefix's byte length.
        var numberPrefix = 0
        /// Cells when the captured line separates cells with tabs.
        var tabCells = 0
        /// Starts with "|" and has at least two cells.
        var pipeRow = false
        /// How much the line looks like source code (≥ 2.5 code-like, ≥ 4 unmistakable).
        var code: Double = 0

        /// Underlined as a heading is in a plain-text document (Markdown's setext form): 1 for a line
        /// of "=" under it, 2 for a line of "-", 0 for none (`Lines.underlines`).
        var underline: UInt8 = 0

        /// Short enough, and shaped, to be a heading (worked out once, in `Lines.shape`).
        var headingShape = false
        /// Two to four capitalised words: a person's name (worked out once, in `Lines.line`).
        var person = false
        /// `LayoutContext.key` of `text`, made when the text is set: a line read once for a site
        /// (`LineMemo`) is keyed once.
        var layoutKey = ""
    }

    private final class Box: @unchecked Sendable {   // changed only while one line holds it
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }
    private var box: Box

    init(number: Int, raw: Substring, text: String) {
        box = Box(Fields(number: number, raw: raw, text: text))
    }

    /// The box, first made this line's own if another line shares it.
    private mutating func edit() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        return box
    }

    var number: Int { get { box.fields.number } set { edit().fields.number = newValue } }
    var raw: Substring { get { box.fields.raw } set { edit().fields.raw = newValue } }
    var text: String {
        get { box.fields.text }
        set {
            let box = edit()
            box.fields.text = newValue
            box.fields.layoutKey = newValue.isEmpty ? "" : LayoutContext.key(newValue)
        }
    }
    var layoutKey: String { box.fields.layoutKey }
    var indent: Int { get { box.fields.indent } set { edit().fields.indent = newValue } }
    var blankBefore: Bool { get { box.fields.blankBefore } set { edit().fields.blankBefore = newValue } }
    var blankAfter: Bool { get { box.fields.blankAfter } set { edit().fields.blankAfter = newValue } }
    var editLink: Bool { get { box.fields.editLink } set { edit().fields.editLink = newValue } }
    var length: Int { get { box.fields.length } set { edit().fields.length = newValue } }
    var hasWord: Bool { get { box.fields.hasWord } set { edit().fields.hasWord = newValue } }
    var words: Int { get { box.fields.words } set { edit().fields.words = newValue } }
    var cjk: Bool { get { box.fields.cjk } set { edit().fields.cjk = newValue } }
    var end: LineEnd { get { box.fields.end } set { edit().fields.end = newValue } }
    var capitalised: Int { get { box.fields.capitalised } set { edit().fields.capitalised = newValue } }
    var startsLower: Bool { get { box.fields.startsLower } set { edit().fields.startsLower = newValue } }
    var cue: Cue { get { box.fields.cue } set { edit().fields.cue = newValue } }
    var bulletPrefix: Int { get { box.fields.bulletPrefix } set { edit().fields.bulletPrefix = newValue } }
    var numberPrefix: Int { get { box.fields.numberPrefix } set { edit().fields.numberPrefix = newValue } }
    var tabCells: Int { get { box.fields.tabCells } set { edit().fields.tabCells = newValue } }
    var pipeRow: Bool { get { box.fields.pipeRow } set { edit().fields.pipeRow = newValue } }
    var code: Double { get { box.fields.code } set { edit().fields.code = newValue } }
    var underline: UInt8 { get { box.fields.underline } set { edit().fields.underline = newValue } }
    var headingShape: Bool { get { box.fields.headingShape } set { edit().fields.headingShape = newValue } }
    var person: Bool { get { box.fields.person } set { edit().fields.person = newValue } }
    var blank: Bool { text.isEmpty }

    /// A sentence: closing punctuation after several words, or many words.
    var prose: Bool {
        // "Markdown and PlainDoc: Almost the Same, Except..." underlined with "===": a heading, however it ends.
        if underline > 0 { return false }
        // "どっちを選ぶべき?": a question or an exclamation of a few CJK characters is as short as a heading.
        return (words >= 4 && (end == .period || end == .exclamation || end == .question || end == .ellipsis && !leadIn)
            && !(cjk && length < 12 && (end == .question || end == .exclamation))) || words >= 20
            || (cjk && length >= 30)
    }


    /// "You should buy the Pixel 8 Pro if…", "Choose Kafka when…": a line that trails off on the word
    /// that leads into what comes under it, as a heading over its list of reasons does.
    var leadIn: Bool {
        guard end == .ellipsis, words >= 2, words <= 14, !cjk else { return false }
        var t = text.utf8[...]
        while let l = t.last, l == 46 || l == 32 || l >= 0x80 { t = t.dropLast() }   // the ellipsis ("...", "…")
        guard let space = t.lastIndex(of: 32) else { return false }
        let last = ByteText.lowered(Substring(t[t.index(after: space)...]))
        return Self.leadInWords.contains(where: { $0 == last })
    }
    static let leadInWords: [[UInt8]] = ["if", "when", "whether", "unless", "because"].map { Array($0.utf8) }

    func computeHeadingShape() -> Bool {
        guard !blank, hasWord, bulletPrefix == 0, tabCells < 2, !pipeRow else { return false }
        guard end == .none || end == .question || end == .exclamation || leadIn else { return false }
        if cjk { return length <= 30 }
        guard length <= 110, words <= 18, words >= 1 else { return false }
        // Two sentences ("Thank you sir. Our lab still uses Java…") are text, not a heading.
        if words >= 6, ByteText.contains(text, ". "), let r = text.range(of: ". "), let next = text[r.upperBound...].first, next.isUppercase,
           text.distance(from: text.startIndex, to: r.lowerBound) >= 3,
           let before = text[..<r.lowerBound].spaceSplit.last?.lowercased(),
           before.count > 1, !["vs", "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "no", "fig", "inc", "ltd", "jr", "sr", "cf", "al", "approx"].contains(before) {
            return false
        }
        return true
    }

    /// The text after a bullet or number marker.
    var itemText: Substring {
        let skip = bulletPrefix > 0 ? bulletPrefix : numberPrefix
        return text.utf8.count > skip ? text[text.utf8.index(text.startIndex, offsetBy: skip)...] : text[...]
    }
}

enum Lines {
    /// Splits a decoded text into lines with their features. CRLF and CR were made LF at decode.
    static func read(_ text: String) -> [CaptureLine] {
        var out: [CaptureLine] = []
        // Split on the newline byte (no grapheme breaking over the whole text), found with
        // memchr in the text's bytes: the generic `split` stepped the view's iterator a byte at a time.
        let newlines = text.withBytes { bytes -> [Int] in
            var found: [Int] = []
            var at = 0
            while let newline = ByteText.offset(of: 10, in: bytes, from: at) {
                found.append(newline)
                at = newline + 1
            }
            return found
        }
        out.reserveCapacity(newlines.count + 1)
        let utf8 = text.utf8
        var start = utf8.startIndex, startOffset = 0
        for (n, end) in (newlines + [utf8.count]).enumerated() {
            let stop = utf8.index(start, offsetBy: end - startOffset)
            out.append(LineMemo.shared.line(Substring(utf8[start..<stop]), number: n + 1))
            if end < utf8.count { start = utf8.index(after: stop) }
            startOffset = end + 1
        }
        // A trailing newline leaves an empty last piece: it is not a line.
        if let last = out.last, last.raw.isEmpty, out.count > 1 { out.removeLast() }
        var previousBlank = true
        for i in out.indices {
            out[i].blankBefore = previousBlank
            previousBlank = out[i].blank
        }
        var nextBlank = true
        for i in out.indices.reversed() {
            out[i].blankAfter = nextBlank
            nextBlank = out[i].blank
        }
        underlines(&out)
        return out
    }

    /// Headings underlined as plain-text documents write them (and Markdown's setext form):
    /// a line on its own (a blank line or the start above it) with a line of "=" or "-" right
    /// under it, about as long as the line. The line is a heading whatever it ends with; the
    /// underline is a rule (read as a blank line already). A rule under a paragraph's last
    /// line, or of another length than the line above, underlines nothing.
    static func underlines(_ lines: inout [CaptureLine]) {
        guard lines.count >= 2 else { return }
        for i in 1..<lines.count where lines[i].blank && lines[i].cue.contains(.ornament) {
            let above = lines[i - 1]
            guard !above.blank, above.blankBefore, above.hasWord, above.bulletPrefix == 0, above.tabCells < 2, !above.pipeRow,
                  above.code < 2.5, above.length <= 110, above.words <= 18 else { continue }
            var mark: UInt8 = 0, count = 0, other = false
            for b in lines[i].raw.utf8 where b != 32 && b != 9 {
                if mark == 0, b == 61 || b == 45 { mark = b }
                if b == mark { count += 1 } else { other = true; break }
            }
            guard !other, count >= 3, Double(count) >= Double(above.length) * 0.6, Double(count) <= Double(above.length) * 1.4 + 3 else { continue }
            lines[i - 1].underline = mark == 61 ? 1 : 2
            lines[i - 1].headingShape = true
        }
    }

    /// What `line` makes of the lines pages share, by their bytes: a site's captures repeat their
    /// menus, bylines, share bars, headings and footers page after page, and a line is read the
    /// same wherever it is (`line` looks at its bytes only). Lines up to `longest` bytes are kept,
    /// `most` of them at most (then lines not yet kept are read each time).
    final class LineMemo: @unchecked Sendable {
        static let shared = LineMemo()
        static let longest = 160
        static let most = 65_536
        private let shards = (0..<16).map { _ in Shard() }
        private final class Shard {
            let lock = NSLock()
            /// By a hash of the line's bytes (`ByteScan.hash`), checked against the bytes kept on a
            /// match: a `String` key cost a copy of each line looked up and a SipHash of it.
            var lines: [UInt64: CaptureLine] = [:]
        }

        func line(_ raw: Substring, number: Int) -> CaptureLine {
            let count = raw.utf8.count
            guard count <= Self.longest else { return Lines.line(raw, number: number) }
            let key = raw.withBytes { ByteScan.hash($0) }
            // Sharded by the line's length, which costs nothing.
            let shard = shards[count & 15]
            // (By the line's bytes, all of them: the same length and the one a prefix of the other. A
            // line equal to it as a `String` may be another way of writing its characters.)
            if var known = shard.lock.withLock({ shard.lines[key] }),
               known.raw.withBytes({ k in raw.withBytes { k.count == $0.count && ByteText.hasPrefix(k, $0) } }) {
                known.raw = raw
                known.number = number
                return known
            }
            let made = Lines.line(raw, number: number)
            shard.lock.withLock {
                if shard.lines.count < Self.most / 16 {
                    // Kept with its own copy of the text it was read from (not a slice of the file's),
                    // in a box of its own; a line with the same hash kept before gives way.
                    var kept = made
                    kept.raw = Substring(String(raw))
                    shard.lines[key] = kept
                }
            }
            return made
        }
    }

    /// The edit link of a wiki's section heading, in the languages wikis are read in.
    static let editWords = ["edit", "bearbeiten", "modifier", "editar", "modifica", "bewerken", "править", "編集", "编辑"]

    static func line(_ raw: Substring, number: Int) -> CaptureLine {
        let indent = raw.withBytes { bytes -> Int in
            var indent = 0
            for b in bytes {
                if b == 32 { indent += 1 } else if b == 9 { indent += 4 } else { break }
            }
            return indent
        }
        var cleaned = Text.collapse(raw)
        var line = CaptureLine(number: number, raw: raw, text: "")
        line.indent = indent
        if !Text.hasWordCharacter(cleaned) {
            // Code punctuation ("})", "];") and table rows ("|---|---|") are content; an emoji or
            // a rule ("---", "***") separates like a blank line, though a reader sees it.
            let symbols = cleaned.anyByte { b in b == 123 || b == 125 || b == 91 || b == 93 || b == 40 || b == 41 || b == 59 || b == 124 || b == 60 || b == 62 }
            // "✓", "✗", "—": a table cell copied one per line, not a separator.
            if Self.cellMarks.contains(cleaned) {
                line.text = cleaned
                shape(&line)
                line.cue = [.number]
                return line
            }
            if !symbols {
                line.text = ""
                if !cleaned.isEmpty { line.cue.insert(.ornament) }
                return line
            }
        }
        // "[edit] Architecture", "Design aims[edit]", "Syntax[bearbeiten | Quelltext bearbeiten]": a wiki's
        // edit link copied with its heading.
        if ByteText.hasPrefix(cleaned, "[edit] ") {
            cleaned.removeFirst(7)
            line.editLink = true
        } else if cleaned.utf8.last == 93, let open = cleaned.lastIndex(of: "["), open > cleaned.startIndex {
            let link = cleaned[cleaned.index(after: open)...].dropLast().lowercased()
            if link.count <= 48, Self.editWords.contains(where: { link.hasPrefix($0) }) {
                cleaned = String(cleaned[..<open]).trimmingWhitespace()
                line.editLink = !cleaned.isEmpty
            }
        }
        line.text = cleaned
        shape(&line)
        line.cue.formUnion(Vocabulary.cues(line))
        line.code = CodeShape.score(line)
        line.person = LayoutContext.computePersonName(line)
        return line
    }

    static let cellMarks: Set<String> = ["✓", "✔", "✔️", "✗", "✘", "✅", "❌", "☑", "☑️", "✕", "✖", "✖️", "—", "–", "❎", "✔︎"]

    /// Length, words, capitals, how the line ends, list markers, cells.
    static func shape(_ line: inout CaptureLine) {
        let text = line.text
        // A count of scalars over the bytes, read in place (into the closure's own variables,
        // which stay in registers): an ASCII byte is its scalar, and only the others are decoded
        // and looked up ("’" or "—" sent every letter of the line through the scalar view).
        let (length, words, letters, capitalised, cjkCount) = text.withBytes { bytes -> (Int, Int, Int, Int, Int) in
            var length = 0, words = 0, letters = 0, capitalised = 0, cjk = 0
            var inWord = false, firstOfWord = true
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                length &+= 1
                if b < 0x80 {
                    i += 1
                    if b == 32 { inWord = false; continue }
                    if !inWord { inWord = true; words &+= 1; firstOfWord = true }
                    let upper = b >= 65 && b <= 90, lower = b >= 97 && b <= 122
                    if upper || lower { letters &+= 1 }
                    if firstOfWord, upper { capitalised &+= 1 }
                    if firstOfWord, upper || lower || (b >= 48 && b <= 57) { firstOfWord = false }
                    continue
                }
                let (v, n) = ByteScan.scalar(bytes, at: i)
                i += n
                if !inWord { inWord = true; words &+= 1; firstOfWord = true }
                if (0x3040...0x30FF).contains(v) || (0x3400...0x9FFF).contains(v) || (0xAC00...0xD7AF).contains(v) {
                    cjk &+= 1
                    letters &+= 1
                    firstOfWord = false
                } else if let s = Unicode.Scalar(v), s.properties.isAlphabetic {
                    letters &+= 1
                    if firstOfWord, s.properties.isUppercase { capitalised &+= 1 }
                    firstOfWord = false
                }
            }
            return (length, words, letters, capitalised, cjk)
        }
        line.length = length
        line.hasWord = letters > 0 || text.anyByte { $0 >= 48 && $0 <= 57 }
        line.cjk = cjkCount * 2 >= letters && cjkCount > 0
        // Scripts written without spaces count a word for every two of their characters, also in a
        // line that mixes them with Latin names ("ReactではReduxやZustandがよく使われます。").
        line.words = cjkCount > 0 ? max(words, cjkCount / 2) : words
        line.capitalised = capitalised
        if let b = text.utf8.first, b < 0x80 {
            line.startsLower = b >= 97 && b <= 122   // (in ASCII only a–z are lower-case)
        } else if let f = text.unicodeScalars.first {
            line.startsLower = f.properties.isLowercase
        }
        line.end = ending(text)

        // List markers.
        let u = Array(text.utf8.prefix(8))
        if u.count >= 3 {
            let bulletLengths = bulletMarker(u)
            if bulletLengths > 0, u.count > bulletLengths, u[bulletLengths - 1] == 32 {
                line.bulletPrefix = bulletLengths
            }
        }
        if line.bulletPrefix == 0 {
            var digits = 0
            while digits < u.count, digits < 3, u[digits] >= 48 && u[digits] <= 57 { digits += 1 }
            if digits > 0, digits + 1 < u.count, u[digits] == 46 || u[digits] == 41, u[digits + 1] == 32 {
                line.numberPrefix = digits + 2
            } else if u.count >= 4, (u[0] >= 65 && u[0] <= 72), u[1] == 41, u[2] == 32 {
                line.numberPrefix = 3   // "A) PaaS and managed containers"
            }
        }
        // Cells: tabs between non-empty text, or a row of pipes.
        var tabs = 0
        var sawText = false
        var leadingTab = false
        for b in (line.raw.hasByte(9) ? line.raw : "").utf8 {
            if b == 9 {
                if sawText { tabs += 1 } else { leadingTab = true }
            } else if b != 32 {
                if !sawText, leadingTab, tabs == 0 { tabs = 1 }   // "\tAWS\tAzure": an empty corner cell
                sawText = true
            }
        }
        if tabs > 0 {
            let cells = line.raw.split(separator: "\t", omittingEmptySubsequences: false)
                .map { $0.trimmingWhitespace() }
            var trimmed = cells
            while let l = trimmed.last, l.isEmpty { trimmed.removeLast() }
            if trimmed.count >= 2, trimmed.contains(where: { !$0.isEmpty }) { line.tabCells = trimmed.count }
        }
        if ByteText.hasPrefix(text, "|") {
            var pipes = 0
            for b in text.byteArray where b == 124 { pipes += 1 }
            line.pipeRow = pipes >= 3 || (pipes >= 2 && !text.hasSuffix("|"))
        }
        line.headingShape = line.computeHeadingShape()
    }

    /// Byte length of a bullet marker and its space at the start, or 0.
    static func bulletMarker(_ u: [UInt8]) -> Int {
        // ASCII markers: "- ", "* ", "+ ".
        if (u[0] == 45 || u[0] == 42 || u[0] == 43), u[1] == 32 { return 2 }
        // Two- and three-byte markers: • · ◦ ▪ ‣ ● ■ ✓ ✔ ➢ ► – → ○ □ ▸ ✅ ❌…
        let markers: [[UInt8]] = [
            [0xE2, 0x80, 0xA2], [0xC2, 0xB7], [0xE2, 0x97, 0xA6], [0xE2, 0x96, 0xAA], [0xE2, 0x80, 0xA3],
            [0xE2, 0x97, 0x8F], [0xE2, 0x96, 0xA0], [0xE2, 0x9C, 0x93], [0xE2, 0x9C, 0x94], [0xE2, 0x9E, 0xA2],
            [0xE2, 0x96, 0xBA], [0xE2, 0x80, 0x93], [0xE2, 0x86, 0x92], [0xE2, 0x97, 0x8B], [0xE2, 0x96, 0xA1],
            [0xE2, 0x96, 0xB8],
        ]
        for m in markers where u.count > m.count && u.starts(with: m) && u[m.count] == 32 {
            return m.count + 1
        }
        return 0
    }

    static func ending(_ text: String) -> LineEnd {
        var scalars = text.unicodeScalars.reversed().makeIterator()
        while let s = scalars.next() {
            switch s {
            // "Geekzone Live »": a guillemet with none opened before it points to a link.
            case "»" where !text.contains("«"): return .arrow
            case "\"", "”", "’", "'", ")", "»", "*", "]", "」", "』", "）":
                continue
            case ".":
                // "..." and "…" trail off; a single dot closes a sentence.
                if let p = scalars.next(), p == "." { return .ellipsis }
                return .period
            case "…": return .ellipsis
            case "?", "？": return .question
            case "!", "！": return .exclamation
            case ":", "：": return .colon
            case ",", "，", "、": return .comma
            case ";", "；": return .semicolon
            case "。": return .period
            case "→", "›", "↗": return .arrow
            // "The Aura HD has these things going for it –": a dash left hanging leads into what follows.
            case "–", "—": return .dash
            case "-": return scalars.next() == " " ? .dash : .none
            default: return .none
            }
        }
        return .none
    }
}

/// Words of page furniture, in the languages the captures come in.
enum Vocabulary {
    /// Whole-line menu items (lower-cased, trailing punctuation removed).
    static let navItems: FixedSet = [
        "home", "blog", "about", "about us", "contact", "contact us", "services", "products", "product", "pricing",
        "ask question", "ask a question",
        "docs", "documentation", "careers", "jobs", "login", "log in", "sign in", "sign up", "signup", "register",
        "search", "search...", "search…", "menu", "features", "solutions", "resources", "company", "customers",
        "case studies", "work", "cases", "portfolio", "projects", "tags", "posts", "articles", "archive", "rss",
        "newsletter", "community", "support", "help", "guides", "tutorials", "courses", "learn", "practice", "tools",
        "integrations", "partners", "industries", "insights", "events", "news", "faq", "privacy", "privacy policy",
        "terms", "terms of service", "terms of use", "cookies", "imprint", "legal", "sitemap", "categories",
        "compare", "comparisons", "alternatives", "reviews", "more", "explore", "upload", "trending", "music",
        "gaming", "tech", "videos", "podcasts", "uses", "now", "talks", "writing", "notes", "create account",
        "log out", "account", "dashboard", "registry", "roadmaps", "interviews", "leaderboard", "questions",
        "knowledge base", "use cases", "customers", "showcase", "teardowns", "security", "linux", "cloud",
        "devops", "programming", "networking", "databases", "ai", "the course", "cheat sheets", "web apps",
        "case studies", "ai automation", "reviews", "consulting", "translate", "operators", "playbooks", "previous",
        "next", "ctrl", "k", "en", "de", "pt", "es", "fr", "el", "tr", "home page", "all posts", "back", "back to blog",
        "serviços", "contato", "início", "首页", "资讯", "教程", "工具", "关于我们", "главная", "статьи", "файлы",
        "форум", "обратная связь", "поиск", "друзья сайта", "submit a tool", "insurtech", "culture", "product",
    ]
    /// Buttons and offers: short lines that ask for a click.
    static let buttonStarts: [String] = [
        "start free", "start your free", "start a free", "start building", "start for free", "try free", "try for free",
        "try it free", "get started", "get a demo", "get demo", "book a demo", "book a call", "book a free", "book an ",
        "book your", "book a teardown", "request a ", "request demo", "talk to ", "contact sales", "contact us",
        "sign up", "get a quote", "let's talk", "lets talk", "schedule a", "download", "subscribe", "join ", "enroll",
        "learn more", "read more", "get in touch", "create account", "create a free", "use this template",
        "get a free", "get your free", "claim your", "watch the", "falar com", "agende", "fale com", "comece",
        "reply", "save comment", "post comment", "add to the discussion", "check answer", "view my complete profile",
        "register now", "buy now", "see pricing", "see plans", "open app", "go to app", "sign in to", "reset", "submit",
        // The same buttons in Portuguese, Spanish, French, German and Italian.
        "fale conosco", "cadastre-se", "cadastrar-se", "crie uma conta", "criar conta", "fazer login", "saiba mais", "inscreva-se",
        "regístrate", "registrate", "iniciar sesión", "más información", "contáctanos", "prueba gratis", "crear cuenta",
        "s'inscrire", "inscrivez-vous", "se connecter", "en savoir plus", "contactez-nous", "essai gratuit", "créer un compte",
        "anmelden", "registrieren", "mehr erfahren", "kostenlos testen", "konto erstellen", "kontaktieren sie",
        "accedi", "registrati", "scopri di più", "contattaci", "prova gratis", "crea un account",
        // Polish, Russian, Vietnamese and Turkish.
        "kup ", "kup teraz", "zapisz się", "zarejestruj się", "zaloguj się", "dowiedz się więcej", "czytaj więcej",
        "записаться", "подписаться", "зарегистрироваться", "войти", "узнать больше", "подробнее", "отправить", "купить", "принять",
        "đăng ký", "đăng nhập", "xem thêm", "mua ngay", "tải về", "kayıt ol", "giriş yap", "satın al", "abone ol",
    ] + shopButtonStarts
    /// A shop's buttons under a product or deal card ("Buy at Amazon", "View deal"): never a heading.
    static let shopButtonStarts: [String] = [
        "buy at ", "buy from ", "shop at ", "shop now", "view at ", "view deal", "see deal", "get deal", "check price",
        "check availability", "see it at ", "add to cart", "compare prices",
    ]
    static let shopButtonPrefixes = ByteText.Prefixes(shopButtonStarts)
    static let recommendsBytes = Array(" recommends".utf8), picksBytes = Array("'s picks".utf8)
    static let collapseToggle = Array(" [–]".utf8), collapseToggleHyphen = Array(" [-]".utf8), parentLink = Array(" | parent | ".utf8)
    static let publishedIn = Array("published in".utf8)
    static let timelineEvents = ["closed this as completed", "closed this as not planned", "reopened this", "self-assigned this",
                                 "mentioned this issue", "changed the title", "locked and limited conversation"].map { Array($0.utf8) }
    static let commentPromptParts = ["发布评论", "发表评论", "写下你的评论", "コメントを投稿", "댓글을 작성"]
    static let arrowQuote = Array(" »".utf8), arrowRight = Array(" →".utf8), arrowAngle = Array(" ›".utf8)
    /// The article is over: related posts, comments, newsletters, author cards, legal lines.
    static let footerStarts: [String] = [
        "related posts", "related articles", "related guides", "related comparisons", "related insights",
        "what are your thoughts?", "sign in to join the discussion", "sign up for free to join this conversation",
        "join the discussion",
        "show comments", "view comments", "load comments", "recommended for you", "recommended reading",
        "recommended articles", "recommended stories",
        "related questions", "related q&a", "related topics", "related documents", "related resources",
        "related news", "related", "more posts", "more from", "you may also like", "you might also like",
        "recent posts", "keep reading", "read next", "up next", "also on the blog", "more comparisons",
        "more teardowns", "more articles", "posts relacionados", "artigos relacionados", "leave a reply",
        // A wiki's page footer.
        "this page was last edited", "this page was last modified",
        // Author cards, further reading, comparisons and newsletters in the other languages pages come in.
        "sobre el autor", "sobre la autora", "sobre o autor", "à propos de l'auteur", "a propos de l'auteur",
        "über den autor", "über die autorin", "sull'autore", "più articoli", "altri articoli", "más artículos",
        "mais artigos", "plus d'articles", "weitere artikel", "comparaisons similaires", "comparaciones similares",
        "comparações semelhantes", "confronti simili", "ähnliche vergleiche", "recibe contenido", "suscríbete a",
        "abonnez-vous", "inscrivez-vous à", "iscriviti alla newsletter", "newsletter abonnieren", "관련 게시물", "관련 글",
        // The comment box's prompt in Japanese, Korean and Chinese ("Comment on this article!").
        "この記事にコメント", "コメントを書く", "コメントする", "댓글 남기기", "댓글 쓰기", "댓글을 남겨", "发表评论", "写评论",
        // Related posts and the column a post is filed in, in Chinese, Japanese and Korean.
        "相关推荐", "相关文章", "推荐阅读", "本文收录于", "関連記事", "おすすめ記事", "관련 기사",
        "this entry was posted in", "this entry was tagged",
        "leave a comment", "add comment", "post a comment", "top comments", "your answer", "was this helpful",
        "was this page helpful", "was this comparison helpful", "about the author", "subscribe to", "get the ",
        "stay up to date", "tag cloud", "newer post", "older post", "previous post", "next post", "edit this page",
        "edit page", "thanks for reading", "did you like this", "enjoyed this", "if you've enjoyed", "share this",
        "like this:", "report abuse", "code of conduct", "sign in to comment", "show less", "show more",
        "comments powered by", "please enable javascript", "all rights reserved", "powered by", "made with love",
        "built with", "this site is built", "subscribe via", "previous question", "next question", "previous lesson",
        "next lesson", "← ", "discuss on", "reply by email", "blog archive", "about me", "相关推荐", "热门标签",
        "上一篇", "下一篇", "分享到", "版权所有", "всего комментариев", "добавлять комментарии", "want a teardown",
        "generate this article", "get one practical", "comments (", "sort by", "previous:", "next:", "arrow_back",
        "← previous", "« previous", "prev >", "next >", "next »", "next →", "next ›", "prev »", "prev:", "read the full guide", "like what you read",
        "disclosure", "some links on this page", "affiliate links", "is reader-supported", "we may earn", "registered in",
        "company number", "all trademarks", "did you find this", "did you find it", "did this article", "did this post",
        "was this article", "was this post", "was this page", "was this comparison", "was this guide", "was this useful",
        "was this content", "how useful was", "how helpful was", "rate this article", "found this useful",
        "found this helpful", "is this page useful",
        // The same furniture in the other languages pages are captured in.
        "ähnliche artikel", "ähnliche beiträge", "verwandte artikel", "das könnte dich auch", "das könnte sie auch",
        "kommentare (", "articoli correlati", "potrebbe interessarti", "commenti (", "articles similaires",
        "articles connexes", "à lire aussi", "vous aimerez aussi", "commentaires (", "artículos relacionados",
        "entradas relacionadas", "te puede interesar", "comentarios (", "comentários (", "leia também", "veja também",
        "相关文章", "相关阅读", "推荐阅读", "関連記事", "おすすめ記事", "erstellt mit", "creato con", "réalisé avec",
        "propulsé par", "construido con", "feito com", "betrieben mit", "lizenziert unter cc", "licensed under cc",
        "licensed under a creative commons",
        // Polish, Russian, Vietnamese, Turkish and Indonesian.
        "o autorze", "powiązane artykuły", "podobne artykuły", "przeczytaj również", "zobacz także", "komentarze (",
        "dodaj komentarz", "zostaw komentarz", "об авторе", "похожие записи", "похожие статьи", "добавить комментарий",
        "оставить комментарий", "ваш адрес email не будет опубликован", "комментарии (", "bài viết liên quan",
        "bài viết cùng chủ đề", "bình luận (", "về tác giả", "ilgili yazılar", "benzer yazılar", "yorumlar (",
        "yazar hakkında", "artikel terkait", "komentar (", "tentang penulis",
    ]
    static let shareWords: Set<String> = [
        "share", "tweet", "facebook", "linkedin", "x", "twitter", "reddit", "hacker news", "whatsapp", "telegram",
        "email", "e-mail", "copy link", "xing", "pinterest", "mastodon", "bluesky", "save", "print", "email this",
        "blogthis!", "share to twitter", "share to facebook", "share on x", "share on linkedin", "share on facebook",
        "compartilhe", "share this article", "share this post", "share:", "微信", "微博", "qq空间", "复制链接",
        "listen", "follow", "clap", "bookmark", "save for later", "copy url", "copy the link", "link copied",
        "partager", "compartir", "condividi", "teilen", "ツイート", "はてブ", "シェア", "공유", "공유하기",
        "chia sẻ", "sao chép link", "zalo", "udostępnij", "поделиться", "вконтакте", "paylaş", "bagikan",
    ]
    static let tocTitles: Set<String> = [
        "on this page", "table of contents", "contents", "in this article", "in this post", "toc",
        "jump to", "jump to section", "índice", "sumário", "目录", "chapters",
        // The same box in the other languages pages come in.
        "tópicos da página", "nesta página", "neste artigo", "conteúdo", "en esta página", "en este artículo", "contenido",
        "sur cette page", "dans cet article", "sommaire", "table des matières", "auf dieser seite", "in diesem artikel",
        "inhaltsverzeichnis", "inhalt", "in questa pagina", "in questo articolo", "indice", "sommario", "目次",
        "このページの内容", "목차", "이 페이지의 내용", "本页内容", "本页目录", "文章目录", "目錄",
        "spis treści", "содержание", "оглавление", "mục lục", "içindekiler", "i̇çindekiler", "daftar isi", "obsah",
    ]
    static let languageNames: Set<String> = [
        "yaml", "yml", "json", "bash", "shell", "sh", "zsh", "console", "terminal", "python", "py", "js", "javascript",
        "ts", "typescript", "jsx", "tsx", "sql", "go", "golang", "rust", "ruby", "hcl", "toml", "xml", "html", "css",
        "java", "c", "cpp", "c++", "csharp", "c#", "kotlin", "swift", "php", "groovy", "dockerfile", "text",
        "plaintext", "ini", "graphql", "diff", "powershell", "scss", "vue", "svelte", "elixir", "scala",
    ]
    static let forumLines: Set<String> = [
        "logged", "quote", "reply", "report", "report to moderator", "newbie", "jr. member", "full member",
        "sr. member", "hero member", "administrator", "global moderator", "moderator", "accepted", "answer",
        "answers", "subscribe", "sort by", "autoplay", "save", "download", "like", "embed", "share", "helpful",
        "quote this post", "report this post", "reply to this post",
        // A Q&A site's buttons and boxes around a question and its answers.
        "follow", "add a comment", "linked", "hot network questions", "improve this question", "improve this answer",
        "show activity on this post", "this answer is useful", "this answer is not useful", "save this answer",
        "save this question", "highest score (default)", "ask question",
        // The question's vote buttons, as their tooltips read.
        "this question shows research effort; it is useful and clear",
        "this question does not show any research effort; it is unclear or not useful",
        // An issue tracker's sidebar.
        "no one assigned", "no labels", "no milestone", "no branches or pull requests", "edited",
        // A thread's marks and prompts: the poster's own replies, the sign-in box.
        "op", "log in or sign up to leave a comment", "add a comment...",
    ]
    static let embedLines: Set<String> = Set([
        "enter fullscreen mode exit fullscreen mode", "advertisement", "sponsor ads", "sponsored", "ad", "image",
        "transcript", "watch", "loading...", "like loading...", "yes", "no", "👍", "👎",
        // A video page's transcript panel.
        "follow along using the transcript", "follow along using the transcript.", "search transcript", "show transcript", "search in video",
        "copy snippet", "run", "open in playground",
        "email address", "your email", "your email address", "enter your email", "enter your email address", "first name",
        "last name", "your name", "work email",
    ]).union(copyWords)
    static let months: Set<String> = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "january", "february", "march", "april", "june", "july", "august", "september", "october",
        "november", "december", "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
        "setembro", "outubro", "novembro", "dezembro", "enero", "febrero", "marzo", "mayo", "junio", "julio",
        "septiembre", "octubre", "noviembre", "diciembre", "januar", "februar", "märz", "juni", "juli", "oktober",
        "dezember", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre",
        // Italian, Dutch, Polish and Russian (as a date says them: "12 marca", "14 мая"), Turkish and Indonesian.
        "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre",
        "januari", "februari", "maart", "mei", "augustus", "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
        "lipca", "sierpnia", "września", "października", "listopada", "grudnia", "января", "февраля", "марта", "апреля",
        "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря", "ocak", "şubat", "nisan", "mayıs",
        "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım", "aralık", "maret", "agustus", "desember",
    ]
    static var byPrefixes: [String] { Bylines.markers + Bylines.looseMarkers }

    /// Lower-cased text without trailing punctuation, arrows and emoji: the key for the sets above.
    static func key(_ text: String) -> String {
        let ascii = text.withBytes { b -> String? in
            guard let (lo, hi) = keyRange(b) else { return nil }
            return ByteText.loweredString(b, lo, hi)
        }
        if let ascii { return ascii }
        var s = Substring(ByteText.lowercased(text))
        while let l = s.last, !(l.isLetter || l.isNumber || l == ")" || l == "+" || l == "#" || l == "…" || l == "?") {
            s = s.dropLast()
        }
        while let f = s.first, !(f.isLetter || f.isNumber || f == "#" || f == "©" || f == "(" || f == "[" || f == "@") {
            s = s.dropFirst()
        }
        return String(s)
    }

    /// Whether `key(text)` is one of `set` (a few short entries): the key of an ASCII text
    /// longer than every entry is not made.
    static func key(of text: String, isIn set: Set<String>) -> Bool {
        let longest = set.reduce(0) { max($0, $1.utf8.count) }
        let tooLong = text.withBytes { b -> Bool in
            guard let (lo, hi) = keyRange(b) else { return false }   // not ASCII: the key tells
            return hi - lo > longest
        }
        return !tooLong && set.contains(key(text))
    }

    /// Where `key` of an ASCII text lies in its bytes (nil: the text is not ASCII): case does not
    /// change which bytes are kept, so the key is these bytes lower-cased.
    @inline(__always)
    static func keyRange(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        guard ByteText.allASCII(b) else { return nil }
        func keepEnd(_ c: UInt8) -> Bool { isWordByte(c) || c == 41 || c == 43 || c == 35 || c == 63 }
        func keepStart(_ c: UInt8) -> Bool { isWordByte(c) || c == 35 || c == 40 || c == 91 || c == 64 }
        var lo = 0, hi = b.count
        while hi > lo, !keepEnd(b[hi - 1]) { hi -= 1 }
        while lo < hi, !keepStart(b[lo]) { lo += 1 }
        return (lo, hi)
    }

    /// For each entry of the whole-line sets, the cues of the sets that hold it.
    static let wholeLineSets: [String: Cue] = {
        var out: [String: Cue] = [:]
        for (set, cue) in [(navItems.strings, Cue.nav), (tocTitles, .toc), (languageNames, .languageName), (embedLines, .embed),
                           (forumLines, .forum), (shareWords, .share)] {
            for entry in set { out[entry, default: []].insert(cue) }
        }
        return out
    }()
    /// The longest entry of the whole-line sets (navigation, contents, embeds, forum, share words).
    static let wholeLineVocabularyLength = wholeLineSets.keys.map(\.utf8.count).max() ?? 0

    static let skipPrefixes = ByteText.Prefixes(["skip to", "pular para", "ir al contenido", "zum inhalt", "aller au contenu", "skip navigation",
                                                 "przejdź do treści", "перейти к содержимому", "перейти к содержанию", "bỏ qua nội dung",
                                                 "içeriğe geç", "i̇çeriğe geç", "langsung ke konten"])
    static let sharePrefixes = ByteText.Prefixes(["share on ", "share:", "share this", "compartilhe", "分享到", "partager :", "partager:",
                                                  "compartir:", "condividi:", "teilen:"])
    static let buttonPrefixes = ByteText.Prefixes(buttonStarts)
    static let footerPrefixes = ByteText.Prefixes(footerStarts)
    /// A video page's transcript panel: the words of the video, which is the page's article.
    static let transcriptHeads: Set<String> = ["transcript", "show transcript", "video transcript", "full transcript", "transcrição",
                                               "transcripción", "transkript", "transcription", "trascrizione", "文字起こし"]
    /// "Top comments (3)", "Comments (12)", "Kommentare (4)": the head of readers' comments, with their count.
    static let commentCountPrefixes = ByteText.Prefixes(["top comments (", "comments (", "discussion (", "kommentare (", "commenti (",
                                                         "commentaires (", "comentarios (", "comentários (", "всего комментариев"])
    static let labelPrefixes = ByteText.Prefixes(["tags:", "categories:", "category:", "posted in:", "filed under", "labels:", "topics:", "标签：", "标签:", "категория:",
                                                 "tag:", "etiquetas:", "étiquettes :", "étiquettes:", "schlagwörter:", "태그:", "タグ：",
                                                 "tagi:", "kategorie:", "kategoria:", "метки:", "теги:", "рубрики:", "рубрика:",
                                                 "категории:", "thẻ:", "danh mục:", "etiketler:", "kategori:", "label:"])
    static let questionPrefixes = ByteText.Prefixes(["q: ", "a: ", "q. "])
    static let byMarkerPrefixes = ByteText.Prefixes(byPrefixes)
    static let calloutPrefixes = ByteText.Prefixes(["important note", "heads up", "note:", "update:", "📝", "tip:", "verdict up front",
                                                 "quick conclusion", "spoiler", "disclaimer", "editor's note", "💡", "⚠", "definition:"])
    static let calloutLabels: Set<String> = ["important", "note", "tip", "warning", "caution", "heads up", "info", "pro tip",
                                             "editor's note", "notice", "danger", "attention", "nota", "aviso", "hinweis"]
    static let gluedButtons: [[UInt8]] = ["free trial", "get a demo", "book a demo", "sign up", "get started", "start free", "try free", "request a demo"].map { Array($0.utf8) }

    /// A short line that ends in a button glued to other words: "Product Features Start Free Trial".
    static func endsWithGluedButton(_ line: CaptureLine) -> Bool {
        guard line.words <= 8, !line.prose, line.cue.contains(.menu) else { return false }
        var tail = Array(line.text.utf8.suffix(32))
        for i in tail.indices where tail[i] >= 65 && tail[i] <= 90 { tail[i] += 32 }
        while let l = tail.last, !isWordByte(l) { tail.removeLast() }
        return gluedButtons.contains(where: { ByteText.hasSuffix(tail, $0) })
    }

    /// Words that let a phrase test run (see `cues`).
    struct TriggerWords: OptionSet {
        let rawValue: UInt8
        static let by = TriggerWords(rawValue: 1)
        static let offer = TriggerWords(rawValue: 2)
        static let legal = TriggerWords(rawValue: 4)
        static let updated = TriggerWords(rawValue: 8)
        static let disclosure = TriggerWords(rawValue: 16)
        static let all = TriggerWords(rawValue: 0xFF)
    }

    static let triggerHashes: [UInt64: TriggerWords] = {
        var out: [UInt64: TriggerWords] = [:]
        for (word, kind) in triggerSpellings { out[Phrase.hash(word), default: []].insert(kind) }
        return out
    }()

    /// The trigger words as written (lower-case ASCII letters).
    static let triggerSpellings: [(String, TriggerWords)] = {
        var out: [(String, TriggerWords)] = []
        func add(_ words: [String], _ kind: TriggerWords) {
            for w in words { out.append((w, kind)) }
        }
        add(["by"], .by)
        // A word of every offer phrase ("try our", "get in touch", "we're hiring"…).
        add(["our", "touch", "contact", "book", "sign", "trial", "learn", "subscribe", "newsletter", "join", "hire", "help",
             "reach", "started", "positions", "hiring", "star"], .offer)
        add(["copyright", "rights", "direitos"], .legal)
        add(["updated"], .updated)
        // A word of every affiliate disclosure ("earn a commission", "reader-supported", "at no extra cost").
        add(["commission", "affiliate", "supported", "cost"], .disclosure)
        return out
    }()
    /// The same words as a set: most words of a line are none of them, found so without hashing the hash.
    static let triggerWordSet = WordSet(triggerHashes.keys)
    /// For each length, the first letters of the trigger words of that length (bit 0 for "a"):
    /// a word whose first letter and length no trigger word has is not hashed at all.
    static let triggerStarts: [UInt32] = {
        var out = [UInt32].filled(0, count: 11)
        for (word, _) in triggerSpellings {
            let b = Array(word.utf8)
            if b.count <= 10 { out[b.count] |= 1 << UInt32(b[0] - 97) }
        }
        return out
    }()

    /// The trigger words of lower-cased ASCII bytes (letter runs); every kind for other scripts.
    static func triggerWords(_ lb: [UInt8]) -> TriggerWords {
        var found: TriggerWords = []
        var i = 0
        let n = lb.count
        while i < n {
            let b = lb[i]
            if b >= 0x80 { return .all }
            guard b >= 97 && b <= 122 else { i += 1; continue }
            let start = i
            while i < n, lb[i] >= 97 && lb[i] <= 122 { i += 1 }
            if i < n, lb[i] >= 0x80 { return .all }
            guard i - start <= 10, triggerStarts[i - start] & (1 << UInt32(lb[start] - 97)) != 0 else { continue }
            let h = Phrase.hash(lb[start..<i])
            if triggerWordSet.contains(h), let kind = triggerHashes[h] { found.formUnion(kind) }
        }
        return found
    }

    static func cues(_ line: CaptureLine) -> Cue {
        var cue: Cue = []
        let text = line.text
        let count = text.utf8.count
        let short = count <= 120
        // Lower-cased bytes, leading punctuation and emoji dropped ("⚡ Quick Verdict:" → "quick verdict:").
        var lb = ByteText.lowered(text, limit: 200)
        var lead = 0
        while lead < lb.count, !isWordByte(lb[lead]), lb[lead] != 35, lb[lead] != 40, lb[lead] != 91, lb[lead] != 64 {
            if lb[lead] >= 0xC0, let s = String(decoding: lb[lead...].prefix(4), as: UTF8.self).unicodeScalars.first, s.properties.isAlphabetic { break }
            lead += 1
        }
        if lead > 0 { lb.removeFirst(lead) }
        let hasDigit = text.anyByte { $0 >= 48 && $0 <= 57 }

        if short {
            // Whole-line vocabulary: the key is short.
            do {
                let k = key(text)
                if k.utf8.count <= wholeLineVocabularyLength {
                    // Which of the whole-line sets hold the key, from one lookup (not one hash of it for each set).
                    let sets = wholeLineSets[k] ?? []
                    if sets.contains(.nav) { cue.insert(.nav) }
                    if sets.contains(.toc) || tocWithToggle(k) { cue.insert(.toc) }
                    // "yaml" above a code block is written in lower case; "Vue" or "YAML" is a name or a value.
                    if sets.contains(.languageName), line.words == 1, text.utf8.first.map({ $0 >= 97 && $0 <= 122 }) == true { cue.insert(.languageName) }
                    if sets.contains(.embed) { cue.insert(.embed) }
                    if sets.contains(.forum) { cue.insert(.forum) }
                    if sets.contains(.share) { cue.insert(.share) }
                }
                if menuLike(line, lower: k) || bracketLinks(text) { cue.insert(.menu) }
                if altText(k, line: line) || credit(text, lower: k, words: line.words) { cue.insert(.altText) }
                if copyButton(k) { cue.insert(.embed) }
                if forumMeta(k, text: text) { cue.insert(.forum) }
                // "Sort: Best New Old", "Sort by: Newest": a discussion's sort switch.
                if line.words <= 6, ByteText.hasPrefix(k, "sort:") || ByteText.hasPrefix(k, "sort by:") { cue.insert(.forum) }
                if languageSwitch(text) { cue.insert(.language) }
                if count <= 16, hasDigit, numberLike(text) { cue.insert(.number) }
                // "★★★★☆ 4.1": a product's stars.
                if let f = text.unicodeScalars.first, f == "★" || f == "☆" { cue.insert(.number) }
                if urlLine(text) { cue.insert(.url) }
                if siteTagline(line) || socialProof(k, line: line) { cue.insert(.embed) }
                if handleLine(text) { cue.insert(.handle) }
            }
            if skipPrefixes.match(lb) != nil { cue.insert(.skipLink) }
            if sharePrefixes.match(lb) != nil { cue.insert(.share) }
            // A whole word or phrase: "Submit", "Subscribe now"; not "Submitting" or "Subscribers".
            if line.words <= 8, line.end != .period || count < 30, let b = buttonPrefixes.match(lb),
               b.count == lb.count || b.last == 32 || !isWordByte(lb[b.count]) && !(0xC3...0xC5).contains(lb[b.count]) {
                cue.insert(.button)
            }
            // "Leia sobre o MySQL »", "Read the docs →": a short link with its arrow.
            if line.words <= 6, ByteText.hasSuffix(lb, Self.arrowQuote) || ByteText.hasSuffix(lb, Self.arrowRight) || ByteText.hasSuffix(lb, Self.arrowAngle) {
                cue.insert(.button)
            }
            if let f = footerPrefixes.match(lb), line.words <= 10 || f.count >= 12 { cue.insert(.footer) }
            // "ZDNET Recommends", "Editor's Picks": a publication's block of its other stories after the article.
            if line.words <= 3, line.end == .none, ByteText.hasSuffix(lb, Self.recommendsBytes) || ByteText.hasSuffix(lb, Self.picksBytes) {
                cue.insert(.footer)
            }
            // Buttons glued to the text before them: "Log inGet a demo", "Product Features Start Free Trial".
            if line.words <= 8, !line.prose, !cue.contains(.button) {
                var trimmed = lb
                while let l = trimmed.last, !isWordByte(l) { trimmed.removeLast() }
                if gluedButtons.contains(where: { ByteText.hasSuffix(trimmed, $0) }) { cue.insert(.menu) }
            }
            if breadcrumb(text) { cue.insert(.breadcrumb) }
            if line.words <= 24, commentsBegin(lb) || line.words <= 4 && commentCountPrefixes.match(lb) != nil { cue.insert(.footer | .comments) }
            // "dmorrow 7 years ago | root | parent | next [–]": a comment's header on a link site; "tobiaslund closed
            // this as completed Apr 14, 2020": an issue tracker's timeline.
            if line.words <= 16, ByteText.hasSuffix(lb, Self.collapseToggle) || ByteText.hasSuffix(lb, Self.collapseToggleHyphen)
                || ByteText.contains(lb, Self.parentLink) || Self.timelineEvents.contains(where: { ByteText.contains(lb, $0) }) {
                cue.insert(.forum)
            }
            // "Published in Geckoboard: Under The Hood": the publication a story sits in.
            if line.words <= 8, line.end == .none, ByteText.hasPrefix(lb, Self.publishedIn) { cue.insert(.label) }
            // "登录 / 注册 即可发布评论!": the comment box's prompt, wherever its verb comes.
            if line.cjk, line.length <= 40, commentPromptParts.contains(where: { ByteText.contains(text, $0) }) { cue.insert(.footer) }
            if labelPrefixes.match(lb) != nil || ByteText.hasPrefix(lb, "source:") && line.words <= 6 { cue.insert(.label) }
            // A wiki's category links under the article ("Categories: Version control | Software comparisons"): it is over.
            if ByteText.hasPrefix(lb, "categories:") || ByteText.hasPrefix(lb, "category:"), ByteText.contains(text, " | ") { cue.insert(.footer) }
            if text.hasByte(35), hashtagLine(text) { cue.insert(.hashtags) }
            if tagSlug(text) || gluedChips(text) { cue.insert(.label) }
            if questionPrefixes.match(lb) != nil { cue.insert(.question) }
            if hasDigit, timestampLine(text) { cue.insert(.timestamp) }
            if let f = text.utf8.first, f == 0xE2 || f == 45, line.words <= 10, line.end != .period,
               ByteText.hasPrefix(text, "— ") || ByteText.hasPrefix(text, "– ") || ByteText.hasPrefix(text, "- ") || ByteText.hasPrefix(text, "-- ") {
                cue.insert(.attribution)
            }
        }
        if byMarkerPrefixes.match(lb) != nil { cue.insert(.byMarker) }
        // Which trigger words the line has, from one pass over its words: the phrase tests below
        // run only when one of their words is there.
        let words = triggerWords(lb)
        // "Posted on January 14, 2025 by Daniel Okoro", "date • read time • by Name".
        if !cue.contains(.byMarker), line.words <= 16, words.contains(.by), ByteText.contains(lb, " by "), Bylines.afterMarker(text) != nil {
            cue.insert(.byMarker)
        }
        if line.words <= 30, line.words >= 4, words.contains(.offer), offerBytes.contains(where: { ByteText.contains(lb, $0) }),
           promotion(String(decoding: lb, as: UTF8.self), line: line) { cue.insert(.promo) }
        if ByteText.contains(text, "©") || words.contains(.legal) && (ByteText.hasPrefix(lb, "copyright")
            || ByteText.contains(lb, "all rights reserved") || ByteText.contains(lb, "todos os direitos"))
            || text.hasByte(40) && (ByteText.hasPrefix(lb, "(c) ") || ByteText.contains(text, " (C) 20")) {
            cue.insert(.copyright)
        }
        if line.words <= 60, words.contains(.disclosure), disclosureBytes.contains(where: { ByteText.contains(lb, $0) }) { cue.insert(.disclosure) }
        // "Galaxy S24, 256GB: Save $60 at Amazon", "up to $830 off with trade-in", "20% off": a deal card is an ad.
        if short, line.words <= 16, text.hasByte(36) || text.hasByte(37) || ByteText.contains(text, "€") || ByteText.contains(text, "£"),
           dealLine(lb) { cue.insert(.embed) }
        if calloutPrefixes.match(lb) != nil { cue.insert(.callout) }
        if speakerLine(text) { cue.insert(.dialogue) }
        // "Important", "Note", "Warning": a callout's label on its own line.
        if line.words <= 2, count <= 16, calloutLabels.contains(key(text)) { cue.insert(.callout) }
        if let f = text.utf8.first, f == 0xF0 || f == 0xE2, ByteText.hasPrefix(text, "📝") || ByteText.hasPrefix(text, "💡") || ByteText.hasPrefix(text, "⚠") { cue.insert(.callout) }
        if count <= 160, hasDigit || words.contains(.updated) && ByteText.contains(lb, "updated") {
            let (date, readTime, views) = metaScan(text)
            if date { cue.insert(.date) }
            if readTime { cue.insert(.readTime) }
            if views { cue.insert(.views) }
        }
        return cue
    }

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57)
    }

    static let countWords: FixedSet = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    static let commentNouns: FixedSet = ["response", "responses", "thought", "thoughts", "comment", "comments", "reply", "replies"]

    /// A blog's comments begin: "14 Responses to “iPhone 5 vs Galaxy S3”", "3 thoughts on
    /// “…”", "One comment", "2 Replies" (lower-cased bytes). The post's title follows in quotes,
    /// so "3 thoughts on migrating" (a heading of the article) is not one.
    static func commentsBegin(_ lb: [UInt8]) -> Bool {
        // The first word, looked at before the line is split: on most lines it is no count.
        var start = 0
        while start < lb.count, lb[start] == 32 { start += 1 }
        var end = start
        while end < lb.count, lb[end] != 32 { end += 1 }
        let first = lb[start..<end]
        guard !first.isEmpty, first.allSatisfy({ $0 >= 48 && $0 <= 57 }) || countWords.contains(String(decoding: first, as: UTF8.self)) else { return false }
        // (`first` is the split's first piece.)
        let words = lb.split(separator: 32, maxSplits: 3, omittingEmptySubsequences: true)
        guard words.count >= 2, commentNouns.contains(String(decoding: words[1].filter(isWordByte), as: UTF8.self)) else { return false }
        if words.count == 2 { return true }
        guard words.count == 4, words[2].elementsEqual("to".utf8) || words[2].elementsEqual("on".utf8) else { return false }
        let quoted = String(decoding: words[3], as: UTF8.self)
        return ByteText.hasPrefix(quoted, "“") || ByteText.hasPrefix(quoted, "\"") || ByteText.hasPrefix(quoted, "«") || ByteText.hasPrefix(quoted, "‘") || ByteText.hasPrefix(quoted, "'")
    }

    /// "Need to move C++ code to another language? Try our free online code translator.": a pitch
    /// in one or two short sentences, asking a question and then making an offer.
    static let offers = ["try our", "get in touch", "contact us", "book a ", "sign up", "free trial", "learn more", "subscribe",
                         "our newsletter", "join our", "check out our", "hire us", "we can help", "reach out", "get started",
                         "have a look at our", "open positions", "we're hiring", "we are hiring", "give us a star", "star on github"]
    static let offerBytes: [[UInt8]] = offers.map { Array($0.utf8) }

    static let dealPattern = try! NSRegularExpression(pattern: #"\bsave\s+(up to\s+)?[$€£]\s?\d|[$€£]\s?\d[\d,.]*\s+off\b|\b\d+\s?%\s+off\b"#)

    static func dealLine(_ lower: [UInt8]) -> Bool {
        // Every deal the pattern knows says "save" or "off".
        guard ByteText.contains(lower, "save") || ByteText.contains(lower, "off") else { return false }
        let text = String(decoding: lower, as: UTF8.self)
        return dealPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// An affiliate disclosure: the page says it is paid for purchases made through its links.
    static let disclosures = ["earn a commission", "earn a small commission", "earn an affiliate commission", "receive a commission",
                              "affiliate link", "affiliate commission", "reader-supported", "supported by its audience",
                              "supported by our readers", "supported by its readers", "at no extra cost to you"]
    static let disclosureBytes: [[UInt8]] = disclosures.map { Array($0.utf8) }

    static func promotion(_ lower: String, line: CaptureLine) -> Bool {
        guard line.words <= 30, line.words >= 4 else { return false }
        guard offers.contains(where: { ByteText.contains(lower, $0) }) else { return false }
        let opener = lower.spaceSplit.first.map(String.init) ?? ""
        return lower.hasByte(63) || ["need", "want", "looking", "interested", "curious", "ready", "try", "join", "subscribe", "get"].contains(opener)
    }

    /// "Home   Blog   Projects   About   Contact": several menu items on one line.
    static let menuFunctionWords: Set<UInt64> = Set(["the", "of", "and", "a", "an", "to", "for", "in", "on", "with", "is", "are",
                                                     "what", "how", "why"].compactMap { CodeShape.pack(Array($0.utf8)[...]) })
    /// The longest one-word menu item, in bytes.
    static let navWordLength = navItems.filter { !$0.contains(" ") }.map(\.utf8.count).max() ?? 0

    static func menuLike(_ line: CaptureLine, lower: String) -> Bool {
        guard line.words >= 3, line.end == .none || line.end == .arrow else { return false }
        // The parts between spaces, bars, dots and slashes, over the bytes.
        let b = lower.byteArray
        var parts = 0, nav = 0
        var prose = false
        var i = 0
        func separator(at i: Int) -> Int {
            let c = b[i]
            if c == 32 || c == 124 || c == 47 { return 1 }
            if c == 0xC2, i + 1 < b.count, b[i + 1] == 0xB7 { return 2 }                               // ·
            if c == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA2 { return 3 }           // •
            return 0
        }
        while i < b.count {
            let w = separator(at: i)
            if w > 0 { i += w; continue }
            let start = i
            while i < b.count, separator(at: i) == 0 { i += 1 }
            parts += 1
            let part = b[start..<i]
            if let v = CodeShape.pack(part), menuFunctionWords.contains(v) { prose = true; continue }
            if part.count <= navWordLength, navItems.contains(String(decoding: part, as: UTF8.self)) { nav += 1 }
        }
        guard parts >= 3, nav >= 2 else { return false }
        // Separated by runs of spaces or bars: a menu copied as one line.
        let raw = line.raw
        let spaced = ByteText.contains(raw, "  ") || ByteText.contains(raw, " | ") || ByteText.contains(raw, " · ")
        return (nav >= 2 && spaced && !prose) || nav >= 4 || (nav >= 3 && nav * 2 >= parts && !prose)
    }

    /// Two or more "›", "»", " / " or " > " separators between short parts.
    static let crumbSeparators: [[UInt8]] = [" › ", " » ", " / ", " > ", " → ", " \\ ", "»", "›", "＞"].map { Array($0.utf8) }

    static func breadcrumb(_ text: String) -> Bool {
        // Only lines with one of the separators' bytes need looking at.
        guard text.anyByte(where: { $0 == 47 || $0 == 62 || $0 == 0xC2 || $0 == 0xE2 || $0 == 0xEF || $0 == 92 }) else { return false }
        let bytes = text.byteArray
        for sep in crumbSeparators {
            var count = 0
            var i = 0
            while i + sep.count <= bytes.count {
                var match = true
                for j in 0..<sep.count where bytes[i + j] != sep[j] { match = false; break }
                if match { count += 1; i += sep.count } else { i += 1 }
                if count >= 2 { return true }
            }
            if count == 1, ByteText.hasPrefix(text, "当前位置") { return true }
        }
        return false
    }

    /// "PT | EN", "EN · DE · TR", "English ▾", "EN ▾".
    static func languageSwitch(_ text: String) -> Bool {
        if text.utf8.last == 0xBE || text.utf8.last == 0xBC, ByteText.hasSuffix(text, "▾") || ByteText.hasSuffix(text, "▼") { return text.utf8.count <= 14 }
        // "EN | DE | FR": two-letter capitals only.
        guard text.utf8.count <= 30, let f = text.utf8.first, f >= 65, f <= 90 else { return false }
        if text.isPrintableASCII {
            // Each byte a character ("·" is not ASCII).
            let parts = text.utf8.split(whereSeparator: { $0 == 124 || $0 == 32 || $0 == 47 })
            guard parts.count >= 2, parts.count <= 5 else { return false }
            return parts.allSatisfy { $0.count == 2 && $0.allSatisfy { $0 >= 65 && $0 <= 90 } }
        }
        let parts = text.split(whereSeparator: { $0 == "|" || $0 == "·" || $0 == " " || $0 == "/" })
        guard parts.count >= 2, parts.count <= 5 else { return false }
        return parts.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isUppercase } }
    }

    /// "kafkapulsarstreamingmessaging-architecture": a page's tags glued into one long lower-case token
    /// (no spaces, no dots or slashes: not a path, a URL or code).
    static func tagSlug(_ text: String) -> Bool {
        let u = text.utf8
        guard u.count >= 18, u.count <= 120, let f = u.first, f >= 97 && f <= 122, !text.hasByte(32) else { return false }
        var letters = 0, run = 0, longest = 0
        for b in u {
            if b >= 97 && b <= 122 { letters += 1; run += 1; longest = max(longest, run); continue }
            run = 0
            if b >= 48 && b <= 57 { continue }
            if b == 45 { continue }
            return false
        }
        // A hyphenated identifier ("data-engineering-workflow") has short parts; glued tags make a long one.
        return letters * 10 >= u.count * 8 && longest >= 16
    }

    /// "FrontendReactVue.jsPerformance": capitalised tag chips copied with nothing between them
    /// (one token, three or more words glued, no code signs).
    static func gluedChips(_ text: String) -> Bool {
        guard text.utf8.count >= 12, text.utf8.count <= 120, let f = text.utf8.first, f >= 65 && f <= 90, !text.hasByte(32) else { return false }
        let u = text.byteArray
        var starts = 0
        for i in u.indices {
            let b = u[i]
            let upper = b >= 65 && b <= 90, lower = b >= 97 && b <= 122
            guard upper || lower || (b >= 48 && b <= 57) || b == 46 || b == 45 || b == 43 || b == 35 else { return false }
            guard upper else { continue }
            let before: UInt8 = i > 0 ? u[i - 1] : 32
            let after: UInt8 = i + 1 < u.count ? u[i + 1] : 32
            if i == 0 || (before >= 97 && before <= 122) || (before >= 65 && before <= 90 && after >= 97 && after <= 122) { starts += 1 }
        }
        return starts >= 3
    }

    static func hashtagLine(_ text: String) -> Bool {
        guard text.hasByte(35) else { return false }   // no "#": no tag
        let parts = text.spaceSplit
        guard !parts.isEmpty else { return false }
        let tags = parts.filter { $0.hasPrefix("#") && $0.count > 1 && $0.dropFirst().first?.isLetter == true }
        return tags.count >= 2 && tags.count * 2 >= parts.count || (parts.count == 1 && tags.count == 1 && text.count > 3)
    }

    /// "412", "01", "$33.3B", "36%", "3x", "2,000-3,500 words"-free numbers: a value without words.
    static func numberLike(_ text: String) -> Bool {
        var digits = 0, letters = 0
        for s in text.unicodeScalars {
            if s.value >= 48 && s.value <= 57 { digits += 1 } else if s.properties.isAlphabetic { letters += 1 }
        }
        return digits > 0 && letters <= 2 && text.utf8.count <= 16
    }

    /// A code box's label and copy button, copied as a line over the code ("javascript 代码解读复制代码",
    /// "bash Copy code", "コピー"): a language name, perhaps, then the button's words.
    static func copyButton(_ lower: String) -> Bool {
        // Every button word holds "cop", "kop" or a character of the scripts written without spaces.
        guard lower.utf8.count <= 48, ByteText.contains(lower, "cop") || ByteText.contains(lower, "kop") || lower.utf8.contains(where: { $0 >= 0xE0 })
        else { return false }
        var rest = Substring(lower)
        if let space = rest.firstIndex(of: " "), languageNames.contains(String(rest[..<space])) { rest = rest[rest.index(after: space)...] }
        return copyWords.contains(String(rest))
    }
    /// A code box's copy button, as it copies (on a line alone, or after the code's language name).
    static let copyWords: Set<String> = [
        "copy", "copy code", "copied", "copied!", "copy to clipboard", "代码解读复制代码", "代码解读", "复制代码", "複製程式碼",
        "コピー", "コードをコピー", "copier", "copiar", "copiar código", "kopieren", "copia", "복사", "코드 복사",
    ]

    /// A picture's credit, where a page puts it under the picture: "Photo: Jane Roe", "Image by …",
    /// "Leo Castañeda/ZDNET" (a person's name, a slash, the publication).
    static let creditPrefixes = ["photo:", "photo by ", "photograph:", "photography:", "image by ", "image credit", "(image credit",
                                 "credit:", "picture:", "foto:", "foto di ", "bild:", "crédit photo", "crédit :", "crédito:", "(photo:"]
    /// The first bytes of `creditPrefixes`.
    static let creditStarts = Set(creditPrefixes.compactMap(\.utf8.first))

    static func credit(_ text: String, lower: String, words: Int) -> Bool {
        guard words <= 8, let first = lower.utf8.first else { return false }
        let ends = Ends(lower)
        if creditStarts.contains(first), creditPrefixes.contains(where: ends.prefix) { return true }
        // "Leo Castañeda/ZDNET": a person's name (two or three words, each a capital and then small letters),
        // then a slash and one word with a capital ("GitLab CI/CD" is no name).
        guard text.utf8.contains(47) else { return false }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].hasSuffix(" "), !parts[1].hasPrefix(" "), !parts[1].contains(" "),
              parts[1].contains(where: \.isUppercase), parts[1].count >= 2 else { return false }
        let name = parts[0].spaceSplit
        return (2...3).contains(name.count) && name.allSatisfy { $0.count >= 2 && $0.first?.isUppercase == true && $0.dropFirst().allSatisfy(\.isLowercase) }
    }

    static func altText(_ lower: String, line: CaptureLine) -> Bool {
        guard line.words <= 30 else { return false }
        let ends = Ends(lower)
        return ends.prefix("cover image for") || ends.suffix(" logo") || ends.suffix(" icon")
            || ends.suffix("hero image") || ends.suffix(".png") || ends.suffix(".jpg") || ends.suffix(".webp")
            || ends.suffix(".svg") || ends.suffix(".gif") || lower == "article blog image" || ends.prefix("image:")
            || ends.prefix("diagram:") || ends.prefix("▶ watch") || ends.prefix("watch:") || ends.prefix("logo:")
    }

    /// A landing page's social proof over its logo wall: "Trusted by 4,000+ independent publications",
    /// "Used by 10,000 teams": who uses it, counted, and nothing said.
    static func socialProof(_ lower: String, line: CaptureLine) -> Bool {
        guard line.words <= 8, line.end == .none else { return false }
        // By the bytes: each opening is ASCII, and a digit after it is a character of its own.
        for start in socialProofOpenings where lower.utf8.starts(with: start.utf8) {
            return lower.utf8.dropFirst(start.utf8.count).first.map { $0 >= 48 && $0 <= 57 } ?? false
        }
        return false
    }
    static let socialProofOpenings = ["trusted by ", "loved by ", "used by ", "relied on by ", "chosen by "]

    /// `hasPrefix` and `hasSuffix` of one text, over its bytes when it is ASCII (then they agree:
    /// each byte is a character of its own).
    struct Ends {
        let text: String
        let ascii: Bool
        init(_ text: String) {
            self.text = text
            ascii = text.isASCIIText
        }
        // (Compared with `memcmp` in place: the generic `starts(with:)` and `elementsEqual` of the
        // UTF-8 views stepped an iterator a byte at a time, and a line is tested for a dozen endings.)
        func prefix(_ p: String) -> Bool {
            guard ascii else { return ByteText.hasPrefix(text, p) }
            return text.withBytes { t in p.withBytes { ByteText.hasPrefix(t, $0) } }
        }
        func suffix(_ p: String) -> Bool {
            guard ascii else { return ByteText.hasSuffix(text, p) }
            return text.withBytes { t in p.withBytes { ByteText.hasSuffix(t, $0) } }
        }
    }

    /// "[Date Prev][Date Next][Thread Index]", "[ Home ] [ Archive ]": links a page shows in
    /// brackets (mail archives, wikis, old forums), two or more and nothing else on the line.
    static func bracketLinks(_ text: String) -> Bool {
        guard text.utf8.first == 91 else { return false }
        var depth = 0, groups = 0
        for b in text.utf8 {
            switch b {
            case 91:
                if depth == 0 { groups += 1 }
                depth += 1
            case 93:
                guard depth > 0 else { return false }
                depth -= 1
            case 32, 9, 124: continue
            default: if depth == 0 { return false }
            }
        }
        return depth == 0 && groups >= 2
    }

    static func urlLine(_ text: String) -> Bool {
        guard !text.hasByte(32), text.hasByte(46) else { return false }
        return ByteText.hasPrefix(text, "http://") || ByteText.hasPrefix(text, "https://") || ByteText.hasPrefix(text, "www.")
            || (ByteText.hasSuffix(text, ".com") || ByteText.hasSuffix(text, ".org") || ByteText.hasSuffix(text, ".net") || ByteText.hasSuffix(text, ".io")
                || ByteText.hasSuffix(text, ".dev") || ByteText.hasSuffix(text, ".ai") || ByteText.hasSuffix(text, ".app")) && text.contains(".")
    }

    /// "東北ずん子「今日はフロントエンドの話をしようね。」": a speaker's name (a few characters, no space), then
    /// what they say in corner brackets to the end of the line: a line of dialogue (over the bytes).
    static func speakerLine(_ text: String) -> Bool {
        let u = text.utf8
        guard u.count >= 12, u.last == 0x8D, u.suffix(3).elementsEqual([0xE3, 0x80, 0x8D]) else { return false }   // 」
        var i = u.startIndex, n = 0
        while i != u.endIndex, n < 40 {
            let b = u[i]
            if b == 32 { return false }
            if b == 0xE3, u.distance(from: i, to: u.endIndex) >= 3, u[u.index(i, offsetBy: 1)] == 0x80, u[u.index(i, offsetBy: 2)] == 0x8C {
                return n > 0   // 「 after the name
            }
            i = u.index(after: i)
            n += 1
        }
        return false
    }

    /// "42 posts", "3,188 Posts": the post count in a forum user's block (over the bytes, any case).
    static func postCount(_ text: some StringProtocol) -> Bool {
        let u = text.utf8
        guard let f = u.first, f >= 48 && f <= 57, u.count <= 16 else { return false }
        var i = u.startIndex
        while i != u.endIndex, u[i] >= 48 && u[i] <= 57 || u[i] == 44 || u[i] == 46 { i = u.index(after: i) }
        let rest = ByteText.lowered(text[i...])
        return rest == Self.posts || rest == Self.post || rest == Self.messages
    }
    static let posts = Array(" posts".utf8), post = Array(" post".utf8), messages = Array(" messages".utf8)

    /// Forum furniture: post headers and footers.
    static func forumMeta(_ lower: String, text: String) -> Bool {
        if postCount(lower) { return true }
        // A thread's comment tree as copied: "level 2" over each comment, "94% Upvoted" under the post.
        // (The openings and endings first: counting the characters walks the whole line.)
        if ByteText.hasPrefix(lower, "level "), (7...9).contains(lower.count), lower.dropFirst(6).allSatisfy(\.isNumber) { return true }
        if ByteText.hasSuffix(lower, "% upvoted"), lower.count <= 16, lower.dropLast(9).allSatisfy({ $0.isNumber || $0 == "." }) { return true }
        let l = Ends(lower)
        guard let f = lower.utf8.first, "rqvpaim«wjlcp=".utf8.contains(f) || ByteText.hasPrefix(text, "« ") || l.suffix(" answers") || l.suffix(" replies") else { return false }
        return l.prefix("re: ") || l.prefix("quote from:") || ByteText.hasPrefix(text, "« ") || l.prefix("view profile")
            || l.prefix("posts: ") || l.prefix("answered by ") || l.prefix("asked ")
            && (ByteText.contains(lower, " ago") || l.prefix("asked by")) || l.prefix("modified ") && ByteText.contains(lower, " ago")
            || l.prefix("viewed ") && ByteText.contains(lower, " times") || l.prefix("joined ")
            || l.prefix("pages: [") || l.prefix("author topic:") || l.prefix("« previous")
            || l.prefix("welcome, guest") || l.prefix("jump to") || l.prefix("=> ")
            || l.suffix(" answers") && lower.count < 14 || l.suffix(" replies") && lower.count < 14
            || l.prefix("created on ") || l.prefix("location") && lower.count < 10
    }

    /// A wiki's contents box with its toggle: "Contents [hide]", "Contents [show]", "Contents hide"
    /// (a key: lower case, the closing bracket trimmed).
    static func tocWithToggle(_ key: String) -> Bool {
        for toggle in [" [hide", " [show", " (hide", " (show", " hide", " show"] where ByteText.hasSuffix(key, toggle) {
            var title = key.dropLast(toggle.count)
            while title.last == " " { title = title.dropLast() }
            return tocTitles.contains(String(title))
        }
        return false
    }

    /// A wiki's site line under the title: "From Wikipedia, the free encyclopedia", "From WikiVS, the
    /// open comparison website": "From", the site's name, then ", the" and what the site is, unended.
    static func siteTagline(_ line: CaptureLine) -> Bool {
        let text = line.text
        // (An ASCII prefix is its bytes: tested by them first, as most lines have none.)
        guard line.words <= 10, line.end == .none, text.utf8.starts(with: "From ".utf8), ByteText.hasPrefix(text, "From "),
              let comma = text.range(of: ", the ") else { return false }
        let name = text[text.index(text.startIndex, offsetBy: 5)..<comma.lowerBound]
        let what = text[comma.upperBound...]
        // The name: one to three capitalised words; what the site is: words in lower case.
        let nameWords = name.spaceSplit
        return (1...3).contains(nameWords.count) && nameWords.allSatisfy { $0.first?.isUppercase == true }
            && !what.isEmpty && what.spaceSplit.allSatisfy { $0.first?.isLowercase == true }
    }

    /// A year or a span of years ("2019", "2020 – 2026").
    static let years = NSRegularExpression(compiled: #"\b(19|20)\d\d(\s*[-–]\s*(19|20)\d\d)?\b"#)

    /// Who a copyright line names: "© 2026 VeloCMS. Made in Lisbon." is VeloCMS's, "Copyright © 2024
    /// Jane Doe" Jane Doe's: the marks and years gone, up to the first separator, or (`whole`) all of
    /// what is left but a closing full stop ("Garnet Grid. All rights reserved").
    static func copyrightHolder(_ text: String, whole: Bool = false) -> String {
        var s = text
        // (Each mark is looked for by its bytes first: none has another canonical spelling.)
        for mark in ["Copyright", "copyright", "©", "(C)", "(c)"] where ByteText.contains(s, mark) { s = s.replacingOccurrences(of: mark, with: " ") }
        s = years.replacingMatches(in: s, with: " ")
        s = Text.collapse(s)
        if whole { return Text.trimTrailingPunctuation(s.trimmingWhitespace(), ".") }
        if let cut = s.firstIndex(where: { ".,·|—–".contains($0) }) { s = String(s[..<cut]) }
        return s.trimmingWhitespace()
    }

    /// "0:08", "12:30", "1:02:45": a time and nothing else (a transcript's time mark).
    static func timeMark(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: 58, omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 48 && $0 <= 57 } })
            && parts[0].count <= 2 && parts.dropFirst().allSatisfy({ $0.count == 2 })
    }

    static func timestampLine(_ text: String) -> Bool {
        let u = Array(text.utf8.prefix(6))
        guard u.count >= 6 else { return false }
        return (48...57).contains(u[0]) && (48...57).contains(u[1]) && u[2] == 58 && (48...57).contains(u[3])
            && (48...57).contains(u[4]) && u[5] == 32
    }

    /// "noah.kellerman", "chapter247", "Vadym_K": one token that reads as a user name.
    static func handleLine(_ text: String) -> Bool {
        guard text.utf8.count >= 3, text.utf8.count <= 30, !text.hasByte(32) else { return false }
        var letters = 0, marks = 0, digits = 0, upper = 0
        for b in text.byteArray {
            switch b {
            case 97...122: letters += 1
            case 65...90: letters += 1; upper += 1
            case 48...57: digits += 1
            case 46, 95, 45: marks += 1
            default: return false
            }
        }
        guard letters >= 2 else { return false }
        if ByteText.hasPrefix(text, ".") || ByteText.hasSuffix(text, ".") { return false }
        // "Real-time" is a hyphenated word, not a user name.
        if upper == 1, let f = text.utf8.first, f >= 65, f <= 90, digits == 0, !text.hasByte(46), !text.hasByte(95) { return false }
        return (marks > 0 && upper <= 1) || (digits > 0 && letters >= 3)
    }

    /// Dates, read times and view counts, by tokens: "Oct 12, 2024 • 7 min read", "14.02.2013", "2,841 views".
    /// Stems one of which a date, read-time or count line must contain (a quick test before the tokens).
    static let metaStems: [[UInt8]] = [
        "min", "read", "leitura", "lesezeit", "lectura", "lettura", "vues", "aufrufe", "ago", "view", "like", "subscri", "follow", "comment", "repl", "reaction", "time",
        "answer", "honor", "connection", "visualiza", "update", "publish", "posted", "created", "modified", "⏱", "分钟", "review", "rating",
        "阅读", "发布时间", "просмотров", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
        "dec", "fev", "abr", "mai", "set", "out", "dez", "ene", "dic", "mär", "okt", "jui", "aoû", "déc", "fév", "avr",
    ].map { Array($0.utf8) }

    /// The words the token scan below acts on, hashed: a line with none of them is no meta line.
    static let metaWordHashes = WordSet(words: Array(months) + [
        "min", "mins", "minute", "minutes", "views", "view", "likes", "like", "subscribers", "followers", "comments",
        "comment", "replies", "reactions", "times", "answers", "honor", "connections", "k", "m", "years", "year",
        "months", "month", "days", "day", "hours", "hour", "weeks", "week", "ago", "reading", "leitura", "updated",
        "published", "posted", "created", "modified", "viewed",
    ] + readTimeUnits + readingWords + viewWords)

    /// "9 Minuten", "5 minutos", "7 minuti", "3 分钟": a read time in the languages pages are written in.
    static let readTimeUnits = ["min", "mins", "minute", "minutes", "minuten", "minutos", "minuto", "minuti", "分钟"]
    /// "Lesezeit: 9 Minuten", "Tiempo de lectura", "Tempo di lettura", "Tempo de leitura", "阅读".
    static let readingWords = ["reading", "leitura", "lesezeit", "lectura", "lettura", "阅读"]
    /// "2,841 views", "15540 vues", "1.204 Aufrufe", "980 visualizações".
    static let viewWords = ["views", "view", "likes", "like", "subscribers", "followers", "comments", "comment", "replies",
                            "reactions", "times", "answers", "honor", "connections", "visualizações", "vues", "aufrufe",
                            "visualizzazioni", "visitas", "volte", "voti", "votes", "votos", "visite", "vistas", "lecturas",
                            "reviews", "ratings"]

    static func metaScan(_ text: String) -> (date: Bool, readTime: Bool, views: Bool) {
        var date = false, readTime = false, views = false
        let u = text.byteArray
        @inline(__always) func d(_ k: Int) -> Bool { u[k] >= 48 && u[k] <= 57 }
        // "14.02.2013", "08.12.2020", "2024-05-12", "2026-03": dates by their digits alone.
        var i = 0
        var isoYear = false
        while i < u.count {
            if i + 10 <= u.count {
                if d(i), d(i + 1), (u[i + 2] == 46 || u[i + 2] == 47), d(i + 3), d(i + 4), (u[i + 5] == 46 || u[i + 5] == 47),
                   d(i + 6), d(i + 7), d(i + 8), d(i + 9) { date = true; break }
                if d(i), d(i + 1), d(i + 2), d(i + 3), u[i + 4] == 45, d(i + 5), d(i + 6), u[i + 7] == 45, d(i + 8), d(i + 9) { date = true; break }
            }
            // "2025年06月10日", "2024년 1월 12일": a year, then a month, in Japanese, Chinese or Korean.
            if i + 9 <= u.count, d(i), d(i + 1), d(i + 2), d(i + 3), (u[i + 4] == 0xE5 && u[i + 5] == 0xB9 && u[i + 6] == 0xB4)
                || (u[i + 4] == 0xEB && u[i + 5] == 0x85 && u[i + 6] == 0x84) {
                var j = i + 7
                if j < u.count, u[j] == 32 { j += 1 }
                let start = j
                while j < u.count, j - start < 2, d(j) { j += 1 }
                if j > start, j + 3 <= u.count, (u[j] == 0xE6 && u[j + 1] == 0x9C && u[j + 2] == 0x88) || (u[j] == 0xEC && u[j + 1] == 0x9B && u[j + 2] == 0x94) {
                    date = true; break
                }
            }
            if i + 5 <= u.count, d(i), d(i + 1), d(i + 2), d(i + 3), u[i + 4] == 45 {
                isoYear = true
                if i + 7 <= u.count, d(i + 5), d(i + 6), i + 7 == u.count || !d(i + 7) { date = true; break }   // "2026-03"
            }
            i += 1
        }
        let lb = ByteText.lowered(text)
        if !isoYear {
            if lb.allSatisfy({ $0 < 0x80 }) {
                // ASCII: one of the meta words must be a whole word of the line.
                var found = false
                var i = 0
                while i < lb.count, !found {
                    while i < lb.count, !(lb[i] >= 97 && lb[i] <= 122) { i += 1 }
                    let start = i
                    while i < lb.count, lb[i] >= 97 && lb[i] <= 122 { i += 1 }
                    if i > start, metaWordHashes.contains(Phrase.hash(lb[start..<i])) { found = true }
                }
                if !found { return (date, false, false) }
            } else if !metaStems.contains(where: { ByteText.contains(lb, $0) }) {
                return (date, false, false)
            }
        }
        let lower = ByteText.lowercased(text)
        // Tokens of letters or of digits (so "Malhotra12" is "malhotra" then "12").
        var tokens: [(String, Bool)] = []   // (token, isNumber)
        var current = ""
        var currentIsNumber = false
        func flush() {
            if !current.isEmpty { tokens.append((current, currentIsNumber)) }
            current = ""
        }
        for c in lower {
            if c.isNumber && c.isASCII {
                if !currentIsNumber { flush(); currentIsNumber = true }
                current.append(c)
            } else if c.isLetter {
                if currentIsNumber { flush(); currentIsNumber = false }
                current.append(c)
            } else {
                flush()
                currentIsNumber = false
                if c == "⏱" { readTime = true }
            }
        }
        flush()
        for (i, (t, isNumber)) in tokens.enumerated() {
            if isNumber {
                let next = i + 1 < tokens.count ? tokens[i + 1].0 : ""
                if readTimeUnits.contains(next) { readTime = true }
                if viewWords.contains(next) { views = true }
                if next == "k" || next == "m", i + 2 < tokens.count, ["views", "subscribers", "followers"].contains(tokens[i + 2].0) {
                    views = true
                }
                if ["years", "year", "months", "month", "days", "day", "hours", "hour", "weeks", "week"].contains(next),
                   i + 2 < tokens.count, tokens[i + 2].0 == "ago" { date = true }
                if t.count == 4, let y = Int(t), (1990...2099).contains(y) {
                    // A year next to a month, or in an ISO date.
                    if i >= 1, months.contains(tokens[i - 1].0) || (i >= 2 && months.contains(tokens[i - 2].0)) { date = true }
                    if i + 1 < tokens.count, months.contains(tokens[i + 1].0) { date = true }
                    if i + 2 < tokens.count, tokens[i + 1].1, tokens[i + 2].1, lower.contains("\(t)-") { date = true }
                }
                if i >= 1, months.contains(tokens[i - 1].0), t.count <= 2 { date = true }
                if i + 1 < tokens.count, months.contains(tokens[i + 1].0), t.count <= 2 { date = true }
            } else {
                if readingWords.contains(t) { readTime = readTime || i + 1 < tokens.count || lower.contains("time") }
                if t == "发布时间" || t == "просмотров" { date = date || t == "发布时间"; views = views || t == "просмотров" }
                if t == "updated" || t == "published" || t == "posted" || t == "created" || t == "modified" {
                    if tokens.contains(where: { $0.1 }) { date = true }
                }
                if t == "viewed" { views = true }
            }
        }
        return (date, readTime, views)
    }
}
