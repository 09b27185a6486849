import Foundation

/// Who wrote the page: "By Name", "Name · 6 min read", "Written by Name", "Author: Name",
/// "Name — Role", a name over its job title, an author card, a forum poster.
enum Bylines {
    struct Candidate {
        var name: String
        var role: String?
        var line: Int            // 1-based line number
        var score: Double
        var text: String         // the line as captured
        var how: String
    }

    static let jobWords: Set<String> = [
        "engineer", "developer", "founder", "co-founder", "cofounder", "ceo", "cto", "cfo", "coo", "cmo", "vp",
        "president", "head", "lead", "manager", "director", "specialist", "architect", "analyst", "consultant",
        "editor", "writer", "author", "designer", "scientist", "researcher", "lecturer", "professor", "officer",
        "owner", "partner", "advocate", "evangelist", "marketer", "strategist", "economist", "auditor", "principal",
        "staff", "senior", "intern", "chief", "programmer", "administrator", "sre", "devops", "expert",
        "contributor", "correspondent", "journalist", "reporter", "instructor", "teacher", "coach", "maintainer",
        "engineering", "product", "technologist", "fellow", "associate", "executive", "producer", "creator",
    ]
    /// Words of headings and furniture, never of a person's name.
    /// The small words inside a name ("Ursula von der Leyen", "Luis de la Cruz").
    static let nameParticles: Set<String> = ["de", "la", "van", "von", "der", "da", "del", "di", "du", "bin", "al", "le", "dos", "das"]
    static let notNameWords: Set<String> = [
        "blog", "post", "posts", "articles", "article", "news", "docs", "home", "tools", "overview", "comparison",
        "guide", "guides", "related", "recent", "about", "contact", "pricing", "features", "summary", "conclusion",
        "introduction", "community", "newsletter", "subscribe", "share", "comments", "resources", "tutorials",
        "knowledge", "base", "search", "menu", "products", "services", "solutions", "company", "careers", "cloud",
        "final", "thoughts", "key", "differences", "use", "cases", "learning", "curve", "performance", "security",
        "data", "model", "api", "terms", "privacy", "policy", "support", "help", "login", "sign", "free", "trial",
        "start", "get", "book", "demo", "team", "labs", "inc", "ltd", "llc", "gmbh", "digital", "studio", "media",
        "group", "consulting", "academy", "hub", "insights", "brief", "weekly", "journal", "notes", "engineering",
        "tech", "software", "systems", "reviews", "review", "edition", "part", "chapter", "lesson", "course",
        "table", "contents", "page", "section", "quick", "answer", "verdict", "pros", "cons", "vs", "versus",
        "management", "experience", "architecture", "platform", "scalability", "reliability", "ecosystem",
        "updated", "published", "posted", "created", "modified", "edited", "read", "min", "views", "share",
    ]

    /// How a byline taken from the copyright line is explained (and warned about: `SourceTextParser`).
    static let copyrightHolderHow = "the copyright holder, a person"

    /// The last word of a company's or a project's name ("Pulumi Corporation", "Acme Labs").
    static let companyWords: Set<String> = ["corporation", "corp", "inc", "ltd", "llc", "gmbh", "labs", "foundation", "technologies",
                                            "systems", "software", "company", "group", "team", "limited", "ag", "bv", "project",
                                            "contributors", "authors", "media", "studio", "studios", "press", "partners"]

    /// Two to four Han characters or Hangul syllables and nothing else: how a Chinese or Korean
    /// name is written ("林晓舟", "김민준").
    static func cjkName(_ s: String) -> Bool {
        let scalars = s.unicodeScalars
        guard (2...4).contains(scalars.count) else { return false }
        return scalars.allSatisfy { $0.properties.isIdeographic || (0xAC00...0xD7A3).contains($0.value) }
    }

    /// "Veikko Lahtinen (veikko@example.org)", "Jane Doe <jane@example.com>": a name with the e-mail
    /// address that plain-text documents and mail write after it. The name alone, or nil when the text
    /// ends with no address.
    static func withoutAddress(_ s: String) -> String? {
        let u = s.utf8
        guard let last = u.last, last == 41 || last == 62, let open = u.lastIndex(of: last == 41 ? 40 : 60) else { return nil }
        let inside = u[u.index(after: open)..<u.index(before: u.endIndex)]
        guard inside.contains(64), !inside.contains(32), inside.count >= 5 else { return nil }
        let name = String(s[..<open]).trimmingWhitespace()
        return name.isEmpty ? nil : name
    }

    /// Two to five capitalised words ("Richard Ewing", "Ana de la Cruz", "J. R. Smith").
    static func isPersonName(_ s: String) -> Bool {
        // Quick rejections on the bytes: a capital (or another script) first, no digits, 2–5 words.
        guard let f = s.utf8.first, (f >= 65 && f <= 90) || f >= 0xC0, s.utf8.count <= 80 else { return false }
        let spaces = s.withBytes { bytes -> Int? in
            var spaces = 0
            for b in bytes {
                if b == 32 { spaces += 1 } else if b >= 48 && b <= 57 { return nil }
            }
            return spaces
        }
        guard let spaces, spaces >= 1, spaces <= 6 else { return false }
        let words = s.spaceSplit
        guard (2...5).contains(words.count), !s.containsCharacter(.number) else { return false }
        var capitalised = 0
        for w in words {
            let lower = ByteText.lowercased(w)
            if nameParticles.contains(lower) { continue }
            guard let f = w.first, f.isUppercase, w.allCharacters(.letter, or: ".-'’") else { return false }
            if notNameWords.contains(lower) || Vocabulary.navItems.contains(lower) { return false }
            // "J." is an initial; otherwise a capital, then small letters ("McKay" and "O'Neil" allowed).
            if !(w.count == 2 && ByteText.hasSuffix(w, ".")) {
                let rest = w.dropFirst()
                let capitals = w.isPrintableASCII ? rest.utf8.count(where: { $0 >= 65 && $0 <= 90 }) : rest.filter { $0.isUppercase }.count
                if rest.isEmpty || capitals > 1 || capitals == 1 && !(ByteText.hasPrefix(w, "Mc") || ByteText.hasPrefix(w, "Mac") || w.contains("'") || w.contains("’") || w.contains("-")) {
                    return false
                }
            }
            capitalised += 1
        }
        return capitalised >= 2 && !SubjectFinder.stopwords.contains(words[0].lowercased())
    }

    /// "Engineering", "Developer Relations": a team named under a person's name.
    static func isDepartment(_ s: String) -> Bool {
        let words = s.spaceSplit
        guard (1...3).contains(words.count), s.utf8.count <= 40, let f = s.unicodeScalars.first, f.properties.isUppercase else { return false }
        let keys = words.map { Vocabulary.key(String($0)) }
        return keys.contains { departmentWords.contains($0) } && words.allSatisfy { $0.first?.isUppercase == true || $0 == "&" || $0 == "and" }
    }

    static let departmentWords: Set<String> = [
        "engineering", "product", "marketing", "sales", "research", "design", "operations", "growth", "devrel",
        "relations", "infrastructure", "editorial", "content", "support", "success", "leadership", "community",
    ]

    /// "The Acme Team", "DocsHub Team", "· Acme Editorial Team": the name of a team, if the line is one.
    static func teamName(_ text: String) -> String? {
        var s = Substring(text)
        while let f = s.first, "·•|-–— ".contains(f) { s = s.dropFirst() }
        let words = s.spaceSplit
        guard (2...5).contains(words.count), s.utf8.count <= 50,
              let last = words.last.map({ Vocabulary.key(String($0)) }), ["team", "staff", "editors", "crew"].contains(last) else { return nil }
        // Every word capitalised ("The" included): a name, not "our team" or "the whole team".
        guard words.allSatisfy({ $0.first?.isUppercase == true }) else { return nil }
        return String(s)
    }

    /// A job title: "Staff Engineer", "Founder, DevTools Academy", "Cross-Border Banking & FX Specialist".
    static func isRole(_ s: String) -> Bool {
        guard s.utf8.count <= 80, let l = s.utf8.last, l != 46, l != 33, l != 63, l != 58 else { return false }
        // Over 8 words (counted by their spaces, before any is read): no job title.
        guard s.withBytes(ByteText.spacedPieces) <= 8 else { return false }
        // A job title has its job noun first or last, or before "at" ("Lead at NetHunt"): most lines
        // have none of them, and are told so before the line is split or every word is keyed.
        guard let (firstPart, lastPart) = s.outerSpaceParts else { return false }
        // "at" in either case somewhere in the text (a word keyed "at" holds it; the line, if any word does).
        func holdsAt(_ t: some StringProtocol) -> Bool {
            t.withBytes { b in
                var i = 1
                while i < b.count {
                    if b[i] | 0x20 == 116, b[i - 1] | 0x20 == 97 { return true }
                    i += 1
                }
                return false
            }
        }
        guard isJobNoun(lastPart) || isJobNoun(firstPart)
            || holdsAt(s) && s.spaceSplit.contains(where: { holdsAt($0) && Vocabulary.key(String($0)) == "at" }) else { return false }
        let words = s.spaceSplit.map { Vocabulary.key(String($0)) }
        guard !words.isEmpty, words.count <= 8 else { return false }
        // The job is the head of the phrase: "Staff Engineer", "Product Lead", "Head of Frontend",
        // "Founder, DevTools Academy", "Content Lead at NetHunt" — not "Developer Experience".
        if ["the", "a", "an", "our", "my", "your", "for", "why", "how", "what", "when"].contains(words[0]) || words.contains("for") || words.contains("vs")
            // "Talk to an Engineer", "Hire a Developer", "Meet your Architect": an offer, not a job title.
            || words.dropFirst().contains(where: { ["to", "a", "an", "your", "our", "with"].contains($0) }) {
            return false
        }
        var job = false
        if let last = words.last, jobNouns.contains(last) { job = true }
        if words.count >= 2, jobNouns.contains(words[0]), ByteText.hasSuffix(firstPart, ",") || words[1] == "of" || words[1] == "at" {
            job = true
        }
        if let at = words.firstIndex(of: "at"), at >= 1, jobNouns.contains(words[at - 1]) || departmentWords.contains(words[at - 1]) { job = true }
        guard job else { return false }
        let (date, readTime, views) = Vocabulary.metaScan(s)
        return !(date || readTime || views)
    }

    /// Whether a word's key (`Vocabulary.key`) is a job noun: an ASCII word is looked up by the
    /// hash of its key, without the key being made.
    static func isJobNoun(_ word: Substring) -> Bool {
        let hash = word.withBytes { b -> UInt64? in
            guard let (lo, hi) = Vocabulary.keyRange(b) else { return nil }
            return Phrase.loweredHash(b, lo, hi).hash
        }
        guard let hash else { return jobNouns.contains(Vocabulary.key(String(word))) }
        return jobNounHashes.contains(hash)
    }

    static let jobNounHashes = WordSet(words: jobNouns)

    static let jobNouns: Set<String> = [
        "engineer", "developer", "founder", "co-founder", "cofounder", "ceo", "cto", "cfo", "coo", "cmo", "vp",
        "president", "head", "lead", "manager", "director", "specialist", "architect", "analyst", "consultant",
        "editor", "writer", "author", "designer", "scientist", "researcher", "lecturer", "professor", "officer",
        "owner", "partner", "advocate", "evangelist", "marketer", "strategist", "economist", "auditor", "intern",
        "student", "programmer", "administrator", "expert", "contributor", "correspondent", "journalist", "reporter",
        "instructor", "teacher", "coach", "maintainer", "technologist", "fellow", "associate", "executive",
        "producer", "creator", "sre", "engineers", "developers",
    ]

    // MARK: Parsing one line

    /// Reads "By Name", "Written by Name, Role", "Name — Role" (the front-matter's `byline:`
    /// and the captures' author lines).
    static func parse(_ s: String) -> Byline? {
        guard Text.length(s) <= 120, !s.hasSuffix("?"), !s.hasSuffix(":"),
              SubjectFinder.tokenize(s).allSatisfy({ !SubjectFinder.strongJoiners.contains($0.raw.lowercased()) })
        else { return nil }
        func split(_ rest: String) -> (String, String?) {
            for sep in [" — ", " – ", " - ", ", ", " | ", " · ", " • "] {
                if let r = ByteText.range(of: sep, in: rest) {
                    return (String(rest[..<r.lowerBound]), String(rest[r.upperBound...]))
                }
            }
            return (rest, nil)
        }
        func make(_ rest: String) -> Byline? {
            let (name, role) = split(rest.trimmingWhitespace())
            guard isPersonName(name) else { return nil }
            return Byline(text: s, name: name, role: role.map { Text.trimTrailingPunctuation($0, ".") })
        }
        let lower = ByteText.lowercased(s)
        for prefix in markers {
            if ByteText.hasPrefix(lower, prefix) {
                var rest = String(s.dropFirst(prefix.count))
                if ByteText.hasPrefix(rest, ":") { rest.removeFirst() }
                return make(rest)
            }
        }
        for dash in ["— ", "– ", "-- ", "- "] where ByteText.hasPrefix(s, dash) {
            return make(String(s.dropFirst(dash.count)))
        }
        for sep in [" — ", " – ", " - ", ", ", " · ", " • "] {
            if let r = ByteText.range(of: sep, in: s), isPersonName(String(s[..<r.lowerBound])) {
                // "Jane Doe · 5 min read" is a name and a read time, read elsewhere; "Jane Doe · Developer Relations" names a role.
                let tail = String(s[r.upperBound...])
                if sep == " · " || sep == " • " {
                    let (date, readTime, views) = Vocabulary.metaScan(tail)
                    guard !(date || readTime || views), isRole(tail) || isDepartment(tail) else { continue }
                }
                return make(s)
            }
        }
        return nil
    }

    /// The byline as the normalised page states it: the captured line when it reads back to
    /// the same name and role, else "Name — Role" or "Name".
    static func canonical(name: String, role: String?, line: String) -> Byline {
        if let p = parse(line), p.name == name, p.role == role { return p }
        let text = role.map { "\(name) — \($0)" } ?? name
        if let p = parse(text), p.name == name, p.role == role { return Byline(text: text, name: name, role: role) }
        if role == nil, parse(name) == nil { return Byline(text: name, name: name, role: nil) }
        return Byline(text: text, name: name, role: role)
    }

    // MARK: Finding the byline

    /// What introduces an author's name, lower-cased, in the languages pages are captured in
    /// (longer forms first: "written by " before "by "). One list for reading a byline, finding
    /// one mid-line and the line cue (`Vocabulary.byPrefixes`).
    static let markers: [String] = [
        "written by ", "posted by ", "authored by ", "reviewed by ", "compiled by ", "published by ", "proposed by: ",
        "proposed by ", "asked by ", "byline: ", "by ", "author: ",
        "escrito por ", "publicado por ", "écrit par ", "publié par ", "rédigé par ", "scritto da ", "pubblicato da ",
        "geschrieben von ", "autor: ", "auteur : ", "auteur: ", "autore: ", "por ", "par ", "von ", "door ",
        "добавил: ", "добавил:", "автор: ", "автор:", "作者：", "作者:", "著者：", "投稿者：",
        // "Опубликовано 14.05.2019 автором Олег Савчук", "Đăng bởi: …", "Yazar: …", "Penulis: …" (not Indonesian
        // "oleh", which is a first name too).
        "автором ", "đăng bởi: ", "đăng bởi ", "tác giả: ", "yazar: ", "penulis: ",
    ]
    /// Words that start a line about its author without saying that a name follows ("Author
    /// avatar", "Autor des Beitrags"): a cue for the line (`Vocabulary.byPrefixes`), not a marker to read a name after.
    static let looseMarkers = ["author ", "autor "]
    static let byBytes = Array("by ".utf8), addedBytes = Array("добавил:".utf8)
    static let markerBytes: [[UInt8]] = markers.map { Array($0.utf8) }
    static let notAuthorByBytes: [[UInt8]] = notAuthorBy.map { Array($0.utf8) }
    static let notAuthorBy: [String] = ["powered by", "built by", "made by", "hosted by", "supported by", "sponsored by",
                                        "brought to you by", "answered by", "edited by", "photo by", "image by", "followed by",
                                        "replaced by", "backed by", "used by", "owned by", "run by", "managed by"]

    /// "214 points " before "by quietgrove": a forum's score line.
    static let scoreLine = NSRegularExpression(compiled: #"\d+ points? $"#)

    /// A name after an explicit marker: "By Name | date", "Posted on … by Name", "2026By The CTO11 min read".
    static func afterMarker(_ text: String) -> (String, String?)? {
        // A sentence that happens to say "by" is no by-line.
        let spaces = text.withBytes { bytes in
            var spaces = 0
            for b in bytes where b == 32 { spaces += 1 }
            return spaces
        }
        if spaces > 24 { return nil }
        let lb = ByteText.lowered(text)
        guard markerBytes.contains(where: { ByteText.contains(lb, $0) }) else { return nil }
        let lower = ByteText.lowercased(text)
        // Fields after a bar ("| hide | past | 163 comments") are the line's links, not a longer sentence.
        if (ByteText.range(of: " | ", in: text).map { text[..<$0.lowerBound] } ?? Substring(text)).spaceCount > 16 { return nil }
        if notAuthorByBytes.contains(where: { ByteText.contains(lb, $0) }) && !lower.hasPrefix("by ") { return nil }
        // Only the markers the line has (most lines that get here have one or two).
        for (m, bytes) in zip(markers, markerBytes) where ByteText.contains(lb, bytes) {
            var search = lower.startIndex
            while let r = lower.range(of: m, range: search..<lower.endIndex) {
                // At the start, after a separator, or glued to a date ("2026By").
                let atStart = r.lowerBound == lower.startIndex
                let before = atStart ? " " : lower[lower.index(before: r.lowerBound)]
                if atStart || before == " " || before.isNumber || "·•|".contains(before) {
                    let offset = lower.distance(from: lower.startIndex, to: r.upperBound)
                    let rest = String(text[text.index(text.startIndex, offsetBy: offset)...])
                    // Mid-line, only a name ("… 2025 by Daniel Okoro"), not "side by side" or "decision by decision".
                    let first = rest.trimmingWhitespace().first
                    // "Winner by Category" names no author: mid-line, one capitalised word is a noun, not a name.
                    let restWords = rest.spaceSplit
                    let capitalisedWords = restWords.prefix(3).prefix { $0.first?.isUppercase == true }.count
                    // "214 points by quietgrove on …": a forum's score line names its poster by handle.
                    let scored = Self.scoreLine.matches(lower[..<r.lowerBound])
                    // "Posted on April 18, 2013 by readerguy": after a date, a user name as the blog writes it.
                    let userAfterDate = restWords.count == 1 && restWords[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) })
                        && Vocabulary.metaScan(String(lower[..<r.lowerBound])).date
                    let nameLike = first?.isUppercase == true && (capitalisedWords >= 2 || before.isNumber || "·•|".contains(before))
                        || Vocabulary.handleLine(String(restWords.first ?? "")) || scored || userAfterDate
                    if atStart || m != "by " || nameLike, let (name, role) = nameAndRole(rest, explicit: true) { return (name, role) }
                }
                search = r.upperBound
            }
        }
        return nil
    }

    /// Splits "Name, Role | date" into the name and the role, dropping dates and read times.
    static func nameAndRole(_ rest: String, explicit: Bool) -> (String, String?)? {
        var s = rest.trimmingWhitespace()
        if ByteText.hasPrefix(s, ":") { s = String(s.dropFirst()).trimmingWhitespace() }
        // Cut at field separators.
        for sep in [" | ", " · ", " • ", "  ", " on ", " at ", " in "] {
            if let r = ByteText.range(of: sep, in: s) { s = String(s[..<r.lowerBound]) }
        }
        s = stripMeta(s)
        var role: String?
        if let open = s.firstIndex(of: "("), ByteText.hasSuffix(s, ")") {
            let inside = String(s[s.index(after: open)..<s.index(before: s.endIndex)])
            s = String(s[..<open]).trimmingWhitespace()
            // "(@janedoe)" is a handle, not a job.
            if !Vocabulary.metaScan(inside).date, inside.contains(where: { $0.isLetter }), !inside.hasPrefix("@") { role = inside }
        }
        for sep in [", ", " — ", " – ", " - "] {
            if let r = ByteText.range(of: sep, in: s) {
                let tail = String(s[r.upperBound...]).trimmingWhitespace()
                s = String(s[..<r.lowerBound])
                if role == nil, !tail.isEmpty, !Vocabulary.metaScan(tail).date { role = Text.trimTrailingPunctuation(tail, ".") }
                break
            }
        }
        s = Text.trimTrailingPunctuation(s.trimmingWhitespace(), ".,;:")
        guard !s.isEmpty, s.utf8.count <= 50, !s.contains(". "), !s.contains("? ") else { return nil }
        if Vocabulary.navItems.contains(s.lowercased()) { return nil }
        let words = s.spaceSplit
        guard words.count <= 5 else { return nil }
        if explicit {
            // "By Acme Team", "by Certomodo", "Добавил: Vadym_K": any short name-like text.
            guard let f = s.first, f.isLetter || f.isNumber else { return nil }
            if words.count == 1, notNameWords.contains(s.lowercased()) { return nil }
            if words.allSatisfy({ $0.first?.isLowercase == true }) && !Vocabulary.handleLine(s) && words.count > 1 { return nil }
        } else if !isPersonName(s) {
            return nil
        }
        return (s, role)
    }

    /// Removes dates, read times and labels: "Created: February 18, 2026 Marcus Lindqvist 4 min read" → "Marcus Lindqvist".
    static func stripMeta(_ s: String) -> String {
        var out = s
        for p in metaPatterns {
            out = p.replacingMatches(in: out, with: " ")
        }
        // "03 novembre 2024 - Solène Marchetti": the dash that joined the date goes with it.
        return Text.collapse(out).trimmingCharacters(in: CharacterSet(charactersIn: " -–—,·•|"))
    }

    /// What `stripMeta` removes, in order.
    static let metaPatterns = [
            #"(?i)\b(created|updated|published|posted( on)?|last updated|modified)\s*:?\s*"#,
            // "12 minutes", "9 Minuten", "5 min read": the longest unit first, so "minutes" is not cut to "min".
            #"(?i)\d+\s*("# + Vocabulary.readTimeUnits.sorted { $0.count > $1.count }.joined(separator: "|") + #")\b\.?( read)?"#,
            #"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s*\d{4}"#,
            #"(?i)\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s*\d{4}"#,
            #"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}"#,
            #"\b\d{4}-\d{2}-\d{2}\b"#, #"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"#,
            // "7 years ago", "an hour ago": when a forum or a tracker says it was posted.
            #"(?i)\b(\d+|an?)\s+(second|minute|hour|day|week|month|year)s?\s+ago\b"#,
            #"(?i)[\d,.]+k?\s*(views|likes|words|vues|aufrufe|visualizações|visualizzazioni|visitas)"#,
            #"(?i)\b(reading time|lesezeit|tiempo de lectura|tempo di lettura|tempo de leitura|temps de lecture)\s*:?"#,
            // "u/quietfern_42": a Reddit user is named without the "u/" before it.
            #"(^|\s)/?u/(?=[A-Za-z0-9_-])"#,
        ].map { NSRegularExpression(compiled: $0) }

    /// Finds the byline among the lines a reader looks at for it: the header around the title,
    /// the masthead, an author card in the footer, a forum post's header.
    static func find(_ lines: [CaptureLine], _ layout: Layout, titleUnit: Int?, subjects: [String]) -> Candidate? {
        var candidates: [Candidate] = []
        let units = layout.units
        let classes = layout.classes
        guard let t = titleUnit else { return nil }
        let subjectKeys = Set(subjects.map { Phrase($0).normalised })
        func usable(_ name: String) -> Bool {
            let key = Phrase(name).normalised
            return !subjectKeys.contains(key) && !key.isEmpty
        }
        func line(_ u: Int) -> CaptureLine { units[u].line }
        func add(_ u: Int, _ name: String, _ role: String?, _ score: Double, _ how: String) {
            guard usable(name) else { return }
            candidates.append(Candidate(name: name, role: role, line: units[u].line.number, score: score,
                                        text: units[u].text, how: how))
        }
        func roleBelow(_ u: Int) -> String? {
            guard u + 1 < units.count, units[u + 1].isText else { return nil }
            let r = line(u + 1).text
            if isRole(r) { return r }
            // "Dana Lee" over "Engineering": a team or department glued under the name.
            return !line(u + 1).blankBefore && isDepartment(r) ? r : nil
        }
        let n = units.count
        // The title's neighbourhood: the header after it and a few lines before it.
        var zone: [(Int, Double)] = []
        var u = t + 1
        while u < n, classes[u] == .header || (u <= t + 3 && classes[u] != .heading) { zone.append((u, 0)); u += 1 }
        var p = t - 1
        while p >= 0, p >= t - 8, classes[p] == .nav { zone.append((p, -1.5)); p -= 1 }
        for (u, bonus) in zone where units[u].isText {
            let l = line(u)
            let text = l.text
            if let (name, role) = afterMarker(text) {
                add(u, name, role ?? roleBelow(u), 10 + bonus, "by-line")
                continue
            }
            if l.words <= 10, let b = parse(text) {
                // "Elliot Marsh — Product Lead"; "Jane Doe, CTO at Acme · 5 min read" keeps the role, not the read time.
                var role = b.role
                if let r = role, !l.cue.intersection(.date | .readTime | .views).isEmpty {
                    var cut = Substring(r)
                    for sep in [" · ", " | ", " • "] { if let x = ByteText.range(of: sep, in: cut) { cut = cut[..<x.lowerBound] } }
                    let kept = Text.trimTrailingPunctuation(stripMeta(String(cut)), ".,;:·|•")
                    role = kept.isEmpty ? nil : kept
                }
                add(u, b.name, role, 9 + bonus, "name and role")
                continue
            }
            if !l.cue.intersection(.date | .readTime | .views).isEmpty {
                // "Name · date · read time", "date · Name, Role", "Karan Malhotra12 min read".
                for part in text.components(separatedBy: CharacterSet(charactersIn: "·•|")) {
                    let stripped = stripMeta(part)
                    if let (name, role) = nameAndRole(stripped, explicit: false) {
                        add(u, name, role, 9 + bonus, "name next to the date")
                        break
                    }
                    // A brand or handle glued to the read time: "DodaTech 4 min read".
                    let single = stripped.trimmingWhitespace()
                    if !single.isEmpty, !single.contains(" "), single.count >= 3, single != part.trimmingWhitespace(),
                       single.first?.isLetter == true, !notNameWords.contains(single.lowercased()), !Vocabulary.navItems.contains(single.lowercased()) {
                        add(u, single, nil, 6 + bonus, "name next to the read time")
                        break
                    }
                }
                continue
            }
            // "@kotaro_dev" over "投稿日 2025年06月10日": a user's handle by the post's date.
            if text.utf8.first == 64, l.words == 1, Vocabulary.handleLine(String(text.dropFirst())) || text.utf8.count >= 4,
               [u - 1, u + 1, u + 2].contains(where: { $0 >= 0 && $0 < n && units[$0].isText && line($0).cue.contains(.date) }) {
                add(u, String(text.dropFirst()), nil, 7 + bonus, "a user's handle by the date")
                continue
            }
            if let team = teamName(text) {
                // "The Acme Team", "·DocsHub Team": a byline that names no one person.
                add(u, team, nil, 7.5 + bonus, "a team")
                continue
            }
            // "林晓舟" over "2025-12-16 10:24": a name in Chinese or Korean script (no capitals to tell it by), by the date.
            if l.cjk, Self.cjkName(text), u + 1 < n, units[u + 1].isText, line(u + 1).cue.contains(.date) {
                add(u, text, nil, 8 + bonus, "a name by the date")
                continue
            }
            if LayoutContext.personName(l), !isRole(text), !isDepartment(text) {
                // A name alone (or with its e-mail address): next to the date, given twice (an avatar's alt
                // text), or right under the title.
                let name = Text.trimTrailingPunctuation(withoutAddress(text) ?? text, ".")
                let prevMeta = u > 0 && units[u - 1].isText && !line(u - 1).cue.intersection(.date | .readTime).isEmpty
                let nextMeta = u + 1 < n && units[u + 1].isText && !line(u + 1).cue.intersection(.date | .readTime | .views).isEmpty
                let twice = u + 1 < n && units[u + 1].isText && Text.trimTrailingPunctuation(line(u + 1).text, ".") == name
                    || u > 0 && units[u - 1].isText && Text.trimTrailingPunctuation(line(u - 1).text, ".") == name
                if prevMeta || nextMeta || twice {
                    add(u, name, roleBelow(u), 8 + bonus, "a name by the date")
                } else if u == t + 1 || roleBelow(u) != nil {
                    add(u, name, roleBelow(u), 5.5 + bonus, "a name under the title")
                }
                continue
            }
            if l.cue.contains(.handle) || (l.words == 1 && l.length >= 3 && l.capitalised == 1 && !l.cue.contains(.nav)) {
                // A channel or uploader: "Synadia" over "18.2K subscribers", "chapter247".
                let near = (u + 1..<min(n, u + 3)).contains { k in units[k].isText && line(k).cue.contains(.views) }
                if near, !notNameWords.contains(text.lowercased()), !Vocabulary.navItems.contains(text.lowercased()) {
                    add(u, text, nil, 5 + bonus, "channel or uploader")
                }
            }
        }
        // Explicit markers elsewhere: "asked by …", "Posted by … at 10:12 AM", "Written by …" in an author card.
        for k in 0..<n where units[k].isText && !zone.contains(where: { $0.0 == k }) {
            let l = line(k)
            guard l.words <= 14, l.cue.intersection(.copyright).isEmpty else { continue }
            let lb = ByteText.lowered(l.text)
            guard l.cue.contains(.byMarker) || l.cue.contains(.forum) || ByteText.contains(lb, Self.byBytes)
                    || ByteText.contains(lb, Self.addedBytes) else { continue }
            let lower = ByteText.lowercased(l.text)
            guard ByteText.hasPrefix(lower, "written by") || ByteText.hasPrefix(lower, "posted by") || ByteText.hasPrefix(lower, "asked by")
                    || ByteText.hasPrefix(lower, "author:") || lower.contains("добавил:") || ByteText.hasPrefix(lower, "by ") && classes[k] != .paragraph else { continue }
            if let (name, role) = afterMarker(l.text) {
                add(k, name, role ?? roleBelow(k), classes[k] == .footer ? 6 : 7, "by-line")
            }
        }
        // A Q&A site's user card: "asked Sep 8, 2012 at 13:20" over the asker's name. The first card
        // with a name is the question's (the answers' say "answered").
        for k in units.indices.dropLast() where units[k].isText && units[k + 1].isText && line(k).cue.contains(.date)
            && line(k).words <= 8 && ByteText.lowercased(line(k).text).hasPrefix("asked ") && LayoutContext.personName(line(k + 1)) {
            add(k + 1, Text.trimTrailingPunctuation(line(k + 1).text, "."), nil, 7, "the question's asker")
            break
        }
        // A by-line closing the page: "Richard Ewing — AI Economist & Capital Auditor".
        if let last = units.indices.last(where: { units[$0].isText }), classes[last] == .footer || classes[last] == .aside,
           let b = parse(line(last).text) {
            add(last, b.name, b.role, 7, "by-line at the end")
        }
        // Author cards: "About the author" then the name (and a job title), or "About Name".
        for k in 0..<n where units[k].isText && (classes[k] == .footer || classes[k] == .aside) {
            let lower = ByteText.lowercased(line(k).text)
            if lower == "about the author" || lower == "about the authors" || lower == "author" || lower == "written by" {
                if k + 1 < n, units[k + 1].isText, LayoutContext.personName(line(k + 1)) {
                    add(k + 1, line(k + 1).text, roleBelow(k + 1), 6, "author card")
                }
            } else if ByteText.hasPrefix(lower, "about "), line(k).words <= 4 {
                let rest = String(line(k).text.dropFirst(6))
                if isPersonName(rest) { add(k, rest, roleBelow(k), 5.5, "author card") }
            }
        }
        // The masthead of a personal site: the first line is a name the page repeats.
        if let first = units.indices.first(where: { units[$0].isText }), first < t, LayoutContext.personName(line(first)) {
            let name = line(first).text
            let repeated = units.indices.contains { k in k != first && units[k].isText
                && (line(k).cue.contains(.copyright) || classes[k] == .footer || classes[k] == .header) && ByteText.finds(name, in: line(k).text) }
            var role: String?
            for k in (first + 1)..<min(n, first + 3) where units[k].isText && isRole(line(k).text) { role = line(k).text; break }
            // "Try Acme Explorer free": a name the page offers is its product, not a person.
            let lowerName = ByteText.lowercased(name)
            let offered = units.indices.contains { k in
                guard k != first, units[k].isText, line(k).words <= 10 else { return false }
                let lower = ByteText.lowercased(line(k).text)
                return ["try ", "get ", "use ", "with ", "download ", "start using "].contains { ByteText.finds($0 + lowerName, in: lower) }
            }
            if repeated && !offered || role != nil { add(first, name, role, 6.5, "the site's owner") }
        }
        // A forum's first post: a user name over its rank, post count or profile links.
        for k in 0..<min(n, t + 40) where units[k].isText && line(k).cue.contains(.handle) {
            var evidence = false
            var display: String?
            for j in (k + 1)..<min(n, k + 4) where units[j].isText {
                let l = line(j)
                if l.cue.contains(.forum) || ByteText.lowercased(l.text).hasPrefix("posts:") || Vocabulary.forumLines.contains(Vocabulary.key(l.text)) { evidence = true }
                if display == nil, j == k + 1, LayoutContext.personName(l), j + 1 < n, line(j + 1).cue.contains(.date) { display = l.text; evidence = true }
            }
            if evidence { add(k, display ?? line(k).text, nil, 5, "forum poster"); break }
        }
        // "Copyright © 2024 Daniel Whitcombe": a person's own page (a course, a homepage) names its writer
        // in its copyright line; a company's names the company. The last resort.
        if candidates.isEmpty, let k = (0..<n).last(where: { units[$0].isText && line($0).cue.contains(.copyright) }), line(k).words <= 8 {
            // The whole line is the name ("Garnet Grid. All rights reserved." names a company that says more).
            let holder = Vocabulary.copyrightHolder(line(k).text, whole: true)
            let last = Vocabulary.key(String(holder.spaceSplit.last ?? ""))
            if isPersonName(holder), !companyWords.contains(last) { add(k, holder, nil, 3, copyrightHolderHow) }
        }
        guard var best = candidates.max(by: { ($0.score, -$0.line) < ($1.score, -$1.line) }) else { return nil }
        if best.role == nil, let withRole = candidates.first(where: { $0.name == best.name && $0.role != nil }) { best.role = withRole.role }
        return best
    }
}
