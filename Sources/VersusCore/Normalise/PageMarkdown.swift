/// Writes a page in the normalised Markdown format: YAML front-matter, then the
/// lead, then `## ` sections. Saving this output as a `.md` file in `content/`
/// takes the page over by hand: it builds to the same page.
public enum PageMarkdown {
    public static func write(_ page: Page) -> String {
        // Roles are written out so the page keeps them even if the classifier changes.
        let roles = page.kind == .comparison ? page.sections.map { (PlainText.inline($0.heading), $0.role) } : []
        var out = "---\n" + page.frontMatter.yaml(sectionRoles: roles)
        out += "---\n"
        if !page.lead.isEmpty { out += "\n" + page.leadMarkdown + "\n" }
        for section in page.sections {
            out += "\n## \(section.heading)\n"
            if !section.blocks.isEmpty { out += "\n" + section.markdown + "\n" }
        }
        return out
    }

    /// Blocks as one Markdown text, separated by blank lines; tables as GitHub-style pipe tables.
    public static func markdown(_ blocks: [Block]) -> String {
        blocks.map { block in
            switch block {
            case .markdown(let text): return text
            case .table(let table): return pipeTable(table)
            // (Only a page read for a build holds HTML: Markdown shows it as an HTML block.)
            case .html(let html): return html.trimmingWhitespace()
            }
        }.joined(separator: "\n\n")
    }

    /// `| a | b |` rows under a delimiter row; `|` inside a cell is escaped.
    static func pipeTable(_ table: Table) -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.isEmpty ? " " : $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let delimiter = "|" + table.alignments.map { a -> String in
            switch a {
            case .none: return " --- "
            case .left: return " :-- "
            case .center: return " :-: "
            case .right: return " --: "
            }
        }.joined(separator: "|") + "|"
        return ([row(table.header), delimiter] + table.rows.map(row)).joined(separator: "\n")
    }

    /// A YAML double-quoted scalar.
    static func yamlQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            // Line breaks to YAML, though not to Swift: written as YAML's own escapes.
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            case "\u{FEFF}": out += "\\uFEFF"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The `versus normalize --format jsonl` record of one file. The agreed keys (file, title,
    /// subjects, slug, description, sections with heading, role and paragraphs, byline, error)
    /// come first; the rest say how the page was read.
    public static func jsonRecord(file: String, page: Page?, error: String?, errorKind: String? = nil,
                                  warnings: [Diagnostic] = []) -> JSON {
        let warningList = JSON.strings(warnings.filter { $0.severity == .warning }.map(\.description))
        guard let page else {
            return .object([
                ("file", .string(file)), ("title", .null), ("subjects", .array([])), ("slug", .null),
                ("description", .null), ("sections", .array([])), ("byline", .null), ("error", .optional(error)),
                ("error_kind", .optional(error == nil ? nil : errorKind)), ("warnings", warningList),
            ])
        }
        let fm = page.frontMatter
        let blocks = page.lead + page.sections.flatMap(\.blocks)
        let tables: [Table] = blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
        let code = blocks.filter { if case .markdown(let m) = $0 { return ByteText.hasPrefix(m, "```") || ByteText.hasPrefix(m, "~~~") } else { return false } }.count
        return .object([
            ("file", .string(file)),
            ("title", .string(fm.title)),
            ("subjects", .strings(fm.subjects)),
            ("slug", .string(fm.slug)),
            ("description", .string(fm.description)),
            ("sections", .array(page.sections.map { s in
                .object([
                    ("heading", .string(PlainText.inline(s.heading))),
                    ("role", .string(s.role.rawValue)),
                    ("paragraphs", .int(s.blocks.count)),
                    ("blocks", .int(s.blocks.count)),
                ])
            })),
            ("byline", .optional(fm.byline?.text)),
            ("error", .optional(error)),
            ("byline_name", .optional(fm.byline?.name)),
            ("byline_role", .optional(fm.byline?.role)),
            ("tables", .array(tables.map { t in
                .object([("columns", .int(t.columns)), ("rows", .int(t.rows.count)),
                         ("header", .strings(t.header.map(PlainText.inline)))])
            })),
            ("code_blocks", .int(code)),
            ("warnings", warningList),
        ])
    }
}
