import Foundation

/// Shorter `<title>`s for long titles. The full title stays in the `<h1>`;
/// the `<title>` is what a results page shows, and it is cut at about 60 characters.
enum Titles {
    /// Candidate `<title>`s, best first, each at most `max` characters.
    ///
    /// "Kubernetes vs Docker for Enterprise Engineering: Total Cost of Ownership (2021 Edition)"
    /// → "Kubernetes vs Docker: Total Cost of Ownership (2021 Edition)"
    /// → "Kubernetes vs Docker: Total Cost of Ownership"
    /// → a cut at a word boundary with "…".
    static func candidates(_ title: String, max: Int) -> [String] {
        var out: [String] = []
        _ = firstCandidate(title, max: max) { out.append($0); return false }
        return out
    }

    /// The first candidate `accept` takes, generating candidates only as far as needed.
    static func firstCandidate(_ title: String, max: Int, accept: (String) -> Bool) -> String? {
        var tried: [String] = []
        func offer(_ s: String) -> String? {
            let s = Text.collapse(s)
            guard !s.isEmpty, Text.length(s) <= max, !tried.contains(s) else { return nil }
            tried.append(s)
            return accept(s) ? s : nil
        }
        if let t = offer(title) { return t }
        // Drop a qualifier clause ("for Enterprise Engineering") before a colon or bracket, or at the end.
        let withoutClause = dropQualifier(title)
        if let t = offer(withoutClause) { return t }
        let withoutBrackets = dropTrailingBrackets(withoutClause)
        if let t = offer(withoutBrackets) { return t }
        // "Facet: X vs Y" keeps the distinguishing part when the pair is long.
        if let colon = withoutBrackets.range(of: ": ") {
            let head = String(withoutBrackets[..<colon.lowerBound])
            let tail = String(withoutBrackets[colon.upperBound...])
            if let t = offer(tail + ": " + head) { return t }
            if let t = offer(truncate(tail + ": " + head, max: max)) { return t }
        }
        if let t = offer(truncate(withoutClause, max: max)) { return t }
        if let t = offer(truncate(title, max: max)) { return t }
        return nil
    }

    static let qualifiers: Set<Substring> = ["for", "in", "at", "across"]
    /// The same words' bytes, for titles read over their bytes.
    static let qualifierBytes: [[UInt8]] = qualifiers.map { Array($0.utf8) }

    /// "X vs Y for Enterprise Engineering: Cost" → "X vs Y: Cost": drops a clause that starts
    /// with "for", "in", "at" or "across" and runs to a colon, a bracket, a bar or the end.
    static func dropQualifier(_ title: String) -> String {
        // An ASCII title is read over its bytes in place: a space is then always a character of
        // its own, and the words kept are runs of the title's own bytes (every page's title is
        // tried, at assemble, where no other core helps). Others by their words.
        guard title.isASCIIText else { return dropQualifierByWords(title) }
        return title.withBytes { b -> String in
            let n = b.count
            /// The end of the word that starts at `s` (words are split at every space, as `split`
            /// does with `omittingEmptySubsequences: false`).
            func wordEnd(_ s: Int) -> Int {
                var e = s
                while e < n, b[e] != 32 { e += 1 }
                return e
            }
            func isQualifier(_ s: Int, _ e: Int) -> Bool {
                qualifierBytes.contains { $0.count == e - s && $0.elementsEqual(b[s..<e]) }
            }
            // The qualifier: a word after the first; `kept` ends with the word before it.
            var s = 0, index = 0, kept = 0, start = -1
            while true {
                let e = wordEnd(s)
                if index >= 1, isQualifier(s, e) { start = s; break }
                if e >= n { break }
                kept = e
                s = e + 1
                index += 1
            }
            guard start >= 0 else { return title }
            // The clause runs to a word opening with "(" or "|" (kept) or through one ending in ":"; the rest follows.
            var colon = false, rest = -1
            s = start
            while true {
                let e = wordEnd(s)
                if e > s, b[s] == 40 || b[s] == 124 { rest = s; break }
                if e > s, b[e - 1] == 58 { colon = true; rest = e < n ? e + 1 : -1; break }
                if e >= n { break }
                s = e + 1
            }
            var out: [UInt8] = []
            out.reserveCapacity(n)
            out += b[0..<kept]
            if colon { out.append(58) }
            if rest >= 0 {
                out.append(32)
                out += b[rest..<n]
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `dropQualifier` by the title's words (`Character`s): for titles with other scripts.
    static func dropQualifierByWords(_ title: String) -> String {
        let words = title.split(separator: " ", omittingEmptySubsequences: false)
        guard let start = words.indices.dropFirst().first(where: { qualifiers.contains(words[$0]) }) else { return title }
        var end = start
        while end < words.count {
            let w = words[end]
            if w.hasPrefix("(") || w.hasPrefix("|") { break }
            if w.hasSuffix(":") { end += 1; break }
            end += 1
        }
        var kept = Array(words[..<start])
        if end <= words.count, end > start, words[end - 1].hasSuffix(":"), !kept.isEmpty {
            kept[kept.count - 1] += ":"
        }
        kept += words[end...]
        return kept.joined(separator: " ")
    }

    /// Drops a trailing "(…)".
    static func dropTrailingBrackets(_ title: String) -> String {
        let t = title.trimmingWhitespace()
        guard t.hasSuffix(")"), let open = t.lastIndex(of: "(") else { return title }
        return String(t[..<open]).trimmingWhitespace()
    }

    /// The title if it fits, else a cut at a word boundary.
    static func fit(_ s: String, max: Int) -> String {
        Text.length(s) <= max ? s : truncate(s, max: max)
    }

    /// Cuts at a word boundary, leaving room for "…". Never mid-word (unless one word is longer than `max`).
    static func truncate(_ s: String, max: Int) -> String {
        let s = Text.collapse(s)
        if Text.length(s) <= max { return s }
        var out = ""
        var length = 0
        for word in Text.words(s) {
            let add = Text.length(word) + (out.isEmpty ? 0 : 1)
            if length + add + 1 > max { break }
            if !out.isEmpty { out += " " }
            out += word
            length += add
        }
        while let last = out.last, ",;:-–—(|".contains(last) || last == " " { out.removeLast() }
        if out.isEmpty { out = String(s.unicodeScalars.prefix(max - 1).map(Character.init)) }
        return out + "…"
    }

    /// "A", "A and B", "A, B and C", "A, B, C and 4 more".
    static func list(_ names: [String], limit: Int = 3) -> String {
        switch names.count {
        case 0: return ""
        case 1: return names[0]
        default:
            if names.count > limit {
                return names.prefix(limit).joined(separator: ", ") + " and \(names.count - limit) more"
            }
            return names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
    }
}
