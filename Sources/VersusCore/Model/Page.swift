/// What a section is for on a comparison page. The page template lays sections
/// out by role: subject focus side by side, our position highlighted, the
/// technical breakdown in full width, and the call to action set apart.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case subjectFocus = "subject_focus"
    case ourPosition = "our_position"
    case technical
    case callToAction = "call_to_action"
    case other
}

/// A table: what CommonMark lacks, carried in the model and rendered by Versus.
/// Cells are inline Markdown.
public struct Table: Sendable, Hashable, Codable {
    public enum Alignment: String, Sendable, Hashable, Codable { case none, left, center, right }
    public var header: [String]
    public var rows: [[String]]
    public var alignments: [Alignment]

    public init(header: [String], rows: [[String]], alignments: [Alignment]? = nil) {
        let width = max(header.count, rows.map(\.count).max() ?? 0)
        func pad(_ cells: [String]) -> [String] { cells + Array(repeating: "", count: width - cells.count) }
        self.header = pad(header)
        self.rows = rows.map(pad)
        self.alignments = alignments.map { $0 + Array(repeating: .none, count: max(0, width - $0.count)) } ?? Array(repeating: .none, count: width)
    }

    public var columns: Int { header.count }
}

/// One block of a page's body: Markdown (paragraphs, lists, code, quotes: what
/// cmark renders), a table, or a Markdown block already rendered: `html`, what cmark made
/// of it when a build read its page (`MarkdownPageParser.split`), for a block whose HTML
/// no Markdown option changes.
public enum Block: Sendable, Hashable {
    case markdown(String)
    case table(Table)
    case html(String)
}

extension Block: Codable {
    private enum CodingKeys: String, CodingKey { case markdown, table, html }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let table = try c.decodeIfPresent(Table.self, forKey: .table) {
            self = .table(table)
        } else if let html = try c.decodeIfPresent(String.self, forKey: .html) {
            self = .html(html)
        } else {
            self = .markdown(try c.decode(String.self, forKey: .markdown))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .table(let t):
            try c.encodeIfPresent(t, forKey: .table)
        case .markdown(let m):
            try c.encodeIfPresent(Table?.none, forKey: .table)
            try c.encodeIfPresent(String?.none, forKey: .html)
            try c.encode(m, forKey: .markdown)
        case .html(let h):
            try c.encodeIfPresent(Table?.none, forKey: .table)
            try c.encodeIfPresent(h, forKey: .html)
        }
    }
}

/// One section of a page: a heading (inline Markdown), its role, and its blocks.
public struct Section: Sendable, Hashable, Codable {
    public var heading: String
    public var role: Role
    public var blocks: [Block]

    public init(heading: String, role: Role, blocks: [Block]) {
        self.heading = heading
        self.role = role
        self.blocks = blocks
    }

    /// The body as one Markdown text (tables as pipe tables): the normalised format.
    public var markdown: String { PageMarkdown.markdown(blocks) }
}

/// "Richard Ewing — AI Economist & Capital Auditor": the whole line, and the
/// name and role where they can be told apart.
public struct Byline: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
    public var text: String
    public var name: String
    public var role: String?

    public init(text: String, name: String, role: String?) {
        self.text = text
        self.name = name
        self.role = role
    }

    func writeBinary(to e: BinaryEncoder) throws {
        e.str(text)
        e.str(name)
        try e.optional(role)
    }

    init(binary d: BinaryDecoder) throws {
        self.init(text: try d.str(), name: try d.str(), role: try d.optional(String.self))
    }
}

/// The two kinds of page a source can become.
public enum PageKind: String, Sendable, Hashable, Codable {
    /// An "X vs Y" page (two to four subjects), built at `/<slug>/`.
    case comparison
    /// An ordinary Markdown page (a guide, an about page), built at the URL of its path.
    case document
}

/// A normalised page: one model for every kind of source.
public struct Page: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
    /// The source path relative to the content folder (`guides/sso.md`).
    public var sourcePath: String
    public var kind: PageKind
    public var frontMatter: FrontMatter
    /// The blocks before the first section (an introduction or standfirst).
    public var lead: [Block]
    public var sections: [Section]
    /// Link reference definitions (`[x]: https://…`) of a Markdown page, so links
    /// resolve in every section, whichever section defines them.
    public var linkReferences: String
    /// Further descriptions, best first, for when the site needs this page's
    /// description to differ from another page's.
    public var alternateDescriptions: [String]

    public init(sourcePath: String, kind: PageKind, frontMatter: FrontMatter, lead: [Block] = [],
                sections: [Section], linkReferences: String = "", alternateDescriptions: [String] = []) {
        self.sourcePath = sourcePath
        self.kind = kind
        self.frontMatter = frontMatter
        self.lead = lead
        self.sections = sections
        self.linkReferences = linkReferences
        self.alternateDescriptions = alternateDescriptions
    }

    /// The lead as one Markdown text.
    public var leadMarkdown: String { PageMarkdown.markdown(lead) }

    func writeBinary(to e: BinaryEncoder) throws {
        e.str(sourcePath)
        e.str(kind.rawValue)
        try frontMatter.writeBinary(to: e)
        try e.value(lead)
        try e.value(sections)
        e.str(linkReferences)
        try e.value(alternateDescriptions)
    }

    init(binary d: BinaryDecoder) throws {
        self.init(sourcePath: try d.str(), kind: try d.rawValue(PageKind.self), frontMatter: try FrontMatter(binary: d),
                  lead: try d.value([Block].self), sections: try d.value([Section].self), linkReferences: try d.str(),
                  alternateDescriptions: try d.value([String].self))
    }

    /// The page's URL path, with leading and trailing slash (`/kubernetes-vs-stripe/`).
    public var urlPath: String { "/" + frontMatter.slug + "/" }
}
