import Foundation

/// The title and the compared subjects: which wording names them, whether they are
/// named things at all, and whether the page is a roundup rather than a comparison.
enum PairReader {
    /// Why a line names no comparison, when it seems to.
    enum Rejection: Equatable {
        /// "[Your Product] vs [Competitor]": a template's placeholders.
        case placeholder(String)
        /// "Bad vs Clean", "Before vs. After": qualities, not named things.
        case unnamed(String)
        /// Five or more subjects, "Top 10 …", "… alternatives".
        case roundup(String)
    }

    /// Whether a subject is a named thing: a product, a language, a company.
    /// With `strict` (a title joining with "and" or "or"), a lower-case word is a name only when
    /// the line marks it as code (`npm`), it is shaped like one (digits, dots), or the text pairs
    /// it with the other subjects again ("GNU Screen or tmux?" over "… GNU Screen and tmux …").
    /// - Parameter partners: the other subjects of the line, worked out only when the answer is.
    static func isNamed(_ subject: String, finder: SubjectFinder, strict: Bool = false, line: String = "",
                        partners: @autoclosure () -> [String] = []) -> Bool {
        // Strict, a lower-case word is a name only when shaped like one, marked as a term on the
        // line, or paired again with a named partner: the line's and the partners' part.
        if strict, let f = subject.first, f.isLowercase {
            let shaped = subject.containsCharacter(.number, or: ".+#/")
            if !shaped && !quoted(subject, in: line) && !pairedAgain(subject, with: partners(), finder: finder) { return false }
        }
        // The rest is the subject's in this document, but for a lower-case name's marks on the line.
        switch finder.rememberedNamed(subject, strict: strict, { verdict(subject, finder: finder, strict: strict) }) {
        case .no: return false
        case .yes: return true
        case .ifQuoted: return quoted(subject, in: line)
        }
    }

    /// Whether a subject is a named thing, apart from the line it is on.
    enum NameVerdict: Sendable {
        case no, yes
        /// A lower-case name: only where the line marks it as a term (`quoted`).
        case ifQuoted
    }

    private static func verdict(_ subject: String, finder: SubjectFinder, strict: Bool) -> NameVerdict {
        let words = subject.spaceSplit
        guard let first = words.first else { return .no }
        if subject.containsCharacter([], or: "[]{}<>") { return .no }
        let lowerWords = words.map { $0.lowercased() }
        if lowerWords.allSatisfy({ SubjectFinder.commonWords.contains($0) || SubjectFinder.stopwords.contains($0) }) { return .no }
        // Inner capitals, digits, symbols, non-Latin scripts: "NoSQL", "C++", "Fly.io", "1Password", "Москва".
        for w in words {
            if w.isASCIIText {
                if w.utf8.dropFirst().contains(where: { $0 >= 65 && $0 <= 90 }) { return .yes }
            } else {
                let scalars = Array(w.unicodeScalars)
                if scalars.dropFirst().contains(where: { $0.properties.isUppercase }) { return .yes }
                if scalars.contains(where: { !$0.isASCII && $0.properties.isAlphabetic }) { return .yes }
            }
            if w.containsCharacter(.number, or: ".+#/&@") { return .yes }
        }
        if first.first?.isLowercase == true {
            // A lower-case name is used as one: in backticks, or again and again ("npm", "containerd").
            guard SubjectFinder.isLowercaseName(String(first)) else { return .no }
            return words.count == 1 && finder.support(subject) >= 3 ? .yes : .ifQuoted
        }
        // An abstract noun ("Simplicity vs. Flexibility") is a name only when the text uses it as
        // one: again and again, or mid-sentence with its capital.
        let abstract = words.allSatisfy { w in
            let l = w.lowercased()
            return ["ity", "ness", "ment", "tion", "sion", "ance", "ence", "ism", "ship", "ing", "ure", "ility"].contains { l.hasSuffix($0) } && l.count > 5
        }
        if abstract { return finder.support(subject) >= 3 || finder.midSentence(subject) >= 1 ? .yes : .no }
        // "Ecosystem and Integrations": a heading's capitals make no name; joined by "and" or
        // "or", a plain capitalised word must keep its capital mid-sentence somewhere in the text.
        if strict {
            return finder.midSentence(subject) >= 1 || finder.support(subject) >= 3 && words.count == 1 && !SubjectFinder.commonWords.contains(lowerWords[0])
                ? .yes : .no
        }
        return .yes
    }

    /// Whether the line marks the subject as a term: as code (`npm`) or in quotes ('git pull').
    static func quoted(_ subject: String, in line: String) -> Bool {
        [("`", "`"), ("'", "'"), ("\"", "\""), ("‘", "’"), ("“", "”")].contains { line.contains($0.0 + subject + $0.1) }
    }

    /// Whether the text joins a lower-case word with a named partner more than once (the title is
    /// one): "tmux and GNU Screen", "GNU Screen or tmux". "Kubernetes or bust" is said once.
    static func pairedAgain(_ subject: String, with partners: [String], finder: SubjectFinder) -> Bool {
        guard SubjectFinder.isLowercaseName(subject), !subject.contains(" ") else { return false }
        var seen = 0
        for partner in partners where partner.first?.isUppercase == true {
            for joiner in ["and", "or", "vs", "vs.", "versus", "&"] {
                seen += finder.support("\(subject) \(joiner) \(partner)") + finder.support("\(partner) \(joiner) \(subject)")
                if seen >= 2 { return true }
            }
        }
        return false
    }

    /// Checks a match: placeholders and unnamed qualities are rejected, five or more is a roundup.
    static func validate(_ m: SubjectMatch, line: String, finder: SubjectFinder) -> Rejection? {
        if line.hasByte(91), placeholderJoined.matches(line) {
            return .placeholder(line)
        }
        if m.subjects.count >= 5 { return .roundup(line) }
        for s in m.subjects where !isNamed(s, finder: finder, strict: m.strength == 1, line: line, partners: m.subjects.filter { $0 != s }) {
            return .unnamed(line)
        }
        return nil
    }

    /// A placeholder pair anywhere in the line: "[ProductA] vs [ProductB]".
    static func placeholderPair(_ line: String) -> Bool {
        guard line.hasByte(91) else { return false }
        return placeholderVersus.matches(line)
    }

    /// "[Product] vs [Competitor]", "[A] or [B]": bracketed placeholders on both sides of a joiner.
    static let placeholderJoined = NSRegularExpression(compiled: #"\[[^\]]{2,40}\]\s+(vs\.?|versus|or|and)\s+\["#, caseInsensitive: true)
    static let placeholderVersus = NSRegularExpression(compiled: #"\[[^\]]{2,40}\]\s+(vs\.?|versus)\s+\["#, caseInsensitive: true)

    static let roundupWords: [[UInt8]] = ["top", "best", "most", "popular", "great", "leading", "alternative"].map { Array($0.utf8) }

    /// "Best Remote Documentation Tools 2026", "Top Password Managers for Teams": a title that
    /// starts by ranking a kind of product, named in the plural.
    static let rankedKind = try! NSRegularExpression(pattern: #"^(the\s+)?(\d+\s+)?(best|top)\s+([\w.+#-]+\s+){0,4}(tools|apps|applications|platforms|software|services|solutions|frameworks|libraries|databases|editors|ides|plugins|extensions|providers|vendors|products|options|managers|hosts|clients|engines|alternatives)\b"#)
    /// "Top 10", "best 5", "9 best", "… alternatives", "Alternativen", "alternativas".
    static let rankedCount = try! NSRegularExpression(pattern: #"\b(top|best)\s+\d+\b|\b\d+\s+(best|top|most|popular|great|leading)\b|\balternativ(e|es|en|as|os|i)?\b"#)

    /// "Top 10 …", "The 9 Best …", "Best X alternatives", "Free Heroku alternatives".
    static func roundupTitle(_ title: String) -> Bool {
        let lb = ByteText.lowered(title)
        guard roundupWords.contains(where: { ByteText.contains(lb, $0) }) else { return false }
        let lower = String(decoding: lb, as: UTF8.self)
        let all = NSRange(lower.startIndex..., in: lower)
        if rankedKind.firstMatch(in: lower, range: all) != nil { return true }
        guard lb.contains(where: { $0 >= 48 && $0 <= 57 }) || ByteText.contains(lb, "alternativ") else { return false }
        return rankedCount.firstMatch(in: lower, range: all) != nil
    }

    /// Named things a title mentions without a joiner ("What Linear Got Right That Jira Got
    /// Wrong"): capitalised words of the title that the text keeps capitalised mid-sentence.
    static func namedInTitle(_ title: String, finder: SubjectFinder) -> [String] {
        var out: [String] = []
        let tail = ByteText.range(of: ": ", in: title).map { String(title[$0.upperBound...]) } ?? title
        for t in SubjectFinder.tokenize(tail) {
            let w = t.text
            guard w.count >= 2, SubjectFinder.isNameLike(w), !SubjectFinder.stopwords.contains(w.lowercased()),
                  !SubjectFinder.commonWords.contains(w.lowercased()) else { continue }
            if finder.midSentence(w) >= 2, !out.contains(w) { out.append(w) }
        }
        return out
    }

    // MARK: Title text

    /// "Title | Site" → "Title". Also "Title · Site", "Title :: Site", and a dash before a
    /// generic word or the site's own name ("Title — Comparison", "Title - Acme").
    /// Words that name a kind of page, not a site ("Title — Comparison").
    static let genericSuffixes: Set<String> = ["comparison", "comparisons", "compare", "review", "reviews", "blog", "guide", "guides", "versus", "vs"]

    /// What a link site or a tracker writes after a title: the linked page's domain ("Why Uber Switched
    /// from Postgres to MySQL (eng.uber.com)") and an issue's number ("Why npm over Yarn? #540").
    static func stripLinkMarks(_ title: String) -> String {
        var u = Substring(title).utf8
        // " (eng.uber.com)": letters, digits, dots and hyphens, with a dot and no space.
        if u.last == 41, let open = u.lastIndex(of: 40), open > u.startIndex, u[u.index(before: open)] == 32 {
            let inside = u[u.index(after: open)..<u.index(before: u.endIndex)]
            let domainLike = inside.count >= 4 && inside.contains(46) && inside.first != 46 && inside.last != 46
                && inside.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }
            if domainLike { u = u[..<u.index(before: open)] }
        }
        // " #540": an issue's or a pull request's number.
        var end = u.endIndex
        while end > u.startIndex, let b = Optional(u[u.index(before: end)]), b >= 48 && b <= 57 { end = u.index(before: end) }
        if end < u.endIndex, end > u.startIndex, u[u.index(before: end)] == 35 {
            let hash = u.index(before: end)
            if hash > u.startIndex, u[u.index(before: hash)] == 32 { u = u[..<u.index(before: hash)] }
        }
        return String(Substring(u))
    }

    static func stripSiteSuffix(_ title: String, brands: [String] = []) -> String {
        var title = title
        if ByteText.hasPrefix(title, "# ") { title.removeFirst(2) }
        title = stripLinkMarks(title)
        for separator in [" | ", " · ", " :: ", " ‹ ", " » "] where ByteText.contains(title, separator) {
            if let r = title.range(of: separator, options: .backwards) {
                let left = title[..<r.lowerBound].trimmingWhitespace()
                if left.spaceCount >= 2 { title = left }
            }
        }
        guard ByteText.contains(title, " — ") || ByteText.contains(title, " – ") || ByteText.contains(title, " - ") else { return title }
        let brandKeys = Set(brands.map { Phrase($0).normalised }.filter { !$0.isEmpty })
        for separator in [" — ", " – ", " - "] where ByteText.contains(title, separator) {
            if let r = title.range(of: separator, options: .backwards) {
                let suffix = title[r.upperBound...].trimmingWhitespace()
                let key = Phrase(suffix).normalised
                if genericSuffixes.contains(suffix.lowercased()) || brandKeys.contains(key) {
                    title = String(title[..<r.lowerBound])
                }
            }
        }
        return title
    }
}
