/// The normalise stage: every source, whatever its layout, becomes one `Page`.
public enum Normaliser {
    /// Normalises one source. Returns the page (nil when the source is rejected)
    /// and every diagnostic found along the way.
    public static func normalise(_ source: Source) -> (page: Page?, diagnostics: [Diagnostic]) {
        let text: String
        switch decode(source.bytes) {
        case .success(let t): text = t
        case .failure(let fault):
            switch fault {
            case .empty:
                return (nil, [.error(source.file, "file is empty; expected a comparison text or a Markdown page")])
            case .invalidUTF8(let line, let offset):
                return (nil, [.error(source.file, line: line, "file is not valid UTF-8 (byte \(offset) cannot be decoded); save it as UTF-8")])
            }
        }
        switch source.kind {
        case .text:
            switch SourceTextParser.parse(text, path: source.path, file: source.file) {
            case .success(let page): return (page, [])
            case .failure(let d): return (nil, [d])
            }
        case .markdown:
            if text.allSatisfy({ $0.isWhitespace }) {
                return (nil, [.error(source.file, "file contains only whitespace; expected a Markdown page")])
            }
            let (page, diagnostics) = MarkdownPageParser.parse(text, path: source.path, file: source.file)
            return (page, diagnostics)
        }
    }

    enum DecodeFault: Error {
        case empty
        case invalidUTF8(line: Int, offset: Int)
    }

    /// UTF-8 with an optional BOM; CRLF and CR line ends become LF.
    static func decode(_ bytes: [UInt8]) -> Result<String, DecodeFault> {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
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
        if text.utf8.contains(13) {
            text = String(decoding: normaliseLineEnds(Array(text.utf8)), as: UTF8.self)
        }
        return .success(text)
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
