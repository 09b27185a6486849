/// Turns plain text (as captured in source texts) into Markdown that renders
/// back to exactly that text: characters cmark would read as syntax are escaped.
enum MarkdownEscape {
    /// Escapes inline syntax. Line-start syntax (`#`, `>`, `-`, `1.`) is escaped
    /// when `atLineStart` is true.
    static func inline(_ text: String, atLineStart: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            switch s {
            case "\\", "`", "*", "_", "[", "]", "<":
                out.append("\\")
            case "&":
                // Only an entity-like run (`&amp;`, `&#169;`) would be decoded by cmark.
                var j = i + 1
                while j < scalars.count, scalars[j].properties.isAlphabetic || scalars[j] == "#"
                        || ("0"..."9").contains(scalars[j]) { j += 1 }
                if j < scalars.count, j > i + 1, scalars[j] == ";" { out.append("\\") }
            case "!" where i + 1 < scalars.count && scalars[i + 1] == "[":
                out.append("\\")
            default:
                break
            }
            out.unicodeScalars.append(s)
        }
        if atLineStart { return escapeLineStart(out) }
        return out
    }

    /// Escapes syntax that only matters at the start of a line.
    static func escapeLineStart(_ text: String) -> String {
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
