/// One input file of the content folder, as loaded: its path and its bytes.
public struct Source: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A comparison text as captured (`.txt`): loose layout, no markup.
        case text
        /// A Markdown page with YAML front-matter (`.md`).
        case markdown
    }

    /// Path relative to the content folder, with `/` separators (`guides/sso.md`).
    public var path: String
    /// The path shown in diagnostics (`content/guides/sso.md`).
    public var file: String
    public var bytes: [UInt8]

    public init(path: String, file: String? = nil, bytes: [UInt8]) {
        self.path = path
        self.file = file ?? path
        self.bytes = bytes
    }

    public var kind: Kind { path.hasSuffix(".md") || path.hasSuffix(".markdown") ? .markdown : .text }

    /// File extensions the content folder is read for.
    public static let extensions: Set<String> = ["txt", "md", "markdown"]
}
