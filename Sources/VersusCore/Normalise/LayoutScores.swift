import Foundation

/// Neighbourhood facts about the units, computed once per page.
struct LayoutContext {
    let units: [LayoutUnit]
    let finder: SubjectFinder
    /// Most lines are separated by blank lines; every line is.
    var spaced = false
    var fullySpaced = false
    /// In a spaced page, headings stand alone (a blank line after them), or sit on their paragraph.
    var headingsIsolated = true
    /// The next and previous units, skipping alt text and embeds.
    var next: [Int?] = []
    var prev: [Int?] = []
    /// A short line in a run of short lines that repeats later (a table of contents).
    var tocEntry: [Bool] = []
    /// Lines that a later heading with a body of its own repeats (a table of contents, a summary list).
    var repeatedAsHeading: [Bool] = []
    /// The number of short non-sentence lines in the run around each unit.
    var shortRun: [Int] = []
    var titleScores: [Double] = []
    var titleMatches: [SubjectMatch?] = []
    var titleReasons: [String] = []
    /// Each text unit's `key` (empty for long units and blocks).
    var keys: [String] = []
    /// How many paragraphs (or code blocks, tables) come before each unit.
    var paragraphsAbove: [Int] = []
    var bestTitle: Int?
    /// Repeats the best title candidate (a sticky header, an image's alt text).
    var titleEcho: [Bool] = []
    /// The window where the title may be.
    var titleWindow = 0
    /// Whether the page's headings are in Title Case (nil: mixed or unknown).
    var headingsTitleCased: Bool?
    /// Words of the compared names, as far as they are known before the layout.
    var subjectWords: Set<String> = []
    /// The compared names' keys: a line with one of them is a subject's name alone ("Substack").
    var subjectKeys: Set<String> = []
    /// A footer-like box ("Subscribe to our newsletter", "Related: …") after which the article goes on
    /// with a heading and its paragraph: a box inside the article, not its end.
    var articleResumes: [Bool] = []
    /// Units after the author card (the by-line's name again once the article's body has run):
    /// the page's furniture (bio, publisher boxes, related links, comments, footer).
    var afterAuthorCard: [Bool] = []
    /// Whether the page writes its headings in lower case.
    var headingsLowerCased = false
    /// Units under the head of readers' comments ("Top comments (3)") below the article: the
    /// comments are the page's, not the article's.
    var inComments: [Bool] = []
    /// Question lines under an FAQ heading: the FAQ's entries, not sections of their own.
    var faqEntry: [Bool] = []
    /// "  3. Headings are marked by underlining:" over "     and '---' for the second.": a list item
    /// hard-wrapped under its own text (its marker's line, then lines indented deeper).
    var hangingItem: [Bool] = []
    /// "Contents [hide]" over "1 Design", "2 Commands"…, entries the headings below repeat: the
    /// contents box, title and entries.
    var tocBox: [Bool] = []
    /// "Prisma" over one code block and "TypeORM" over the next, section after section: the tabs
    /// of a docs site's code samples, copied as lines; labels, not headings.
    var codeTab: [Bool] = []
    /// "Setup" over "One line.", "Monthly cost" over "€0", and the same labels again in the next card: a card
    /// copied as label line / value line, whose labels are not headings.
    var cardLabel: [Bool] = []
    /// The value right under a card's label ("A second or two, unless the daemon runs").
    var cardValue: [Bool] = []
    /// Heading-shaped lines that say the same of two subjects ("When to choose Kafka", "When to choose Pulsar").
    var parallel: [Bool] = []
    /// The page's headings start with an emoji ("⚙️ Developer Experience", "💸 Fees and Pricing").
    var emojiHeadings = false
    /// The start of the headline again ("Kafka vs Pulsar" under "Kafka vs Pulsar: Compare Throughput, Cost and Operations").
    var titlePrefix: [Bool] = []
    /// The first unit with each key.
    var firstOfKey: [String: Int] = [:]
    /// The nearest unit at or above each one that says the article is over ("Related articles", "Leave a reply").
    var lastFooterCue: [Int?] = []

    init(units: [LayoutUnit], lines: [CaptureLine], finder: SubjectFinder) {
        self.units = units
        self.finder = finder
        let n = units.count
        // Spacing: do paragraphs stand apart with blank lines? And does every line?
        var pairs = 0, spacedPairs = 0, proseLines = 0, proseSpaced = 0
        for k in lines.indices.dropLast() where !lines[k].blank {
            var j = k + 1
            while j < lines.count, lines[j].blank { j += 1 }
            guard j < lines.count else { break }
            pairs += 1
            if j > k + 1 { spacedPairs += 1 }
            if lines[k].prose {
                proseLines += 1
                if j > k + 1 { proseSpaced += 1 }
            }
        }
        spaced = proseLines > 0 ? Double(proseSpaced) >= Double(proseLines) * 0.6 : pairs > 0 && Double(spacedPairs) >= Double(pairs) * 0.5
        fullySpaced = pairs > 0 && Double(spacedPairs) >= Double(pairs) * 0.92

        next = Array.filled(nil, count: n)
        prev = Array.filled(nil, count: n)
        var lastSeen: Int?
        for u in 0..<n {
            prev[u] = lastSeen
            if !Self.transparent(units[u]) { lastSeen = u }
        }
        lastSeen = nil
        for u in (0..<n).reversed() {
            next[u] = lastSeen
            if !Self.transparent(units[u]) { lastSeen = u }
        }

        // Paragraphs above each unit (the headline comes before the article).
        paragraphsAbove = Array.filled(0, count: n + 1)
        for j in 0..<n {
            let furniture = !units[j].line.cue.intersection(.date | .readTime | .byMarker | .views | .altText | .callout | .breadcrumb).isEmpty
            let counts = units[j].kind == .paragraph || !units[j].isText || units[j].line.prose && units[j].line.length >= 60 && !furniture
            paragraphsAbove[j + 1] = paragraphsAbove[j] + (counts ? 1 : 0)
        }

        // Runs of short lines (menus, link lists, tables of contents, bare lists).
        shortRun = Self.runs(units, from: 0, fullySpaced: fullySpaced)
        var byKey: [String: [Int]] = [:]
        byKey.reserveCapacity(n)
        firstOfKey.reserveCapacity(n)
        keys = units.map { $0.isText && $0.line.length <= 400 ? $0.line.layoutKey : "" }
        // (From the last unit up, each key stored once without looking first: the first unit's stays.)
        for (k, key) in keys.enumerated().reversed() where !key.isEmpty { firstOfKey[key] = k }
        // "2.6 Templates vs. generics" in a table of contents is the heading "Templates vs. generics".
        for k in units.indices where units[k].isText && units[k].line.length <= 120 {
            byKey[Self.unnumbered(keys[k]), default: []].append(k)
        }
        tocEntry = Array.filled(false, count: n)
        repeatedAsHeading = Array.filled(false, count: n)
        for (_, list) in byKey where list.count >= 2 {
            for k in list.dropLast() where shortRun[k] >= 3
                && units[k].line.cue.intersection(.forum | .handle | .embed | .disclosure | .nav | .share | .button | .views | .date).isEmpty {
                tocEntry[k] = true
            }
            // A later copy, inside the article and with a body of its own (prose, a table, code): the line is a section's
            // heading, listed early ("Title / Subtitle / Title / Subtitle" repeats the header, not a section).
            if let last = list.last, let body = next[last],
               units[body].kind == .paragraph || !units[body].isText || units[body].line.prose && units[body].line.length >= 60 {
                for k in list.dropLast() where paragraphsAbove[last] > paragraphsAbove[k + 1] { repeatedAsHeading[k] = true }
            }
        }
        // Cards copied as label line / value line: a short label the page gives twice or more, each copy glued
        // over a one-line value that is no label itself, with another such label two lines above or below one copy.
        cardLabel = Array.filled(false, count: n)
        cardValue = Array.filled(false, count: n)
        func label(_ k: Int) -> Bool {
            let l = units[k].line
            return units[k].kind == .line && l.words <= 4 && l.end == .none && !l.prose && l.bulletPrefix == 0 && l.numberPrefix == 0
        }
        var repeated = Set<String>()
        for (key, list) in byKey where list.count >= 2 && list.allSatisfy(label) { repeated.insert(key) }
        func valued(_ c: Int) -> Bool {
            guard c + 1 < n, units[c + 1].first == units[c].last + 1, units[c + 1].first == units[c + 1].last, units[c + 1].line.words <= 25 else { return false }
            return !units[c + 1].isText || !repeated.contains(Self.unnumbered(keys[c + 1]))
        }
        for key in repeated {
            guard let list = byKey[key], list.allSatisfy(valued) else { continue }
            // Two copies with the same label next in their cards ("Setup" then "Monthly cost" in both), a value between.
            func nextLabel(_ c: Int) -> String? {
                guard c + 2 < n, units[c + 2].first == units[c + 1].last + 1, units[c + 2].isText, label(c + 2) else { return nil }
                let k = Self.unnumbered(keys[c + 2])
                return repeated.contains(k) ? k : nil
            }
            func previousLabel(_ c: Int) -> String? {
                guard c >= 2, units[c].first == units[c - 1].last + 1, units[c - 1].first == units[c - 2].last + 1, label(c - 2), valued(c - 2) else { return nil }
                let k = Self.unnumbered(keys[c - 2])
                return repeated.contains(k) ? k : nil
            }
            var sequence = false
            for (a, b) in zip(list, list.dropFirst()) where !sequence {
                if let x = nextLabel(a), x == nextLabel(b) { sequence = true }
                if let x = previousLabel(a), x == previousLabel(b) { sequence = true }
            }
            if sequence { for c in list { cardLabel[c] = true; cardValue[c + 1] = true } }
        }
        // "Which one should you learn first?" right under the contents' other entries: a question is too long for a
        // run of short lines, but a later heading repeats it like the entries above, so it is the contents' last entry.
        // So is one right under the contents' title, or right over an entry ("Tópicos da página" over "Quais são as
        // semelhanças…?" over "Principais diferenças").
        for k in 0..<n where !tocEntry[k] && units[k].isText && units[k].line.end == .question && units[k].line.words <= 12 {
            let glued = { (a: Int, b: Int) in units[a].last + 1 == units[b].first }
            let underTitle = k >= 1 && units[k - 1].isText && units[k - 1].line.cue.contains(.toc) && glued(k - 1, k)
            let overEntry = k + 1 < n && tocEntry[k + 1] && glued(k, k + 1)
            let underEntry = k >= 1 && tocEntry[k - 1] && glued(k - 1, k)
            guard underTitle || overEntry || underEntry else { continue }
            // (Each list is in page order: its last entry is the latest.)
            if let latest = byKey[Self.unnumbered(keys[k])]?.last, latest > k { tocEntry[k] = true }
        }
        // Headings: Title Case or sentence case?
        var titleCase = 0, sentenceCase = 0, lowerCase = 0
        for k in 0..<n where units[k].kind == .line && units[k].line.headingShape && !units[k].line.prose && units[k].line.words >= 3 {
            guard let nx = next[k], units[nx].line.prose || units[nx].kind == .paragraph else { continue }
            if Self.titleCased(units[k].line) { titleCase += 1 } else { sentenceCase += 1 }
            if units[k].line.startsLower { lowerCase += 1 }
        }
        // A page styled in lower case ("where gitbook wins", "when to use which") heads its sections so.
        headingsLowerCased = lowerCase >= 3 && lowerCase * 2 >= titleCase + sentenceCase
        var emojiLed = 0
        for k in 0..<n where units[k].kind == .line && units[k].line.headingShape && Self.emojiLed(units[k].line) {
            if let nx = next[k], units[nx].line.prose || units[nx].kind == .paragraph { emojiLed += 1 }
        }
        emojiHeadings = emojiLed >= 3
        headingsTitleCased = titleCase >= 3 && titleCase >= sentenceCase * 3 ? true : sentenceCase >= 3 && sentenceCase >= titleCase * 3 ? false : nil
        // Headings in spaced pages: alone, or glued to their paragraph?
        if spaced {
            var alone = 0, glued = 0
            for k in 0..<n where units[k].kind == .line && units[k].line.headingShape && !units[k].line.prose {
                guard let nx = next[k], units[nx].line.prose else { continue }
                if units[k].line.blankAfter { alone += 1 } else { glued += 1 }
            }
            headingsIsolated = alone >= glued
        }
        lastFooterCue = Array.filled(nil, count: n)
        var seenFooter: Int?
        for k in 0..<n {
            if units[k].isText, units[k].line.cue.contains(.footer) { seenFooter = k }
            lastFooterCue[k] = seenFooter
        }
        titleEcho = Array.filled(false, count: n)
        parallel = Array.filled(false, count: n)
        faqEntry = Array.filled(false, count: n)
        articleResumes = Array.filled(false, count: n)
        for k in 0..<n where units[k].isText && !units[k].line.cue.intersection(.footer | .promo).isEmpty {
            var j = k + 1
            while j < min(n, k + 12) {
                let u = units[j]
                if u.isText, !u.line.cue.intersection(.handle | .date | .copyright | .timestamp).isEmpty { break }
                // (A person's name over a bio or a comment is an author card's or a commenter's, not a heading.)
                if u.kind == .line, u.line.headingShape, !u.line.person, u.line.cue.intersection(.footer | .promo | .nav | .menu | .share | .button | .label).isEmpty, j + 1 < n,
                   units[j + 1].isText, units[j + 1].line.prose, units[j + 1].line.length >= 100,
                   units[j + 1].line.cue.intersection(.footer | .promo | .copyright).isEmpty {
                    articleResumes[k] = true
                    break
                }
                j += 1
            }
        }
        var inFAQ = false
        for k in 0..<n where units[k].isText {
            let l = units[k].line
            var key = Substring(keys[k])
            // "4. Frequently Asked Questions", "❓ FAQ": the number or sign before it does not count.
            while let f = key.utf8.first, !(f >= 97 && f <= 122) {
                guard let space = key.firstIndex(of: " ") else { key = ""; break }
                key = key[key.index(after: space)...]
            }
            // (Each title and ending is told by its last byte first: most keys end in none of them.)
            // (And by its length: a title written with decomposed letters is at most twice as long.)
            if let last = key.utf8.last, Self.faqLastBytes.contains(last),
               key.utf8.count <= 2 * Self.faqTitleBytes && Self.faqTitles.contains(String(key))
                || Self.faqEndings.contains(where: { key.utf8.reversed().starts(with: $0.utf8.reversed()) }) { inFAQ = true; continue }
            guard inFAQ, l.headingShape || l.end == .question else { continue }
            if l.end == .question {
                let first = Vocabulary.key(String(l.text.prefix { $0 != " " }))
                // "Need help choosing?", "Ready to start?": the page's offer after its FAQ.
                if RoleClassifier.offerVerbs.contains(first) { inFAQ = false; continue }
                faqEntry[k] = true
            } else if !l.prose {
                inFAQ = false
            }
        }
        hangingItem = units.map { unit in
            guard unit.kind == .paragraph, unit.last > unit.first else { return false }
            let head = lines[unit.first]
            guard head.numberPrefix > 0 || head.bulletPrefix > 0 else { return false }
            return (unit.first + 1...unit.last).allSatisfy { lines[$0].indent > head.indent }
        }
        tocBox = Array.filled(false, count: n)
        var box = 0
        while box < n {
            guard units[box].isText, units[box].line.cue.contains(.toc) else { box += 1; continue }
            var end = box
            while end + 1 < n, tocEntry[end + 1] { end += 1 }
            if end - box >= 2 { for j in box...end { tocBox[j] = true } }
            box = end + 1
        }
        // A short line right above a code block, with the same words above another code block too.
        codeTab = Array.filled(false, count: n)
        func overCode(_ k: Int) -> Bool {
            guard k + 1 < n, units[k].kind == .line, case .code = units[k + 1].kind else { return false }
            let l = units[k].line
            return l.words <= 3 && !l.prose && l.end == .none
        }
        var overCodeCount: [String: Int] = [:]
        for k in 0..<n where overCode(k) { overCodeCount[keys[k], default: 0] += 1 }
        for k in 0..<n where overCode(k) && overCodeCount[keys[k], default: 0] >= 2 { codeTab[k] = true }
        titlePrefix = Array.filled(false, count: n)
        titleWindow = min(n, max(30, min(150, n * 2 / 5)))
    }

    static let faqTitles: Set<String> = ["faq", "faqs", "frequently asked questions", "common questions", "questions and answers",
                                         "perguntas frequentes", "preguntas frecuentes", "häufige fragen", "questions fréquentes"]
    /// How a longer heading of an FAQ ends ("Kafka FAQ", "Questions (FAQs)").
    static let faqEndings = [" faq", " faqs", "(faq)", "(faqs)"]
    /// The bytes a key in `faqTitles` or with one of `faqEndings` can end in (and any byte of
    /// another script: a title's last letter may be written in a decomposed form).
    static let faqTitleBytes = faqTitles.map(\.utf8.count).max() ?? 0
    static let faqLastBytes: Set<UInt8> = Set((faqTitles + faqEndings).compactMap(\.utf8.last) + Array(0x80...0xFF))

    /// Marks heading-shaped lines whose words, with the subjects' words as a blank, occur again for another subject.
    mutating func markParallelHeadings() {
        parallel = Array.filled(false, count: units.count)
        guard subjectWords.count >= 2 else { return }
        var byTemplate: [String: [(Int, String)]] = [:]
        // The subjects' words by their hashes: a key's words are looked up in place.
        let subjectHashes = WordSet(words: subjectWords)
        // ("DigitalOcean logo" and "AWS logo" are two pictures' alt texts, not parallel headings.)
        for k in units.indices where units[k].kind == .line && units[k].line.headingShape && units[k].line.words <= 8
            && !units[k].line.cue.contains(.altText) {
            let key = keys[k]
            // Only a heading naming a subject has a template (most name none).
            let namesSubject = key.withBytes { b -> Bool in
                var i = 0
                while i < b.count {
                    guard b[i] != 32 else { i += 1; continue }
                    var j = i + 1
                    while j < b.count, b[j] != 32 { j += 1 }
                    // (A key is lower-case already: the hash of its word lower-cased is the word's.)
                    if subjectHashes.contains(Phrase.loweredHash(b, i, j).hash) { return true }
                    i = j
                }
                return false
            }
            guard namesSubject else { continue }
            let words = key.spaceSplit
            var named = ""
            let template = words.map { w -> Substring in
                if subjectHashes.contains(Phrase.hash(w.utf8)) { named += w + " "; return "*" }
                return w
            }
            guard !named.isEmpty, template.count > 1 || words.count == 1 else { continue }
            byTemplate[template.joined(separator: " "), default: []].append((k, named))
        }
        for (_, list) in byTemplate where Set(list.map(\.1)).count >= 2 {
            for (k, _) in list { parallel[k] = true }
        }
    }

    /// Starts with a pictograph: "✅ Pros", "🧾 What is …".
    static func emojiLed(_ l: CaptureLine) -> Bool {
        guard let f = l.text.utf8.first, f >= 0xE2 else { return false }
        guard let s = l.text.unicodeScalars.first else { return false }
        return (0x2600...0x27BF).contains(s.value) || (0x1F300...0x1FAFF).contains(s.value) || (0x2B00...0x2BFF).contains(s.value)
    }

    /// Most words of four letters or more start with a capital.
    static func titleCased(_ l: CaptureLine) -> Bool {
        var words = 0, capitals = 0
        // The words between spaces, read in place (not split into an array of them).
        l.text.withBytes { b in
            var i = 0
            while i < b.count {
                guard b[i] != 32 else { i += 1; continue }
                let start = i
                while i < b.count, b[i] != 32 { i += 1 }
                let f = b[start]
                if f < 0x80 {
                    // ASCII first letter: the word's length in scalars is its count of lead bytes.
                    guard (f >= 65 && f <= 90) || (f >= 97 && f <= 122) else { continue }
                    var scalars = 0
                    for k in start..<i where b[k] & 0xC0 != 0x80 { scalars += 1 }
                    guard scalars >= 4 else { continue }
                    words += 1
                    if f <= 90 { capitals += 1 }
                } else {
                    let word = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                    guard word.count >= 4, let c = word.first, c.isLetter else { continue }
                    words += 1
                    if c.isUppercase { capitals += 1 }
                }
            }
        }
        guard words > 0 else { return true }
        return capitals * 3 >= words * 2
    }

    /// A key without the section number in front of it ("2 6 templates vs generics" → "templates vs generics").
    static func unnumbered(_ key: String) -> String {
        // Most keys open with no number (or space): the key itself, not a copy.
        guard let first = key.utf8.first, first >= 48 && first <= 58 || first == 32 || first >= 0x80 else { return key }
        var rest = Substring(key)
        if key.isASCIIText {
            // Each byte a character.
            // "2.6 Templates", and a video's chapter "0:00 Intro" (a timestamp's colon).
            while let space = rest.utf8.firstIndex(of: 32), rest.utf8[..<space].allSatisfy({ $0 >= 48 && $0 <= 58 }) {
                rest = rest[rest.utf8.index(after: space)...]
            }
            return String(rest)
        }
        while let space = rest.firstIndex(of: " "), rest[..<space].allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":") }) {
            rest = rest[rest.index(after: space)...]
        }
        return String(rest)
    }

    static func runs(_ units: [LayoutUnit], from start: Int, fullySpaced: Bool) -> [Int] {
        let n = units.count
        var shortRun = Array.filled(0, count: n)
        var u = start
        while u < n {
            guard Self.shortLine(units[u]) else { u += 1; continue }
            var v = u
            while v + 1 < n, Self.shortLine(units[v + 1]), fullySpaced || !units[v + 1].line.blankBefore { v += 1 }
            for k in u...v { shortRun[k] = v - u + 1 }
            u = v + 1
        }
        return shortRun
    }

    /// Lower-cased words joined by single spaces (ASCII punctuation dropped): two lines with
    /// the same key say the same thing.
    static func key(_ text: String) -> String {
        text.withBytes { input in
            // Never longer than the text: written in place into the key, without growing. (Only
            // ASCII bytes are left out, so the bytes kept are UTF-8 as the text's are.)
            String(unsafeUninitializedCapacity: input.count) { out in
                keyBytes.withUnsafeBufferPointer { kept in
                    var n = 0
                    var pendingSpace = false
                    for b in input {
                        // What the byte becomes in the key (0: a space between words; 1, for "'": nothing,
                        // so "Paddle's" keeps its word together).
                        let k = kept[Int(b)]
                        if k > 1 {
                            if pendingSpace && n > 0 { out[n] = 32; n += 1 }
                            pendingSpace = false
                            out[n] = k
                            n += 1
                        } else if k == 0 {
                            pendingSpace = true
                        }
                    }
                    return n
                }
            }
        }
    }

    /// Per byte, what `key` makes of it: a word's byte (a letter, lower-cased; a digit, "+", "#",
    /// any byte of another script) as itself, "'" as 1, and anything else 0.
    private static let keyBytes: [UInt8] = (0..<256).map { b -> UInt8 in
        let byte = UInt8(b)
        if byte >= 65 && byte <= 90 { return byte + 32 }
        if (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte >= 0x80 || byte == 43 || byte == 35 { return byte }
        return byte == 39 ? 1 : 0
    }

    @inline(__always)
    static func transparent(_ u: LayoutUnit) -> Bool {
        guard u.isText else { return false }
        return !u.line.cue.intersection(.altText | .embed | .disclosure).isEmpty
    }

    @inline(__always)
    static func shortLine(_ u: LayoutUnit) -> Bool {
        u.isText && !u.line.prose && u.line.words <= 9 && u.line.bulletPrefix == 0 && u.line.end != .colon && u.line.end != .dash
    }

    /// A person's name on its own: "Arjun Kale", "Ana de la Cruz".
    static func personName(_ line: CaptureLine) -> Bool { line.person }

    /// Worked out once per line, in `Lines.line`.
    static func computePersonName(_ line: CaptureLine) -> Bool {
        // A page's own words ("Ask Question", "Hero Member", "Share This", "Contact Sales") are no one's name.
        guard line.cue.intersection(.nav | .forum | .button | .share | .skipLink | .toc | .embed).isEmpty else { return false }
        // "Veikko Lahtinen (veikko@example.org)": the name before an e-mail address.
        if let name = Bylines.withoutAddress(line.text) {
            let words = name.spaceCount
            return words >= 2 && words <= 4 && name.count <= 40 && Bylines.isPersonName(name)
        }
        guard line.words >= 2, line.words <= 4, line.length <= 40, line.end == .none || line.end == .period else { return false }
        let t = line.end == .period ? String(line.text.dropLast()) : line.text
        return Bylines.isPersonName(t)
    }

    /// "Provider: HashiCorp", "Pros: git-based deploys": a label and its value.
    /// The words a review closes a round with ("Verdict: Galaxy S3", "Winner: Tie").
    static let verdictLabels: Set<String> = ["verdict", "winner", "the winner", "our pick", "result", "score", "rating",
                                             "veredicto", "vencedor", "ganador", "gagnant", "verdetto", "vincitore", "sieger", "urteil"]

    /// "Verdict: Galaxy S3": a short value after a verdict's label, which ends a section, never heads one.
    static func verdictLine(_ l: CaptureLine) -> Bool {
        guard l.words <= 6, labelValue(l), let colon = l.text.firstIndex(of: ":") else { return false }
        return verdictLabels.contains(l.text[..<colon].lowercased().trimmingWhitespace())
    }

    static func labelValue(_ l: CaptureLine) -> Bool {
        // Over the bytes: the colon and the space are ASCII.
        let u = l.text.utf8
        guard !l.prose || l.words <= 20, let colon = l.text.firstIndex(ofByte: 58) else { return false }
        let head = u[..<colon], next = u.index(after: colon)
        guard !head.isEmpty, head.split(separator: 32).count <= 4, next != u.endIndex else { return false }
        return u[next] == 32 && !ByteText.contains(l.text[..<colon], "http")
    }

    /// Whether the unit starts a body: prose, a list, a table, code.
    func bodyStart(_ v: Int?) -> Bool {
        guard let v else { return false }
        let u = units[v]
        switch u.kind {
        case .code, .table: return true
        case .paragraph: return true
        case .line:
            let l = u.line
            if !l.cue.intersection(.footer | .copyright | .share | .nav | .menu | .button).isEmpty && !l.prose { return false }
            if l.bulletPrefix > 0 || l.numberPrefix > 0 { return true }
            if l.prose { return true }
            // "yaml" over a code block: the block is the body.
            if l.cue.contains(.languageName) { return true }
            if l.cue.contains(.question) || l.cue.contains(.callout) { return true }
            if l.end == .colon || l.end == .dash, l.words >= 2 || !l.blankAfter, l.cue.intersection(.forum | .nav | .toc | .share | .label).isEmpty { return true }
            if LayoutContext.labelValue(l) { return true }
            if l.words >= 5, !l.headingShape { return true }
            if l.words >= 4, shortRun[v] >= 2, !l.cue.contains(.number) { return true }
            // The first of a list copied without bullets.
            if l.words >= 2, !l.blankAfter, v + 1 < units.count, Layout.middleOfBareList(v + 1, self) { return true }
            return false
        }
    }
}

extension Layout {
    /// Emission scores of one unit for every class, with reasons when asked.
    static func emissions(_ k: Int, _ ctx: LayoutContext, explain: Bool) -> (scores: [Double], reasons: [String], doubt: Doubt?) {
        var s = [Double].filled(0, count: classCount)
        // A rule that may be wrong and keeps the unit from being a heading says why (a warning when it is not one).
        var doubt: Doubt?
        // The reasons are only kept to be explained.
        var why = explain ? [String].filled("", count: classCount) : []
        func add(_ c: LineClass, _ v: Double, _ reason: @autoclosure () -> String) {
            s[c.rawValue] += v
            if explain, v != 0 {
                let r = reason()
                if !r.isEmpty { why[c.rawValue] += (why[c.rawValue].isEmpty ? "" : "; ") + r }
            }
        }
        // The unit's fields, read where it stands (a copy of the unit cost a retain and a release of each of its strings).
        let l = ctx.units[k].line
        let kind = ctx.units[k].kind
        let unitFirst = ctx.units[k].first, unitLast = ctx.units[k].last
        let cue = l.cue

        // Code and tables: the structure pass decided what they are; only where they sit is open.
        switch kind {
        case .code:
            s = [Double].filled(impossible, count: classCount)
            s[LineClass.code.rawValue] = 6
            if explain { why[LineClass.code.rawValue] = "code block" }
            s[LineClass.nav.rawValue] = -1
            s[LineClass.header.rawValue] = -3
            s[LineClass.footer.rawValue] = 0
            return (s, why, doubt)
        case .table:
            s = [Double].filled(impossible, count: classCount)
            s[LineClass.table.rawValue] = 6
            if explain { why[LineClass.table.rawValue] = "table" }
            s[LineClass.nav.rawValue] = -1
            s[LineClass.header.rawValue] = -3
            s[LineClass.footer.rawValue] = 0.5
            return (s, why, doubt)
        default:
            break
        }

        s[LineClass.table.rawValue] = impossible
        s[LineClass.code.rawValue] = impossible
        let next = ctx.next[k]
        // (Not `next.map { ctx.units[$0] }`: that closure took a copy of the whole context.)
        let nextUnit: LayoutUnit? = if let next { ctx.units[next] } else { nil }
        let nextBody = ctx.bodyStart(next)
        let navish = !cue.intersection(.skipLink | .nav | .menu | .breadcrumb | .language | .share).isEmpty
        let meta = !cue.intersection(.date | .readTime | .views | .byMarker | .hashtags | .label).isEmpty
        let strongFooter = !cue.intersection(.footer | .copyright).isEmpty
        let asideCue = !cue.intersection(.embed | .disclosure | .altText | .forum | .url | .handle | .number | .attribution).isEmpty
        let person = LayoutContext.personName(l) && !Phrase(l.text).words.contains(where: { ctx.subjectWords.contains($0) })
        let isParagraphUnit = kind == .paragraph
        let short = !l.prose && l.words <= 8
        let followedByButton = nextUnit.map { $0.isText && $0.line.cue.contains(.button) && !$0.line.prose } ?? false
        let headingCandidate = kind == .line && l.headingShape
        let parent: Bool
        if headingCandidate, let next, let nextUnit { parent = nextUnit.kind == .line && nextUnit.line.headingShape && ctx.bodyStart(ctx.next[next]) } else { parent = false }

        // nav: before the headline.
        if short { add(.nav, 0.6, "short") }
        if navish { add(.nav, 2, "menu/breadcrumb") }
        if cue.contains(.button) { add(.nav, 1, "button") }
        if meta || person || cue.contains(.handle) { add(.nav, 0.8, "meta") }
        if l.prose { add(.nav, l.length > 200 ? -1.5 : -0.5, "sentence") }
        if strongFooter { add(.nav, 0.5, "legal") }

        // title.
        if k == ctx.bestTitle { add(.title, 10 + ctx.titleScores[k], ctx.titleReasons[k]) } else { s[LineClass.title.rawValue] = impossible }

        // header: around the headline.
        if meta { add(.header, 2.5, "date/byline/read time/tags") }
        if person, l.words <= 4 { add(.header, 2, "a name") }
        // "Veikko Lahtinen (veikko@example.org)": a name with an address signs the text; it heads no section.
        if person, Bylines.withoutAddress(l.text) != nil { add(.header, 3, "a name and an e-mail address") }
        if person, let p = ctx.prev[k], ctx.units[p].isText, !ctx.units[p].line.cue.intersection(.date | .readTime | .views).isEmpty {
            add(.header, 2, "a name under the date")
        }
        let byline = Self.mayBeByline(l) && (l.words <= 8 && l.end != .period || next == nil) ? Bylines.parse(l.text) : nil
        if !person, l.words <= 8, l.end != .period, byline != nil { add(.header, 2.5, "Name — Role") }
        if navish { add(.header, 1.5, "share/menu") }
        if cue.contains(.button) { add(.header, 1, "button") }
        if cue.contains(.toc) || ctx.tocEntry[k] { add(.header, 3, "table of contents") }
        if ctx.titleEcho[k] { add(.header, 3.5, "repeats the title") }
        if cue.contains(.altText) || cue.contains(.handle) || cue.contains(.views) || cue.contains(.language) { add(.header, 1.5, "alt text/handle/counts") }
        if cue.contains(.forum) || !cue.intersection(.embed | .disclosure).isEmpty { add(.header, 2.5, "page furniture") }
        if cue.contains(.promo) { add(.header, 1, "a promotion") }
        if l.length <= 3, l.words == 1 { add(.header, 1.5, "avatar initials") }
        if l.prose || isParagraphUnit || l.words >= 10 && !headingCandidate || l.words >= 12 {
            let d = dekScore(k, ctx, explain: explain)
            // The headline again is header furniture whatever its place says about a dek.
            add(.header, ctx.titleEcho[k] ? max(0, d.score - 1.5) : d.score - 1.5, "dek-like \(String(format: "%.1f", d.score)): \(d.reason)")
        } else if short, !(headingCandidate && nextBody) {
            add(.header, 0.4, "short")
        }
        if headingCandidate && nextBody && !meta && !navish { add(.header, -1, "heading with a body") }
        // "Why Go and not Rust?", the by-line, then "What is Go still good for, now that Rust is around?":
        // a second question naming the subjects under a question headline is its standfirst.
        if headingCandidate, l.end == .question, l.words >= 8, let t = ctx.bestTitle, t < k, k - t <= 8, ctx.units[t].line.end == .question,
           (t + 1..<k).allSatisfy({ ctx.units[$0].isText && (!ctx.units[$0].line.prose || !ctx.units[$0].line.cue.intersection(.date | .byMarker | .readTime).isEmpty) }),
           let names = ctx.titleMatches[t]?.subjects, names.count >= 2,
           names.filter({ name in
               let words = Set(ctx.keys[k].spaceSplit.map(String.init))
               return Phrase(name).words.allSatisfy(words.contains)
           }).count >= 2 {
            add(.header, 4, "a second question naming the subjects, under a question headline")
            add(.heading, -1, "a second question naming the subjects, under a question headline")
        }
        if strongFooter { add(.header, -2, "footer words") }

        // heading.
        if l.editLink { add(.heading, 4, "a wiki's edit link") }
        if headingCandidate {
            add(.heading, 1.2, "short, no closing stop")
            if nextBody { add(.heading, 1.5, "a body follows") }
            else if parent { add(.heading, 1.0, "a sub-heading with a body follows") }
            else { add(.heading, -2.5, "no body follows") }
            if strongFooter { add(.heading, -7, "footer words") }
            if navish && !nextBody { add(.heading, -3, "menu words") }
            // "Buy at Amazon" over the next deal's text: a shop's button heads nothing.
            if cue.contains(.button), l.words <= 6, Vocabulary.shopButtonPrefixes.match(ByteText.lowered(l.text)) != nil {
                add(.heading, -3, "a shop's button")
            }
            if cue.contains(.share), l.words <= 3 { add(.heading, -3, "a share button") }
            if cue.contains(.languageName) { add(.heading, -4, "a code block's language") }
            if ctx.faqEntry[k] { add(.heading, -2.5, "a question of the FAQ above") }
            if ctx.codeTab[k] { add(.heading, -4, "a code sample's tab (the same label is over other code)"); add(.paragraph, 1.5, "a code sample's tab") }
            if ctx.parallel[k], nextBody || parent, l.blankBefore || !ctx.spaced { add(.heading, 1, "says for one subject what another heading says for the other") }
            // Between two lines like it, each standing alone: one item of a list copied without bullets.
            if ctx.spaced, !ctx.parallel[k], l.words >= 3, let p = ctx.prev[k], let nx = next, k > (ctx.bestTitle ?? k),
               ctx.units[p].kind == .line, ctx.units[nx].kind == .line {
                let a = ctx.units[p].line, b = ctx.units[nx].line
                func bare(_ o: CaptureLine) -> Bool {
                    o.end == .none && !o.prose && o.bulletPrefix == 0 && o.numberPrefix == 0 && o.code < 2.5 && o.words <= 16
                        && o.cue.intersection(.nav | .menu | .share | .button | .footer | .copyright | .date | .readTime | .byMarker | .toc).isEmpty
                }
                if bare(a), bare(b), a.words >= 2, b.words >= 3, abs(b.words - l.words) <= 6,
                   LayoutContext.titleCased(b) == LayoutContext.titleCased(l) {
                    add(.heading, -3, "between two like lines (a bare list)")
                }
            }
            if ctx.emojiHeadings, LayoutContext.emojiLed(l), nextBody || parent,
               ![ctx.prev[k], next].contains(where: { $0.map { ctx.units[$0].isText && LayoutContext.emojiLed(ctx.units[$0].line) } ?? false }) { add(.heading, 2.5, "an emoji opens it, like the page's headings") }
            // Where headings stand apart, a line glued under a short line is that line's next item.
            if ctx.spaced, ctx.headingsIsolated, !l.blankBefore, let p = ctx.prev[k], ctx.units[p].kind == .line,
               ctx.units[p].last + 1 == unitFirst, !ctx.units[p].line.prose, ctx.units[p].line.words >= 2, k > (ctx.bestTitle ?? k) {
                add(.heading, l.blankAfter ? -1.5 : -2.5, "glued under a short line")
            }
            // "Cons:" then "Gets expensive as records grow": what a label introduces is its item.
            if !l.blankBefore, let p = ctx.prev[k], ctx.units[p].isText, ctx.units[p].line.end == .colon, !ctx.units[p].line.prose,
               ctx.units[p].last + 1 == unitFirst {
                add(.heading, -2, "under a label that introduces it"); add(.item, 1, "under a label that introduces it")
            }
            if l.code >= 3, CodeShape.commandLine(l) { add(.heading, -3, "a command line") }
            else if l.code >= 2.5, l.startsLower, !l.prose { add(.heading, -2.5, "reads as code") }
            // "u/ops_dana · 3y", "@dana · 2h": a poster's handle over the post.
            if l.words <= 4, ByteText.hasPrefix(l.text, "u/") || ByteText.hasPrefix(l.text, "@"), !l.text.hasPrefix("@ ") { add(.heading, -3, "a poster's handle"); add(.aside, 1.5, "a poster's handle") }
            // "About Marcus Reyes" under a by-line that named him: an author card's title.
            if let name = Self.aboutName(l), (0..<k).contains(where: { ctx.units[$0].isText && ctx.units[$0].line.cue.contains(.byMarker)
                                                                        && ctx.units[$0].line.text.contains(name) }) {
                add(.heading, -4, "'About' the by-line's name (an author card)"); add(.footer, 3, "an author card")
            }
            if person, let first = ctx.firstOfKey[ctx.keys[k]], first < k, Self.bylineNear(first, ctx) {
                add(.heading, -3, "the author's name again (an author card)")
            }
            if cue.contains(.label) { add(.heading, -3, "tags") }
            // "Substack" over "Mostly professional writers", "Tight niches", …: a subject's name alone heads the list of
            // short lines under it (a card or a list copied without bullets), and the list's first line is its item.
            if ctx.subjectKeys.contains(ctx.keys[k]), cue.intersection(.handle | .url).isEmpty, let nx = next, ctx.units[nx].kind == .line, LayoutContext.shortLine(ctx.units[nx]),
               ctx.shortRun[nx] >= 3 || !ctx.units[nx].line.blankAfter {
                add(.heading, 2.5, "a subject's name over a list of short lines")
            }
            if let p = ctx.prev[k], ctx.units[p].kind == .line, ctx.subjectKeys.contains(ctx.keys[p]),
               ctx.units[p].line.cue.intersection(.handle | .url).isEmpty, LayoutContext.shortLine(ctx.units[k]),
               ctx.shortRun[k] >= 3 || !l.blankAfter, !nextBody || ctx.shortRun[k] >= 3 {
                add(.heading, -2.5, "the first line of a list under a subject's name"); add(.item, 1, "the first line of a list under a subject's name")
                doubt = Doubt(why: "the first of the short lines under a subject's name, read as the list's first item", weight: 2.5)
            }
            if cue.contains(.dialogue) {
                add(.heading, -4, "a speaker's line of dialogue"); add(.paragraph, 1.5, "a speaker's line of dialogue")
                doubt = Doubt(why: "a speaker's name with their words in brackets, read as a line of dialogue", weight: 4)
            }
            if ctx.cardLabel[k] {
                add(.heading, -3, "a card's label, given again in another card"); add(.item, 1, "a card's label, given again in another card")
                doubt = Doubt(why: "a short label the page gives again over another value, read as a card's label", weight: 3)
            } else if ctx.cardValue[k] {
                add(.heading, -3, "a card's value, under its label"); add(.item, 1, "a card's value, under its label")
                doubt = Doubt(why: "the line under a card's label, read as its value", weight: 3)
            }
            // "Ultimate Geek", "Subscriber" under a forum user's "3,188 posts": the poster's rank and badges, not headings.
            if l.words <= 3, !l.prose, l.end == .none, let p = ctx.prev[k], p + 2 >= k, ctx.units[p].isText,
               [p, p - 1].contains(where: { $0 >= 0 && ctx.units[$0].isText && Vocabulary.postCount(ctx.units[$0].text) }) {
                add(.heading, -4, "a forum poster's rank under the post count"); add(.aside, 3, "a forum poster's rank under the post count")
                doubt = Doubt(why: "a short line under a forum poster's post count, read as the poster's rank", weight: 4)
            }
            // "Let's dive in!" right over the first heading: a short exclamation with no text of its own closes the
            // text above it (a heading that exclaims heads text of its own).
            if l.end == .exclamation, !nextBody, parent, l.words <= 8 {
                add(.heading, -2.5, "an exclamation with no text of its own"); add(.paragraph, 1, "an exclamation closing the text above")
                doubt = Doubt(why: "an exclamation with no text of its own under it, over a heading", weight: 2.5)
            }
            if LayoutContext.verdictLine(l) { add(.heading, -3, "a verdict line closing a section"); add(.paragraph, 1, "a verdict line closing a section") }
            // The middle of three or more short unpunctuated lines with no blank between: list items
            // copied without their bullets ("When to Choose X" over its three reasons).
            if Self.middleOfBareList(k, ctx) || Self.endOfBareList(k, ctx) { add(.heading, -2.5, "between two like lines (a bare list)") }
            if cue.contains(.button) && !nextBody { add(.heading, -2, "button") }
            if cue.contains(.button), let nx = nextUnit, !(nx.kind == .paragraph || nx.line.prose || nx.line.words >= 8 || !nx.isText) {
                add(.heading, -3, "a button over a caption")
            }
            if cue.contains(.button) || cue.contains(.forum), l.words == 1 { add(.heading, -3, "a one-word button") }
            // "Pricing: what you actually pay in April 2026" is a heading with a date in it; a date line is not.
            if meta {
                // A label over a date alone ("게시 됨: 2024-01-12", "Publié le : 3 mars 2025") is the date line itself.
                let value = l.text.drop(while: { $0 != ":" }).dropFirst()
                let dateAlone = value.spaceCount <= 4 && Vocabulary.metaScan(String(value)).date
                let topical = LayoutContext.labelValue(l) && !l.text.prefix(while: { $0 != ":" }).contains(where: { $0.isNumber }) && !dateAlone
                if !topical || !cue.intersection(.byMarker | .hashtags | .label | .views | .readTime).isEmpty { add(.heading, -3, "meta") }
            }
            if l.text.anyByte(where: { $0 == 61 || $0 == 91 || $0 == 93 || $0 == 123 || $0 == 125 }) { add(.heading, -3, "code symbols") }
            if cue.contains(.toc) { add(.heading, -3, "table-of-contents title") }
            if ctx.tocEntry[k] { add(.heading, -3.5, "repeats a later heading (table of contents)") }
            if asideCue { add(.heading, -3, "alt text/forum/number") }
            if cue.contains(.question) { add(.heading, -4, "Q:/A: line") }
            if cue.contains(.callout) { add(.heading, l.words <= 2 ? -3.5 : -2, "callout") }
            if ctx.titleEcho[k] { add(.heading, -2, "repeats the title") }
            if ctx.titlePrefix[k], parent, !nextBody { add(.heading, -2.5, "the headline's start over a heading"); add(.header, 1.5, "the headline's start") }
            if person, let nx = nextUnit, nx.isText, nx.line.cue.contains(.date) || nx.line.cue.contains(.handle) {
                add(.heading, -3, "a poster's name")
            }
            if ctx.spaced, ctx.headingsIsolated, !l.blankAfter, nextUnit?.line.prose == true { add(.heading, -1.5, "glued to the next line") }
            if l.end == .question, let nx = nextUnit, nx.isText, nx.line.end == .question, !l.blankAfter || !ctx.spaced {
                add(.heading, -2, "one of several questions")
            }
            if let style = ctx.headingsTitleCased, l.words >= 3, LayoutContext.titleCased(l) != style, !l.cjk {
                add(.heading, -1, style ? "not in Title Case like the headings" : "in Title Case unlike the headings")
            }
            if ctx.shortRun[k] >= 3, let p = ctx.prev[k], ctx.units[p].isText, LayoutContext.shortLine(ctx.units[p]),
               abs(ctx.units[p].line.words - l.words) <= 4, LayoutContext.titleCased(ctx.units[p].line) == LayoutContext.titleCased(l) {
                add(.heading, -1, "like the short line above it")
            }
            if ctx.spaced, !ctx.headingsIsolated, l.blankAfter, !l.blankBefore { add(.heading, -0.5, "glued to the line above") }
            if l.end == .question, let nx = nextUnit, nx.isText, nx.line.numberPrefix == 3 { add(.heading, -3, "a quiz question") }
            if ctx.shortRun[k] >= 3, !nextBody { add(.heading, -1, "in a run of short lines") }
            if l.cue.contains(.timestamp) { add(.heading, -3, "timestamp") }
            if l.numberPrefix > 0, let mine = Self.ordinal(l.text) {
                let inSequence = [(ctx.prev[k], -1), (next, 1)].contains { j, step in
                    guard let j, ctx.units[j].isText, ctx.units[j].line.numberPrefix > 0,
                          abs(ctx.units[j].line.number - l.number) <= 2,
                          let theirs = Self.ordinal(ctx.units[j].text) else { return false }
                    return theirs == mine + step || theirs == mine && mine == 1
                }
                if inSequence { add(.heading, -3, "one of a numbered list") }
            }
            if cue.contains(.menu) { add(.heading, -3, "a menu") }
            if cue.contains(.breadcrumb) { add(.heading, -4, "a breadcrumb") }
            if ByteText.contains(l.text, "http://") || ByteText.contains(l.text, "https://") || ByteText.contains(l.text, "www.") { add(.heading, -3, "a link") }
            if ctx.spaced, !l.blankAfter, let nx = nextUnit, nx.kind == .line, nx.line.headingShape, l.words <= 2,
               ctx.bodyStart(ctx.next[next!]) {
                add(.heading, -2.5, "a label glued above a heading"); add(.aside, 1, "a label above a heading")
            }
            if LayoutContext.labelValue(l) {
                let near = [ctx.prev[k], next].compactMap { $0 }.contains { j in
                    let o = ctx.units[j].line
                    return ctx.units[j].isText && LayoutContext.labelValue(o) && abs(o.number - l.number) == 1 && !o.prose && o.words <= 14
                        && o.cue.intersection(.date | .readTime | .byMarker | .views).isEmpty
                }
                if near { add(.heading, -3, "one of several 'Label: value' lines") }
                // "Discovery: …", "Search traffic is weak", "Perk: …": labelled lines of one list without bullets, with
                // a short unlabelled line between them.
                // (Not the links under "Related posts": the footer's own.)
                else if ctx.lastFooterCue[k].map({ k - $0 > 8 }) ?? true,
                        let p = ctx.prev[k], ctx.units[p].kind == .line, ctx.units[p].last + 1 == unitFirst, LayoutContext.shortLine(ctx.units[p]),
                        p >= 1, ctx.units[p - 1].kind == .line, ctx.units[p - 1].last + 1 == ctx.units[p].first,
                        LayoutContext.labelValue(ctx.units[p - 1].line), !ctx.units[p - 1].line.prose,
                        ctx.units[p - 1].line.cue.intersection(.date | .readTime | .byMarker | .views).isEmpty {
                    add(.heading, -3, "a labelled line of a list without bullets"); add(.item, 1, "a labelled line of a list without bullets")
                    doubt = Doubt(why: "a 'Label: value' line two lines under another, read as an item of one list", weight: 3)
                }
            }
            if person, let nx = nextUnit, nx.isText, Bylines.isRole(nx.text) || Self.bio(nx.line, name: l.text) { add(.heading, -2.5, "a person's name over a bio") }
            let underName = !l.blankBefore && ctx.prev[k].map { ctx.units[$0].isText && ctx.units[$0].line.person } == true
            if Bylines.isRole(l.text) || Vocabulary.key(of: l.text, isIn: Self.bylineWords)
                || underName && Bylines.isDepartment(l.text) {
                add(.heading, -3, "a job title or a by-line word"); add(.header, 2, "a job title or a by-line word")
            }
            if k == ctx.units.count - 1 || next == nil, byline != nil { add(.heading, -3, "a by-line at the end") }
            if let p = ctx.prev[k], ctx.units[p].isText, ctx.units[p].line.cue.contains(.number), ctx.units[p].line.number >= l.number - 2 {
                add(.heading, -2, "a figure's label")
            }
            if let f = l.text.unicodeScalars.first, f.properties.isLowercase, !ctx.units.isEmpty {
                // "your volume is moderate…": a sentence's run-on, not a heading; "npm or pnpm": a name may be lower-case.
                if !ctx.headingsLowerCased, CodeShape.functionWords.contains(String(l.text.prefix { $0 != " " })) {
                    add(.heading, -2, "starts on a lower-case 'the', 'you', 'each'…")
                }
                else { add(.heading, -0.3, "lower-case start") }
            }
        } else if !isParagraphUnit, l.end == .colon, l.numberPrefix > 0, Self.numberedSection(k, ctx) {
            // "1. GIT is distributed, SVN is not:": a listicle's numbered section may end on a colon.
            s[LineClass.heading.rawValue] = 0
        } else {
            s[LineClass.heading.rawValue] = isParagraphUnit ? impossible : -8
        }

        // paragraph.
        if l.prose { add(.paragraph, l.length > 120 ? 2 : 1.5, "a sentence") }
        else if isParagraphUnit { add(.paragraph, 2, "joined lines") }
        else { add(.paragraph, 0.2, "text") }
        add(.paragraph, 0.01, "")   // on a tie, body text
        if l.end == .colon, l.words >= 3, let nx = nextUnit, nx.isText, nx.line.bulletPrefix > 0 || nx.line.numberPrefix > 0 {
            add(.paragraph, 0.6, "introduces a list")
        }
        if strongFooter { add(.paragraph, -5, "footer words") }
        if navish { add(.paragraph, -1.5, "menu words") }
        if meta && !l.prose { add(.paragraph, -1, "meta") }
        if asideCue && !l.prose { add(.paragraph, -1.5, "alt text/forum/number") }
        if !cue.intersection(.embed | .disclosure).isEmpty { add(.paragraph, -4, "embed") }
        if cue.contains(.promo) { add(.paragraph, -0.5, "a promotion") }
        if cue.contains(.byMarker) && l.words <= 12 { add(.paragraph, -2, "by-line") }
        if followedByButton && l.prose { add(.paragraph, -0.5, "a promotion above a button") }
        if followedByButton, !l.prose, l.words >= 3, l.words <= 16, !headingCandidate || !nextBody {
            add(.paragraph, -1, "a promotion above a button"); add(.aside, 1.5, "a promotion above a button")
        }
        if ctx.titleEcho[k] { add(.paragraph, -3, "repeats the title") }

        // item.
        // "Reach for Kafka when:" over the lines it introduces: a lead-in sentence, not one of its items.
        if kind == .line, l.end == .colon, l.words >= 3, !l.startsLower, !cue.contains(.callout), let nx = nextUnit, nx.kind == .line, !nx.line.prose,
           nx.line.end != .colon, !nx.line.blankBefore, nx.first == unitLast + 1 {
            add(.paragraph, 1, "leads into the lines below"); add(.item, -0.5, "leads into the lines below")
        }
        if ctx.hangingItem[k] { add(.item, 2.5, "a list item wrapped under its marker") }
        if l.bulletPrefix > 0 { add(.item, 3, "bullet") }
        if l.numberPrefix > 0 {
            let looksLikeHeading = headingCandidate && (nextBody || parent) && !(nextUnit?.line.numberPrefix ?? 0 > 0)
            add(.item, looksLikeHeading ? 0.5 : 2.2, "numbered")
            if Self.numberedSection(k, ctx) {
                add(.heading, 2.5, "numbered, with text of its own before the next number"); add(.item, -2, "numbered, with text of its own")
                add(.paragraph, -2, "numbered, with text of its own")
            }
        }
        if cue.contains(.byMarker) && l.words <= 12 { add(.item, -2, "by-line") }
        if cue.contains(.question) { add(.item, 1.2, "Q:/A:") }
        if cue.contains(.timestamp) { add(.item, 2, "timestamp") }
        // A count, a date or a user name in a run of short lines is a post's furniture, not a list item.
        let furnitureInRun = !cue.intersection(.views | .date | .readTime | .handle).isEmpty
        if l.bulletPrefix == 0, l.numberPrefix == 0, ctx.shortRun[k] >= 3, !navish, !furnitureInRun { add(.item, 1.3, "in a run of short lines") }
        if cue.contains(.button), l.words <= 2, !l.prose, nextBody { add(.aside, 3, "a one-word button in the text"); add(.item, -1, "a button") }
        // "conceptual", "Ecosystem", "Interactive Quiz": chips under the headline, before the article starts.
        if let t = ctx.bestTitle, k > t, ctx.shortRun[k] >= 3, l.words <= 3, l.bulletPrefix == 0, l.numberPrefix == 0,
           ctx.paragraphsAbove[k] == ctx.paragraphsAbove[t + 1] {
            add(.header, 1.5, "a chip under the headline")
        }
        if l.bulletPrefix == 0, ctx.tocEntry[k] { add(.item, 0.5, "a table-of-contents entry") }
        // The contents box after the lead (a wiki's, a docs page's): furniture of the page, not a list of the article's.
        if ctx.tocBox[k], let t = ctx.bestTitle, k > t, ctx.paragraphsAbove[k] > 0 { add(.aside, 5, "the table-of-contents box") }
        // "1. Introduction" under "Table of Contents", repeated as the heading below: the contents, not a list.
        if l.numberPrefix > 0, ctx.tocEntry[k] { add(.item, -1.5, "a numbered table-of-contents entry") }
        if !l.prose, l.words <= 14, l.text.hasByte(58), labelColon(l.text) {
            add(.item, 0.5, "Label: value")
        }
        if strongFooter { add(.item, -5, "footer words") }
        if navish { add(.item, -1, "menu words") }
        if isParagraphUnit { add(.item, -2, "joined lines") }

        // aside: furniture inside the article.
        if !cue.intersection(.embed | .disclosure).isEmpty { add(.aside, 3.5, "embed/ad") }
        if cue.contains(.forum) { add(.aside, 4, "forum furniture") }
        if cue.contains(.toc) { add(.aside, 2.5, "table-of-contents title") }
        if cue.contains(.altText) {
            add(.aside, 2, "alt text")
            // A picture's credit between a heading and its text: the picture sits there, not a list.
            if !l.prose, let p = ctx.prev[k], ctx.units[p].kind == .line, ctx.units[p].line.headingShape { add(.aside, 1.5, "a picture's credit under a heading") }
        }
        if cue.contains(.url) { add(.aside, 2, "a bare URL") }
        // "0:08" over a transcript's caption: the time mark, not a line of the text.
        if l.words == 1, Vocabulary.timeMark(l.text) { add(.aside, 3, "a bare time mark"); add(.item, -1, "a bare time mark") }
        if cue.contains(.handle) { add(.aside, 1.5, "a user name") }
        if cue.contains(.number) { add(.aside, 1.5, "a bare number") }
        if cue.contains(.views) || cue.contains(.date) && short { add(.aside, 1.2, "counts/date") }
        if cue.contains(.byMarker) { add(.aside, 1.5, "by-line") }
        if cue.contains(.label) { add(.aside, 1, "label line") }
        if cue.contains(.languageName) { add(.aside, 2, "language label") }
        if cue.contains(.callout), l.words <= 2, !l.prose { add(.aside, 2, "a callout's label") }
        if cue.contains(.attribution) { add(.aside, 0.5, "attribution") }
        if cue.contains(.button), !nextBody || nextUnit?.line.cue.contains(.button) == true { add(.aside, 2, "button") }
        if cue.contains(.share) { add(.aside, 0.8, "share") }
        if person, let nx = nextUnit, nx.isText, !nx.line.cue.intersection(.date | .handle | .forum).isEmpty {
            add(.aside, 1, "a poster's name")
        }
        if l.prose { add(.aside, -3, "a sentence") }
        if headingCandidate && nextBody { add(.aside, -1.5, "heading with a body") }

        // footer.
        if cue.contains(.copyright) { add(.footer, 5, "copyright") }
        if cue.contains(.promo) { add(.footer, 2.5, "a promotion") }
        if next == nil, byline != nil { add(.footer, 3, "a by-line at the end"); add(.aside, 2, "a by-line at the end") }
        if cue.contains(.label) { add(.footer, 2.5, "tags/categories") }
        if cue.contains(.byMarker) { add(.footer, 1.5, "by-line") }
        if person { add(.footer, 1, "a name") }
        if cue.contains(.footer) { add(.footer, 4, "related/comments/newsletter") }
        if cue.contains(.share) { add(.footer, 2, "share") }
        if navish { add(.footer, 1.5, "menu") }
        if meta || cue.contains(.handle) || asideCue { add(.footer, 1, "meta") }
        if short { add(.footer, 0.5, "short") }
        // An author card: the by-line's name again, then the bio under it.
        if person, let first = ctx.firstOfKey[ctx.keys[k]], first < k, bylineNear(first, ctx) {
            add(.footer, 2, "the author's name again"); add(.aside, 1.5, "the author's name again")
        } else if let p = ctx.prev[k], ctx.units[p].isText, ctx.units[p].line.person, !l.blankBefore,
                  let first = ctx.firstOfKey[ctx.keys[p]], first < p, bylineNear(first, ctx),
                  Bylines.isRole(l.text) || bio(l, name: ctx.units[p].text) || l.prose && l.length <= 300 {
            add(.footer, 2, "the author's bio"); add(.aside, 1.5, "the author's bio")
        }
        if ctx.articleResumes[k] { add(.aside, 3.5, "a box inside the article: it goes on below"); add(.footer, -2, "the article goes on below") }
        if ctx.afterAuthorCard[k], !ctx.articleResumes[k] { add(.footer, 2.5, "after the author card") }
        if ctx.inComments[k] { add(.footer, 2.5, "in the readers' comments") }
        // The links under "Related articles" or a newsletter box's lines.
        if let f = ctx.lastFooterCue[k], f < k, k - f <= 8, !ctx.articleResumes[f], ctx.units[k].isText, !l.prose, l.length <= 120,
           !cue.contains(.footer), !(headingCandidate && nextBody) {
            add(.footer, 1.5, "under a footer heading")
        }
        if cue.contains(.button) { add(.footer, 1, "button") }
        if l.prose { add(.footer, -0.5, "a sentence") }
        return (s, why, doubt)
    }

    /// A line that is only a by-line's word.
    static let bylineWords: Set<String> = ["by", "author", "written by", "posted by"]

    /// A short unpunctuated line glued between two others like it (no blank lines between).
    static func middleOfBareList(_ k: Int, _ ctx: LayoutContext) -> Bool {
        let l = ctx.units[k].line
        guard ctx.units[k].kind == .line, !l.blankBefore, !l.blankAfter, l.words >= 2, k > 0, k + 1 < ctx.units.count else { return false }
        let p = ctx.units[k - 1], n = ctx.units[k + 1]
        guard p.kind == .line, n.kind == .line, p.last + 1 == ctx.units[k].first, ctx.units[k].last + 1 == n.first else { return false }
        func bare(_ o: CaptureLine) -> Bool {
            o.end == .none && !o.prose && o.bulletPrefix == 0 && o.numberPrefix == 0 && o.words >= 1 && o.words <= 16 && o.code < 2.5
                && o.cue.intersection(.nav | .menu | .share | .button | .footer | .copyright | .date | .readTime | .byMarker | .toc).isEmpty
        }
        guard !ctx.titleEcho[k - 1], !ctx.titleEcho[k], !ctx.titleEcho[k + 1] else { return false }
        return bare(l) && bare(p.line) && bare(n.line) && p.line.words >= 2 && n.line.words >= 2 && !p.line.cue.contains(.number)
    }

    /// The last of three or more such lines, before a blank line: the list's end, not a heading.
    static func endOfBareList(_ k: Int, _ ctx: LayoutContext) -> Bool {
        let l = ctx.units[k].line
        // Before a blank line, or before a callout box ("📝 Editor's Note: …") that is no part of the list.
        let ends = l.blankAfter || k + 1 < ctx.units.count && ctx.units[k + 1].isText && ctx.units[k + 1].line.cue.contains(.callout)
        guard ctx.units[k].kind == .line, !l.blankBefore, ends, l.words >= 2, k >= 2, middleOfBareList(k - 1, ctx) else { return false }
        return l.end == .none && !l.prose && l.bulletPrefix == 0 && l.numberPrefix == 0 && l.code < 2.5
            && ctx.units[k - 1].last + 1 == ctx.units[k].first
    }

    /// Whether a name's line sits among by-line furniture: a date, a read time, "Posted on", the name twice.
    /// The name in "About Jane Doe" (and its forms in other languages), when it is a person's.
    static func aboutName(_ l: CaptureLine) -> String? {
        guard l.words >= 3, l.words <= 6, let f = l.text.utf8.first else { return nil }
        // Every opening below starts with "a", "s", "c" or "u" in either case (an accented "à" or "ü"
        // written as the letter and a combining accent), or with a byte of another script: most
        // lines are told so before they are lower-cased.
        let g = f | 0x20
        guard f >= 0x80 || g == 97 || g == 99 || g == 115 || g == 117 else { return nil }
        let lower = ByteText.lowercased(l.text)
        for prefix in ["about ", "sobre ", "à propos de ", "a propos de ", "über ", "a proposito di ", "chi è "] where lower.hasPrefix(prefix) {
            let name = String(l.text.dropFirst(prefix.count)).trimmingWhitespace()
            return Bylines.isPersonName(name) ? name : nil
        }
        return nil
    }

    static func bylineNear(_ k: Int, _ ctx: LayoutContext) -> Bool {
        for j in max(0, k - 2)...min(ctx.units.count - 1, k + 2) where j != k && ctx.units[j].isText {
            let o = ctx.units[j].line
            if !o.cue.intersection(.date | .readTime | .byMarker).isEmpty || ctx.keys[j] == ctx.keys[k] { return true }
        }
        return false
    }

    /// A colon within the first 30 characters of a line, and not its last: "Licensing: flexible".
    static func labelColon(_ text: String) -> Bool {
        if text.isASCIIText {
            // A character per byte: a line's text has no carriage return left to pair with a newline.
            guard let colon = text.firstIndex(ofByte: 58) else { return false }
            let at = text.utf8.distance(from: text.utf8.startIndex, to: colon)
            return at <= 30 && at != text.utf8.count - 1
        }
        guard let colon = text.firstIndex(of: ":") else { return false }
        return text.distance(from: text.startIndex, to: colon) <= 30 && colon != text.index(before: text.endIndex)
    }

    /// Cheap test before parsing a by-line: a capital first, and a dash or comma, or "by".
    static func mayBeByline(_ l: CaptureLine) -> Bool {
        guard l.words <= 16, let f = l.text.utf8.first else { return false }
        if l.cue.contains(.byMarker) { return true }
        guard (f >= 65 && f <= 90) || f >= 0xC0 || f == 45 || f == 0xE2 else { return false }
        // "Licensing: vendor-neutral": a label and its value; names have no colon.
        if l.text.hasByte(58) { return false }
        return l.text.hasByte(44) || ByteText.contains(l.text, " — ") || ByteText.contains(l.text, " – ") || ByteText.contains(l.text, " - ")
            || (f == 0xE2 || f == 45) && (ByteText.hasPrefix(l.text, "— ") || ByteText.hasPrefix(l.text, "– ") || ByteText.hasPrefix(l.text, "- "))
    }

    /// "1. GIT is distributed, SVN is not:" over paragraphs, then "2. …" over its own: a listicle's
    /// numbered sections, not one list (a list's items follow one another, or each is a sentence).
    static func numberedSection(_ k: Int, _ ctx: LayoutContext) -> Bool {
        let unit = ctx.units[k], l = unit.line
        guard unit.kind == .line, l.words <= 16, l.end != .period, !ctx.tocEntry[k], let mine = ordinal(l.text),
              let nx = ctx.next[k], ctx.units[nx].kind == .paragraph || ctx.units[nx].isText && Self.sentenceOrLeadIn(ctx.units[nx].line),
              ctx.units[nx].line.numberPrefix == 0 else { return false }
        // The number before or after it, with text between (the next unit is text already).
        func neighbour(_ step: Int) -> Bool {
            var j = k + step, seen = 0
            while j >= 0, j < ctx.units.count, seen < 80 {
                let u = ctx.units[j]
                if u.isText, u.line.numberPrefix > 0 {
                    guard ordinal(u.text) == mine + step else { return false }
                    // Going back, the earlier number needs text of its own too.
                    return step > 0 || ctx.next[j].map { ctx.units[$0].line.numberPrefix == 0 && ($0 < k) } == true
                }
                j += step; seen += 1
            }
            return false
        }
        return neighbour(1) || neighbour(-1)
    }

    /// A sentence, or one that leads into what follows it ("…created by copying the trunk:").
    static func sentenceOrLeadIn(_ l: CaptureLine) -> Bool {
        l.prose || l.end == .colon && l.words >= 8 && l.numberPrefix == 0 && l.bulletPrefix == 0
    }

    /// The number of "3. Item" or the letter of "B) option" (A = 1).
    static func ordinal(_ text: String) -> Int? {
        if let n = Int(text.prefix(while: { $0.isNumber })) { return n }
        if let f = text.unicodeScalars.first, f.value >= 65, f.value <= 72, text.dropFirst().hasPrefix(")") { return Int(f.value) - 64 }
        return nil
    }

    /// "Cloud engineer writing about AWS.", "Julien is a front-end developer at Snipcart.": a person's bio.
    static func bio(_ l: CaptureLine, name: String) -> Bool {
        guard l.prose || l.words >= 5 else { return false }
        let first = l.text.split(separator: " ", maxSplits: 4).prefix(4).map { Vocabulary.key(String($0)) }
        guard let opener = first.first, !["a", "an", "the", "this", "that", "it", "we", "you", "i"].contains(opener) else { return false }
        let firstName = Vocabulary.key(String(name.spaceSplit.first ?? ""))
        // "Senior engineer at …", "She writes about …", "Maya is a …"; not "In practice, SRE groups …".
        if ["he", "she", "they"].contains(opener) || opener == firstName { return true }
        return first.prefix(2).contains(where: { Bylines.jobWords.contains($0) }) && !SubjectFinder.stopwords.contains(opener)
    }

    /// How much a prose line right under the headline reads as its dek (standfirst).
    static func dekScore(_ k: Int, _ ctx: LayoutContext, explain: Bool) -> (score: Double, reason: String) {
        let l = ctx.units[k].line
        var d = 0.0
        var reason: [String] = []
        // The reasons are only kept to be explained.
        func because(_ r: @autoclosure () -> String) { if explain { reason.append(r()) } }
        // What comes before: the title directly, or only header furniture.
        var p = k - 1
        var onlyMeta = true
        var distance = 0
        while p >= 0 {
            let u = ctx.units[p]
            if let best = ctx.bestTitle, p == best { break }
            if ctx.titleScores.indices.contains(p), ctx.titleScores[p] >= 6 { break }
            if u.isText, !u.line.prose || !u.line.cue.intersection(.date | .byMarker | .readTime).isEmpty || ctx.titleEcho[p] {
                distance += 1
                p -= 1
                continue
            }
            onlyMeta = false
            break
        }
        if p >= 0, onlyMeta {
            if distance == 0 { d += 2; because("right under the title") } else { d += 0.5; because("under the title block") }
        } else {
            d -= 3
            because("not under the title")
        }
        // What comes after.
        if let n = ctx.next[k] {
            let u = ctx.units[n]
            let nl = u.line
            if u.isText, nl.cue.contains(.button), !nl.prose {
                d -= 4; because("a promotion above a button")
            } else if u.isText, !nl.cue.intersection(.date | .readTime | .byMarker | .views | .hashtags | .share | .label | .altText | .handle).isEmpty
                        || LayoutContext.personName(nl) || ctx.titleEcho[n] {
                d += 2; because("header lines follow")
            } else if u.isText, nl.headingShape, ctx.bodyStart(ctx.next[n]) {
                d += 1.5; because("a heading follows")
            } else if u.isText && nl.prose || u.kind == .paragraph {
                d -= l.length <= 160 ? 0.5 : 1.5; because("a paragraph follows")
            }
        }
        let width = l.cjk ? l.length * 2 : l.length
        if width >= 40 && width <= 340 { d += 1 } else if width > 400 { d -= 4; because("too long") } else if width < 25 { d -= 2 }
        if distance > 0, width > 200 { d -= 1.5; because("long for a dek") }
        if l.cue.contains(.callout) { d -= 5; because("a callout") }
        if l.end == .colon { d -= 4; because("ends with a colon") }
        if ctx.units[k].kind == .paragraph, l.length > 400 { d -= 2 }
        // A later section's heading says it again: the first entry of a table of contents.
        if ctx.repeatedAsHeading[k] { d -= 3; because("a later heading repeats it") }
        return (d, reason.joined(separator: ", "))
    }
}

