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
        let glued = ([title] + openings).map { Text.collapse($0).lowercased() }.filter { $0.count >= 4 }
        let longest = glued.map { $0.unicodeScalars.count }.max() ?? 0
        func opensWithHeading(_ text: String) -> Bool {
            // Only the opening can match: look at a prefix a little longer than the longest heading.
            let opening = text.unicodeScalars.count > 2 * longest + 16
                ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(2 * longest + 16))) : text
            var lower = Text.collapse(opening).lowercased()
            if opening.utf8.count < text.utf8.count, lower.unicodeScalars.count > longest + 1 {
                lower = String(String.UnicodeScalarView(lower.unicodeScalars.prefix(longest + 1)))
            }
            return glued.contains { lower.hasPrefix($0 + " ") || lower.hasPrefix($0 + ":") || lower == $0 }
        }
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
        for p in ordered where out.count < candidateLimit && Text.length(p.text) >= minimum && !opensWithHeading(p.text) {
            add(Text.shorten(p.text, min: minimum, max: maximum))
        }
        for p in ordered where out.count < candidateLimit && Text.length(p.text) >= minimum && opensWithHeading(p.text) {
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
