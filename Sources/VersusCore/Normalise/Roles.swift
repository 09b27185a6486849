import Foundation

/// Gives a section its role from what it says, not from a list of known headings.
///
/// Each role collects points from cues in the heading (strong) and the body
/// (weak); the highest score wins, and a section with no clear cue is `other`.
/// Cues are phrases, matched on whole words.
enum RoleClassifier {
    struct Input {
        var heading: String
        /// The body as plain text, one string per paragraph or list item.
        var paragraphs: [String]
        var subjects: [String]
        var index: Int
        var count: Int
    }

    // MARK: Lexicon

    /// Verbs that open an offer or an instruction to the reader.
    static let offerVerbs: Set<String> = [
        "get", "book", "schedule", "start", "try", "talk", "contact", "request", "claim", "download",
        "join", "subscribe", "sign", "stop", "need", "want", "ready", "let's", "lets", "discover",
        "calculate", "unlock", "call", "email", "hire", "speak", "chat", "grab", "reserve",
        "apply", "register", "reach", "ask", "don't", "dont", "unsure", "curious", "interested",
    ]
    static let offerPhrases: [String] = [
        "free", "demo", "trial", "consultation", "consult", "call to action", "next step", "next steps",
        "get started", "contact us", "work with us", "book a", "talk to", "expert", "quote", "pricing call",
        "assessment", "evaluation", "diagnostic", "sign up", "get in touch", "reach out", "learn more",
    ]
    static let offerBodyCues: [String] = [
        "book", "schedule", "contact", "a call", "call us", "email us", "demo", "free", "trial", "consultation",
        "evaluation", "sign up", "get in touch", "reach out", "minute", "minutes", "today", "calculate",
        "diagnostic", "assessment", "offer", "workshop", "click", "sign-up", "30-minute", "15-minute", "20-minute",
        "i tell you", "we tell you", "you describe", "no obligation",
    ]
    /// Sentence openers that ask the reader to act on an offer.
    static let imperativeOpeners: Set<String> = [
        "use", "book", "get", "contact", "schedule", "don't", "dont", "stop", "try", "talk",
        "request", "let's", "call", "email", "download", "sign", "join", "claim", "reach", "ask",
        "grab", "reserve", "apply", "register",
    ]
    static let firstPerson: Set<String> = ["our", "we", "us", "my", "i", "we're", "we've", "i'm"]
    static let verdictPhrases: [String] = [
        "verdict", "recommendation", "recommendations", "recommend", "bottom line", "our take", "take",
        "opinion", "view", "stance", "position", "advantage", "advantages", "approach", "conclusion",
        "which one", "pick", "winner", "final thoughts", "final word", "why us", "why choose us",
        "where we stand", "the case for", "summary", "edge",
    ]
    static let strongTechnical: [String] = [
        "technical", "technically", "technology", "architecture", "architectural", "breakdown",
        "distinction", "deep dive", "under the hood", "internals", "how it works", "how they work",
        "implementation", "differences", "difference", "differ", "head to head", "head-to-head",
        "specs", "comparison", "compare", "compared", "specifications", "mechanics", "side by side", "side-by-side",
    ]
    static let weakTechnical: [String] = [
        "performance", "design", "features", "capabilities", "stack", "infrastructure", "scalability",
        "security", "integration", "integrations", "benchmark", "benchmarks", "protocol", "api",
        "latency", "throughput", "data model", "compatibility",
    ]
    static let technicalVocabulary: [String] = [
        "api", "protocol", "latency", "throughput", "kernel", "consensus", "database", "cluster",
        "deployment", "runtime", "architecture", "control plane", "network", "networking", "state",
        "distributed", "container", "orchestration", "compute", "infrastructure", "asynchronous",
        "synchronous", "webhook", "scheduling", "replication", "cache", "query", "schema", "compile",
        "compile-time", "plugin", "plugins", "grpc", "rest", "http", "sdk", "cli", "etcd", "raft",
    ]
    static let focusPhrases: [String] = [
        "competitor", "competitors", "competition", "alternative", "alternatives", "vendor", "rival",
        "incumbent", "focus", "profile", "at a glance", "what is", "strengths", "weaknesses", "pros",
        "cons", "when to choose", "when to use", "why choose", "about", "spotlight", "in brief",
    ]

    static let approachWords: Set<String> = ["approach", "method", "methodology", "framework", "platform", "team", "view"]

    /// "Exogram's diagnostic approach": a name in the possessive, then an approach word.
    static func publisherPossessive(_ body: Phrase) -> Bool {
        let w = body.hashes
        for i in body.possessives {
            if i + 1 < w.count, approachHashes.contains(w[i + 1]) { return true }
            if i + 2 < w.count, possessiveQualifiers.contains(w[i + 1]), approachHashes.contains(w[i + 2]) { return true }
        }
        return false
    }

    /// Heading cues, by category: offers, verdicts, strong and weak technical words, focus words.
    static let headingLexicon = Lexicon([offerPhrases, verdictPhrases, strongTechnical, weakTechnical, focusPhrases])
    /// Body cues: offers, technical vocabulary.
    static let bodyLexicon = Lexicon([offerBodyCues, technicalVocabulary])
    static let offerVerbHashes = Set(offerVerbs.map(Phrase.hash))
    static let imperativeHashes = Set(imperativeOpeners.map(Phrase.hash))
    static let firstPersonHashes = Set(firstPerson.map(Phrase.hash))
    static let approachHashes = Set(approachWords.map(Phrase.hash))
    static let possessiveQualifiers = Set(["diagnostic", "proprietary", "own"].map(Phrase.hash))
    static let you = Phrase.hash("you"), your = Phrase.hash("your"), overview = Phrase.hash("overview")

    // MARK: Classification

    static func classify(_ input: Input) -> Role {
        let heading = Phrase(input.heading)
        // The opening of the body says what a section is for; long technical sections need not be read to the end.
        let body = Phrase(Phrase.opening(input.paragraphs, maxBytes: 1200), keepWords: false)
        let h = headingLexicon.counts(in: heading.hashes)
        let b = bodyLexicon.counts(in: body.hashes)
        let subjects = input.subjects.map { Phrase($0).normalised }
        let subjectLexicon = Lexicon(subjects.map { [$0] })
        let subjectsInHeading = subjectLexicon.counts(in: heading.hashes).filter { $0 > 0 }.count
        let isLast = input.index == input.count - 1

        var cta = 0, our = 0, technical = 0, focus = 0

        // Call to action: an offer addressed to the reader.
        if let first = heading.hashes.first, offerVerbHashes.contains(first) { cta += 4 }
        cta += min(4, h[0] * 2)
        let ctaHeading = cta
        let bodyOffers = b[0]
        cta += min(4, bodyOffers)
        let imperatives = body.openers.filter { imperativeHashes.contains(body.hashes[$0]) }.count
        cta += min(4, imperatives * 2)
        if bodyOffers > 0 && (body.containsWord(you) || body.containsWord(your)) { cta += 1 }
        if isLast && cta > 0 { cta += 1 }

        // The publisher's own position.
        if heading.hashes.contains(where: firstPersonHashes.contains) { our += 4 }
        our += min(3, h[1] * 3)
        let ourHeading = our
        our += min(2, body.hashes.filter(firstPersonHashes.contains).count)
        if publisherPossessive(body) { our += 1 }

        // The technical breakdown.
        technical += min(3, h[2] * 3)
        technical += min(2, h[3] * 2)
        if subjectsInHeading >= 2 { technical += 2 }
        let technicalHeading = technical
        let bothSubjects = input.subjects.count == 2 && subjectLexicon.counts(in: body.hashes).allSatisfy { $0 > 0 }
        let vocabulary = b[1]
        if technical > 0 {
            if bothSubjects { technical += 1 }
            if input.paragraphs.reduce(0, { $0 + $1.utf8.count }) > 400 { technical += 1 }
            if vocabulary >= 3 { technical += 1 }
        } else if bothSubjects && input.paragraphs.reduce(0, { $0 + $1.utf8.count }) > 600 && vocabulary >= 5 {
            technical = 3  // an unmistakably technical body under a neutral heading
        }

        // A focus on one subject (or on "the competitor").
        if subjectsInHeading == 1 {
            focus += 3
            if heading.containsWord(overview) { focus += 2 }
        }
        focus += min(3, h[4] * 3)
        let focusHeading = focus
        if let first = input.paragraphs.first,
           input.subjects.contains(where: { first.hasPrefix($0 + " ") || first.hasPrefix($0 + "'") || first.hasPrefix($0 + "’") }) {
            focus += 1
        }

        // The highest total wins; on a tie, the role the heading speaks for; then the earlier role.
        let scored: [(role: Role, total: Int, heading: Int)] = [
            (.callToAction, cta, ctaHeading), (.ourPosition, our, ourHeading),
            (.technical, technical, technicalHeading), (.subjectFocus, focus, focusHeading),
        ]
        var best = scored[0]
        for s in scored.dropFirst() where (s.total, s.heading) > (best.total, best.heading) { best = s }
        return best.total >= 3 ? best.role : .other
    }
}

/// The words of a text, lower-cased: as 64-bit hashes (for cue matching) and,
/// for short texts such as headings, as strings. Also which words open a
/// sentence, and which end in a possessive "'s".
struct Phrase {
    let text: String
    let hashes: [UInt64]
    let words: [String]
    /// Indices of words that start a sentence (or the text).
    let openers: [Int]
    /// Indices of words that end in "'s".
    let possessives: [Int]

    init(_ text: String, keepWords: Bool = true) {
        self.text = text
        var hashes: [UInt64] = []
        var words: [String] = []
        var openers: [Int] = []
        var possessives: [Int] = []
        var sentenceEnded = true
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func finish() {
            // Trim trailing . - ' and leading - ' from the word.
            var lo = 0, hi = current.count
            while hi > lo, current[hi - 1] == 46 || current[hi - 1] == 45 || current[hi - 1] == 39 { hi -= 1 }
            while lo < hi, current[lo] == 45 || current[lo] == 39 { lo += 1 }
            if lo < hi {
                if sentenceEnded { openers.append(hashes.count) }
                if hi - lo > 2, current[hi - 1] == 115, current[hi - 2] == 39 { possessives.append(hashes.count) }
                hashes.append(Phrase.hash(current[lo..<hi]))
                if keepWords { words.append(String(decoding: current[lo..<hi], as: UTF8.self)) }
                var dot = false
                for k in lo..<hi where current[k] == 46 { dot = true; break }
                sentenceEnded = current.last == 46 && !dot
            }
            current.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 128 {
                if (v >= 97 && v <= 122) || (v >= 48 && v <= 57) || v == 39 || v == 43 || v == 35 || v == 38 || v == 45 || v == 46 {
                    current.append(UInt8(v))
                } else if v >= 65 && v <= 90 {
                    current.append(UInt8(v + 32))
                } else {
                    if !current.isEmpty { finish() }
                    if v == 33 || v == 63 { sentenceEnded = true }   // "!" and "?"
                }
            } else if v == 0x2019 {
                current.append(39)
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current += Array(String(scalar).lowercased().utf8)
            } else if !current.isEmpty {
                finish()
            }
        }
        if !current.isEmpty { finish() }
        self.hashes = hashes
        self.words = words
        self.openers = openers
        self.possessives = possessives
    }

    /// The first `maxBytes` or so of some paragraphs, cut at a space.
    static func opening(_ paragraphs: [String], maxBytes: Int) -> String {
        var out = ""
        for p in paragraphs {
            if !out.isEmpty { out += " " }
            let room = maxBytes - out.utf8.count
            if p.utf8.count <= room { out += p; continue }
            var cut = p.utf8.index(p.utf8.startIndex, offsetBy: max(0, room))
            while cut > p.utf8.startIndex, p.utf8[cut] != 32 { cut = p.utf8.index(before: cut) }
            out += String(p[..<cut])
            break
        }
        return out
    }

    /// FNV-1a, never 0 (0 marks an empty slot in `Lexicon`).
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h | 1
    }

    static func hash(_ word: String) -> UInt64 { hash(ArraySlice(Array(word.utf8))) }

    /// The phrase's words joined by single spaces.
    var normalised: String { words.joined(separator: " ") }

    /// Whole-word match of a phrase (any casing and punctuation; compared by words).
    func contains(_ phrase: String) -> Bool {
        Lexicon([[phrase]]).counts(in: hashes)[0] > 0
    }

    func containsWord(_ word: UInt64) -> Bool { hashes.contains(word) }
}

/// Lists of cue phrases, indexed by the hash of their first word in an
/// open-addressing table, and matched in one pass over a text's word hashes.
struct Lexicon: Sendable {
    private struct Entry: Sendable {
        var category: Int
        var id: Int             // the phrase's number in the lexicon
        var rest: [UInt64]      // the phrase's further words
    }
    private var total = 0
    private var keys: [UInt64]
    private var slots: [[Entry]]
    private let mask: Int
    let categories: Int

    /// - Parameter lists: one list of phrases per category.
    init(_ lists: [[String]]) {
        var size = 16
        let phraseCount = lists.reduce(0) { $0 + $1.count }
        while size < phraseCount * 4 { size *= 2 }
        keys = [UInt64](repeating: 0, count: size)
        slots = [[Entry]](repeating: [], count: size)
        mask = size - 1
        categories = lists.count
        for (category, list) in lists.enumerated() {
            for phrase in list {
                let words = Phrase(phrase).hashes
                guard let first = words.first else { continue }
                var i = Int(truncatingIfNeeded: first) & mask
                while keys[i] != 0 && keys[i] != first { i = (i + 1) & mask }
                keys[i] = first
                slots[i].append(Entry(category: category, id: total, rest: Array(words.dropFirst())))
                total += 1
            }
        }
    }

    /// For each category, how many different phrases of it occur in the text.
    func counts(in words: [UInt64]) -> [Int] {
        var counts = [Int](repeating: 0, count: categories)
        var seen = [Bool](repeating: false, count: total)
        for i in words.indices {
            var slot = Int(truncatingIfNeeded: words[i]) & mask
            while keys[slot] != 0 && keys[slot] != words[i] { slot = (slot + 1) & mask }
            guard keys[slot] != 0 else { continue }
            for entry in slots[slot] where i + entry.rest.count < words.count && !seen[entry.id] {
                var match = true
                for (k, w) in entry.rest.enumerated() where words[i + 1 + k] != w {
                    match = false
                    break
                }
                if match {
                    seen[entry.id] = true
                    counts[entry.category] += 1
                }
            }
        }
        return counts
    }
}
