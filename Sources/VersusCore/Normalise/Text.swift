import Foundation

/// Small text helpers shared by the normalise stage. Lengths are counted in
/// Unicode scalars, the way search engines and the audit tools count them.
enum Text {
    static func length(_ s: some StringProtocol) -> Int {
        // Scalars are the UTF-8 bytes that are not continuation bytes.
        s.withBytes { bytes in
            // Eight bytes at a time: a continuation byte has its top bit set and the next one clear,
            // so `x & ~(x << 1)` keeps the top bit of each of them (a bit shifted out of a byte lands
            // in the next byte's lowest bit, which the mask drops).
            var continuations = 0, i = 0
            if let base = bytes.baseAddress {
                let top: UInt64 = 0x8080_8080_8080_8080
                while i + 8 <= bytes.count {
                    let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    continuations += (x & ~(x << 1) & top).nonzeroBitCount
                    i += 8
                }
            }
            while i < bytes.count {
                if bytes[i] & 0xC0 == 0x80 { continuations += 1 }
                i += 1
            }
            return bytes.count - continuations
        }
    }

    /// Whether `length(s) >= n`, told by the byte count when it can be (a scalar is one to four
    /// bytes): only a text of `n` to `4n` bytes is counted.
    static func length(_ s: some StringProtocol, atLeast n: Int) -> Bool {
        let bytes = s.utf8.count
        if bytes < n { return false }
        if bytes >= 4 * n { return true }
        return length(s) >= n
    }

    /// Whether `s.count >= n` (characters, as people see them): in ASCII with no CR (CR LF is one
    /// character) each byte is one, so the byte count tells.
    static func characters(_ s: String, atLeast n: Int) -> Bool {
        if s.utf8.count < n { return false }   // a character is a byte at least
        if s.isASCIIText, !s.hasByte(13) { return true }
        return s.count >= n
    }

    /// The first `n` Unicode scalars of a string (all of it when shorter), without copying scalar by scalar.
    static func prefix(_ s: String, scalars n: Int) -> Substring {
        // A scalar is a byte at least: no more bytes than that is all of it.
        if s.utf8.count <= n { return s[...] }
        // Where the scalar after the first `n` starts, counted over the bytes in place (the
        // UTF-8 view's indices cost a call a byte).
        let cut = s.withBytes { bytes -> Int? in
            // The first `n` bytes all ASCII (most text): each is a scalar, and the next starts at `n`.
            if ByteText.allASCII(UnsafeBufferPointer(rebasing: bytes[..<n])) { return n }
            var seen = 0
            for i in 0..<bytes.count where bytes[i] & 0xC0 != 0x80 {
                if seen == n { return i }
                seen += 1
            }
            return nil
        }
        guard let cut else { return s[...] }
        return s[..<s.utf8.index(s.utf8.startIndex, offsetBy: cut)]
    }

    /// Collapses runs of whitespace (including tabs and no-break spaces) to one space and trims.
    static func collapse(_ s: some StringProtocol) -> String {
        // Fastest path: ASCII text with single spaces only and nothing to trim.
        // (The bytes are read in place: no copy of them is made to look.)
        let clean = s.withBytes { bytes -> Bool in
            var previous: UInt8 = 32
            @inline(__always) func cleanByte(_ b: UInt8) -> Bool {
                if b >= 0x80 || b < 32 && (b == 9 || b == 10 || b == 11 || b == 12 || b == 13) || (b == 32 && previous == 32) { return false }
                previous = b
                return true
            }
            var i = 0
            // Eight bytes at a time while they are ASCII with no control byte: the spaces among them
            // (0x80 in each byte that is one) may not follow a space.
            if let base = bytes.baseAddress {
                let ones: UInt64 = 0x0101_0101_0101_0101, low7 = 0x7F &* ones, high = 0x80 &* ones
                while i + 8 <= bytes.count {
                    let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if x & high != 0 { return false }
                    if ByteText.holds(x, below: 32) { break }
                    let t = x ^ (0x20 &* ones)
                    let spaces = ~(((t & low7) &+ low7) | t) & high
                    if spaces & (spaces << 8) != 0 || previous == 32 && spaces & 0x80 != 0 { return false }
                    previous = spaces >> 63 != 0 ? 32 : 33
                    i += 8
                }
            }
            while i < bytes.count {
                if !cleanByte(bytes[i]) { return false }
                i += 1
            }
            return previous != 32
        }
        if clean { return String(s) }
        // Fast path: ASCII text.
        if s.allBytes({ $0 < 0x80 }) {
            return s.withBytes { bytes in
                String(unsafeUninitializedCapacity: bytes.count) { out in
                    var n = 0
                    var pendingSpace = false
                    for b in bytes {
                        if b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 {
                            pendingSpace = n > 0
                        } else {
                            if pendingSpace { out[n] = 32; n += 1 }
                            pendingSpace = false
                            out[n] = b
                            n += 1
                        }
                    }
                    return n
                }
            }
        }
        // Other scripts: over the UTF-8 too, into a string made at the text's size (a space stands
        // for one byte or more), a scalar decoded only where its byte is not ASCII. An ASCII scalar
        // is a space only as one of the six below, and never invisible: the Unicode tables are
        // looked up for the others only (appending the text a scalar at a time cost more than reading it).
        return s.withBytes { b in
            String(unsafeUninitializedCapacity: b.count) { out in
                var n = 0
                var pendingSpace = false
                var i = 0
                while i < b.count {
                    let lead = b[i]
                    var length = 1
                    let space: Bool, invisible: Bool
                    if lead < 0x80 {
                        space = lead == 32 || (lead >= 9 && lead <= 13)
                        invisible = false
                    } else {
                        let value: UInt32
                        (value, length) = ByteScan.scalar(b, at: i)
                        let scalar = Unicode.Scalar(value) ?? " "
                        space = isSpace(scalar)
                        invisible = !space && isInvisible(scalar)
                    }
                    if space {
                        pendingSpace = n > 0
                    } else if !invisible {
                        if pendingSpace { out[n] = 32; n += 1 }
                        pendingSpace = false
                        for k in 0..<length { out[n + k] = b[i + k] }
                        n += length
                    }
                    i += length
                }
                return n
            }
        }
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
        // An ASCII letter or digit is one (the only ASCII scalars that are alphabetic or numeric);
        // the scalars are looked at only when there is none before the first byte that is not ASCII.
        let ascii = s.withBytes { bytes -> Bool? in
            for b in bytes {
                if b >= 0x80 { return nil }
                if (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) { return true }
            }
            return false
        }
        if let ascii { return ascii }
        return s.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    static func words(_ s: String) -> [Substring] {
        s.spaceSplit
    }

    /// Splits prose into sentences at `.`, `!` or `?` followed by a space and a capital, digit or quote.
    static func sentences(_ s: String) -> [String] {
        // Over the UTF-8 bytes in place, sixteen at a time to the next byte that may end a sentence
        // ("." "!" "?", and 0xE2, which leads "…"; none of them is ever inside another character's
        // bytes); scalars are decoded only where a sentence may end.
        s.withBytes { b -> [String] in
            let n = b.count
            @inline(__always) func width(_ lead: UInt8) -> Int {
                lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            }
            func scalar(at i: Int) -> Unicode.Scalar {
                let w = Swift.min(width(b[i]), n - i)
                if w == 1 { return Unicode.Scalar(b[i]) }
                return String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + w)]), as: UTF8.self).unicodeScalars.first ?? Unicode.Scalar(0)
            }
            func isUpper(_ c: Unicode.Scalar) -> Bool {
                c.value < 128 ? (c.value >= 65 && c.value <= 90) : c.properties.isUppercase
            }
            /// The start of the scalar that ends just before byte `i`.
            func previous(_ i: Int) -> Int {
                var p = i - 1
                while p > 0, b[p] & 0xC0 == 0x80 { p -= 1 }
                return p
            }
            func endsWith(_ i: Int, _ suffix: [UInt8], from start: Int) -> Bool {
                guard i - suffix.count >= start else { return false }
                for k in 0..<suffix.count where b[i - suffix.count + k] != suffix[k] { return false }
                return true
            }
            var result: [String] = []
            var start = 0
            var i = 0
            while true {
                i = ByteScan.next(b, from: i) { v in
                    ByteScan.holds(v, 46) .| ByteScan.holds(v, 33) .| ByteScan.holds(v, 63) .| ByteScan.holds(v, 0xE2)
                }
                guard i < n else { break }
                let lead = b[i]
                let w = width(lead)
                // ".", "!", "?" or "…" (E2 80 A6).
                guard lead != 0xE2 || i + 2 < n && b[i + 1] == 0x80 && b[i + 2] == 0xA6 else { i += 1; continue }
                var j = i + w
                while j < n {
                    let c = scalar(at: j)
                    if c == "\"" || c == "”" || c == "’" || c == ")" { j += width(b[j]) } else { break }
                }
                if j >= n { break }
                if b[j] == 32, j + 1 < n {
                    let next = scalar(at: j + 1)
                    let opens = isUpper(next) || (next.value >= 48 && next.value <= 57) || next == "\"" || next == "“" || next == "‘"
                        || (next.value >= 128 && next.properties.isAlphabetic && !next.properties.isLowercase)
                    if opens {
                        // Not after a lone initial or a common abbreviation ("e.g.", "U.S.", "vs.").
                        var abbreviation = false
                        if lead == 46 {
                            abbreviation = endsWith(i, Self.eg, from: start) || endsWith(i, Self.ie, from: start)
                                || endsWith(i, Self.etc, from: start) || endsWith(i, Self.vs, from: start)
                            if !abbreviation, i >= 1 {
                                let p = previous(i)
                                if isUpper(scalar(at: p)) {
                                    if p == 0 { abbreviation = true } else {
                                        let before = b[previous(p)]
                                        abbreviation = before == 32 || before == 46
                                    }
                                }
                            }
                        }
                        if !abbreviation {
                            result.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<j]), as: UTF8.self))
                            start = j + 1
                            i = j + 1
                            continue
                        }
                    }
                }
                i += w
            }
            if start < n {
                let rest = String(decoding: UnsafeBufferPointer(rebasing: b[start...]), as: UTF8.self).trimmingWhitespace()
                if !rest.isEmpty { result.append(rest) }
            }
            return result
        }
    }

    private static let eg = Array(" e.g".utf8), ie = Array(" i.e".utf8), etc = Array(" etc".utf8), vs = Array(" vs".utf8)

    /// Shortens prose to at most `max` scalars: at a sentence boundary when that keeps
    /// at least `min`, otherwise at a word boundary with an ellipsis. Never mid-word.
    static func shorten(_ source: String, min: Int, max: Int) -> String {
        // Only the opening matters: collapse a generous prefix when it is long enough on its own.
        var text: String
        var textLength: Int   // (counted once for each text, not at each question)
        let window = 2 * (max + 24) + 64
        if source.utf8.count > window + 64 {
            let head = collapse(prefix(source, scalars: window))
            let headLength = length(head)
            if headLength >= max + 24 {
                (text, textLength) = (head, headLength)
            } else {
                text = collapse(source)
                textLength = length(text)
            }
        } else {
            text = collapse(source)
            textLength = length(text)
        }
        if textLength <= max { return text }
        // Only the opening can be kept: split that, not the whole text. The slack covers the
        // look-ahead of a sentence end (closing quotes, a space, a capital), and the cut-off
        // last piece is always too long to be kept.
        if textLength > max + 24 {
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
        out = out.trimmingWhitespace()
        if let last = out.last, ".!?".contains(last) { return out }
        return out + "…"
    }

    /// A value short enough for a message: at most `max` characters, the rest counted.
    static func abbreviate(_ s: String, max: Int = 80) -> String {
        let n = s.unicodeScalars.count
        guard n > max else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.prefix(max - 1))) + "… (\(n) characters)"
    }

    /// Strips a trailing sentence punctuation mark.
    static func trimTrailingPunctuation(_ s: String, _ set: String = ".,;:!?") -> String {
        var s = s
        while let last = s.last, set.contains(last) { s.removeLast() }
        return s
    }
}

extension NSRegularExpression {
    /// A pattern compiled once, for a `static let`: `replacingOccurrences(of:with:options:)` and
    /// `range(of:options:)` with `.regularExpression` compile theirs again on every call.
    convenience init(compiled pattern: String, caseInsensitive: Bool = false) {
        try! self.init(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    /// `text` with every match replaced by `template`, as `replacingOccurrences(of:with:options: .regularExpression)` gives it.
    func replacingMatches(in text: String, with template: String) -> String {
        stringByReplacingMatches(in: text, range: NSRange(location: 0, length: text.utf16.count), withTemplate: template)
    }

    /// Whether the pattern matches somewhere in `text`, as `range(of:options: .regularExpression)` finds it.
    func matches(_ text: some StringProtocol) -> Bool {
        let whole = String(text)
        return firstMatch(in: whole, range: NSRange(location: 0, length: whole.utf16.count)) != nil
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
            if ByteText.hasPrefix(line, "```") || ByteText.hasPrefix(line, "~~~") {
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
        if ByteText.hasPrefix(line, "- ") || ByteText.hasPrefix(line, "* ") || ByteText.hasPrefix(line, "+ ") { return true }
        var digits = 0
        for c in line {
            if c.isASCII && c.isNumber { digits += 1; continue }
            return digits > 0 && digits < 10 && (c == "." || c == ")") && line.dropFirst(digits + 1).first == " "
        }
        return false
    }
}
