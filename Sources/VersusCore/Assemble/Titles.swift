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
        func add(_ s: String) {
            let s = Text.collapse(s)
            if !s.isEmpty, Text.length(s) <= max, !out.contains(s) { out.append(s) }
        }
        add(title)
        // Drop a qualifier clause ("for Enterprise Engineering") before a colon or bracket, or at the end.
        let withoutClause = title.replacingOccurrences(
            of: #"\s+(?:for|in|at|across)\s+[^:(|]+?(?=\s*(?::|\(|$))"#, with: "", options: .regularExpression)
        add(withoutClause)
        let withoutBrackets = withoutClause.replacingOccurrences(of: #"\s*\([^)]*\)\s*$"#, with: "", options: .regularExpression)
        add(withoutBrackets)
        // "Facet: X vs Y" keeps the distinguishing part when the pair is long.
        if let colon = withoutBrackets.range(of: ": ") {
            let head = String(withoutBrackets[..<colon.lowerBound])
            let tail = String(withoutBrackets[colon.upperBound...])
            add(tail + ": " + head)
            add(truncate(tail + ": " + head, max: max))
        }
        add(truncate(withoutClause, max: max))
        add(truncate(title, max: max))
        return out
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
        for word in Text.words(s) {
            let next = out.isEmpty ? String(word) : out + " " + word
            if Text.length(next) + 1 > max { break }
            out = next
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
