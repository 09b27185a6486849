import Foundation

/// Small text helpers shared by the normalise stage. Lengths are counted in
/// Unicode scalars, the way search engines and the audit tools count them.
enum Text {
    static func length(_ s: some StringProtocol) -> Int {
        // Scalars are the UTF-8 bytes that are not continuation bytes.
        var n = 0
        for b in s.utf8 where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// The first `n` Unicode scalars of a string (all of it when shorter), without copying scalar by scalar.
    static func prefix(_ s: String, scalars n: Int) -> Substring {
        var seen = 0
        var i = s.utf8.startIndex
        while i < s.utf8.endIndex {
            if s.utf8[i] & 0xC0 != 0x80 {
                if seen == n { return s[..<i] }
                seen += 1
            }
            i = s.utf8.index(after: i)
        }
        return s[...]
    }

    /// Collapses runs of whitespace (including tabs and no-break spaces) to one space and trims.
    static func collapse(_ s: some StringProtocol) -> String {
        // Fast path: ASCII text.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            var out = [UInt8]()
            out.reserveCapacity(s.utf8.count)
            var pendingSpace = false
            for b in s.utf8 {
                if b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(32) }
                    pendingSpace = false
                    out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            if isSpace(scalar) {
                pendingSpace = !out.isEmpty
            } else if isInvisible(scalar) {
                continue
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s.properties.generalCategory == .spaceSeparator
            || s == "\u{0B}" || s == "\u{0C}"
    }

    /// Zero-width characters that captures carry but readers never see.
    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        s == "\u{200B}" || s == "\u{200C}" || s == "\u{2060}" || s == "\u{FEFF}" || s == "\u{00AD}"
    }

    /// True when the text has at least one letter or digit (decorative lines have none).
    static func hasWordCharacter(_ s: some StringProtocol) -> Bool {
        s.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    static func words(_ s: String) -> [Substring] {
        s.split(separator: " ")
    }

    /// Splits prose into sentences at `.`, `!` or `?` followed by a space and a capital, digit or quote.
    static func sentences(_ s: String) -> [String] {
        let chars = Array(s.unicodeScalars)
        // Where each scalar starts in the UTF-8, so pieces are cut from the bytes.
        let bytes = Array(s.utf8)
        var offsets: [Int] = []
        offsets.reserveCapacity(chars.count + 1)
        var offset = 0
        for c in chars {
            offsets.append(offset)
            offset += UTF8.width(c)
        }
        offsets.append(offset)
        func string(_ r: Range<Int>) -> String {
            String(decoding: bytes[offsets[r.lowerBound]..<offsets[r.upperBound]], as: UTF8.self)
        }
        func isUpper(_ c: Unicode.Scalar) -> Bool {
            c.value < 128 ? (c.value >= 65 && c.value <= 90) : c.properties.isUppercase
        }
        var result: [String] = []
        var start = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "." || c == "!" || c == "?" || c == "…" {
                var j = i + 1
                while j < chars.count, chars[j] == "\"" || chars[j] == "”" || chars[j] == "’" || chars[j] == ")" { j += 1 }
                if j == chars.count { break }
                if chars[j] == " ", j + 1 < chars.count {
                    let n = chars[j + 1]
                    let opens = isUpper(n) || ("0"..."9").contains(n) || n == "\"" || n == "“" || n == "‘"
                        || (n.value >= 128 && n.properties.isAlphabetic && !n.properties.isLowercase)
                    if opens {
                        // Not after a lone initial or a common abbreviation ("e.g.", "U.S.", "vs.").
                        let prev = string(max(start, i - 4)..<i)
                        let abbreviation = c == "." && (prev.hasSuffix(" e.g") || prev.hasSuffix(" i.e") || prev.hasSuffix(" etc")
                            || prev.hasSuffix(" vs") || (i >= 1 && isUpper(chars[i - 1]) && (i < 2 || chars[i - 2] == " " || chars[i - 2] == ".")))
                        if !abbreviation {
                            result.append(string(start..<j))
                            start = j + 1
                            i = j + 1
                            continue
                        }
                    }
                }
            }
            i += 1
        }
        if start < chars.count {
            let rest = string(start..<chars.count).trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty { result.append(rest) }
        }
        return result
    }

    /// Shortens prose to at most `max` scalars: at a sentence boundary when that keeps
    /// at least `min`, otherwise at a word boundary with an ellipsis. Never mid-word.
    static func shorten(_ source: String, min: Int, max: Int) -> String {
        // Only the opening matters: collapse a generous prefix when it is long enough on its own.
        var text: String
        let window = 2 * (max + 24) + 64
        if source.utf8.count > window + 64 {
            let head = collapse(prefix(source, scalars: window))
            text = length(head) >= max + 24 ? head : collapse(source)
        } else {
            text = collapse(source)
        }
        if length(text) <= max { return text }
        // Only the opening can be kept: split that, not the whole text. The slack covers the
        // look-ahead of a sentence end (closing quotes, a space, a capital), and the cut-off
        // last piece is always too long to be kept.
        if length(text) > max + 24 {
            text = String(prefix(text, scalars: max + 24))
        }
        var kept = ""
        var keptLength = 0
        for sentence in sentences(text) {
            let nextLength = keptLength == 0 && kept.isEmpty ? length(sentence) : keptLength + 1 + length(sentence)
            if nextLength > max { break }
            kept = kept.isEmpty ? sentence : kept + " " + sentence
            keptLength = nextLength
        }
        if keptLength >= min { return kept }
        // Word boundary, leaving room for the ellipsis.
        var out = ""
        var outLength = 0
        for word in words(text) {
            let nextLength = out.isEmpty ? length(word) : outLength + 1 + length(word)
            if nextLength + 1 > max { break }
            out = out.isEmpty ? String(word) : out + " " + word
            outLength = nextLength
        }
        while let last = out.last, ",;:-–—(".contains(last) { out.removeLast() }
        out = out.trimmingCharacters(in: .whitespaces)
        if let last = out.last, ".!?".contains(last) { return out }
        return out + "…"
    }

    /// Strips a trailing sentence punctuation mark.
    static func trimTrailingPunctuation(_ s: String, _ set: String = ".,;:!?") -> String {
        var s = s
        while let last = s.last, set.contains(last) { s.removeLast() }
        return s
    }
}

/// Counts body blocks in normalised Markdown: paragraphs, with a list counted once.
enum MarkdownBlocks {
    static func count(in body: String) -> Int {
        var count = 0
        var inBlock = false
        var inFence = false
        var blockIsList = false
        for rawLine in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.drop(while: { $0 == " " })
            if line.hasPrefix("```") || line.hasPrefix("~~~") {
                inFence.toggle()
                if !inBlock { count += 1; inBlock = true; blockIsList = false }
                continue
            }
            if inFence { continue }
            if line.isEmpty {
                inBlock = false
                continue
            }
            let isItem = isListItem(line)
            if inBlock {
                if blockIsList || !isItem { continue }
                // A paragraph followed directly by a list: the list is its own block.
                count += 1
                blockIsList = true
                continue
            }
            // A list right after a blank line that follows a list continues it (a loose list).
            if isItem && blockIsList && count > 0 {
                inBlock = true
                continue
            }
            count += 1
            inBlock = true
            blockIsList = isItem
        }
        return count
    }

    /// Paragraphs split at blank lines, with no Markdown parsing: enough to read a
    /// section's words for its role.
    static func roughParagraphs(_ markdown: String) -> [String] {
        var out: [String] = []
        var utf8 = markdown.utf8.makeIterator()
        var current: [UInt8] = []
        var newlines = 0
        while let b = utf8.next() {
            if b == 10 {
                newlines += 1
                continue
            }
            if newlines >= 2, !current.isEmpty {
                out.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else if newlines == 1 {
                current.append(32)
            }
            newlines = 0
            current.append(b)
        }
        if !current.isEmpty { out.append(String(decoding: current, as: UTF8.self)) }
        return out
    }

    static func isListItem(_ line: Substring) -> Bool {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") { return true }
        var digits = 0
        for c in line {
            if c.isASCII && c.isNumber { digits += 1; continue }
            return digits > 0 && digits < 10 && (c == "." || c == ")") && line.dropFirst(digits + 1).first == " "
        }
        return false
    }
}
