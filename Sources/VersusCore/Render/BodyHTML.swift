/// A page's body as HTML: Markdown blocks through cmark, tables by Versus.
enum BodyHTML {
    /// The blocks of a lead or a section. Each Markdown block is rendered with the page's
    /// link reference definitions, so `[text][ref]` resolves wherever `[ref]: …` stands.
    static func blocks(_ blocks: [Block], references: String, options: MarkdownOptions) -> String {
        var out = ""
        for block in blocks {
            switch block {
            case .markdown(let markdown):
                out += CMark.html(references.isEmpty ? markdown : markdown + "\n\n" + references, options: options)
            case .table(let table):
                out += self.table(table, references: references, options: options)
            case .html(let html):
                out += html
            }
        }
        return out
    }

    /// Inline Markdown (a heading, a table cell) as HTML, without a paragraph around it.
    /// It is rendered as the text of a heading, so line-start syntax ("1. ", "- ") stays text.
    static func inline(_ markdown: String, references: String = "", options: MarkdownOptions) -> String {
        if markdown.isEmpty { return "" }
        if isLiteral(markdown) { return markdown }
        let h = CMark.html("## " + markdown + (references.isEmpty ? "" : "\n\n" + references), options: options)
        guard h.hasPrefix("<h2>"), let end = h.range(of: "</h2>\n") else { return Escape.html(markdown) }
        return String(h[h.index(h.startIndex, offsetBy: 4)..<end.lowerBound])
    }

    /// Text that cmark gives back as it is (most headings and cells): letters, digits, inner
    /// spaces and punctuation that means nothing to Markdown or HTML, nor to smart punctuation.
    static func isLiteral(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last, first != 32, last != 32 else { return false }
        return text.allBytes { b in
            switch b {
            case 97...122, 65...90, 48...57, 0x80...0xFF: true
            case 32, 44, 58, 59, 40, 41, 63, 43, 37, 61, 64: true   // space , : ; ( ) ? + % = @
            default: false
            }
        }
    }

    /// A table with a header row; when the top-left cell is empty, the first column
    /// heads its rows. Alignment is a class (the Content-Security-Policy allows no inline styles).
    static func table(_ table: Table, references: String, options: MarkdownOptions) -> String {
        let rowHeaders = table.header.first?.isEmpty == true && table.columns > 1
        func alignment(_ i: Int) -> String {
            switch table.alignments[i] {
            case .none: return ""
            case .left: return " class=\"align-left\""
            case .center: return " class=\"align-center\""
            case .right: return " class=\"align-right\""
            }
        }
        // The wrap scrolls on narrow screens: focusable, and named, so keyboards and screen readers reach it.
        let name = table.header.map { PlainText.inline($0) }.filter { !$0.isEmpty }.joined(separator: ", ")
        var out = "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"\(Escape.attribute(name.isEmpty ? "Table" : "Table: " + name))\"><table>\n<thead>\n<tr>"
        for (i, cell) in table.header.enumerated() {
            // The empty corner above the row headings heads nothing: a plain cell, not an empty heading.
            if i == 0 && rowHeaders { out += "<td></td>"; continue }
            out += "<th scope=\"col\"\(alignment(i))>" + inline(cell, references: references, options: options) + "</th>"
        }
        out += "</tr>\n</thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() {
                let html = inline(cell, references: references, options: options)
                out += rowHeaders && i == 0 ? "<th scope=\"row\"\(alignment(i))>\(html)</th>" : "<td\(alignment(i))>\(html)</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }
}
