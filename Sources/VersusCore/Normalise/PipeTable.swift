import Foundation

/// GitHub-style pipe tables in Markdown pages:
///
///     | Feature | PostgreSQL | MySQL |
///     |---|:---:|---|
///     | JSON | JSONB, indexed | JSON |
///
/// CommonMark has no tables, so cmark reads one as a paragraph; the normaliser
/// turns such a paragraph into a `Table` and Versus renders it.
enum PipeTable {
    static func parse(_ lines: ArraySlice<Substring>) -> Table? {
        guard lines.count >= 2 else { return nil }
        let all = Array(lines)
        let header = cells(all[0])
        guard let alignments = delimiterRow(all[1]), header.count == alignments.count, !header.isEmpty else { return nil }
        // The header must look like a row: a pipe in it, unless the table has one column with pipes around it.
        guard all[0].contains("|") else { return nil }
        var rows: [[String]] = []
        for line in all.dropFirst(2) {
            var row = cells(line)
            if row.count > header.count { row = Array(row.prefix(header.count)) }
            rows.append(row)
        }
        return Table(header: header, rows: rows, alignments: alignments)
    }

    /// The cells of one row: split at `|` that is not escaped, without the outer pipes.
    static func cells(_ line: Substring) -> [String] {
        var s = line.trimmingWhitespace()[...]
        if ByteText.hasPrefix(s, "|") { s = s.dropFirst() }
        if ByteText.hasSuffix(s, "|") && !s.hasSuffix("\\|") { s = s.dropLast() }
        var out: [String] = []
        var cell = ""
        var escaped = false
        for c in s {
            if escaped {
                if c != "|" { cell.append("\\") }
                cell.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "|" {
                out.append(cell.trimmingWhitespace())
                cell = ""
            } else {
                cell.append(c)
            }
        }
        if escaped { cell.append("\\") }
        out.append(cell.trimmingWhitespace())
        return out
    }

    /// `|---|:---:|--:|` → alignments, or nil when the line is not a delimiter row.
    static func delimiterRow(_ line: Substring) -> [Table.Alignment]? {
        let parts = cells(line)
        var out: [Table.Alignment] = []
        for p in parts {
            let left = ByteText.hasPrefix(p, ":"), right = ByteText.hasSuffix(p, ":")
            let dashes = p.drop(while: { $0 == ":" }).reversed().drop(while: { $0 == ":" })
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            out.append(left && right ? .center : right ? .right : left ? .left : .none)
        }
        return out.isEmpty ? nil : out
    }
}
