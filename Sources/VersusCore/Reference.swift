/// The generated parts of docs/reference.md: every `versus.yml` key (from `ConfigKey.all`),
/// every front-matter key (from `FrontMatter.Written`), and every template variable per
/// template (from the typed contexts, `TemplateRoots.schemas`). `versus reference` prints
/// them; a test regenerates the document and fails when it differs from the code.
public enum Reference {
    /// The generated blocks, by name: each sits in the document between
    /// `<!-- generated: NAME -->` and `<!-- end generated: NAME -->`.
    public static var blocks: [(name: String, text: String)] {
        [("config", config()), ("front-matter", frontMatter()), ("templates", templates())]
    }

    /// `document` with every generated block replaced by what the code says now.
    public static func update(_ document: String) -> String {
        var out = document
        for (name, text) in blocks {
            let begin = "<!-- generated: \(name) -->\n", end = "<!-- end generated: \(name) -->"
            guard let b = out.range(of: begin), let e = out.range(of: end, range: b.upperBound..<out.endIndex) else { continue }
            out.replaceSubrange(b.upperBound..<e.lowerBound, with: text)
        }
        return out
    }

    /// Table cells: `|` escaped, one line.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    public static func config() -> String {
        var out = "| key | type | default | meaning |\n|---|---|---|---|\n"
        for row in ConfigKey.referenceRows {
            out += "| `\(row.path)` | \(cell(row.type)) | \(cell(row.defaultValue)) | \(cell(row.doc)) |\n"
        }
        return out
    }

    public static func frontMatter() -> String {
        var out = "| key | type | meaning |\n|---|---|---|\n"
        for key in FrontMatter.Written.CodingKeys.allCases {
            out += "| `\(key.stringValue)` | \(cell(key.type)) | \(cell(key.doc)) |\n"
        }
        for key in CallToAction.CodingKeys.allCases {
            out += "| `cta.\(key.stringValue)` | \(cell(key.type)) | \(cell(key.doc)) |\n"
        }
        for key in UTM.CodingKeys.allCases {
            out += "| `cta.utm.\(key.stringValue)` | \(cell(key.type)) | \(cell(key.doc)) |\n"
        }
        return out
    }

    /// Every variable, for the templates that receive it: the fields every template shares
    /// once, then each context's own (templates with the same context together).
    public static func templates() -> String {
        let shared: Set<String> = ["site", "head", "assets"]
        func table(_ variables: [MustacheVariable]) -> String {
            var out = "| variable | kind | meaning |\n|---|---|---|\n"
            for v in variables {
                out += "| `\(v.path)` | \(cell(v.kind))\(v.optional ? ", optional" : "") | \(cell(v.doc)) |\n"
            }
            return out
        }
        func isShared(_ v: MustacheVariable) -> Bool {
            shared.contains(String(v.path.split(separator: ".")[0].split(separator: "[")[0]))
        }
        let any = TemplateRoots.schemas.values.first!
        var out = "### Every template\n\n" + table(any.variables().filter(isShared))
        var groups: [String: (names: [String], schema: MustacheSchema)] = [:]
        for (name, schema) in TemplateRoots.schemas {
            groups[schema.typeName, default: ([], schema)].names.append(name)
        }
        for (_, group) in groups.sorted(by: { $0.value.names.min()! < $1.value.names.min()! }) {
            let own = group.schema.variables().filter { !isShared($0) }
            let names = group.names.sorted().map { "`\($0).mustache`" }.joined(separator: " and ")
            out += "\n### \(names)\n\n"
            out += own.isEmpty ? "Only the variables every template has.\n" : table(own)
        }
        return out
    }

    /// Every name the reference documents, by part: for tests that say what is missing where.
    public static var names: (config: [String], frontMatter: [String], templates: [String]) {
        (ConfigKey.referenceRows.map(\.path),
         FrontMatter.Written.CodingKeys.allCases.map(\.stringValue)
            + CallToAction.CodingKeys.allCases.map { "cta." + $0.stringValue }
            + UTM.CodingKeys.allCases.map { "cta.utm." + $0.stringValue },
         Array(Set(TemplateRoots.schemas.values.flatMap { $0.variables().map(\.path) })).sorted())
    }
}
