import Foundation

/// The two subjects a comparison text names, in the order it names them.
struct SubjectPair: Hashable {
    var left: String
    var right: String
    /// The whole line was just the pair ("Kubernetes vs Stripe").
    var bare: Bool
}

/// Finds "A vs B" in a line of a comparison text.
///
/// A line such as "Bleeding Runway on Kubernetes or Pulumi?" does not say where
/// each subject starts, so every span of name-like words next to the joiner is
/// a candidate ("Kubernetes", "Runway on Kubernetes", …). The longest span that
/// the rest of the document also uses about as often as the shortest one wins:
/// "Ruby on Rails" recurs as a whole, "Runway on Kubernetes" does not.
struct SubjectFinder {
    /// All lines of the document, used to count how often a candidate recurs.
    let document: String

    /// Joiners between the subjects. `or` only counts in title lines, where it
    /// joins two names; in prose it is far too common.
    static let strongJoiners: Set<String> = ["vs", "vs.", "v.", "v/s", "versus", "against"]
    static let twoWordJoiners: Set<String> = ["compared to", "compared with"]

    /// Words that start a sentence or a title but never a product name.
    static let stopwords: Set<String> = [
        "a", "an", "the", "our", "your", "my", "their", "its", "this", "that", "these", "those",
        "why", "how", "what", "which", "when", "where", "who", "whom", "should", "is", "are", "was",
        "do", "does", "did", "can", "could", "will", "would", "shall", "may", "might", "must",
        "compare", "comparing", "comparison", "choose", "choosing", "pick", "picking", "use", "using",
        "from", "to", "between", "in", "on", "of", "for", "with", "and", "or", "but", "by", "at",
        "migrating", "moving", "switching", "migrate", "move", "switch", "bleeding", "best", "top",
        "guide", "review", "reviews", "stop", "need", "want", "get", "find", "see",
        "hidden", "true", "real", "ultimate", "complete", "definitive", "quick", "honest",
    ]
    /// Short words allowed inside a name ("Ruby on Rails", "Bank of America").
    static let connectors: Set<String> = ["on", "of", "de", "du", "der", "la", "le", "van", "von", "and", "&", "y"]

    struct Token {
        var text: String          // with surrounding punctuation removed
        var raw: String
        var closesLeft: Bool       // punctuation before a name: "Compare:" cannot be part of the left span
        var endsSpan: Bool         // punctuation after it: "Pulumi?" ends the right span
    }

    static func tokenize(_ line: String) -> [Token] {
        line.split(separator: " ").map { rawSub in
            let raw = String(rawSub)
            var text = Substring(raw)
            while let f = text.first, "\"“‘'([{«".contains(f) { text = text.dropFirst() }
            var trailing = ""
            while let l = text.last, "\"”’')]}»?!,;:.".contains(l) {
                // Keep a dot that belongs to the name ("Node.js" never ends in one; "Inc." does).
                if l == ".", text.dropLast().contains(".") { break }
                trailing.append(l)
                text = text.dropLast()
            }
            let ends = !trailing.isEmpty || raw == "|" || raw == "–" || raw == "—" || raw == "-"
            return Token(text: String(text), raw: raw, closesLeft: ends, endsSpan: ends)
        }
    }

    static func isNameLike(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        let p = first.properties
        if p.isUppercase || p.numericType != nil { return true }
        if p.isAlphabetic && !p.isLowercase && !p.isUppercase { return true } // caseless scripts
        if word.unicodeScalars.contains(where: { $0.properties.isUppercase }) { return true }  // iOS, eBPF
        if word.contains(where: { ".+#/@".contains($0) }) && word.contains(where: { $0.isLetter }) { return true }
        return false
    }

    /// A lower-case product name: letters (and digits or dots), not a common English word.
    static func isLowercaseName(_ word: String) -> Bool {
        word.count >= 2 && word.first?.isLetter == true && word.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
            && !commonWords.contains(word.lowercased()) && !stopwords.contains(word.lowercased())
    }

    /// Lower-case words that are never a subject on their own.
    static let commonWords: Set<String> = [
        "cost", "costs", "price", "pricing", "speed", "performance", "security", "build", "buy", "rent", "own",
        "cloud", "premise", "on-premise", "serverless", "containers", "monolith", "microservices", "open", "closed",
        "source", "free", "paid", "managed", "self-hosted", "hosted", "sql", "nosql", "more", "less", "better", "worse",
        "one", "two", "both", "either", "neither", "other", "another", "teams", "team", "engineering", "enterprise",
        "it", "they", "them", "we", "you", "he", "she", "this", "that", "what", "which", "not", "no", "yes",
    ]

    /// Finds the pair in one line. `allowOr` enables "or" as a joiner (title lines);
    /// the strong joiners ("vs", "versus", "compared to") are tried first, so
    /// "Build or Buy? Kubernetes vs Nomad" is about Kubernetes and Nomad.
    func pair(in line: String, allowOr: Bool) -> SubjectPair? {
        let tokens = Self.tokenize(line)
        guard tokens.count >= 3 else { return nil }
        for orPass in allowOr ? [false, true] : [false] {
            var i = 1
            while i < tokens.count - 1 {
                let lower = tokens[i].raw.lowercased()
                var joinerLength = 0
                if orPass {
                    if lower == "or" { joinerLength = 1 }
                } else if Self.strongJoiners.contains(lower) {
                    joinerLength = 1
                } else if i + 2 < tokens.count, Self.twoWordJoiners.contains(lower + " " + tokens[i + 1].raw.lowercased()) {
                    joinerLength = 2
                }
                // "Kubernetes, or Pulumi" is a list, not a pair.
                if joinerLength > 0, !tokens[i - 1].endsSpan {
                    let leftTokens = Array(tokens[..<i])
                    let rightTokens = Array(tokens[(i + joinerLength)...])
                    if let left = chooseLeft(leftTokens), let right = chooseRight(rightTokens),
                       Slug.make(left) != Slug.make(right) {
                        let bare = left.split(separator: " ").count == leftTokens.count
                            && right.split(separator: " ").count == rightTokens.count
                        return SubjectPair(left: left, right: right, bare: bare)
                    }
                }
                i += 1
            }
        }
        return nil
    }

    private func isValidSpan(_ span: ArraySlice<Token>) -> Bool {
        guard let first = span.first, let last = span.last, span.count <= 5 else { return false }
        if Self.stopwords.contains(first.text.lowercased()) { return false }
        // A single lower-case word is a name too ("containerd", "npm"), unless it is a common word.
        if span.count == 1, Self.isLowercaseName(first.text) { return true }
        if !Self.isNameLike(first.text) || !Self.isNameLike(last.text) { return false }
        for t in span.dropFirst().dropLast() where !Self.isNameLike(t.text) && !Self.connectors.contains(t.text.lowercased()) {
            return false
        }
        for t in span where t.text.isEmpty || Self.strongJoiners.contains(t.text.lowercased()) { return false }
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
        var candidates: [String] = []
        var start = tokens.count - 1
        while start >= 0 {
            if start < tokens.count - 1, tokens[start].closesLeft { break }
            let span = tokens[start...]
            if isValidSpan(span) { candidates.append(spanText(span)) }
            if tokens.count - start >= 5 { break }
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
        var candidates: [String] = []
        var end = 0
        while end < tokens.count {
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
        // A byte search over the UTF-8 (an exact match of scalars, as `.literal` is), with no
        // bridging of the whole document for every phrase.
        var count = 0
        let needle = Array(phrase.utf8)
        guard !needle.isEmpty else { return 0 }
        var document = document
        let matches: [Int] = document.withUTF8 { hay in
            var found: [Int] = []
            guard let base = hay.baseAddress else { return found }
            let n = needle.count
            var from = 0
            needle.withUnsafeBufferPointer { needleBytes in
                while from + n <= hay.count,
                      let hit = memchr(base + from, Int32(needleBytes[0]), hay.count - from - n + 1) {
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, needleBytes.baseAddress!, n) == 0 {
                        found.append(at)
                        from = at + n
                    } else {
                        from = at + 1
                    }
                }
            }
            return found
        }
        let utf8 = self.document.utf8
        for at in matches {
            let lower = utf8.index(utf8.startIndex, offsetBy: at)
            let r = lower..<utf8.index(lower, offsetBy: needle.count)
            let document = self.document
            let beforeOK = r.lowerBound == document.startIndex
                || !isWordCharacter(document[document.index(before: r.lowerBound)])
            let afterOK = r.upperBound == document.endIndex || !isWordCharacter(document[r.upperBound])
            if beforeOK && afterOK && (!standalone || !joinedToName(r)) { count += 1 }
        }
        return count
    }

    /// Whether the match is preceded or followed (across one space) by a capitalised word.
    private func joinedToName(_ r: Range<String.Index>) -> Bool {
        if r.upperBound < document.endIndex, document[r.upperBound] == " " {
            let next = document.index(after: r.upperBound)
            if next < document.endIndex, document[next].isUppercase { return true }
        }
        if r.lowerBound > document.startIndex {
            let space = document.index(before: r.lowerBound)
            if document[space] == " ", space > document.startIndex {
                let prev = document.index(before: space)
                // The end of a capitalised word right before: "Amazon ECS".
                var start = prev
                while start > document.startIndex, isWordCharacter(document[document.index(before: start)]) { start = document.index(before: start) }
                if document[start].isUppercase, !".!?".contains(document[prev]) { return true }
            }
        }
        return false
    }

    private func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "+" || c == "#"
    }
}
