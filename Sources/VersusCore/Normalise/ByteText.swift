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

    /// The text with ASCII letters lower-cased (other bytes kept), at most `limit` bytes.
    static func lowered(_ s: some StringProtocol, limit: Int = .max) -> [UInt8] {
        s.withBytes { buf in
            // Other scripts ("Категория:") need Unicode case mapping.
            guard allASCII(buf) else { return Array(String(s.prefix(limit)).lowercased().utf8.prefix(limit)) }
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
        guard isASCIIText else { return Substring(self).split(separator: " ").count }
        return withBytes(ByteText.spacedPieces)
    }

    /// The pieces between spaces, as `split(separator: " ")` gives them: split over the bytes when
    /// the text is ASCII (each byte a character), without breaking the text into characters.
    var spaceSplit: [Substring] {
        let text = Substring(self)
        guard text.isASCIIText else { return text.split(separator: " ") }
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
    /// ends of an ASCII text without splitting the rest.
    var outerSpaceParts: (first: Substring, last: Substring)? {
        let text = Substring(self)
        guard text.isASCIIText else {
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
