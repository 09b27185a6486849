import Foundation

/// Front-matter: everything about a page except its body. This file is the one definition
/// of it: the keys a Markdown page may write (`Written`, decoded from the YAML by Yams's
/// decoder or read straight from its usual plain form, each key with its type and doc for the
/// reference), the model the build carries, what templates see of it (`page.front_matter`),
/// and how `versus normalize` writes it.
/// A new front-matter key is added here, used in a template, and documented by
/// regenerating docs/reference.md.
public struct FrontMatter: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
    public var title: String
    /// The compared subjects, two to four, in the order the page names them.
    public var subjects: [String]
    public var slug: String
    /// The page's own description (given, or derived from its text), 50–160 characters.
    public var description: String
    public var byline: Byline?
    public var date: Day?
    public var updated: Day?
    /// Old paths that redirect here (`/docker-vs-kubernetes/`).
    public var aliases: [String]
    /// Roles pinned by heading, overriding the classifier.
    public var roles: [String: Role]
    public var draft: Bool
    public var noindex: Bool
    /// This page's call to action (else the site's).
    public var cta: CallToAction?
    /// Where the source gives what only the site-wide checks can find wrong.
    public var lines: Lines

    /// The file's lines of the facts the assembler checks with every page in view (a subject
    /// too long for a name, an alias that is another page's URL), so its errors name the line
    /// as the reader's do; nil when the page does not give the fact.
    public struct Lines: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
        /// The `subjects:` key, or the line of a text that names its subjects (its title, or the dek).
        public var subjects: Int?
        /// The `aliases:` key.
        public var aliases: Int?

        public init(subjects: Int? = nil, aliases: Int? = nil) {
            self.subjects = subjects
            self.aliases = aliases
        }

        func writeBinary(to e: BinaryEncoder) throws {
            try e.optional(subjects)
            try e.optional(aliases)
        }

        init(binary d: BinaryDecoder) throws {
            self.init(subjects: try d.optional(Int.self), aliases: try d.optional(Int.self))
        }
    }

    func writeBinary(to e: BinaryEncoder) throws {
        e.str(title)
        try e.value(subjects)
        e.str(slug)
        e.str(description)
        try e.optional(byline)
        try e.optional(date)
        try e.optional(updated)
        try e.value(aliases)
        try e.value(roles)
        e.bool(draft)
        e.bool(noindex)
        try e.optional(cta)
        try lines.writeBinary(to: e)
    }

    init(binary d: BinaryDecoder) throws {
        self.init(title: try d.str(), subjects: try d.value([String].self), slug: try d.str(), description: try d.str(),
                  byline: try d.optional(Byline.self), date: try d.optional(Day.self), updated: try d.optional(Day.self),
                  aliases: try d.value([String].self), roles: try d.value([String: Role].self), draft: try d.byte() != 0,
                  noindex: try d.byte() != 0, cta: try d.optional(CallToAction.self), lines: try Lines(binary: d))
    }

    public init(title: String, subjects: [String] = [], slug: String, description: String,
                byline: Byline? = nil, date: Day? = nil, updated: Day? = nil, aliases: [String] = [],
                roles: [String: Role] = [:], draft: Bool = false, noindex: Bool = false, cta: CallToAction? = nil,
                lines: Lines = Lines()) {
        self.title = title
        self.subjects = subjects
        self.slug = slug
        self.description = description
        self.byline = byline
        self.date = date
        self.updated = updated
        self.aliases = aliases
        self.roles = roles
        self.draft = draft
        self.noindex = noindex
        self.cta = cta
        self.lines = lines
    }

    /// The model of what a page wrote, with what the normaliser decided: the title it
    /// checked, the subjects (none for a document), the slug and the description, and the
    /// lines of its keys.
    init(_ written: Written, title: String, subjects: [String], slug: String, description: String, lines: Lines) {
        self.init(title: title, subjects: subjects, slug: slug, description: description,
                  byline: (written.byline ?? written.author)?.byline, date: written.date?.day,
                  updated: (written.updated ?? written.lastmod)?.day,
                  aliases: written.aliases?.values.map(Self.normaliseAlias) ?? [], roles: written.roles?.roles ?? [:],
                  draft: written.draft ?? false, noindex: written.noindex ?? false, cta: written.cta, lines: lines)
    }

    static func normaliseAlias(_ alias: String) -> String {
        var a = alias.trimmingWhitespace()
        if !a.hasPrefix("/") { a = "/" + a }
        if !a.hasSuffix("/") && !a.hasSuffix(".html") { a += "/" }
        return a
    }

    // MARK: As written

    /// Front-matter as an author writes it: every key a Markdown page may set. All optional;
    /// the normaliser says what a page needs (`title`) and derives the rest.
    public struct Written: Decodable, Sendable, Hashable {
        public enum CodingKeys: String, DocumentedKey {
            case title, subjects, slug, description, byline, author, date, updated, lastmod, aliases, roles, draft, noindex, cta

            public var type: String {
                switch self {
                case .title, .description, .slug, .byline, .author: "text"
                case .subjects, .aliases: "list of text"
                case .date, .updated, .lastmod: "date (YYYY-MM-DD)"
                case .roles: "mapping: heading → role"
                case .draft, .noindex: "true or false"
                case .cta: "mapping (label, url, text, utm)"
                }
            }

            public var doc: String {
                switch self {
                case .title: "The page's title and `<h1>`. Required."
                case .subjects: "Two to four compared subjects (`[\"Kubernetes\", \"Stripe\"]`): the page is a comparison, built at `/<slug>/`. Without it the page is a document, built at the URL of its path."
                case .slug: "The last part of the URL (lower-case letters, digits, hyphens; a document may give a path with `/`). Default: made from the subjects, or from the file's path."
                case .description: "The meta description, 50–160 characters. Default: derived from the text (a document gets a warning)."
                case .byline: "The author, as one line: `Jane Doe — Platform Lead`."
                case .author: "The same as `byline`."
                case .date: "When the page was first published; shown and used in structured data."
                case .updated: "When the content last changed. Default: the day the build first saw the content as it is (the `lastmod.tsv` ledger)."
                case .lastmod: "The same as `updated`."
                case .aliases: "Old URLs that redirect here (`/stripe-vs-kubernetes/`)."
                case .roles: "Pins a section's role by its heading: `subject_focus`, `our_position`, `technical`, `call_to_action` or `other`."
                case .draft: "Left out of the build unless `versus build --drafts`, which builds it as `noindex`. Default false."
                case .noindex: "Built, but asks search engines not to index it, and left out of the sitemap. Default false."
                case .cta: "This page's call to action, replacing the site's `cta` whole: `label`, `url`, optional `text` and `utm` (see versus.yml `cta`)."
                }
            }
        }

        public var title: String?
        public var subjects: Subjects?
        public var slug: WrittenSlug?
        public var description: String?
        public var byline: BylineText?
        public var author: BylineText?
        public var date: WrittenDay?
        public var updated: WrittenDay?
        public var lastmod: WrittenDay?
        public var aliases: TextList?
        public var roles: RoleMap?
        public var draft: Bool?
        public var noindex: Bool?
        public var cta: CallToAction?

        /// The keys, and the mappings under them whose keys are checked too.
        public static let keys = YAMLKeys(CodingKeys.self, nested: ["cta": CallToAction.keys])

        /// Front-matter read straight from its plain form (`PlainYAML.read`): what Yams's decoder
        /// gives from the same text, without composing its tree and decoding that. Nil, so that
        /// the decoder reads it and says what is wrong, unless every key is one of these and every
        /// value plainly what its key takes; so nil for a plain value a YAML resolver could read
        /// as something other than text (`null`, `yes`), a control character the decoder would
        /// warn of, a mapping (`roles:`, `cta:`), or a value its key refuses. Checked against the
        /// decoder in `PlainYAMLTests.frontMatterFromThePlainFormIsTheDecoders`.
        init?(plain entries: [PlainYAML.Entry]) {
            func text(_ value: PlainYAML.Value) -> String? {
                guard case .scalar(let s) = value, Self.plainlyText(s) else { return nil }
                return s.string
            }
            func list(_ value: PlainYAML.Value) -> TextList? {
                switch value {
                case .scalar(let s): return Self.plainlyText(s) ? TextList([s.string]) : nil
                case .list(let items, _): return items.allSatisfy(Self.plainlyText) ? TextList(items.map(\.string)) : nil
                }
            }
            func flag(_ value: PlainYAML.Value) -> Bool? {
                guard case .scalar(let s) = value, s.style == .plain else { return nil }
                return s.string == "true" ? true : s.string == "false" ? false : nil
            }
            for entry in entries {
                guard let key = CodingKeys(rawValue: entry.key) else { return nil }
                switch key {
                case .title: guard let v = text(entry.value) else { return nil }; title = v
                case .description: guard let v = text(entry.value) else { return nil }; description = v
                case .subjects: guard let v = list(entry.value).flatMap(Subjects.init) else { return nil }; subjects = v
                case .slug: guard let v = text(entry.value).flatMap(WrittenSlug.init) else { return nil }; slug = v
                case .byline: guard let v = text(entry.value) else { return nil }; byline = BylineText(v)
                case .author: guard let v = text(entry.value) else { return nil }; author = BylineText(v)
                case .date: guard let v = text(entry.value).flatMap(WrittenDay.init) else { return nil }; date = v
                case .updated: guard let v = text(entry.value).flatMap(WrittenDay.init) else { return nil }; updated = v
                case .lastmod: guard let v = text(entry.value).flatMap(WrittenDay.init) else { return nil }; lastmod = v
                case .aliases: guard let v = list(entry.value) else { return nil }; aliases = v
                case .draft: guard let v = flag(entry.value) else { return nil }; draft = v
                case .noindex: guard let v = flag(entry.value) else { return nil }; noindex = v
                case .roles, .cta: return nil
                }
            }
        }

        /// A scalar every reading takes as the text written: quoted, or plain and spelling no
        /// null or boolean (any resolver's), with no control character (the form has only NEL).
        static func plainlyText(_ s: PlainYAML.Scalar) -> Bool {
            if s.string.hasByte(0xC2), s.string.unicodeScalars.contains(where: YAMLInput.isControl) { return false }
            guard s.style == .plain else { return true }
            return !YAMLInput.specialPlainWords.contains(s.string.lowercased())
        }
    }

    /// Two to four subjects, none empty.
    public struct Subjects: Decodable, Sendable, Hashable {
        public var values: [String]
        public init(from decoder: Decoder) throws {
            values = try TextList(from: decoder).values
            if let problem = Self.problem(values) {
                throw DecodingError.dataCorruptedError(in: try decoder.singleValueContainer(), debugDescription: problem)
            }
        }

        /// The subjects as given (their spaces collapsed), when they are what a comparison needs.
        init?(_ list: TextList) {
            guard Self.problem(list.values) == nil else { return nil }
            values = list.values
        }

        /// What is wrong with these subjects, if anything.
        static func problem(_ values: [String]) -> String? {
            if !(2...4).contains(values.count) || values.contains(where: \.isEmpty) {
                return "must name two to four subjects, for example [\"Kubernetes\", \"Stripe\"]"
            }
            if let (a, b) = Slug.sameSubject(in: values) {
                return "names one subject twice ('\(a)' and '\(b)' are both /\(Slug.make(a))/); a comparison compares different things"
            }
            return nil
        }
    }

    /// Lower-case ASCII letters, digits, hyphens (and `/` between the parts of a document's path).
    public struct WrittenSlug: Decodable, Sendable, Hashable {
        public var value: String
        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let slug = Self(text) else {
                let shown = Text.collapse(text)
                let problem = Self.hasEmptyFolder(shown) ? "has an empty folder ('//'); join the parts of a path with one '/'"
                    : "must use lower-case ASCII letters, digits and hyphens only"
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(shown)' \(problem)")
            }
            self = slug
        }

        /// The slug written, when it is one.
        init?(_ text: String) {
            value = Text.collapse(text)
            // ASCII a–z, 0–9, "-" and "/": one byte each, so the bytes tell.
            if value.isEmpty || value.utf8.contains(where: { !(($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 47) })
                || Self.hasEmptyFolder(value) {
                return nil
            }
        }

        /// `a//b`: a folder with no name between two slashes (leading and trailing ones are dropped).
        static func hasEmptyFolder(_ text: String) -> Bool {
            // Most slugs have no '/' at all: their bytes tell (Foundation's search on every page's
            // slug was a tenth of reading a Markdown page).
            text.utf8.contains(47) && SitePath.hasOddFolder(text)
        }
    }

    // MARK: What templates see

    /// `page.front_matter` in the `comparison` and `page` templates.
    public struct Context: MustacheObject, Sendable {
        var frontMatter: FrontMatter

        public static let mustacheFields = MustacheFields<Self>([
            .text("title", "`title` as the page gives it.") { $0.frontMatter.title },
            .textList("subjects", "`subjects`, in the page's order (empty for a document).") { $0.frontMatter.subjects },
            .text("slug", "`slug`, given or made.") { $0.frontMatter.slug },
            .text("description", "`description`, given or derived.") { $0.frontMatter.description },
            .text("date", "`date`, `YYYY-MM-DD`, when given.", optional: true) { $0.frontMatter.date?.description },
            .text("updated", "`updated` (or `lastmod`), `YYYY-MM-DD`, when given.", optional: true) { $0.frontMatter.updated?.description },
            .textList("aliases", "`aliases`, as site paths.") { $0.frontMatter.aliases },
            .bool("draft", "`draft`.") { $0.frontMatter.draft },
            .bool("noindex", "`noindex`.") { $0.frontMatter.noindex },
        ])
    }

    // MARK: As `versus normalize` writes it

    /// The YAML between the `---` lines; `roles` pins each section's role.
    func yaml(sectionRoles: [(heading: String, role: Role)]) -> String {
        let q = PageMarkdown.yamlQuote
        var out = "title: \(q(title))\n"
        if !subjects.isEmpty { out += "subjects: [\(subjects.map(q).joined(separator: ", "))]\n" }
        out += "slug: \(q(slug))\n"
        out += "description: \(q(description))\n"
        if let byline { out += "byline: \(q(byline.text))\n" }
        if let date { out += "date: \(date)\n" }
        if let updated { out += "updated: \(updated)\n" }
        if !aliases.isEmpty { out += "aliases: [\(aliases.map(q).joined(separator: ", "))]\n" }
        if draft { out += "draft: true\n" }
        if noindex { out += "noindex: true\n" }
        if let cta { out += cta.yaml(indent: "") }
        if !sectionRoles.isEmpty {
            out += "roles:\n"
            var seen: Set<String> = []
            for (heading, role) in sectionRoles where seen.insert(heading).inserted {
                out += "  \(q(heading)): \(role.rawValue)\n"
            }
        }
        return out
    }
}

/// Where a page sends its reader: a button with a label and a destination, and an optional
/// sentence. Set for the site in versus.yml (`cta:`) and per page in front-matter.
public struct CallToAction: Sendable, Hashable, Codable {
    /// The button's text ("Book a demo").
    public var label: String
    /// Where it leads: an absolute http(s) URL, a `mailto:` or `tel:` link, or a site path.
    public var url: String
    /// A sentence shown with the button.
    public var text: String?
    /// Campaign parameters added to the URL's query.
    public var utm: UTM?

    public enum CodingKeys: String, DocumentedKey {
        case label, url, text, utm

        public var type: String {
            switch self {
            case .label, .url, .text: "text"
            case .utm: "mapping (source, medium, campaign, term, content)"
            }
        }

        public var doc: String {
            switch self {
            case .label: "The button's text (`Book a call`). Required."
            case .url: "Where the button leads: an absolute `https://` URL, a `mailto:` or `tel:` link, or a site path (`/contact/`). Required."
            case .text: "A sentence shown with the button when the page has no call-to-action section of its own."
            case .utm: "Campaign parameters added to the URL's query (`utm_source=…`), after any query it has; parameters the URL already names are kept as they are."
            }
        }
    }

    public static let keys = YAMLKeys(CodingKeys.self, nested: ["utm": UTM.keys])

    public init(label: String, url: String, text: String? = nil, utm: UTM? = nil) {
        self.label = label
        self.url = url
        self.text = text
        self.utm = utm
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = Text.collapse(try c.decode(String.self, forKey: .label))
        if label.isEmpty { throw DecodingError.dataCorruptedError(forKey: .label, in: c, debugDescription: "must not be empty") }
        url = try c.decode(String.self, forKey: .url).trimmingWhitespace()
        if let problem = Self.problem(url) { throw DecodingError.dataCorruptedError(forKey: .url, in: c, debugDescription: problem) }
        text = try c.decodeIfPresent(String.self, forKey: .text).map(Text.collapse).flatMap { $0.isEmpty ? nil : $0 }
        utm = try c.decodeIfPresent(UTM.self, forKey: .utm)
    }

    /// What is wrong with a destination, if anything.
    static func problem(_ url: String) -> String? {
        if url.isEmpty { return "must not be empty" }
        if url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || "\"<>`\\".unicodeScalars.contains($0) }) {
            // (A browser reads "/\\host/x" as "//host/x", another site.)
            return "'\(url)' must not contain spaces, quotes, angle brackets or backslashes (percent-encode them)"
        }
        if url.hasPrefix("/") && !url.hasPrefix("//") { return nil }
        let lower = url.lowercased()
        if lower.hasPrefix("mailto:") || lower.hasPrefix("tel:") { return nil }
        if lower.hasPrefix("https://") || lower.hasPrefix("http://"), let host = URL(string: url)?.host, !host.isEmpty { return nil }
        return "'\(url)' must be an absolute http:// or https:// URL, a mailto: or tel: link, or a site path starting with '/'"
    }

    /// The link's destination: the URL with the UTM parameters in its query, before any
    /// `#fragment`. Parameters the URL already has are kept, and not given twice.
    public var href: String {
        let lower = url.lowercased()
        guard let utm, !lower.hasPrefix("mailto:"), !lower.hasPrefix("tel:") else { return url }
        var base = Substring(url), fragment: Substring = ""
        if let hash = base.firstIndex(of: "#") { fragment = base[hash...]; base = base[..<hash] }
        let query = base.firstIndex(of: "?").map { base[base.index(after: $0)...] } ?? ""
        let present = Set(query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" })
        let added = utm.parameters.filter { !present.contains($0.name) }
        guard !added.isEmpty else { return url }
        let pairs = added.map { Self.percentEncoded($0.name) + "=" + Self.percentEncoded($0.value) }.joined(separator: "&")
        let separator = !base.contains("?") ? "?" : (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&")
        return base + separator + pairs + fragment
    }

    /// A query component: unreserved characters as they are, every other byte `%XX`.
    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }

    func yaml(indent: String) -> String {
        let q = PageMarkdown.yamlQuote
        var out = "\(indent)cta:\n\(indent)  label: \(q(label))\n\(indent)  url: \(q(url))\n"
        if let text { out += "\(indent)  text: \(q(text))\n" }
        if let utm {
            out += "\(indent)  utm:\n"
            for p in utm.parameters { out += "\(indent)    \(p.name.dropFirst(4)): \(q(p.value))\n" }
        }
        return out
    }
}

/// Campaign parameters (`utm_source`, `utm_medium`, …) for a call to action's URL.
public struct UTM: Sendable, Hashable, Codable {
    public var source: String?
    public var medium: String?
    public var campaign: String?
    public var term: String?
    public var content: String?

    public init(source: String? = nil, medium: String? = nil, campaign: String? = nil, term: String? = nil, content: String? = nil) {
        self.source = source
        self.medium = medium
        self.campaign = campaign
        self.term = term
        self.content = content
    }

    public enum CodingKeys: String, DocumentedKey {
        case source, medium, campaign, term, content
        public var type: String { "text" }
        public var doc: String { "`utm_\(rawValue)`." }
    }

    static let keys = YAMLKeys(CodingKeys.self)

    /// `(utm_source, versus)`, … in the order Google Analytics documents them.
    public var parameters: [(name: String, value: String)] {
        [("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign), ("utm_term", term), ("utm_content", content)]
            .compactMap { name, value in value.flatMap { $0.isEmpty ? nil : (name, $0) } }
    }
}
