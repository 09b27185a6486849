import Foundation

/// The subjects a line names, in the order it names them.
struct SubjectMatch: Hashable {
    var subjects: [String]
    /// 3: "vs", "versus", "compared to"; 2: "over", "and not", "beats"; 1: "or", "and", "&", "with", "from … to".
    var strength: Int
    var joiner: String
    /// The whole line was just the pair ("Kubernetes vs Stripe").
    var bare: Bool

    /// Whether two matches name the same subjects, in any order and however each is written
    /// (by their slugs); the same names in the same order are not slugged first.
    func namesSamePair(as other: SubjectMatch) -> Bool {
        subjects == other.subjects || Set(subjects.map(Slug.make)) == Set(other.subjects.map(Slug.make))
    }
}

/// Finds "A vs B" (and every common way of saying it) in a line of a comparison text.
///
/// A line such as "Bleeding Runway on Kubernetes or Pulumi?" does not say where
/// each subject starts, so every span of name-like words next to the joiner is
/// a candidate ("Kubernetes", "Runway on Kubernetes", …). The longest span that
/// the rest of the document also uses about as often as the shortest one wins:
/// "Ruby on Rails" recurs as a whole, "Runway on Kubernetes" does not.
struct SubjectFinder {
    /// The document (its first 256 KB), used to count how often a candidate recurs.
    let document: String
    /// Its sentences only: where a name keeps its capital mid-sentence and an ordinary word does not.
    let prose: String

    /// Lines already matched: the same line is asked about by several passes. By the line, with
    /// its bytes: two ways of writing one character are one key, and the subjects are the line's own text.
    private final class Memo {
        var strong: [String: (bytes: String, match: SubjectMatch?)] = [:]
        var weak: [String: (bytes: String, match: SubjectMatch?)] = [:]
        /// By the subject and the strictness, with the subject's bytes (two ways of writing one
        /// character are one key).
        var named: [NamedKey: (bytes: String, verdict: PairReader.NameVerdict)] = [:]
    }
    private struct NamedKey: Hashable {
        var subject: String
        var strict: Bool
    }
    private let memo = Memo()

    /// What the document says of whether a subject is a named thing, as `make` works it out:
    /// asked once for each subject of the document and strictness (`PairReader.isNamed` asks
    /// again for every line that pairs it).
    func rememberedNamed(_ subject: String, strict: Bool, _ make: () -> PairReader.NameVerdict) -> PairReader.NameVerdict {
        let key = NamedKey(subject: subject, strict: strict)
        if let known = memo.named[key], known.bytes.utf8.elementsEqual(subject.utf8) { return known.verdict }
        let answer = make()
        if memo.named.count < 4_096 { memo.named[key] = (subject, answer) }
        return answer
    }

    init(document: String, prose: String? = nil) {
        self.document = Self.bounded(document)
        self.prose = prose.map(Self.bounded) ?? self.document
    }

    static func bounded(_ text: String) -> String {
        guard text.utf8.count > 262_144 else { return text }
        var cut = text.utf8.index(text.utf8.startIndex, offsetBy: 262_144)
        while cut > text.startIndex, !text.unicodeScalars.indices.contains(cut) { cut = text.utf8.index(before: cut) }
        return String(text[..<cut])
    }

    /// Joiners between subjects that say "compared with" and nothing else.
    static let strongJoiners: FixedSet = ["vs", "vs.", "v.", "v/s", "versus", "对比", "contra"]
    /// Which kinds of joiner a line has, from one pass over its words (hashed, lower-cased, trailing
    /// punctuation dropped): "vs"-like, "over"-like, and the weak ones ("and", "or", "to"…).
    struct JoinerKinds: OptionSet {
        let rawValue: UInt8
        static let versus = JoinerKinds(rawValue: 1)
        static let prefer = JoinerKinds(rawValue: 2)
        static let weak = JoinerKinds(rawValue: 4)
    }

    private static func hashes(_ words: [String]) -> WordSet { WordSet(words: words) }
    /// The first word of every strong joiner, as `joinerKinds` sees it (trailing dots dropped).
    private static let versusHashes = hashes(strongJoiners.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
        + twoWordJoiners.map { String($0.prefix { $0 != " " }) })
    private static let preferHashes = hashes(["over", "beats", "against", "instead", "rather"])
    private static let weakHashes = hashes(Array(weakJoiners) + ["with", "to"])
    private static let andHash = Phrase.hash("and"), notHash = Phrase.hash("not")

    static func joinerKinds(_ text: String) -> JoinerKinds {
        var kinds: JoinerKinds = []
        var previous: UInt64 = 0
        // Word by word between spaces, hashed in place: a word of more than 12 bytes is no joiner
        // (and no "and" before a "not"); trailing punctuation is not part of one.
        spacedScripts(text).withBytes { bytes in
            let n = bytes.count
            var i = 0
            while i < n {
                guard bytes[i] != 32 else { i += 1; continue }
                var j = i + 1
                while j < n, bytes[j] != 32 { j += 1 }
                defer { i = j }
                guard j - i <= 12 else { previous = 0; continue }
                var end = j
                while end > i, bytes[end - 1] == 46 || bytes[end - 1] == 44 || bytes[end - 1] == 58 || bytes[end - 1] == 59
                    || bytes[end - 1] == 33 || bytes[end - 1] == 63 { end -= 1 }
                guard end > i else { continue }
                let h = Phrase.loweredHash(bytes, i, end).hash
                if versusHashes.contains(h) { kinds.insert(.versus) }
                else if preferHashes.contains(h) || h == notHash && previous == andHash { kinds.insert(.prefer) }
                else if weakHashes.contains(h) { kinds.insert(.weak) }
                previous = h
            }
        }
        return kinds
    }

    static let twoWordJoiners: FixedSet = ["compared to", "compared with", "comparado com", "comparado a", "frente a", "face à"]
    /// "Why we chose X over Y", "X beats Y", "Why Go and not Rust", "X instead of Y".
    static let preferJoiners: Set<String> = ["over", "beats", "instead", "rather", "and not", "against"]
    /// Joiners that also join ordinary words: "or", "and", "&", "with" (after "comparing"), "to" (after "from").
    static let weakJoiners: FixedSet = ["or", "and", "&", "与", "和", "或", "还是", "還是", "と", "か", "와", "과", "e", "ou", "y", "und", "et",
                                           // Vietnamese, Polish, Russian, Turkish and Indonesian.
                                           "và", "hay", "hoặc", "czy", "lub", "или", "и", "ve", "veya", "dan", "atau"]

    /// Words that start a sentence or a title but never a product name.
    static let stopwords: FixedSet = [
        "a", "an", "the", "our", "your", "my", "their", "its", "this", "that", "these", "those",
        "why", "how", "what", "what's", "whats", "which", "when", "where", "who", "whom", "should", "is", "are", "was",
        "do", "does", "did", "can", "could", "will", "would", "shall", "may", "might", "must",
        "compare", "comparing", "comparison", "compared", "choose", "choosing", "chose", "chosen", "pick", "picking",
        "picked", "use", "using", "used", "from", "to", "between", "in", "on", "of", "for", "with", "and", "or", "but",
        "by", "at", "migrating", "moving", "switching", "migrate", "move", "switch", "bleeding", "best", "top",
        "guide", "review", "reviews", "stop", "need", "want", "get", "find", "see", "difference", "differences",
        "hidden", "true", "real", "ultimate", "complete", "definitive", "quick", "honest", "i", "we", "you", "it",
        "not", "vs", "vs.", "versus", "over", "better", "worse", "choice", "than", "as", "into", "about", "after",
        "before", "go-to", "still", "why's", "entre", "qual", "o", "a", "e", "ou", "de", "da", "do", "escolher",
    ]
    /// Short words allowed inside a name ("Ruby on Rails", "Bank of America", "Prometheus & Grafana").
    static let connectors: FixedSet = ["on", "of", "de", "du", "der", "la", "le", "van", "von", "and", "&", "y", "+"]

    struct Token {
        var text: String          // with surrounding punctuation removed
        var raw: String
        /// `text.lowercased()` and `raw.lowercased()`, worked out once: the span and joiner tests
        /// ask for them again and again.
        var lowerText: String
        var lowerRaw: String
        var closesLeft: Bool       // punctuation after it: nothing to its left joins a name to its right
        var endsSpan: Bool         // punctuation after it: "Pulumi?" ends the right span
        var opens: Bool            // "(2026)": an aside starts here
        var quoteStart = false     // "'git pull' and 'git fetch'": a quoted term starts here…
        var quoteEnd = false       // …and ends here
    }

    /// Opening marks stripped from a word's start, as UTF-8 ("(", "“", "«"…).
    private static let openers: [[UInt8]] = ["\"", "“", "‘", "'", "(", "[", "{", "«", "`", "*"].map { Array($0.utf8) }
    /// Closing marks stripped from a word's end; the first six wrap a name and do not end a phrase.
    private static let wrapClosers: [[UInt8]] = ["\"", "”", "’", "'", "`", "*"].map { Array($0.utf8) }
    private static let possessive = Array("'s".utf8), curlyPossessive = Array("’s".utf8)
    /// Marks that quote a term: what they enclose is one subject, whatever its words.
    private static let quotes: [[UInt8]] = ["\"", "“", "”", "‘", "’", "'", "`"].map { Array($0.utf8) }
    private static let endClosers: [[UInt8]] = [")", "]", "}", "»", "?", "!", ",", ";", ":", ".", "：", "，", "、", "？", "！", "。", "）"].map { Array($0.utf8) }

    /// The words of a line, split at spaces, with their surrounding punctuation taken off
    /// (over the UTF-8 bytes: every line with a joiner is tokenized).
    static func tokenize(_ line: String) -> [Token] {
        var out: [Token] = []
        let bytes = line.byteArray
        let n = bytes.count
        out.reserveCapacity(n / 4 + 1)
        @inline(__always) func matches(_ m: [UInt8], at i: Int, _ limit: Int) -> Bool {
            guard i + m.count <= limit else { return false }
            for j in 0..<m.count where bytes[i + j] != m[j] { return false }
            return true
        }
        /// `lowercased()` of the text of `bytes[s..<e]`: over the bytes when they are ASCII.
        func lowered(_ s: Int, _ e: Int, _ text: String) -> String {
            bytes.withUnsafeBufferPointer { b in
                ByteText.allASCII(UnsafeBufferPointer(rebasing: b[s..<e])) ? ByteText.loweredString(b, s, e) : ByteText.lowercased(text)
            }
        }
        @inline(__always) func endsWith(_ m: [UInt8], _ s: Int, _ e: Int) -> Bool {
            guard e - s >= m.count else { return false }
            for j in 0..<m.count where bytes[e - m.count + j] != m[j] { return false }
            return true
        }
        var i = 0
        while i < n {
            while i < n, bytes[i] == 32 { i += 1 }
            guard i < n else { break }
            let rawStart = i
            while i < n, bytes[i] != 32 { i += 1 }
            let rawEnd = i
            var s = rawStart, e = rawEnd
            var opens = false, quoteStart = false, quoteEnd = false
            // Every opening and closing mark starts and ends with a byte that is no ASCII letter or
            // digit: a plain word (most tokens) is not searched for them.
            @inline(__always) func alphanumeric(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) }
            strip: while s < e, !alphanumeric(bytes[s]) {
                for m in openers where matches(m, at: s, e) {
                    if m.count == 1, m[0] == 40 || m[0] == 91 || m[0] == 123 { opens = true }
                    if quotes.contains(m) { quoteStart = true }
                    s += m.count
                    continue strip
                }
                break
            }
            var trailing = false
            close: while e > s, !alphanumeric(bytes[e - 1]) {
                for m in wrapClosers where endsWith(m, s, e) {
                    if quotes.contains(m) { quoteEnd = true }
                    e -= m.count
                    continue close
                }
                for m in endClosers where endsWith(m, s, e) {
                    // Keep a dot that belongs to the name ("Node.js" never ends in one; "Inc." does).
                    if m.count == 1, m[0] == 46, e - s >= 2, bytes[e - 2] != 46, bytes[s..<(e - 1)].contains(46) { break close }
                    trailing = true
                    e -= m.count
                    continue close
                }
                break
            }
            // "Paris’s": the possessive is not part of the name.
            if endsWith(possessive, s, e) { e -= 2; trailing = true }
            else if endsWith(curlyPossessive, s, e) { e -= 4; trailing = true }
            let raw = String(decoding: bytes[rawStart..<rawEnd], as: UTF8.self)
            let single = rawEnd - rawStart == 1 ? bytes[rawStart] : 0
            // ("–", "—" and "·" are two or three bytes: a longer token is none of them.)
            let dash = (2...3).contains(rawEnd - rawStart) && (raw == "–" || raw == "—" || raw == "·")
            let ends = trailing || single == 124 || single == 45 || dash
            let text = String(decoding: bytes[s..<e], as: UTF8.self)
            out.append(Token(text: text, raw: raw, lowerText: lowered(s, e, text), lowerRaw: lowered(rawStart, rawEnd, raw),
                             closesLeft: ends, endsSpan: ends, opens: opens, quoteStart: quoteStart, quoteEnd: quoteEnd))
        }
        return out
    }

    static func isNameLike(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        if first.isASCII {
            // An ASCII letter has a case, and only 0–9 are numbers.
            if (first.value >= 65 && first.value <= 90) || (first.value >= 48 && first.value <= 57) { return true }
        } else {
            let p = first.properties
            if p.isUppercase || p.numericType != nil { return true }
            if p.isAlphabetic && !p.isLowercase && !p.isUppercase { return true } // caseless scripts
        }
        // iOS, eBPF
        if word.isASCIIText ? word.anyByte(where: { $0 >= 65 && $0 <= 90 }) : word.unicodeScalars.contains(where: { $0.properties.isUppercase }) { return true }
        return word.containsCharacter([], or: ".+#/@") && word.containsCharacter(.letter)
    }

    /// A lower-case product name: letters (and digits or dots), not a common English word.
    /// - Parameter lower: the word lower-cased, when the caller has it.
    static func isLowercaseName(_ word: String, lower: String? = nil) -> Bool {
        if word.isPrintableASCII {
            // By the byte: a letter first, then letters, digits, "." and "-" (what `Character` says of ASCII).
            func letter(_ b: UInt8) -> Bool { b | 0x20 >= 97 && b | 0x20 <= 122 }
            guard word.utf8.count >= 2, let f = word.utf8.first, letter(f),
                  word.allBytes({ letter($0) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }) else { return false }
        } else {
            guard word.first?.isLetter == true, word.allCharacters([.letter, .number], or: ".-"), word.count >= 2 else { return false }
        }
        let lower = lower ?? ByteText.lowercased(word)
        return !commonWords.contains(lower) && !stopwords.contains(lower)
    }

    /// Lower-case words that are never a subject on their own.
    static let commonWords: FixedSet = [
        "cost", "costs", "price", "pricing", "speed", "performance", "security", "build", "buy", "rent", "own",
        "cloud", "premise", "on-premise", "serverless", "containers", "monolith", "microservices", "open", "closed",
        "source", "free", "paid", "managed", "self-hosted", "hosted", "sql", "nosql", "more", "less", "better", "worse",
        "one", "two", "both", "either", "neither", "other", "another", "teams", "team", "engineering", "enterprise",
        "it", "they", "them", "we", "you", "he", "she", "this", "that", "what", "which", "not", "no", "yes",
        "good", "bad", "clean", "dirty", "before", "after", "old", "new", "manual", "automated", "cheap", "fast", "slow",
        "right", "wrong", "simple", "complex", "easy", "hard", "small", "large", "big", "myth", "fact", "theory",
        "practice", "pros", "cons", "love", "hate", "remote", "office", "today", "tomorrow", "now", "then", "here",
        "there", "true", "false", "prompt", "prompts", "code", "names", "name", "design", "version", "way", "ways",
        "product", "products", "competitor", "competitors", "tool", "tools", "option", "options", "x", "y", "us",
        "them", "your", "my", "our", "their", "legacy", "modern", "traditional", "static", "dynamic",
        "service", "services", "software", "hardware", "data", "people", "process", "quality", "quantity", "online",
        "offline", "public", "private", "internal", "external", "local", "global", "agile", "waterfall", "expensive",
        "senior", "junior", "beginner", "expert", "short", "long", "high", "low", "hot", "cold", "left", "light", "dark",
        "mobile", "desktop", "web", "native", "hybrid", "full", "partial", "wrong", "correct", "bad", "worst", "best",
    ]

    // MARK: Lines

    /// The subjects a line names. Strong joiners are tried first, so "Build or Buy?
    /// Kubernetes vs Nomad" is about Kubernetes and Nomad; `weak` also allows the
    /// joiners of ordinary speech ("or", "and", "over"), as titles use them.
    func match(in line: String, weak: Bool) -> SubjectMatch? {
        // A comparison is named in a short line.
        guard line.utf8.count <= 1_000 else { return nil }
        let strong: SubjectMatch?
        if let known = memo.strong[line], known.bytes.utf8.elementsEqual(line.utf8) { strong = known.match } else {
            strong = findStrong(in: line)
            if memo.strong.count < 4_096 { memo.strong[line] = (line, strong) }
        }
        if strong != nil || !weak { return strong }
        if let known = memo.weak[line], known.bytes.utf8.elementsEqual(line.utf8) { return known.match }
        let tokens = Self.tokenize(Self.spacedScripts(line))
        var found = tokens.count >= 3 ? joinerMatch(tokens, strength: 2) ?? joinerMatch(tokens, strength: 1) : nil
        // "What is the difference between curl and wget?", "Vue和React有什么区别": a pair joined by
        // "and" that the line says it compares names its subjects as firmly as "vs" does.
        if var m = found, m.strength == 1, Self.saysItCompares(tokens) {
            m.strength = 3
            found = m
        }
        if memo.weak.count < 4_096 { memo.weak[line] = (line, found) }
        return found
    }

    /// Words that say a line compares what it names ("difference between", "comparing"), in the
    /// languages of the joiners: those starting "compar" (`isComparing`), and these; in the scripts
    /// written without spaces, a part of a word.
    static let differenceWords: Set<String> = [
        "difference", "differences", "differ", "diferença", "diferenças", "diferencia", "diferencias",
        "différence", "différences", "unterschied", "unterschiede", "vergleich",
        "differenza", "differenze", "confronto", "verschil", "verschillen",
        // Vietnamese ("so sánh": compare), Polish, Russian, Turkish and Indonesian.
        "sánh", "khác", "porównanie", "porównaj", "różnica", "różnice", "сравнение", "сравниваем", "разница", "отличия",
        "различия", "karşılaştırma", "fark", "farkı", "farklar", "perbandingan", "perbedaan",
    ]
    /// "Comparing", "comparison", "comparação", "comparaison"…
    static func isComparing(_ word: String) -> Bool { word.hasPrefix(comparingPrefix) }
    /// Articles, as written before a name ("the", "o", "el", "le", "der"…): lower case only.
    static let articles: Set<String> = ["the", "o", "os", "a", "as", "el", "la", "los", "las", "le", "les", "il", "lo", "der", "die", "das"]
    static let comparingParts = ["区别", "區別", "差异", "差異", "不同", "比较", "比較", "違い", "차이", "비교"]

    static func saysItCompares(_ line: String) -> Bool {
        // A line in ASCII says so only with one of the words looked for in it: most lines are told
        // from their bytes, without tokens.
        if line.isASCIIText {
            let lower = ByteText.lowered(line)
            guard comparingStems.contains(where: { ByteText.contains(lower, $0) }) else { return false }
        }
        return saysItCompares(tokenize(spacedScripts(line)))
    }

    /// What an ASCII line that says it compares holds, lower-cased: the prefix of `isComparing`,
    /// or one of the ASCII `differenceWords` (derived from them, so a word added there is found).
    static let comparingStems: [[UInt8]] = ([comparingPrefix] + differenceWords.filter(\.isASCIIText).sorted()).map { Array($0.utf8) }
    static let comparingPrefix = "compar"

    static func saysItCompares(_ tokens: [Token]) -> Bool {
        tokens.contains { token in
            let word = token.lowerText
            if isComparing(word) || differenceWords.contains(word) { return true }
            return word.utf8.contains { $0 >= 0xE0 } && comparingParts.contains { word.contains($0) }
        }
    }

    /// "A vs B (vs C…)": without a "vs"-like word there is none.
    private func findStrong(in line: String) -> SubjectMatch? {
        guard Self.joinerKinds(line).contains(.versus) || line.anyByte(where: { $0 >= 0x80 }) else { return nil }
        let tokens = Self.tokenize(Self.spacedScripts(line))
        guard tokens.count >= 3 else { return nil }
        return strongMatch(tokens)
    }

    /// Chinese, Japanese and Korean write no space between a Latin name and the words around it
    /// ("VueとReactの違い", "Vue和React的区别", "Vue와 React 비교"): a space goes where the scripts
    /// meet, so the names and the joiner between them are words of their own.
    static func spacedScripts(_ line: String) -> String {
        // Han, kana and Hangul all start at U+3040 or above: three-byte UTF-8 from 0xE3.
        guard line.anyByte(where: { $0 >= 0xE3 && $0 <= 0xED }) else { return line }
        func cjk(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x3040...0x30FF, 0x3400...0x9FFF, 0xF900...0xFAFF, 0x1100...0x11FF, 0xAC00...0xD7AF: return true
            default: return false
            }
        }
        func latin(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x2000 && (s.properties.isAlphabetic || s.properties.numericType != nil || "+#.".unicodeScalars.contains(s))
        }
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for s in line.unicodeScalars {
            if let p = previous, cjk(p) && latin(s) || latin(p) && cjk(s) { out.append(" ") }
            out.append(s)
            previous = s
        }
        return String(out)
    }

    /// The old single-pair interface: the first two subjects.
    func pair(in line: String, allowOr: Bool) -> (left: String, right: String, bare: Bool)? {
        guard let m = match(in: line, weak: allowOr), m.subjects.count >= 2 else { return nil }
        return (m.subjects[0], m.subjects[1], m.bare)
    }

    private func joinerLength(_ tokens: [Token], at i: Int, strength: Int) -> Int {
        // Every joiner is a short word ("compared" is the longest).
        guard tokens[i].raw.utf8.count <= 9 else { return 0 }
        let lower = tokens[i].lowerRaw
        let bare = tokens[i].lowerText
        switch strength {
        case 3:
            if Self.strongJoiners.contains(lower) || Self.strongJoiners.contains(bare) && !tokens[i].raw.hasSuffix(",") { return 1 }
            if i + 2 < tokens.count, Self.twoWordJoiners.contains(lower + " " + tokens[i + 1].lowerRaw) { return 2 }
            return 0
        case 2:
            if lower == "over" || lower == "beats" || lower == "against" { return 1 }
            if lower == "and", i + 2 < tokens.count, tokens[i + 1].lowerRaw == "not" { return 2 }
            if lower == "instead", i + 2 < tokens.count, tokens[i + 1].lowerRaw == "of" { return 2 }
            if lower == "rather", i + 2 < tokens.count, tokens[i + 1].lowerRaw == "than" { return 2 }
            return 0
        default:
            if Self.weakJoiners.contains(lower) { return 1 }
            if lower == "with" || lower == "com" || lower == "mit" {
                // "Comparing Vue.js with Angular": only after a verb of comparing.
                let before = tokens[..<i].map(\.lowerText)
                return before.contains(where: Self.isComparing) ? 1 : 0
            }
            if lower == "to" || lower == "para" {
                // "Switching from Webpack to Vite", "Migrating from X to Y".
                guard i >= 2, tokens[..<i].contains(where: { $0.lowerText == "from" || $0.lowerText == "de" }) else { return 0 }
                return 1
            }
            return 0
        }
    }

    /// "A vs B", "A vs B vs C vs D": the chain of strong joiners.
    private func strongMatch(_ all: [Token]) -> SubjectMatch? {
        var tokens = all
        // "Bad vs. good prompt vs. Claude": with no name left of a joiner, try the next one (a loop:
        // the number of joiners is the input's to choose).
        while true {
            switch strongMatchOnce(tokens) {
            case .found(let m): return m
            case .none: return nil
            case .retry(let from): tokens = Array(tokens[from...])
            }
        }
    }

    private enum Attempt { case found(SubjectMatch), none, retry(Int) }

    private func strongMatchOnce(_ tokens: [Token]) -> Attempt {
        var joiners: [(index: Int, length: Int)] = []
        var i = 1
        while i < tokens.count - 1 {
            let n = joinerLength(tokens, at: i, strength: 3)
            if n > 0, !tokens[i - 1].endsSpan || tokens[i - 1].raw.hasSuffix(".") && tokens[i - 1].text.contains(".") {
                joiners.append((i, n))
                i += n
            } else {
                i += 1
            }
        }
        guard let first = joiners.first else { return .none }
        let leftTokens = Array(tokens[..<first.index])
        guard let left = chooseLeft(leftTokens) else {
            // "Bad vs. good prompt" has no name on the left: try a later joiner.
            return joiners.count > 1 ? .retry(first.index + first.length) : .none
        }
        var subjects = [left]
        var bare = left.spaceCount == leftTokens.count
        var k = 0
        while k < joiners.count {
            let start = joiners[k].index + joiners[k].length
            if k + 1 < joiners.count {
                let span = tokens[start..<joiners[k + 1].index]
                if isValidSpan(span[...]), !span.dropLast().contains(where: \.endsSpan) {
                    subjects.append(spanText(span[...]))
                    k += 1
                    continue
                }
            }
            let rightTokens = Array(tokens[start...])
            guard var right = chooseRight(rightTokens) else {
                return subjects.count >= 2 ? finish(subjects, bare: false, joiner: "vs").map(Attempt.found) ?? .none : .none
            }
            // "Linked Lists vs Array Lists": the noun both sides end in names neither on its own.
            if subjects.count == 1, let (l, r) = sharedHead(leftTokens, rightTokens, left: left) {
                subjects = [l]
                right = r
            }
            bare = bare && right.spaceCount == rightTokens.count
            subjects.append(right)
            break
        }
        return finish(subjects, bare: bare, joiner: "vs").map(Attempt.found) ?? .none
    }

    /// The two sides as their word before the noun they share and the noun, when the left side
    /// was read as the noun alone ("Lists" of "Linked Lists vs Array Lists").
    private func sharedHead(_ l: [Token], _ r: [Token], left: String) -> (String, String)? {
        guard l.count >= 2, let head = l.last, left == head.text, !l[l.count - 2].closesLeft, r.count >= 2 else { return nil }
        let noun = head.lowerText
        guard let j = (1..<min(r.count, 4)).first(where: { r[$0].lowerText == noun }), !r[..<j].contains(where: \.endsSpan) else { return nil }
        let leftSpan = l[(l.count - 2)...], rightSpan = r[...j]
        guard isValidSpan(leftSpan), isValidSpan(rightSpan) else { return nil }
        return (spanText(leftSpan), spanText(rightSpan))
    }

    private func finish(_ subjects: [String], bare: Bool, joiner: String, strength: Int = 3) -> SubjectMatch? {
        // Distinct subjects only ("Redis vs Redis" is no comparison).
        var seen = Set<String>()
        for s in subjects where !seen.insert(Slug.make(s)).inserted { return nil }
        guard subjects.count >= 2 else { return nil }
        return SubjectMatch(subjects: subjects, strength: strength, joiner: joiner, bare: bare)
    }

    /// A single joiner of the given strength, and a list on its right ("with Angular and React").
    private func joinerMatch(_ tokens: [Token], strength: Int) -> SubjectMatch? {
        var i = 1
        while i < tokens.count - 1 {
            let n = joinerLength(tokens, at: i, strength: strength)
            // "Kubernetes, or Pulumi" is a list, not a pair.
            guard n > 0, !tokens[i - 1].endsSpan || (strength == 1 && tokens[i - 1].raw.hasSuffix(",") && isList(tokens, before: i)) else {
                i += 1
                continue
            }
            let leftTokens = Array(tokens[..<i])
            // "… entre o MongoDB e o MySQL": an article before the right-hand name is not part of it.
            var rightStart = i + n
            if rightStart + 1 < tokens.count, Self.articles.contains(tokens[rightStart].raw) { rightStart += 1 }
            let rightTokens = Array(tokens[rightStart...])
            if var left = chooseLeft(leftTokens), let right = chooseRight(rightTokens) {
                var subjects = [left, right]
                // "Comparing A, B and C": names before the last joiner, separated by commas.
                if strength == 1, tokens[i - 1].raw.hasSuffix(",") || leftTokens.count >= 3 {
                    var end = i - left.spaceCount
                    var more: [String] = []
                    while end >= 2, tokens[end - 1].raw.hasSuffix(",") {
                        var start = end - 1
                        while start > 0, !tokens[start - 1].endsSpan, isValidSpan(tokens[(start - 1)..<end]) { start -= 1 }
                        let span = tokens[start..<end]
                        guard isValidSpan(span) else { break }
                        more.insert(spanText(span), at: 0)
                        end = start
                    }
                    if !more.isEmpty { subjects = more + subjects; left = subjects[0] }
                }
                // "… with Angular and React": a list on the right.
                var after = rightStart + right.spaceCount
                while after + 1 < tokens.count, tokens[after - 1].raw.hasSuffix(",") || ["and", "&", "or"].contains(tokens[after].lowerRaw) {
                    let skip = ["and", "&", "or"].contains(tokens[after].lowerRaw) ? 1 : 0
                    guard let next = chooseRight(Array(tokens[(after + skip)...])) else { break }
                    subjects.append(next)
                    after += skip + next.spaceCount
                }
                let bare = subjects.reduce(0) { $0 + $1.spaceCount } + (subjects.count - 1) == tokens.count
                let joiner = tokens[i..<(i + n)].map(\.raw).joined(separator: " ").lowercased()
                if let m = finish(subjects, bare: bare, joiner: joiner, strength: strength) { return m }
            }
            i += 1
        }
        return nil
    }

    private func isList(_ tokens: [Token], before i: Int) -> Bool {
        tokens[..<i].contains { $0.raw.hasSuffix(",") }
    }

    func isValidSpan(_ span: ArraySlice<Token>) -> Bool {
        // (The tokens are read in place, by index: a copy of one retains its four strings.)
        guard !span.isEmpty, span.count <= 5 else { return false }
        let first = span.startIndex, last = span.endIndex - 1
        if Self.stopwords.contains(span[first].lowerText) { return false }
        for i in first + 1..<span.endIndex where span[i].opens { return false }
        // A single lower-case word is a name too ("containerd", "npm"), unless it is a common word.
        if span.count == 1, Self.isLowercaseName(span[first].text, lower: span[first].lowerText) { return true }
        if !Self.isNameLike(span[first].text) || !Self.isNameLike(span[last].text) { return false }
        if Self.connectors.contains(span[last].lowerText) || span[last].text == "&" { return false }
        for i in first + 1..<max(first + 1, last) where !Self.isNameLike(span[i].text) && !Self.connectors.contains(span[i].lowerText) {
            return false
        }
        for i in span.indices where span[i].text.isEmpty || Self.strongJoiners.contains(span[i].lowerText) { return false }
        return true
    }

    private func spanText(_ span: ArraySlice<Token>) -> String {
        span.map(\.text).joined(separator: " ")
    }

    /// The longest candidate that recurs about as often as the shortest one does on its
    /// own ("AWS" inside "AWS CloudFormation" does not count for "AWS").
    private func choose(_ candidates: [String]) -> String? {
        guard let shortest = candidates.first else { return nil }
        let threshold = max(2, (support(shortest, standalone: true) + 1) / 2)
        var best = shortest
        for c in candidates.dropFirst() where support(c) >= threshold { best = c }
        return best
    }

    func chooseLeft(_ tokens: [Token]) -> String? {
        // "'git pull' and …": a quoted term next to the joiner is the subject, as quoted.
        if let last = tokens.indices.last, tokens[last].quoteEnd,
           let open = stride(from: last, through: max(0, last - 4), by: -1).first(where: { tokens[$0].quoteStart }) {
            let span = tokens[open...last]
            if !span.contains(where: { $0.text.isEmpty }) { return spanText(span) }
        }
        var candidates: [String] = []
        var start = tokens.count - 1
        while start >= 0 {
            if start < tokens.count - 1, tokens[start].closesLeft { break }
            let span = tokens[start...]
            if isValidSpan(span) { candidates.append(spanText(span)) }
            if tokens[start].opens || tokens.count - start >= 5 { break }
            start -= 1
        }
        // A bare line names the subject exactly: take the whole side when it is a name.
        if tokens.count <= 5, isValidSpan(tokens[...]), !tokens.dropLast().contains(where: \.closesLeft) {
            let whole = spanText(tokens[...])
            if candidates.last == whole, support(whole) >= 2 { return whole }
        }
        return choose(candidates)
    }

    func chooseRight(_ tokens: [Token]) -> String? {
        if let first = tokens.first, first.quoteStart,
           let close = (0..<min(tokens.count, 5)).first(where: { tokens[$0].quoteEnd }) {
            let span = tokens[...close]
            if !span.contains(where: { $0.text.isEmpty }) { return spanText(span) }
        }
        var candidates: [String] = []
        var end = 0
        while end < tokens.count {
            if end > 0, tokens[end].opens { break }
            let span = tokens[...end]
            if isValidSpan(span) { candidates.append(spanText(span)) }
            if tokens[end].endsSpan || end >= 4 { break }
            end += 1
        }
        if tokens.count <= 5, isValidSpan(tokens[...]), !tokens.dropLast().contains(where: \.endsSpan) {
            let whole = spanText(tokens[...])
            if candidates.last == whole, support(whole) >= 2 { return whole }
        }
        return choose(candidates)
    }

    /// How often `phrase` occurs in the document as whole words. `standalone` counts
    /// only occurrences not joined to a neighbouring capitalised word.
    func support(_ phrase: String, standalone: Bool = false) -> Int {
        support(phrase, standalone: standalone, midSentence: false)
    }

    /// Occurrences that start mid-sentence (after a word or a comma, not after a full stop or
    /// at a line start): a name keeps its capital there, an ordinary word does not.
    func midSentence(_ phrase: String) -> Int {
        support(phrase, standalone: false, midSentence: true)
    }

    private func support(_ phrase: String, standalone: Bool, midSentence: Bool) -> Int {
        // A byte search over the UTF-8 (an exact match of scalars, as `.literal` is), with no
        // bridging of the whole document for every phrase.
        guard !phrase.isEmpty else { return 0 }
        var count = 0
        var document = midSentence ? prose : document
        document.withUTF8 { hay in
            guard let base = hay.baseAddress else { return }
            var from = 0
            // (The phrase's bytes read in place, not copied for each phrase asked about.)
            phrase.withBytes { needleBytes in
                let n = needleBytes.count
                while from + n <= hay.count,
                      let hit = memchr(base + from, Int32(needleBytes[0]), hay.count - from - n + 1) {
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, needleBytes.baseAddress!, n) == 0 {
                        let beforeOK = at == 0 || !Self.isWordByte(hay, at - 1)
                        let afterOK = at + n == hay.count || !Self.isWordByte(hay, at + n)
                        if beforeOK && afterOK {
                            if midSentence {
                                if Self.startsMidSentence(hay, at) { count += 1 }
                            } else if !standalone || !Self.joinedToName(hay, at, n) {
                                count += 1
                            }
                        }
                        from = at + n
                    } else {
                        from = at + 1
                    }
                }
            }
        }
        return count
    }

    /// A letter, digit, "+" or "#" byte, or any byte of a non-ASCII scalar (treated as a letter).
    private static func isWordByte(_ hay: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = hay[i]
        if b >= 0x80 {
            // A non-ASCII letter continues a word; punctuation such as "’" or "—" does not.
            var start = i
            while start > 0, hay[start] & 0xC0 == 0x80 { start -= 1 }
            var end = start + 1
            while end < hay.count, hay[end] & 0xC0 == 0x80 { end += 1 }
            guard let s = String(bytes: UnsafeBufferPointer(rebasing: hay[start..<end]), encoding: .utf8)?.unicodeScalars.first else { return false }
            return s.properties.isAlphabetic || s.properties.numericType != nil
        }
        return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 43 || b == 35
    }

    private static func startsMidSentence(_ hay: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        var i = at - 1
        guard i >= 0, hay[i] == 32 || hay[i] == 40 || hay[i] == 34 else { return false }
        while i >= 0, hay[i] == 32 || hay[i] == 40 || hay[i] == 34 { i -= 1 }
        guard i >= 0 else { return false }
        let b = hay[i]
        if b == 10 { return false }
        if b == 46 || b == 33 || b == 63 || b == 58 { return false }
        // After a word (of any script) or a comma; not after an emoji or a symbol.
        return (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 44 || b == 59 || b >= 0x80 && isWordByte(hay, i)
    }

    /// Whether the match is preceded or followed (across one space) by a capitalised word.
    private static func joinedToName(_ hay: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int) -> Bool {
        let end = at + n
        if end + 1 < hay.count, hay[end] == 32 {
            let next = hay[end + 1]
            if next >= 65 && next <= 90 { return true }
        }
        if at >= 2, hay[at - 1] == 32 {
            let prev = hay[at - 2]
            // The end of a capitalised word right before: "Amazon ECS".
            if prev != 46 && prev != 33 && prev != 63 && prev != 10 {
                var start = at - 2
                while start > 0, isWordByte(hay, start - 1) { start -= 1 }
                let f = hay[start]
                if f >= 65 && f <= 90, isWordByte(hay, at - 2) { return true }
            }
        }
        return false
    }
}
