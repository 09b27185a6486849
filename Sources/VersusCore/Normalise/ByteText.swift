import Foundation

/// Byte-level string tests for the reader's hot paths: every line of every capture is
/// looked at several times, and Foundation's `contains`/`range(of:)` bridge each call.
enum ByteText {
    /// Eight bytes read at once (least significant first): whether one of them is `byte`.
    @inline(__always)
    static func holds(_ x: UInt64, _ byte: UInt8) -> Bool {
        let v = x ^ (UInt64(byte) &* ones)
        return (v &- ones) & ~v & high != 0
    }

    /// Eight bytes read at once: whether one of them is below `limit` (at most 0x80).
    @inline(__always)
    static func holds(_ x: UInt64, below limit: UInt8) -> Bool {
        (x &- UInt64(limit) &* ones) & ~x & high != 0
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let high: UInt64 = 0x8080_8080_8080_8080

    /// Whether every byte is ASCII: eight at a time, then the rest.
    @inline(__always)
    static func allASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        let n = b.count
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & high != 0 { return false }
            i += 8
        }
        while i < n {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// `bytes[lo..<hi]` with their ASCII capitals lower-cased, as a string (the bytes are UTF-8:
    /// only ASCII bytes change). The one place the reader makes a lower-cased copy of bytes.
    @inline(__always)
    static func loweredString(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> String {
        String(unsafeUninitializedCapacity: hi - lo) { out in
            for k in lo..<hi { out[k - lo] = Phrase.lower(bytes[k]) }
            return hi - lo
        }
    }

    /// The texts one after another with `separator` between them, copied once into a string made
    /// to their size (`joined(separator:)` grew its result a piece at a time).
    static func joined(_ pieces: [String], separator: UInt8) -> String {
        guard !pieces.isEmpty else { return "" }
        let total = pieces.reduce(pieces.count - 1) { $0 + $1.utf8.count }
        return String(unsafeUninitializedCapacity: total) { out in
            var n = 0
            for (i, piece) in pieces.enumerated() {
                if i > 0 { out[n] = separator; n += 1 }
                piece.withBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    (out.baseAddress! + n).update(from: base, count: bytes.count)
                    n += bytes.count
                }
            }
            return n
        }
    }

    /// Whether `needle` occurs in `hay` (exact bytes).
    static func contains(_ hay: some StringProtocol, _ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { nd in
            if let r = hay.utf8.withContiguousStorageIfAvailable({ find($0, nd) }) { return r }
            return hay.byteArray.withUnsafeBufferPointer { find($0, nd) }
        }
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        hay.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { find(h, $0) } }
    }

    @inline(__always)
    static func find(_ h: UnsafeBufferPointer<UInt8>, _ nd: UnsafeBufferPointer<UInt8>) -> Bool {
        guard nd.count <= h.count, let hb = h.baseAddress, let nb = nd.baseAddress else { return nd.isEmpty }
        let n = nd.count
        var from = 0
        while from + n <= h.count, let hit = memchr(hb + from, Int32(nb[0]), h.count - from - n + 1) {
            let at = hb.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(hb + at, nb, n) == 0 { return true }
            from = at + 1
        }
        return false
    }

    /// Where `separator` first occurs in `text`, as Foundation's `range(of:)` finds it (which
    /// matches canonically equivalent text), asked only when the separator's bytes occur. A
    /// separator of spaces, ASCII letters and punctuation, dashes and bullets has no other
    /// canonical spelling, but for "·" (U+0387 is one).
    static func range<T: StringProtocol>(of separator: String, in text: T) -> Range<T.Index>? {
        assert(!separator.unicodeScalars.contains { ";`KÅΩ".unicodeScalars.contains($0) || $0.value >= 0x300 && $0.value < 0x370 })
        guard contains(text, separator) || separator.unicodeScalars.contains("\u{B7}") && text.unicodeScalars.contains("\u{387}") else { return nil }
        return text.range(of: separator)
    }

    /// Every occurrence of `pattern` in `text` replaced, left to right and not overlapping, as
    /// Foundation's `replacingOccurrences` does; over the bytes when both are ASCII (where
    /// characters compare as their bytes do).
    static func replacing(_ pattern: String, with replacement: String, in text: String) -> String {
        guard text.isASCIIText, pattern.isASCIIText, !pattern.isEmpty else {
            return text.replacingOccurrences(of: pattern, with: replacement)
        }
        let t = Array(text.utf8), p = Array(pattern.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(t.count)
        var i = 0
        while i < t.count {
            if i + p.count <= t.count, t[i] == p[0], t[i..<(i + p.count)].elementsEqual(p) {
                out += replacement.utf8
                i += p.count
            } else {
                out.append(t[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text.lowercased()`, exactly: each scalar's `lowercaseMapping`, as the standard library
    /// maps them. A text that is not all ASCII is mapped there a scalar at a time, its ASCII
    /// letters too (a string made for each); here ASCII bytes are lowered in place, a scalar that
    /// has no case (`caseless`) is copied, and only the others are looked up.
    static func lowercased(_ text: some StringProtocol) -> String {
        text.withBytes { b in
            if allASCII(b) { return b.isEmpty ? "" : loweredString(b, 0, b.count) }
            let out = lowercasedUTF8(b, limit: .max)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The UTF-8 of `lowercased()` of valid UTF-8 `b`, up to the first scalar that brings it to
    /// `limit` bytes or more (the caller cuts it there).
    static func lowercasedUTF8(_ b: UnsafeBufferPointer<UInt8>, limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Swift.min(b.count, limit) + 4)
        var i = 0
        let n = b.count
        while i < n, out.count < limit {
            let lead = b[i]
            if lead < 0x80 {
                out.append(lead >= 65 && lead <= 90 ? lead + 32 : lead)
                i += 1
                continue
            }
            let (value, length) = ByteScan.scalar(b, at: i)
            if caseless(value) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + length)]))
            } else if let scalar = Unicode.Scalar(value) {
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
            i += length
        }
        return out
    }

    /// Scalars that no case mapping changes, told from their value: general punctuation (’ “ ” — …
    /// •), the CJK symbols, kana and ideographs, Hangul syllables, and pictographs. (A test reads
    /// every scalar this calls caseless against its `lowercaseMapping`.)
    @inline(__always)
    static func caseless(_ v: UInt32) -> Bool {
        (0x2000...0x206F).contains(v) || (0x3000...0x9FFF).contains(v) || (0xAC00...0xD7A3).contains(v) || (0x1F000...0x1FAFF).contains(v)
    }

    /// `text.hasPrefix(prefix)`, exactly. Where the text is not all ASCII, `hasPrefix` compares a
    /// character at a time; an ASCII prefix that no other character equals (`plainASCII`) starts the
    /// text exactly when its bytes do and the scalar after them starts a character of its own, which
    /// an ASCII one does (after another, it is asked of `hasPrefix`: it may be a combining mark).
    ///
    /// A prefix with other characters ("écrit par ", "— ") is turned down over the bytes where
    /// that is sure (`prefixVerdict`); otherwise `hasPrefix` is asked.
    @inline(__always)
    static func hasPrefix(_ text: some StringProtocol, _ prefix: String) -> Bool {
        verdict(text, prefix, prefixVerdict) ?? text.hasPrefix(prefix)
    }

    /// What `verdict` tells of a text's bytes and another string's, read in place.
    @inline(__always)
    private static func verdict(_ text: some StringProtocol, _ other: String,
                                _ verdict: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool?) -> Bool? {
        var other = other
        return other.withUTF8 { o in text.withBytes { t in verdict(t, o) } }
    }

    /// Whether `p` starts `t` as `hasPrefix` finds it, when the bytes tell (nil: ask it). The bytes
    /// are compared from the start while the prefix's are plain ASCII: a byte that differs there
    /// ends the comparison (no other character equals a plain ASCII one that stands alone).
    static func prefixVerdict(_ t: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>) -> Bool? {
        var i = 0
        while i < p.count {
            let c = p[i]
            guard plainASCII(c) else { break }
            if i >= t.count || t[i] != c {
                // (Unless a combining mark after it makes it part of another character.)
                return i + 1 == p.count || p[i + 1] < 0x80 ? false : nil
            }
            i += 1
        }
        if i == p.count { return p.count == t.count || t[p.count] < 0x80 ? true : nil }
        // A prefix that starts with another script's character (not one of the three that equal
        // ASCII ones) does not start a text whose first character is a lone ASCII one.
        if i == 0, p[0] >= 0x80, !equalsASCII(p), let first = t.first, first < 0x80,
           t.count == 1 || t[1] < 0x80 && !(first == 13 && t[1] == 10) {
            return false
        }
        return nil
    }

    /// `hay.contains(needle)` as Foundation answers it (matching canonically equivalent text, whole
    /// composed characters only), over the bytes where that is the same answer: a needle of plain
    /// ASCII (no LF either) occurs only as its own bytes, and where they first occur with ASCII or
    /// general punctuation (quotes, dashes, bullets) on either side, they are whole characters.
    /// Otherwise Foundation is asked.
    static func finds(_ needle: String, in hay: some StringProtocol) -> Bool {
        verdict(hay, needle, findVerdict) ?? hay.contains(needle)
    }

    /// Whether `nd` occurs in `h` as Foundation finds it, when the bytes tell (nil: ask it).
    static func findVerdict(_ h: UnsafeBufferPointer<UInt8>, _ nd: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard !nd.isEmpty, let hb = h.baseAddress, let nb = nd.baseAddress else { return nil }
        for b in nd where !plainASCII(b) || b == 10 { return nil }
        var from = 0
        while from + nd.count <= h.count, let hit = memchr(hb + from, Int32(nb[0]), h.count - from - nd.count + 1) {
            let at = hb.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(hb + at, nb, nd.count) == 0 {
                let end = at + nd.count
                let before = at == 0 || h[at - 1] < 0x80 && h[at - 1] != 13 || at >= 3 && punctuation(h, at - 3)
                let after = end == h.count || h[end] < 0x80 || punctuation(h, end)
                return before && after ? true : nil
            }
            from = at + 1
        }
        return false
    }

    /// Whether the bytes at `i` are U+2010–U+2027, U+2030–U+205E: dashes, quotes, bullets, primes
    /// (general punctuation that neither joins the character before it nor is joined by the next).
    @inline(__always)
    private static func punctuation(_ h: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i + 2 < h.count, h[i] == 0xE2 else { return false }
        let b1 = h[i + 1], b2 = h[i + 2]
        return b1 == 0x80 && (0x90...0xA7).contains(b2) || b1 == 0x80 && b2 >= 0xB0 || b1 == 0x81 && b2 <= 0x9E
    }

    /// Bytes that start with one of the scalars equal to an ASCII character: U+037E (";"), U+1FEF ("`"), U+212A ("K").
    private static func equalsASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        p.count >= 2 && p[0] == 0xCD && p[1] == 0xBE
            || p.count >= 3 && (p[0] == 0xE1 && p[1] == 0xBF && p[2] == 0xAF || p[0] == 0xE2 && p[1] == 0x84 && p[2] == 0xAA)
    }

    /// `text.hasSuffix(suffix)`, exactly, as `hasPrefix(_:_:)`: the bytes end the text, and the
    /// scalar before them ends a character (an ASCII one does, but a CR before an LF).
    @inline(__always)
    static func hasSuffix(_ text: some StringProtocol, _ suffix: String) -> Bool {
        verdict(text, suffix, suffixVerdict) ?? text.hasSuffix(suffix)
    }

    /// Whether `s` ends `t` as `hasSuffix` finds it, when the bytes tell (nil: ask it), compared
    /// from the end while the suffix's bytes are plain ASCII.
    static func suffixVerdict(_ t: UnsafeBufferPointer<UInt8>, _ s: UnsafeBufferPointer<UInt8>) -> Bool? {
        var j = 1
        while j <= s.count {
            let c = s[s.count - j]
            guard plainASCII(c) else { return nil }
            if j > t.count || t[t.count - j] != c { return false }
            j += 1
        }
        let start = t.count - s.count
        return start == 0 || t[start - 1] < 0x80 && !(t[start - 1] == 13 && s.first == 10) ? true : nil
    }

    /// ASCII that only its own bytes spell as characters: no ";", "`" or "K" (U+037E, U+1FEF and
    /// U+212A are canonically those, and equal them as characters) and no CR (which makes one
    /// character with an LF after it).
    @inline(__always)
    static func plainASCII(_ b: UInt8) -> Bool { b < 0x80 && b != 59 && b != 96 && b != 75 && b != 13 }

    /// The text with ASCII letters lower-cased (other bytes kept), at most `limit` bytes.
    static func lowered(_ s: some StringProtocol, limit: Int = .max) -> [UInt8] {
        s.withBytes { buf in
            // Other scripts ("Категория:") need Unicode case mapping: the first `limit` bytes of the
            // lower-cased first `limit` characters, which are those of the lower-cased text (each
            // character, and each scalar's mapping, is a byte or more).
            guard allASCII(buf) else {
                var out = lowercasedUTF8(buf, limit: limit)
                if out.count > limit { out.removeLast(out.count - limit) }
                return out
            }
            let n = Swift.min(limit, buf.count)
            // Copied, then lowered in place: a copy of a buffer is allocated through the path the
            // optimiser specialises (`init(unsafeUninitializedCapacity:)` is not: see `Array.filled`).
            var out = Array(UnsafeBufferPointer(rebasing: buf[..<n]))
            out.withUnsafeMutableBufferPointer { out in
                // Eight bytes at a time (`Phrase.lower`), then the rest.
                var i = 0
                if let to = out.baseAddress {
                    while i + 8 <= n {
                        let x = UnsafeRawPointer(to + i).loadUnaligned(as: UInt64.self)
                        UnsafeMutableRawPointer(to + i).storeBytes(of: Phrase.lower(x), as: UInt64.self)
                        i += 8
                    }
                }
                while i < n {
                    let b = out[i]
                    out[i] = b >= 65 && b <= 90 ? b + 32 : b
                    i += 1
                }
            }
            return out
        }
    }

    /// Bytes against a literal, with no array made for the literal.
    static func contains(_ hay: [UInt8], _ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { nd in hay.withUnsafeBufferPointer { find($0, nd) } }
    }

    static func hasPrefix(_ b: [UInt8], _ p: String) -> Bool {
        var p = p
        return p.withUTF8 { pb in
            guard pb.count <= b.count else { return false }
            for i in 0..<pb.count where b[i] != pb[i] { return false }
            return true
        }
    }

    static func hasPrefix(_ b: [UInt8], _ p: [UInt8]) -> Bool {
        guard p.count <= b.count else { return false }
        for i in 0..<p.count where b[i] != p[i] { return false }
        return true
    }

    /// How many runs of bytes other than a space (32) the bytes hold.
    static func spacedPieces(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0, inPiece = false
        for b in bytes {
            if b == 32 { inPiece = false } else if !inPiece { inPiece = true; count += 1 }
        }
        return count
    }

    /// The offset of the first `byte` at or after `from` (memchr), if there is one: the one
    /// search for a byte over a buffer (lines, fields, a key's colon).
    @inline(__always)
    static func offset(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress,
              let hit = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether `b` starts with `p`, over bytes in place (`memcmp`).
    @inline(__always)
    static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard p.count <= b.count else { return false }
        guard let bb = b.baseAddress, let pb = p.baseAddress else { return true }
        return memcmp(bb, pb, p.count) == 0
    }

    /// Whether `b` ends with `p`, over bytes in place (`memcmp`).
    @inline(__always)
    static func hasSuffix(_ b: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard p.count <= b.count else { return false }
        guard let bb = b.baseAddress, let pb = p.baseAddress else { return true }
        return memcmp(bb + (b.count - p.count), pb, p.count) == 0
    }

    static func hasSuffix(_ b: [UInt8], _ p: [UInt8]) -> Bool {
        guard p.count <= b.count else { return false }
        let off = b.count - p.count
        for i in 0..<p.count where b[off + i] != p[i] { return false }
        return true
    }

    /// A set of byte prefixes, looked up by their first byte.
    struct Prefixes: Sendable {
        private var buckets: [[[UInt8]]] = Array(repeating: [], count: 256)

        init(_ list: [String]) {
            for p in list {
                let b = Array(p.utf8)
                guard let f = b.first else { continue }
                buckets[Int(f)].append(b)
            }
        }

        /// The first (longest listed first) prefix of `b`, if any.
        func match(_ b: [UInt8]) -> [UInt8]? {
            guard let f = b.first else { return nil }
            for p in buckets[Int(f)] where ByteText.hasPrefix(b, p) { return p }
            return nil
        }
    }
}

extension ByteText {
    /// Whitespace as `CharacterSet.whitespaces` has it on Linux: tab, the space separators
    /// and the zero-width space (`trimmingWhitespace`).
    static func isWhitespace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

/// Byte tests over a string's UTF-8 storage directly (the generic `utf8` sequence
/// algorithms step an iterator, which costs tens of cycles a byte in these loops).
extension StringProtocol {
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = String(self)
        return copy.withUTF8(body)
    }

    /// The index of the first `byte` (memchr): the generic `utf8.firstIndex(of:)` steps the
    /// view's iterator a byte at a time.
    @inline(__always)
    func firstIndex(ofByte byte: UInt8) -> Index? {
        let offset = withBytes { ByteText.offset(of: byte, in: $0) }
        return offset.map { utf8.index(utf8.startIndex, offsetBy: $0) }
    }

    /// Whether the byte occurs (memchr).
    @inline(__always)
    func hasByte(_ b: UInt8) -> Bool {
        withBytes { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return false }
            return memchr(base, Int32(b), buf.count) != nil
        }
    }

    @inline(__always)
    func anyByte(where test: (UInt8) -> Bool) -> Bool {
        withBytes { buf in
            for b in buf where test(b) { return true }
            return false
        }
    }

    @inline(__always)
    func allBytes(_ test: (UInt8) -> Bool) -> Bool {
        withBytes { buf in
            for b in buf where !test(b) { return false }
            return true
        }
    }

    /// Whether every byte is ASCII.
    var isASCIIText: Bool { withBytes { ByteText.allASCII($0) } }

    /// Whether every byte is printable ASCII (space to `~`): each byte is then a character of its
    /// own, and a character's letters, digits and case are the ASCII ones (`CharacterKinds`).
    var isPrintableASCII: Bool { allBytes { $0 >= 0x20 && $0 < 0x7F } }

    /// Whether a character is of one of `kinds` or one of `symbols`, as `Character`'s properties
    /// say; read byte by byte when the text is printable ASCII.
    func containsCharacter(_ kinds: CharacterKinds, or symbols: String = "") -> Bool {
        if isPrintableASCII { return symbols.withBytes { s in anyByte { kinds.has($0) || s.contains($0) } } }
        return contains { kinds.has($0) || symbols.contains($0) }
    }

    /// Whether every character is of one of `kinds` or one of `symbols` (true for no characters).
    func allCharacters(_ kinds: CharacterKinds, or symbols: String = "") -> Bool {
        if isPrintableASCII { return symbols.withBytes { s in allBytes { kinds.has($0) || s.contains($0) } } }
        return allSatisfy { kinds.has($0) || symbols.contains($0) }
    }

    /// The UTF-8 bytes as an array (one copy).
    var byteArray: [UInt8] { withBytes { Array($0) } }

    /// The text without the whitespace at either end: what
    /// `trimmingCharacters(in: .whitespaces)` returns on Linux (tab, the space separators
    /// and the zero-width space), on every platform and without the trip through `NSString`.
    public func trimmingWhitespace() -> String {
        // Over the bytes while the ends are ASCII (nearly always); by scalar when one is not.
        let ascii = withBytes { b -> String? in
            var start = 0, end = b.count
            while start < end, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
            while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
            if start < end, b[start] >= 0x80 || b[end - 1] >= 0x80 { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        }
        if let ascii { return ascii }
        let scalars = String(self).unicodeScalars
        let isWhitespace = ByteText.isWhitespace
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhitespace($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension StringProtocol {
    /// How many pieces `spaceSplit` gives, without making them.
    var spaceCount: Int {
        guard isASCIIText || spacesStandAlone else { return Substring(self).split(separator: " ").count }
        return withBytes(ByteText.spacedPieces)
    }

    /// Whether each space byte is a character of its own, as `split(separator: " ")` reads the
    /// text: with ASCII, or nothing, on either side (a space before a combining mark, or after a
    /// prepended one, is part of another character; no other character equals a space).
    var spacesStandAlone: Bool {
        withBytes { b in
            for i in 0..<b.count where b[i] == 32 {
                if i > 0 && b[i - 1] >= 0x80 || i + 1 < b.count && b[i + 1] >= 0x80 { return false }
            }
            return true
        }
    }

    /// The pieces between spaces, as `split(separator: " ")` gives them: split over the bytes when
    /// each space is a character of its own (an ASCII text, most others), without breaking the
    /// text into characters.
    var spaceSplit: [Substring] {
        let text = Substring(self)
        guard text.isASCIIText || text.spacesStandAlone else { return text.split(separator: " ") }
        // The pieces counted first, then taken into a list made once (`split` and `map` made two,
        // each grown as it went).
        let utf8 = text.utf8
        var count = 0, inPiece = false
        for b in utf8 {
            if b == 32 { inPiece = false } else if !inPiece { inPiece = true; count += 1 }
        }
        var out: [Substring] = []
        out.reserveCapacity(count)
        var i = utf8.startIndex
        while i < utf8.endIndex {
            while i < utf8.endIndex, utf8[i] == 32 { i = utf8.index(after: i) }
            guard i < utf8.endIndex else { break }
            let start = i
            while i < utf8.endIndex, utf8[i] != 32 { i = utf8.index(after: i) }
            out.append(text[start..<i])
        }
        return out
    }

    /// The first and the last of `spaceSplit`'s pieces (nil when there are none), found from the
    /// ends of the text (where its spaces are characters of their own) without splitting the rest.
    var outerSpaceParts: (first: Substring, last: Substring)? {
        let text = Substring(self)
        guard text.isASCIIText || text.spacesStandAlone else {
            let parts = text.split(separator: " ")
            guard let first = parts.first, let last = parts.last else { return nil }
            return (first, last)
        }
        // Offsets found in the bytes, read in place.
        let found = text.withBytes { b -> (Int, Int, Int, Int)? in
            var start = 0
            while start < b.count, b[start] == 32 { start += 1 }
            guard start < b.count else { return nil }
            var end = b.count - 1
            while b[end] == 32 { end -= 1 }
            var firstEnd = start
            while firstEnd < b.count, b[firstEnd] != 32 { firstEnd += 1 }
            var lastStart = end
            while lastStart > 0, b[lastStart - 1] != 32 { lastStart -= 1 }
            return (start, firstEnd, lastStart, end + 1)
        }
        guard let (start, firstEnd, lastStart, lastEnd) = found else { return nil }
        let u = text.utf8
        func at(_ offset: Int) -> String.Index { u.index(u.startIndex, offsetBy: offset) }
        return (Substring(u[at(start)..<at(firstEnd)]), Substring(u[at(lastStart)..<at(lastEnd)]))
    }
}

/// Kinds of character, as `Character`'s properties tell them, and for a printable ASCII byte
/// (one character) as its value does: the reader's word tests read ASCII text by the byte.
struct CharacterKinds: OptionSet, Sendable {
    let rawValue: UInt8
    static let letter = CharacterKinds(rawValue: 1)      // `isLetter`
    static let number = CharacterKinds(rawValue: 2)      // `isNumber`
    static let uppercase = CharacterKinds(rawValue: 4)   // `isUppercase`
    static let lowercase = CharacterKinds(rawValue: 8)   // `isLowercase`

    @inline(__always)
    func has(_ c: Character) -> Bool {
        contains(.letter) && c.isLetter || contains(.number) && c.isNumber
            || contains(.uppercase) && c.isUppercase || contains(.lowercase) && c.isLowercase
    }

    /// The same answers for a printable ASCII byte.
    @inline(__always)
    func has(_ b: UInt8) -> Bool {
        let upper = b >= 65 && b <= 90, lower = b >= 97 && b <= 122
        return contains(.letter) && (upper || lower) || contains(.number) && b >= 48 && b <= 57
            || contains(.uppercase) && upper || contains(.lowercase) && lower
    }
}
