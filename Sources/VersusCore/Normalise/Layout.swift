import Foundation

/// What a line of a capture is, as a careful reader would say it.
enum LineClass: Int, CaseIterable, Sendable {
    /// Site furniture before the headline: skip links, menus, breadcrumbs, category labels.
    case nav
    /// The page's headline (the `<h1>`).
    case title
    /// Around the headline: the dek, byline, date and read time, share bar, tags, a table of contents.
    case header
    case heading
    case paragraph
    /// A list item, with or without its bullet.
    case item
    case table
    case code
    /// Furniture inside the article: "Enter fullscreen mode", image alt text, forum user blocks, buttons.
    case aside
    /// After the article: share bars, related posts, comments, newsletters, author cards, legal lines.
    case footer

    var name: String {
        switch self {
        case .nav: return "nav"
        case .title: return "title"
        case .header: return "header"
        case .heading: return "heading"
        case .paragraph: return "paragraph"
        case .item: return "item"
        case .table: return "table"
        case .code: return "code"
        case .aside: return "aside"
        case .footer: return "footer"
        }
    }

    var isBody: Bool {
        switch self {
        case .heading, .paragraph, .item, .table, .code, .aside: return true
        default: return false
        }
    }
}

/// A rule that may be wrong kept a unit from being a heading: why, and by how much it lowered the heading's score.
struct Doubt: Sendable {
    var why: String
    var weight: Double
}

/// A unit of the layout decision: one line, a hard-wrapped paragraph, a code block or a table.
struct LayoutUnit: Sendable {
    enum Kind: Sendable, Equatable { case line, paragraph, code(Int), table(Int) }
    var kind: Kind
    var first: Int               // index of its first line in the line array
    var last: Int                // index of its last line
    var line: CaptureLine        // features (of the joined text for a paragraph)
    var text: String { line.text }
    var isText: Bool { kind == .line || kind == .paragraph }
}

/// The layout decision: every unit gets a score per class from its own features and
/// its neighbours', and one best path through the whole page is chosen under
/// transition rules a reader takes for granted (furniture before the headline, then
/// the header, then the body, then the footer; a heading has a body).
struct Layout {
    var units: [LayoutUnit]
    var classes: [LineClass]
    /// Per unit: the best path's score minus the best score with another class there.
    var margins: [Double]
    /// Per unit: each class's emission score (for `--explain`).
    var scores: [[Double]]
    var reasons: [[String]]
    var titleScores: [Double]
    var titleMatches: [SubjectMatch?]
    var titleReasons: [String] = []
    /// The unit of the author card (the by-line's name again after the article), when there is one.
    var authorCard: Int? = nil
    /// Per unit: why a rule that may be wrong kept it from being a heading (said as a warning when it is not one).
    var doubts: [Doubt?] = []

    static let classCount = LineClass.allCases.count
    static let impossible = -1.0e9

    // MARK: Units

    /// Lines become units: code runs and tables are one unit each; hard-wrapped paragraph lines are joined.
    static func units(_ lines: [CaptureLine], code: [Structure.CodeRun], tables: [Structure.TableRun]) -> [LayoutUnit] {
        var owner = [Int: LayoutUnit.Kind]()   // first line → unit kind
        var covered = Set<Int>()
        for (k, r) in code.enumerated() {
            owner[r.lines.lowerBound] = .code(k)
            for i in r.lines { covered.insert(i) }
            if let label = r.labelIndex { covered.insert(label) }
            if let gutter = r.gutter { for g in gutter { covered.insert(g) } }
        }
        for (k, t) in tables.enumerated() {
            owner[t.lines[0]] = .table(k)
            for i in t.lines[0]...t.lines[t.lines.count - 1] { covered.insert(i) }
        }
        let wrapped = Structure.isWrapped(lines, skip: covered)
        var width = 0
        for (i, l) in lines.enumerated() where !covered.contains(i) { width = max(width, l.length) }
        let separated = zip(lines, lines.dropFirst()).contains { $0.blank && !$1.blank }

        var out: [LayoutUnit] = []
        var i = 0
        while i < lines.count {
            if let kind = owner[i] {
                let last: Int
                switch kind {
                case .code(let k): last = code[k].lines.upperBound
                case .table(let k): last = tables[k].lines.last!
                default: last = i
                }
                out.append(LayoutUnit(kind: kind, first: i, last: last, line: lines[i]))
                i = last + 1
                continue
            }
            if covered.contains(i) || lines[i].blank { i += 1; continue }
            // Join a hard-wrapped paragraph. (Not in a page of unwrapped lines, under a lead-in ending on a
            // colon: "Reach for Kafka when:" over "several services read the same events", "you want to
            // replay history": a list whose bullets were dropped.)
            var j = i
            var listUnderLeadIn = false
            if !wrapped {
                var p = i - 1
                while p >= 0, !lines[p].blank, lines[p].end == .none, lines[p].length < 100, i - p < 12 { p -= 1 }
                listUnderLeadIn = p >= 0 && !lines[p].blank && lines[p].end == .colon
            }
            while !listUnderLeadIn, j + 1 < lines.count, !covered.contains(j + 1), owner[j + 1] == nil,
                  Structure.continuesParagraph(lines[j], lines[j + 1], wrapped: wrapped, width: width, separated: separated) {
                j += 1
            }
            if j > i {
                let text = lines[i...j].map(\.text).joined(separator: " ")
                var line = Lines.line(Substring(text), number: lines[i].number)
                line.indent = lines[i].indent
                line.blankBefore = lines[i].blankBefore
                line.blankAfter = lines[j].blankAfter
                // A heading wrapped on a joining word ("Design – Style Vs" / "Style and Substance") is one line still.
                // (Not "Galaxy S7: 142.4 x 69.6 x 7.9mm and" / "152g": a label's value, wrapped before a number.)
                let wrappedHeading = j == i + 1 && line.headingShape && !line.prose && Structure.stopsMidPhrase(lines[i].text)
                    && !LayoutContext.labelValue(lines[i]) && lines[j].text.unicodeScalars.first?.properties.isAlphabetic == true
                out.append(LayoutUnit(kind: wrappedHeading ? .line : .paragraph, first: i, last: j, line: line))
            } else {
                out.append(LayoutUnit(kind: .line, first: i, last: i, line: lines[i]))
            }
            i = j + 1
        }
        return out
    }
}

extension Layout {
    /// Transition scores between classes (nil: not allowed).
    static let transitions: [[Double?]] = {
        let n = classCount
        var t = [[Double?]].filled([Double?].filled(nil, count: n), count: n)
        func set(_ a: LineClass, _ bs: [LineClass], _ v: Double) { for b in bs { t[a.rawValue][b.rawValue] = v } }
        let body: [LineClass] = [.heading, .paragraph, .item, .table, .code, .aside]
        set(.nav, [.nav, .title], 0)
        set(.title, [.header] + body, 0)
        set(.title, [.footer], -5)
        set(.header, [.header] + body, 0)
        set(.header, [.footer], -5)
        for b in body { set(b, body + [.footer], 0) }
        set(.heading, [.heading], -1)
        set(.heading, [.aside], -0.5)
        set(.heading, [.footer], -4)
        set(.item, [.item], 0.3)
        set(.footer, [.footer], 0)
        return t
    }()

    /// `transitions` as one array (row: from, column: to), `impossible` where not allowed.
    static let flatTransitions: [Double] = transitions.flatMap { row in row.map { $0 ?? impossible } }
    /// For each class, the classes it may follow, in class order.
    static let predecessors: [[Int]] = (0..<classCount).map { b in (0..<classCount).filter { a in transitions[a][b] != nil } }
    /// For each class, the classes that may follow it, in class order.
    static let successors: [[Int]] = (0..<classCount).map { a in (0..<classCount).filter { b in transitions[a][b] != nil } }

    /// Decides every unit's class: title candidates, emissions, then the best path.
    static func decide(_ lines: [CaptureLine], code: [Structure.CodeRun], tables: [Structure.TableRun],
                       finder: SubjectFinder, subjects: [String] = [], explain: Bool) -> Layout {
        var units = Self.units(lines, code: code, tables: tables)
        units = mergeSplitTitles(units, finder: finder)
        var ctx = LayoutContext(units: units, lines: lines, finder: finder)
        ctx.subjectWords = Set(subjects.flatMap { Phrase($0).words })
        ctx.subjectKeys = Set(subjects.map(LayoutContext.key))
        ctx.markParallelHeadings()
        let n = units.count
        guard n > 0 else {
            return Layout(units: [], classes: [], margins: [], scores: [], reasons: [], titleScores: [], titleMatches: [])
        }
        // Title candidates.
        ctx.titleScores = Array.filled(impossible, count: n)
        ctx.titleMatches = Array.filled(nil, count: n)
        ctx.titleReasons = Array.filled("", count: n)
        var matches: [SubjectMatch?] = Array.filled(nil, count: n)
        for k in 0..<ctx.titleWindow where units[k].kind == .line && units[k].line.length <= 220 {
            // Only lines with a joiner can name a pair; the weak joiners ("and", "or", "to") only near the top.
            let l = units[k].line
            // A headline joining with "over", "and" or "or" is short and no sentence ("Kubernetes or Nomad?" is);
            // "vs" names a pair anywhere.
            // Only a line that could be the headline (see `titleScore`) needs its pair.
            guard l.bulletPrefix == 0, l.tabCells < 2, !l.pipeRow else { continue }
            let headline = l.end != .period && l.words <= 20 && (l.headingShape || l.end == .question || l.end == .colon)
            let kinds = SubjectFinder.joinerKinds(l.text)
            // "What is the difference between curl and wget?" names its pair as firmly as "vs" does, at any depth.
            let versus = kinds.contains(.versus) || headline && kinds.contains(.weak) && SubjectFinder.saysItCompares(l.text)
            let prefer = headline && kinds.contains(.prefer)
            // Near the top: among the first lines, or under the site's menus and at most a few notices
            // (deeper down, a heading joining two names is a section's).
            let weak = headline && (k < 16 || ctx.paragraphsAbove[k] <= 3) && kinds.contains(.weak)
            if versus || prefer || weak || l.cjk { matches[k] = finder.match(in: l.text, weak: headline || l.cjk) }
        }
        ctx.titleMatches = matches
        // The author card: the by-line's name again (short, a person's), with at least three
        // paragraphs of the article between the two. What follows it is the page's, not the article's.
        ctx.afterAuthorCard = Array.filled(false, count: n)
        let authorCard = (0..<n).first(where: { k in
            guard units[k].isText, units[k].line.person, units[k].line.words <= 5,
                  let first = ctx.firstOfKey[ctx.keys[k]], first < k, bylineNear(first, ctx) else { return false }
            return ctx.paragraphsAbove[k] - ctx.paragraphsAbove[first + 1] >= 3
        })
        if let card = authorCard {
            for j in card + 1..<n { ctx.afterAuthorCard[j] = true }
        }
        // Readers' comments: under their head ("Top comments (3)", "12 Responses") below at least three
        // paragraphs of the article (a count in the meta line under the headline starts nothing),
        // unless the article goes on below it. A video page's transcript panel after them is the article again.
        ctx.inComments = Array.filled(false, count: n)
        // (A commenter's name over their comment is no heading of the article's going on.)
        func articleGoesOn(_ k: Int) -> Bool {
            (k + 1..<min(n - 1, k + 12)).contains { j in
                units[j].kind == .line && units[j].line.headingShape && !units[j].line.person && units[j].line.cue.isEmpty
                    && units[j + 1].isText && units[j + 1].line.prose && units[j + 1].line.length >= 100
            }
        }
        // Only under an article with sections: on a thread (a question, then its answers) the replies are what the page says.
        var sectionsAbove = 0, head: Int?
        for k in 0..<n {
            if k + 1 < n, units[k].kind == .line, units[k].line.headingShape, !units[k].line.prose, units[k].line.cue.isEmpty,
               units[k + 1].isText, units[k + 1].line.prose || units[k + 1].line.end == .colon && units[k + 1].line.words >= 3 { sectionsAbove += 1 }
            if units[k].isText, units[k].line.cue.contains(.comments), ctx.paragraphsAbove[k] >= 3, sectionsAbove >= 2, !articleGoesOn(k) {
                head = k
                break
            }
        }
        if let head {
            for j in head + 1..<n {
                if units[j].isText, Vocabulary.transcriptHeads.contains(ctx.keys[j]) { break }
                ctx.inComments[j] = true
            }
        }
        for k in 0..<ctx.titleWindow where units[k].isText {
            let (score, reason) = titleScore(k, ctx, explain: explain)
            ctx.titleScores[k] = score
            ctx.titleReasons[k] = reason
        }
        // The headline is the best candidate (the earliest on a tie); the path decides the rest around it.
        var best: Int?
        for k in 0..<n where ctx.titleScores[k] > impossible / 2 {
            if best == nil || ctx.titleScores[k] > ctx.titleScores[best!] + 1e-9 { best = k }
        }
        if let best {
            ctx.bestTitle = best
            // Runs of short lines after the headline are the page's; the headline does not join them.
            let after = LayoutContext.runs(units, from: best + 1, fullySpaced: ctx.fullySpaced)
            for k in 0..<n where k > best { ctx.shortRun[k] = after[k] }
            let key = ctx.keys[best]
            let imageWords = ["image", "cover", "hero", "photo", "thumbnail", "banner", "picture"]
            for k in 0..<n where k != best && units[k].isText && units[k].line.length <= 400 {
                let other = ctx.keys[k]
                if other == key && !key.isEmpty
                    || (!key.isEmpty && other.utf8.count > key.utf8.count && ByteText.contains(other, key) && other.count <= key.count + 24
                        && imageWords.contains { ByteText.contains(other, $0) })
                    || (k > best && !other.isEmpty && ByteText.hasPrefix(key, other) && other.count * 10 >= key.count * 8)
                    // "Why We Chose Nomad Over Kubernetes" under "Why we chose Nomad over Kubernetes for our edge fleet":
                    // most of the headline again, naming its pair, is the headline repeated (not a bare "X vs Y").
                    || (k > best && !other.isEmpty && ByteText.hasPrefix(key, other) && other.count * 10 >= key.count * 6
                        && ctx.titleMatches.indices.contains(k) && ctx.titleMatches[k] != nil && ctx.titleMatches[k]?.bare == false) {
                    ctx.titleEcho[k] = true
                }
                // "Galaxy S7 Vs iPhone 6S" under "Galaxy S7 Vs iPhone 6S Review: Easy Wins, Big Losses", before the
                // article starts: the headline's picture caption.
                if k > best, k - best <= 3, ctx.paragraphsAbove[k] == ctx.paragraphsAbove[best + 1], let mine = ctx.titleMatches[k], mine.bare,
                   let theirs = ctx.titleMatches[best], !theirs.bare, mine.namesSamePair(as: theirs) {
                    ctx.titleEcho[k] = true
                }
                if k > best, !other.isEmpty, ByteText.hasPrefix(key, other) { ctx.titlePrefix[k] = true }
                // The headline again, wrapped over two lines.
                if k > best, k + 1 < n, units[k + 1].isText, !other.isEmpty, ByteText.hasPrefix(key, other),
                   LayoutContext.key(units[k].text + " " + units[k + 1].text) == key {
                    ctx.titleEcho[k] = true
                    ctx.titleEcho[k + 1] = true
                }
            }
        }

        // Emissions.
        var emission = [[Double]].filled([], count: n)
        var reasons = [[String]].filled([], count: n)
        var doubts = [Doubt?].filled(nil, count: n)
        for k in 0..<n {
            let e = emissions(k, ctx, explain: explain)
            emission[k] = e.scores
            reasons[k] = e.reasons
            doubts[k] = e.doubt
        }

        // Best path (max-sum), forward and backward, for the decision and its margins (flat arrays).
        let c = classCount
        var forward = [Double].filled(impossible, count: n * c)
        var back = [Int].filled(-1, count: n * c)
        for s in [LineClass.nav, .title] { forward[s.rawValue] = emission[0][s.rawValue] }
        func endScore(_ s: Int) -> Double {
            s == LineClass.title.rawValue ? -5 : s == LineClass.heading.rawValue ? -3 : s == LineClass.nav.rawValue ? -8 : 0
        }
        var backward = [Double].filled(impossible, count: n * c)
        for s in 0..<c { backward[(n - 1) * c + s] = endScore(s) }
        // Only over the transitions allowed (`predecessors`, `successors`: in class order, as a
        // loop over every class meets them), read in place.
        let predecessors = Self.predecessors, successors = Self.successors
        Self.flatTransitions.withUnsafeBufferPointer { trans in
            forward.withUnsafeMutableBufferPointer { forward in
                back.withUnsafeMutableBufferPointer { back in
                    for k in 1..<max(1, n) {
                        emission[k].withUnsafeBufferPointer { e in
                            for b in 0..<c where e[b] > impossible / 2 {
                                var best = impossible, arg = -1
                                for a in predecessors[b] {
                                    let f = forward[(k - 1) * c + a]
                                    guard f > impossible / 2 else { continue }
                                    let t = trans[a * c + b]
                                    if f + t > best { best = f + t; arg = a }
                                }
                                if arg >= 0 {
                                    forward[k * c + b] = best + e[b]
                                    back[k * c + b] = arg
                                }
                            }
                        }
                    }
                }
            }
            guard n >= 2 else { return }
            backward.withUnsafeMutableBufferPointer { backward in
                for k in stride(from: n - 2, through: 0, by: -1) {
                    emission[k + 1].withUnsafeBufferPointer { e in
                        for a in 0..<c {
                            var best = impossible
                            for b in successors[a] where e[b] > impossible / 2 {
                                let after = backward[(k + 1) * c + b]
                                guard after > impossible / 2 else { continue }
                                best = max(best, trans[a * c + b] + e[b] + after)
                            }
                            backward[k * c + a] = best
                        }
                    }
                }
            }
        }
        var last = 0
        var bestEnd = impossible
        for s in 0..<c where forward[(n - 1) * c + s] > impossible / 2 {
            let v = forward[(n - 1) * c + s] + endScore(s)
            if v > bestEnd { bestEnd = v; last = s }
        }
        var path = [Int].filled(0, count: n)
        path[n - 1] = last
        if n >= 2 {
            for k in stride(from: n - 1, to: 0, by: -1) {
                path[k - 1] = max(0, back[k * c + path[k]])
            }
        }
        var margins = [Double].filled(0, count: n)
        for k in 0..<n {
            // The best and second-best totals through this unit.
            var first = impossible, second = impossible, count = 0
            for s in 0..<c where forward[k * c + s] > impossible / 2 && backward[k * c + s] > impossible / 2 {
                let v = forward[k * c + s] + backward[k * c + s]
                count += 1
                if v > first { second = first; first = v } else if v > second { second = v }
            }
            margins[k] = count >= 2 ? first - second : 99
        }
        return Layout(units: units, classes: path.map { LineClass(rawValue: $0)! }, margins: margins, scores: emission,
                      reasons: reasons, titleScores: ctx.titleScores, titleMatches: ctx.titleMatches, titleReasons: ctx.titleReasons,
                      authorCard: authorCard, doubts: doubts)
    }

    /// "ScyllaDB vs Cassandra:" over "Compare Performance, Features and TCO": one headline on two lines.
    static func mergeSplitTitles(_ units: [LayoutUnit], finder: SubjectFinder) -> [LayoutUnit] {
        var out: [LayoutUnit] = []
        var k = 0
        let window = min(units.count, 60)
        while k < units.count {
            if k + 1 < window, units[k].kind == .line, units[k + 1].kind == .line, units[k].line.end == .colon,
               !units[k].line.blankAfter, units[k + 1].line.headingShape, units[k].line.words <= 8,
               finder.match(in: units[k].text, weak: false) != nil {
                let text = units[k].text + " " + units[k + 1].text
                var line = Lines.line(Substring(text), number: units[k].line.number)
                line.blankBefore = units[k].line.blankBefore
                line.blankAfter = units[k + 1].line.blankAfter
                out.append(LayoutUnit(kind: .line, first: units[k].first, last: units[k + 1].last, line: line))
                k += 2
                continue
            }
            out.append(units[k])
            k += 1
        }
        return out
    }

    /// How much a unit reads as the page's headline.
    static func titleScore(_ k: Int, _ ctx: LayoutContext, explain: Bool = true) -> (Double, String) {
        let u = ctx.units[k]
        let l = u.line
        guard u.kind == .line, l.length <= 220, l.bulletPrefix == 0, l.tabCells < 2, !l.pipeRow, l.code < 3.5 || ctx.titleMatches[k] != nil else {
            return (impossible, "")
        }
        var s = 0.0
        var why: [String] = []
        func note(_ r: @autoclosure () -> String) { if explain { why.append(r()) } }
        if let m = ctx.titleMatches[k] {
            let names = m.subjects.joined(separator: ", ")
            let named = m.subjects.allSatisfy { s in
                PairReader.isNamed(s, finder: ctx.finder, strict: m.strength == 1, line: l.text, partners: m.subjects.filter { $0 != s })
            }
            switch (m.strength, named) {
            case (3, true): s += 6; note("names \(names)")
            case (2, true): s += 5; note("names \(names) ('\(m.joiner)')")
            case (_, true): s += 4; note("names \(names) ('\(m.joiner)')")
            case (3, false): s += 3; note("pairs \(names), not named things")
            default: s += 0.5
            }
            if m.bare, let nx = ctx.next[k], let other = ctx.titleMatches.indices.contains(nx) ? ctx.titleMatches[nx] : nil,
               !other.bare, other.namesSamePair(as: m) {
                // A bare pair line right above a longer headline that names the same pair.
                s -= 2; note("a longer headline follows")
            } else if m.bare, let p = ctx.prev[k], let other = ctx.titleMatches.indices.contains(p) ? ctx.titleMatches[p] : nil,
                      !other.bare, ctx.units[p].line.headingShape, !ctx.units[p].line.cue.contains(.breadcrumb),
                      other.namesSamePair(as: m) {
                // "Galaxy S7 Vs iPhone 6S" right under "Galaxy S7 Vs iPhone 6S Review: Easy Wins, Big Losses": the
                // headline's picture caption or its short form, not the headline.
                s -= 2; note("a longer headline above names the same pair")
            }
        } else if PairReader.placeholderPair(l.text) || l.end != .period && l.words <= 20 && PairReader.roundupTitle(l.text) {
            s += 1.5
        }
        if l.headingShape { s += 1 } else if l.end == .period { s -= 3; note("ends with a full stop") }
        // A plain-text document underlines its title with "=" (`CaptureLine.underline`).
        if l.underline == 1 { s += 1.5; note("underlined with '='") }
        if l.end == .colon { s -= 1.5 }
        if l.words >= 2 && l.words <= 16 { s += 0.5 }
        if l.words > 22 { s -= 2 }
        // What follows a headline: its dek, its byline and date, or the article.
        let sameMatch = { (n: Int) -> Bool in
            guard let a = ctx.titleMatches[k], ctx.titleMatches.indices.contains(n), let b = ctx.titleMatches[n] else { return false }
            return a.namesSamePair(as: b)
        }
        if let n = ctx.next[k], !sameMatch(n) {
            let nl = ctx.units[n].line
            if !nl.cue.intersection(.date | .readTime | .byMarker | .hashtags | .views).isEmpty || LayoutContext.personName(nl) {
                s += 2; note("byline/date follows")
            } else if ctx.units[n].kind == .paragraph || nl.prose {
                s += nl.length <= 340 ? 1.5 : 1; note("prose follows")
            } else if nl.headingShape, ctx.bodyStart(ctx.next[n]) {
                s += 0.3
            } else if !nl.cue.intersection(.nav | .menu | .toc).isEmpty || ctx.shortRun[n] >= 3 {
                s -= 1; note("menu follows")
            }
        }
        let cue = l.cue
        if cue.contains(.breadcrumb) { s -= 5; note("breadcrumb") }
        // "Docs / Guides / Prisma & TypeORM" over "Prisma & TypeORM": a page's breadcrumb trail ends right above its headline.
        if let p = ctx.prev[k], ctx.units[p].isText, ctx.units[p].line.cue.contains(.breadcrumb), !cue.contains(.breadcrumb) {
            s += 1; note("under the breadcrumb")
        }
        if !cue.intersection(.nav | .menu | .share | .language | .skipLink).isEmpty { s -= 3; note("menu words") }
        if !cue.intersection(.footer | .copyright).isEmpty { s -= 5 }
        if !cue.intersection(.altText | .forum | .callout | .question | .embed | .disclosure).isEmpty { s -= 3; note("alt text/forum/callout") }
        if !cue.intersection(.hashtags | .byMarker | .date | .readTime | .views | .label).isEmpty { s -= 3; note("meta") }
        if cue.contains(.button) { s -= 2 }
        if cue.contains(.dialogue) { s -= 4; note("a speaker's line of dialogue") }
        // "Subject: …", "From: …": a one-word label line.
        if ctx.titleMatches[k] == nil, let colon = l.text.firstIndex(ofByte: 58), !l.text.utf8[..<colon].contains(32),
           l.text.utf8.distance(from: l.text.startIndex, to: colon) <= 48, l.text[..<colon].count <= 12 {
            s -= 2; note("a label line")
        }
        if cue.contains(.handle) || cue.contains(.number) || cue.contains(.url) || cue.contains(.timestamp) { s -= 3 }
        // "Templates vs. generics[edit]": a wiki marks its sections' headings, never the page's title.
        if l.editLink { s -= 4; note("a section's edit link") }
        // "2. Templates vs JSX" under "1. Design": a numbered section of the article, not its headline.
        func number(_ u: LayoutUnit) -> Int? { u.isText && u.line.numberPrefix > 0 ? Self.ordinal(u.text) : nil }
        if let n = number(u), n >= 2, (0..<k).contains(where: { number(ctx.units[$0]) == n - 1 }) {
            s -= 4; note("numbered after section \(n - 1)")
        }
        // A line that a later section's heading repeats: the article's table of contents.
        if ctx.repeatedAsHeading[k] { s -= 5; note("a later section's heading repeats it") }
        // The headline comes before the article: every paragraph above a candidate counts against it.
        let proseAbove = ctx.paragraphsAbove[k]
        if proseAbove > 0 { s -= min(8, 1.5 * Double(proseAbove)); note("\(proseAbove) paragraph\(proseAbove == 1 ? "" : "s") above") }
        // "Angular vs React vs Vue: Which Framework is": a headline cut by wrapping.
        if Structure.stopsMidPhrase(l.text) {
            s -= 2; note("stops mid-phrase")
        }
        if ctx.shortRun[k] >= 4, ctx.titleMatches[k] == nil || !l.blankBefore && !l.blankAfter {
            if let p = ctx.prev[k], let n = ctx.next[k], ctx.shortRun[p] >= 2, ctx.shortRun[n] >= 2,
               !(ctx.units[n].kind == .paragraph || ctx.units[n].line.prose) {
                s -= 1.5; note("inside a list of links")
            }
        }
        s -= 0.02 * Double(k)
        // With no pair anywhere, the first line of a page is its likeliest headline.
        if k == 0, ctx.titleMatches[k] == nil, l.headingShape, l.cue.intersection(.nav | .menu | .skipLink | .breadcrumb).isEmpty { s += 1 }
        return (s, why.joined(separator: ", "))
    }
}
