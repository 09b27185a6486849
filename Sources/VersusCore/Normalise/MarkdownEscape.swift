/// Turns plain text (as captured in source texts) into Markdown that renders
/// back to exactly that text: characters cmark would read as syntax are escaped.
enum MarkdownEscape {
    /// Escapes inline syntax. Line-start syntax (`#`, `>`, `-`, `1.`) is escaped
    /// when `atLineStart` is true.
    static func inline(_ text: String, atLineStart: Bool = true) -> String {
        // Every character that needs a backslash is ASCII: work over the bytes.
        @inline(__always) func special(_ b: UInt8) -> Bool {
            b == 92 || b == 96 || b == 42 || b == 95 || b == 91 || b == 93 || b == 60 || b == 38 || b == 33
        }
        // (Looked for in place: most texts hold none, and need no copy of their bytes.)
        guard text.anyByte(where: special) else { return atLineStart ? escapeLineStart(text) : text }
        // Read in place and written into the new string's own storage: a byte gives two at most.
        let escaped = text.withBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                var n = 0
                var i = 0
                while i < bytes.count {
                    let b = bytes[i]
                    switch b {
                    case 92, 96, 42, 95, 91, 93, 60:   // \ ` * _ [ ] <
                        out[n] = 92; n += 1
                    case 38:                           // &
                        // Only an entity-like run (`&amp;`, `&#169;`) would be decoded by cmark.
                        var j = i + 1
                        while j < bytes.count {
                            let c = bytes[j]
                            if (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 35 { j += 1; continue }
                            if c >= 0xC0 {
                                // A letter of another script: decode its scalar.
                                var width = 2
                                if c >= 0xE0 { width = c >= 0xF0 ? 4 : 3 }
                                guard j + width <= bytes.count,
                                      let scalar = String(decoding: UnsafeBufferPointer(rebasing: bytes[j..<(j + width)]), as: UTF8.self).unicodeScalars.first,
                                      scalar.properties.isAlphabetic else { break }
                                j += width
                                continue
                            }
                            break
                        }
                        if j < bytes.count, j > i + 1, bytes[j] == 59 { out[n] = 92; n += 1 }
                    case 33 where i + 1 < bytes.count && bytes[i + 1] == 91:   // ![
                        out[n] = 92; n += 1
                    default:
                        break
                    }
                    out[n] = b; n += 1
                    i += 1
                }
                return n
            }
        }
        return atLineStart ? escapeLineStart(escaped) : escaped
    }

    /// Escapes syntax that only matters at the start of a line.
    static func escapeLineStart(_ text: String) -> String {
        // Most lines start with a letter: no mark, no digit, whatever follows it.
        if let b = text.utf8.first, (b | 0x20) >= 97 && (b | 0x20) <= 122 { return text }
        guard let first = text.first else { return text }
        switch first {
        case "#", "-", "+", "=", ">":
            return "\\" + text
        default:
            break
        }
        // "1. " or "1) " would start an ordered list.
        var digits = 0
        for c in text {
            if c.isASCII && c.isNumber { digits += 1; continue }
            if digits > 0, c == "." || c == ")" {
                let idx = text.index(text.startIndex, offsetBy: digits)
                return String(text[..<idx]) + "\\" + String(text[idx...])
            }
            break
        }
        return text
    }
}
