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
    static let offerPhrases = [
        "free", "demo", "trial", "consultation", "consult", "call to action", "next step", "next steps",
        "get started", "contact us", "work with us", "book a", "talk to", "expert", "quote", "pricing call",
        "assessment", "evaluation", "diagnostic", "sign up", "get in touch", "reach out", "learn more",
    ]
    static let offerBodyCues = [
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
    static let verdictPhrases = [
        "verdict", "recommendation", "recommendations", "recommend", "bottom line", "our take", "take",
        "opinion", "view", "stance", "position", "advantage", "advantages", "approach", "conclusion",
        "which one", "pick", "winner", "final thoughts", "final word", "why us", "why choose us",
        "where we stand", "the case for", "summary", "edge",
    ]
    static let strongTechnical = [
        "technical", "technically", "technology", "architecture", "architectural", "breakdown",
        "distinction", "deep dive", "under the hood", "internals", "how it works", "how they work",
        "implementation", "differences", "difference", "differ", "head to head", "head-to-head",
        "specs", "comparison", "compare", "compared", "specifications", "mechanics", "side by side", "side-by-side",
    ]
    static let weakTechnical = [
        "performance", "design", "features", "capabilities", "stack", "infrastructure", "scalability",
        "security", "integration", "integrations", "benchmark", "benchmarks", "protocol", "api",
        "latency", "throughput", "data model", "compatibility",
    ]
    static let technicalVocabulary = [
        "api", "protocol", "latency", "throughput", "kernel", "consensus", "database", "cluster",
        "deployment", "runtime", "architecture", "control plane", "network", "networking", "state",
        "distributed", "container", "orchestration", "compute", "infrastructure", "asynchronous",
        "synchronous", "webhook", "scheduling", "replication", "cache", "query", "schema", "compile",
        "compile-time", "plugin", "plugins", "grpc", "rest", "http", "sdk", "cli", "etcd", "raft",
    ]
    static let focusPhrases = [
        "competitor", "competitors", "competition", "alternative", "alternatives", "vendor", "rival",
        "incumbent", "focus", "profile", "at a glance", "what is", "strengths", "weaknesses", "pros",
        "cons", "when to choose", "when to use", "why choose", "about", "spotlight", "in brief",
    ]

    // MARK: Classification

    static func classify(_ input: Input) -> Role {
        let heading = Phrase(input.heading)
        let body = Phrase(input.paragraphs.joined(separator: " "))
        let firstWord = heading.words.first ?? ""
        let subjectsInHeading = input.subjects.filter { heading.contains(Phrase($0).normalised) }
        let isLast = input.index == input.count - 1

        var cta = 0, our = 0, technical = 0, focus = 0

        // Call to action: an offer addressed to the reader.
        if offerVerbs.contains(firstWord) { cta += 4 }
        cta += min(4, offerPhrases.filter(heading.contains).count * 2)
        let ctaHeading = cta
        let bodyOffers = offerBodyCues.filter(body.contains).count
        cta += min(4, bodyOffers)
        let imperatives = input.paragraphs.flatMap { Text.sentences($0) }
            .filter { imperativeOpeners.contains(Phrase($0).words.first ?? "") }.count
        cta += min(4, imperatives * 2)
        if bodyOffers > 0 && (body.words.contains("you") || body.words.contains("your")) { cta += 1 }
        if isLast && cta > 0 { cta += 1 }

        // The publisher's own position.
        if heading.words.contains(where: firstPerson.contains) { our += 4 }
        our += min(3, verdictPhrases.filter(heading.contains).count * 3)
        let ourHeading = our
        our += min(2, body.words.filter(firstPerson.contains).count)
        if body.text.range(of: #"\b[A-Z][\w-]*['’]s (diagnostic |proprietary |own )?(approach|method|methodology|framework|platform|team|view)\b"#,
                           options: .regularExpression) != nil { our += 1 }

        // The technical breakdown.
        technical += min(3, strongTechnical.filter(heading.contains).count * 3)
        technical += min(2, weakTechnical.filter(heading.contains).count * 2)
        if subjectsInHeading.count >= 2 { technical += 2 }
        let technicalHeading = technical
        let bothSubjects = input.subjects.count == 2 && input.subjects.allSatisfy { body.contains(Phrase($0).normalised) }
        let vocabulary = technicalVocabulary.filter(body.contains).count
        if technical > 0 {
            if bothSubjects { technical += 1 }
            if body.text.count > 400 { technical += 1 }
            if vocabulary >= 3 { technical += 1 }
        } else if bothSubjects && body.text.count > 600 && vocabulary >= 5 {
            technical = 3  // an unmistakably technical body under a neutral heading
        }

        // A focus on one subject (or on "the competitor").
        if subjectsInHeading.count == 1 {
            focus += 3
            if heading.contains("overview") { focus += 2 }
        }
        focus += min(3, focusPhrases.filter(heading.contains).count * 3)
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

/// Lower-cased words of a text, for whole-word phrase matching.
struct Phrase {
    let text: String
    let words: [String]
    let normalised: String

    init(_ text: String) {
        self.text = text
        var words: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "'" || ch == "’" || ch == "+" || ch == "#" || ch == "&" || ch == "-" || ch == "." {
                current.append(ch == "’" ? "'" : ch)
            } else if !current.isEmpty {
                words.append(Phrase.trimWord(current))
                current = ""
            }
        }
        if !current.isEmpty { words.append(Phrase.trimWord(current)) }
        self.words = words.filter { !$0.isEmpty }
        self.normalised = " " + self.words.joined(separator: " ") + " "
    }

    private static func trimWord(_ w: String) -> String {
        var w = Substring(w)
        while let l = w.last, l == "." || l == "-" || l == "'" { w = w.dropLast() }
        while let f = w.first, f == "-" || f == "'" { w = w.dropFirst() }
        return String(w)
    }

    /// Whole-word match of a phrase (given as plain lower-case words, or already normalised).
    func contains(_ phrase: String) -> Bool {
        let needle = phrase.hasPrefix(" ") ? phrase : " " + phrase + " "
        return normalised.contains(needle)
    }
}
