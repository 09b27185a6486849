/// Meta descriptions: 50–160 characters of plain text, cut at a sentence or
/// word boundary, never mid-word.
///
/// A page offers several candidates, best first; the site picks the first one
/// no other page has taken, so descriptions stay unique across the site.
enum Describe {
    static let minimum = 70      // what `versus check` asks for; the hard floor is 50
    static let hardMinimum = 50
    static let maximum = 160
    /// Candidates a page offers at most: enough to step round a few clashes (the site
    /// numbers any page that runs out), without shortening every paragraph of every page.
    static let candidateLimit = 6

    struct Paragraph {
        var text: String   // plain text
        var role: Role?    // nil for the lead
    }

    /// - Parameters:
    ///   - given: the description the source states (front-matter or a description line).
    ///   - paragraphs: plain-text body paragraphs in page order.
    /// - Parameter alternates: also derive further candidates (not needed when the
    ///   author's description is kept as written).
    static func candidates(given: String?, title: String, paragraphs: [Paragraph], alternates: Bool = true,
                           avoiding openings: [String] = []) -> [String] {
        var out: [String] = []
        func add(_ s: String) {
            let s = Text.collapse(s)
            let n = Text.length(s)
            if n >= hardMinimum, n <= maximum, !out.contains(s) { out.append(s) }
        }
        // A paragraph that opens with the title or a heading reads as the two glued together.
        let glued = ([title] + openings).map { ByteText.lowercased(Text.collapse($0)) }.filter { Text.characters($0, atLeast: 4) }
        let longest = glued.map { Text.length($0) }.max() ?? 0
        let gluedBytes = glued.map { Array($0.utf8) }
        func opensWithHeading(_ text: String) -> Bool {
            // Only the opening can match: look at a prefix a little longer than the longest heading.
            let opening = Text.prefix(text, scalars: 2 * longest + 16)
            // (Lower-cased over the bytes when they are ASCII, as `lowercased()` otherwise.)
            let lower = ByteText.lowered(Text.collapse(opening))
            let whole = opening.utf8.count == text.utf8.count
            return gluedBytes.contains { g in
                guard ByteText.hasPrefix(lower, g) else { return false }
                if lower.count == g.count { return whole }
                return lower[g.count] == 32 || lower[g.count] == 58
            }
        }
        var opensMemo: [Int: Bool] = [:]
        if let given, !Text.collapse(given).isEmpty {
            let shortened = Text.shorten(given, min: minimum, max: maximum)
            if Text.length(shortened) >= hardMinimum {
                add(shortened)
            } else if let firstBody = paragraphs.first(where: { $0.role != nil })?.text {
                // Too short alone: extend it with the opening of the text.
                add(Text.shorten(Text.trimTrailingPunctuation(shortened) + ". " + firstBody, min: minimum, max: maximum))
            }
        }
        if !alternates, !out.isEmpty { return out }
        // The reader-facing prose, in page order; offers and our own pitch last.
        let ordered = paragraphs.filter { $0.role != .callToAction && $0.role != .ourPosition }
            + paragraphs.filter { $0.role == .ourPosition }
        func opens(_ i: Int) -> Bool {
            if let known = opensMemo[i] { return known }
            let v = opensWithHeading(ordered[i].text)
            opensMemo[i] = v
            return v
        }
        let long = ordered.map { Text.length($0.text, atLeast: minimum) }
        for (i, p) in ordered.enumerated() where out.count < candidateLimit && long[i] && !opens(i) {
            add(Text.shorten(p.text, min: minimum, max: maximum))
        }
        for (i, p) in ordered.enumerated() where out.count < candidateLimit && long[i] && opens(i) {
            add(Text.shorten(p.text, min: minimum, max: maximum))
        }
        // Title-led variants, for pages whose paragraphs are all taken or too short.
        for p in ordered where out.count < candidateLimit {
            add(Text.shorten(Text.trimTrailingPunctuation(title) + ": " + p.text, min: minimum, max: maximum))
        }
        if out.isEmpty {
            let all = paragraphs.map(\.text).joined(separator: " ")
            add(Text.shorten(title + ". " + all, min: minimum, max: maximum))
        }
        if out.isEmpty {
            // A very short page: say what it is.
            add(Text.shorten("\(Text.trimTrailingPunctuation(title)): a side-by-side comparison of what each option does best and where it costs you.",
                             min: hardMinimum, max: maximum))
        }
        return out
    }
}
