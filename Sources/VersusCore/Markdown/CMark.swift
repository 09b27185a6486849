import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// cmark (CommonMark's reference C library) is the only Markdown parser in Versus.
/// It runs in safe mode unless the site turns raw HTML on: raw HTML becomes a
/// comment and `javascript:` style links are dropped.
public struct MarkdownOptions: Sendable, Hashable, Codable {
    public var unsafeHTML: Bool
    public var smartPunctuation: Bool

    public init(unsafeHTML: Bool = false, smartPunctuation: Bool = false) {
        self.unsafeHTML = unsafeHTML
        self.smartPunctuation = smartPunctuation
    }

    var cmarkOptions: Int32 {
        var o = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        if unsafeHTML { o |= CMARK_OPT_UNSAFE }
        if smartPunctuation { o |= CMARK_OPT_SMART }
        return o
    }
}

public enum CMark {
    /// Renders a Markdown fragment to HTML.
    public static func html(_ markdown: String, options: MarkdownOptions) -> String {
        var markdown = markdown
        return markdown.withUTF8 { buf in
            guard let base = buf.baseAddress, let out = cmark_markdown_to_html(base, buf.count, options.cmarkOptions) else { return "" }
            defer { free(out) }
            return String(cString: out)
        }
    }

    /// A top-level block of a Markdown document and the source line it starts on (1-based).
    /// (cmark's end lines are not exact for every kind of block, so a block runs to the
    /// line before the next one starts.)
    public struct OutlineNode: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case heading(level: Int), paragraph, code, other }
        public var kind: Kind
        public var startLine: Int
        /// The block as HTML with the default options (safe, no smart punctuation), when asked
        /// for (`outline(_:html:)`).
        public var html: String?
    }

    /// The document's top-level blocks, as cmark reads them: how a page is split into
    /// sections (at level-2 headings) exactly where a CommonMark renderer would see them.
    /// - Parameter html: which blocks to render from this parse too (a block is then not
    ///   parsed again to be rendered), by the lines each runs over: from its first line to the
    ///   line before the next block's (or one past the last line). Level-2 headings never are.
    public static func outline(_ markdown: String, html: ((_ first: Int, _ next: Int?) -> Bool)? = nil) -> [OutlineNode] {
        var markdown = markdown
        return markdown.withUTF8 { buf -> [OutlineNode] in
            guard let base = buf.baseAddress, let doc = cmark_parse_document(base, buf.count, CMARK_OPT_DEFAULT) else { return [] }
            defer { cmark_node_free(doc) }
            var out: [OutlineNode] = []
            var nodes: [OpaquePointer] = []
            var node = cmark_node_first_child(doc)
            while let n = node {
                let kind: OutlineNode.Kind
                switch cmark_node_get_type(n) {
                case CMARK_NODE_HEADING: kind = .heading(level: Int(cmark_node_get_heading_level(n)))
                case CMARK_NODE_PARAGRAPH: kind = .paragraph
                case CMARK_NODE_CODE_BLOCK: kind = .code
                default: kind = .other
                }
                out.append(OutlineNode(kind: kind, startLine: Int(cmark_node_get_start_line(n))))
                nodes.append(n)
                node = cmark_node_next(n)
            }
            if let html {
                for k in out.indices where out[k].kind != .heading(level: 2)
                    && html(out[k].startLine, k + 1 < out.count ? out[k + 1].startLine : nil) {
                    out[k].html = render(nodes[k], CMARK_OPT_DEFAULT)
                }
            }
            return out
        }
    }

    /// Whether cmark renders this Markdown the same under every `MarkdownOptions`: it has no
    /// raw HTML nor autolink to keep or drop (no `<`), no link to a scheme safe mode drops
    /// (`javascript:`, `vbscript:`, `file:`, `data:`, also with backslash escapes in it), no
    /// entity that may spell such a scheme or its colon (`&#106;avascript:`, `&colon;`),
    /// and nothing smart punctuation turns (`'`, `"`, `--`, `...`).
    static func rendersAlikeUnderEveryOption(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func letter(_ b: UInt8) -> Bool { b | 0x20 >= 97 && b | 0x20 <= 122 }
        var i = 0
        while true {
            // The bytes it looks at: < " ' - . : &
            i = ByteScan.next(bytes, from: i) { v in
                ByteScan.holds(v, 60) .| ByteScan.holds(v, 34) .| ByteScan.holds(v, 39) .| ByteScan.holds(v, 45)
                    .| ByteScan.holds(v, 46) .| ByteScan.holds(v, 58) .| ByteScan.holds(v, 38)
            }
            guard i < bytes.count else { return true }
            let b = bytes[i]
            i += 1
            switch b {
            case 60, 34, 39: return false                                           // < " '
            case 45, 46: if i < bytes.count, bytes[i] == b { return false }         // -- ..
            case 38:                                                                // &#…; or &colon;
                // (No named entity stands for an ASCII letter: a number may, and `&colon;` is the colon.)
                if i < bytes.count, bytes[i] == 35 { return false }
                if i + 6 <= bytes.count, bytes[i..<(i + 6)].map({ $0 | 0x20 }).elementsEqual("colon;".utf8) { return false }
            default:                                                                // a scheme's ':'
                var start = i - 1
                while start > 0, i - 1 - start < 20, letter(bytes[start - 1]) || bytes[start - 1] == 92 { start -= 1 }
                if droppedSchemes.contains(where: { endsWithScheme(bytes, start, i - 1, $0) }) { return false }
            }
        }
    }
    /// Lower-case, as a scheme compares.
    private static let droppedSchemes: [[UInt8]] = ["javascript", "vbscript", "file", "data"].map { Array($0.utf8) }

    /// Whether the ASCII letters of `bytes[start..<end]`, lower-cased and without the backslashes among
    /// them, end with `scheme` (read from the end, in place: a colon is in most texts).
    private static func endsWithScheme(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ scheme: [UInt8]) -> Bool {
        var j = end
        for k in stride(from: scheme.count - 1, through: 0, by: -1) {
            j -= 1
            while j >= start, bytes[j] == 92 { j -= 1 }
            guard j >= start, bytes[j] | 0x20 == scheme[k] else { return false }
        }
        return true
    }

    /// Plain text of a Markdown fragment: one string per paragraph, list item, heading
    /// or block quote line; code blocks and HTML are left out.
    public static func plainParagraphs(_ markdown: String) -> [String] {
        var markdown = markdown
        return markdown.withUTF8 { buf -> [String] in
            guard let base = buf.baseAddress, let doc = cmark_parse_document(base, buf.count, CMARK_OPT_DEFAULT) else { return [] }
            defer { cmark_node_free(doc) }
            var out: [String] = []
            collectParagraphs(doc, into: &out)
            return out
        }
    }

    /// Walks the block tree with an explicit stack: nesting depth comes from the input
    /// (100,000 nested quotes are valid Markdown), so no recursion over it.
    private static func collectParagraphs(_ root: OpaquePointer, into out: inout [String]) {
        var stack: [OpaquePointer] = []
        var child = cmark_node_first_child(root)
        while true {
            guard let c = child else {
                guard let parent = stack.popLast() else { return }
                child = cmark_node_next(parent)
                continue
            }
            switch cmark_node_get_type(c) {
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
                let text = plainText(of: c)
                if !text.isEmpty { out.append(text) }
            case CMARK_NODE_LIST, CMARK_NODE_ITEM, CMARK_NODE_BLOCK_QUOTE:
                if let first = cmark_node_first_child(c) {
                    stack.append(c)
                    child = first
                    continue
                }
            default:
                break
            }
            child = cmark_node_next(c)
        }
    }

    /// The text of an inline subtree: literals of text and code, spaces for breaks.
    /// Iterative, like `collectParagraphs` (inline nesting is input-controlled too).
    static func plainText(of node: OpaquePointer) -> String {
        var out = ""
        guard let iter = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let c = cmark_iter_get_node(iter) else { continue }
            switch cmark_node_get_type(c) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let lit = cmark_node_get_literal(c) { out += String(cString: lit) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                out += " "
            default:
                break
            }
        }
        return Text.collapse(out)
    }

    private static func render(_ node: OpaquePointer, _ options: Int32) -> String {
        guard let out = cmark_render_html(node, options) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }
}

/// Plain text from Markdown, for descriptions and for reading a section's meaning.
enum PlainText {
    /// A heading's plain text. Headings without Markdown syntax skip the parser.
    static func inline(_ markdown: String) -> String {
        // The syntax characters are ASCII, so a byte scan finds them (a UTF-8 sequence never holds an ASCII byte).
        if !markdown.anyByte(where: PlainText.isSyntax) { return Text.collapse(markdown) }
        return CMark.plainParagraphs(markdown).joined(separator: " ")
    }

    static func paragraphs(_ markdown: String) -> [String] {
        markdown.isEmpty ? [] : CMark.plainParagraphs(markdown)
    }

    /// `\` `` ` `` `*` `_` `[` `]` `<` `&` `!`: the bytes that may start inline Markdown in a heading.
    @inline(__always)
    static func isSyntax(_ b: UInt8) -> Bool {
        switch b {
        case 92, 96, 42, 95, 91, 93, 60, 38, 33: true
        default: false
        }
    }
}
