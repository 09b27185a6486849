/// The normalise stage: every source, whatever its layout, becomes one `Page`.
public enum Normaliser {
    /// Normalises one source. Returns the page (nil when the source is rejected)
    /// and every diagnostic found along the way.
    public static func normalise(_ source: Source) -> (page: Page?, diagnostics: [Diagnostic]) {
        let r = read(source)
        return (r.page, r.diagnostics)
    }

    /// Normalises one source for a build: a Markdown page keeps the blocks whose HTML no
    /// option changes as that HTML, made in the parse that found its sections (its body is
    /// parsed once, not again at render).
    public static func normaliseForBuild(_ source: Source) -> (page: Page?, diagnostics: [Diagnostic]) {
        let r = read(source, html: true)
        return (r.page, r.diagnostics)
    }

    /// Normalises one source and, when asked, explains a text's layout line by line.
    /// - Parameter html: see `MarkdownPageParser.parse(_:path:file:html:)`.
    public static func read(_ source: Source, explain: Bool = false, html: Bool = false) -> SourceTextParser.Reading {
        let text: String
        var warnings: [Diagnostic] = []
        switch decode(source.bytes) {
        case .success(let (t, removed)):
            text = t
            for r in removed {
                let list = r.scalars.prefix(3).map { "U+" + String($0, radix: 16, uppercase: true).leftPadded(4) }.joined(separator: ", ")
                let kind = r.scalars.contains { Unicode.Scalar($0).map(isNoncharacter) ?? false } ? "control character or noncharacter" : "control character"
                warnings.append(.warning(source.file, line: r.line,
                    "removed \(r.count) \(kind)\(r.count == 1 ? "" : "s") (\(list)\(r.scalars.count > 3 ? ", …" : "")); a title, heading or text never carries them"))
            }
        case .failure(let fault):
            let d: Diagnostic
            switch fault {
            case .empty:
                d = .error(source.file, "file is empty; expected a comparison text or a Markdown page")
            case .invalidUTF8(let line, let offset):
                // A UTF-16 file (as some Windows editors save) starts with its byte-order mark.
                let b = source.bytes
                let utf16 = b.count >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))
                d = utf16 ? .error(source.file, line: 1, "file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8")
                    : .error(source.file, line: line, "file is not valid UTF-8 (byte \(offset) cannot be decoded); save it as UTF-8")
            }
            return SourceTextParser.Reading(page: nil, diagnostics: [d], explanation: [], errorKind: .empty)
        }
        switch source.kind {
        case .text:
            var r = SourceTextParser.read(text, path: source.path, file: source.file, explain: explain)
            r.diagnostics = warnings + r.diagnostics
            return r
        case .markdown:
            if text.allSatisfy({ $0.isWhitespace }) {
                return SourceTextParser.Reading(page: nil, diagnostics: warnings + [.error(source.file, "file contains only whitespace; expected a Markdown page")],
                                                explanation: [], errorKind: .whitespace)
            }
            let (page, diagnostics) = MarkdownPageParser.parse(text, path: source.path, file: source.file, html: html)
            return SourceTextParser.Reading(page: page, diagnostics: warnings + diagnostics, explanation: [], errorKind: nil)
        }
    }

    enum DecodeFault: Error {
        case empty
        case invalidUTF8(line: Int, offset: Int)
    }

    /// Control characters removed from one line.
    struct Removed: Equatable {
        var line: Int
        var count: Int
        var scalars: [UInt32]
    }

    /// A UTF-8 byte-order mark, which reading drops.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// UTF-8 with an optional BOM; CRLF and CR line ends become LF; control characters
    /// (C0 but tab and line ends, DEL, C1) and noncharacters (U+FDD0–U+FDEF, U+FFFE and U+FFFF
    /// and the same at the end of every plane: an HTML parse error wherever a page shows them)
    /// are removed, and reported by line.
    static func decode(_ bytes: [UInt8]) -> Result<(String, [Removed]), DecodeFault> {
        let start = bytes.starts(with: byteOrderMark) ? byteOrderMark.count : 0
        if start == bytes.count { return .failure(.empty) }
        let body = bytes[start...]
        guard var text = String(validating: body, as: UTF8.self) else {
            // Find the first byte that does not decode, and its line.
            var iterator = body.makeIterator()
            var decoder = UTF8()
            var offset = start
            var line = 1
            loop: while true {
                let before = offset
                switch decoder.decode(&iterator) {
                case .scalarValue(let s):
                    if s == "\n" { line += 1 }
                    offset += UTF8.width(s)
                case .emptyInput:
                    break loop
                case .error:
                    return .failure(.invalidUTF8(line: line, offset: before))
                }
            }
            return .failure(.invalidUTF8(line: line, offset: offset))
        }
        if text.hasByte(13) {
            text = String(decoding: normaliseLineEnds(Array(text.utf8)), as: UTF8.self)
        }
        var removed: [Removed] = []
        if hasControlCharacters(text) {
            (text, removed) = removeControlCharacters(text)
        }
        return .success((text, removed))
    }

    /// One pass over the bytes: C0 (but tab and LF), DEL, C1 (0xC2 0x80–0x9F), and noncharacters
    /// (0xEF 0xB7 0x90–0xAF, 0xEF 0xBF 0xBE–0xBF, and four bytes ending 0x?F 0xBF 0xBE–0xBF).
    static func hasControlCharacters(_ text: String) -> Bool {
        text.withBytes { bytes in
            let n = bytes.count
            func control(_ j: Int) -> Bool {
                let b = bytes[j]
                if b < 0x20 { return b != 9 && b != 10 }
                if b == 0x7F { return true }
                if b < 0xC2 { return false }
                if b == 0xC2 { return j + 1 < n && bytes[j + 1] >= 0x80 && bytes[j + 1] <= 0x9F }
                if b == 0xEF, j + 2 < n {
                    let b1 = bytes[j + 1], b2 = bytes[j + 2]
                    return b1 == 0xB7 && b2 >= 0x90 && b2 <= 0xAF || b1 == 0xBF && b2 >= 0xBE
                }
                if b >= 0xF0, j + 3 < n { return bytes[j + 1] & 0x0F == 0x0F && bytes[j + 2] == 0xBF && bytes[j + 3] >= 0xBE }
                return false
            }
            guard let base = bytes.baseAddress else { return false }
            var i = 0
            // Eight bytes at a time: a run with no byte below 0x20, no 0x7F, no 0xC2, no 0xEF and
            // none from 0xF0 (most runs of a text) starts no control character or noncharacter.
            while i + 8 <= n {
                let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let flagged = ByteText.holds(x, below: 0x20) || ByteText.holds(x, 0x7F) || ByteText.holds(x, 0xC2)
                    || ByteText.holds(x, 0xEF) || ByteText.holds(~x, below: 0x10)
                if flagged {
                    for j in i..<i + 8 where control(j) { return true }
                }
                i += 8
            }
            while i < n {
                if control(i) { return true }
                i += 1
            }
            return false
        }
    }

    /// U+FDD0–U+FDEF, and the last two code points of each plane (U+FFFE, U+FFFF, U+1FFFE…).
    static func isNoncharacter(_ s: Unicode.Scalar) -> Bool {
        (0xFDD0...0xFDEF).contains(s.value) || s.value & 0xFFFE == 0xFFFE
    }

    static func removeControlCharacters(_ text: String) -> (String, [Removed]) {
        var out = String.UnicodeScalarView()
        var removed: [Removed] = []
        var line = 1
        for s in text.unicodeScalars {
            let v = s.value
            if s == "\n" { line += 1 }
            let control = (v < 0x20 && v != 9 && v != 10) || v == 0x7F || (v >= 0x80 && v <= 0x9F) || isNoncharacter(s)
            if control {
                // A vertical tab or form feed separates words like a space.
                if v == 0x0B || v == 0x0C { out.append(" ") }
                if let last = removed.last, last.line == line {
                    removed[removed.count - 1].count += 1
                    if !last.scalars.contains(v) { removed[removed.count - 1].scalars.append(v) }
                } else {
                    removed.append(Removed(line: line, count: 1, scalars: [v]))
                }
                continue
            }
            out.append(s)
        }
        return (String(out), removed)
    }

    static func normaliseLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13 {
                out.append(10)
                if i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
            } else {
                out.append(bytes[i])
            }
            i += 1
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
