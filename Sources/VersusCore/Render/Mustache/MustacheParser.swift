import Foundation

/// The delimiters in force at a tag (`{{ }}` until a `{{=<% %>=}}` changes them).
struct MustacheDelimiters: Sendable, Equatable {
    var open: [UInt8]
    var close: [UInt8]

    static let standard = MustacheDelimiters(open: Array("{{".utf8), close: Array("}}".utf8))

    /// A tag as it would be written with these delimiters: `tag("#", "x")` is `{{#x}}`.
    func tag(_ sigil: String, _ name: String, _ closer: String = "") -> String {
        String(decoding: open, as: UTF8.self) + sigil + name + closer + String(decoding: close, as: UTF8.self)
    }
}

/// A tag's name and where it is.
struct MustacheTag: Sendable {
    /// The content, trimmed: `page.title`, `.`, `base`.
    var name: String
    /// The first byte of the tag's opening delimiter, and the byte after its closing one.
    var offset: Int
    var end: Int
    var delimiters: MustacheDelimiters
    /// Whether the tag begins its line in the output (nothing but removed standalone lines
    /// before it on the line): indentation of a partial or block goes before it.
    var lineStart: Bool
}

/// A parsed template: text, and tags nested by their sections.
enum MustacheNode: Sendable {
    /// Bytes of the template, at most one line (a line's text ends with its line ending).
    /// An empty range marks a line that starts with a closing tag (its indentation goes there).
    case text(Range<Int>, lineStart: Bool)
    case variable(MustacheTag, escaped: Bool)
    case section(MustacheTag, inverted: Bool, [MustacheNode])
    /// `{{>name}}`; `standalone` is its indentation when the tag stands alone on its line.
    case partial(MustacheTag, standalone: [UInt8]?, dynamic: Bool)
    /// `{{<name}}…{{/name}}`: the blocks among its children override the parent's.
    case parent(MustacheTag, standalone: [UInt8]?, [MustacheNode])
    /// `{{$name}}…{{/name}}`: default content, or the content that overrides it.
    case block(MustacheTag, MustacheBlockLayout, [MustacheNode])
}

/// How a block sits in its lines, for the inheritance spec's re-indentation: a block whose
/// opening tag stands alone has its content's own indentation removed where it is defined,
/// and the indentation of the place it is expanded into added.
struct MustacheBlockLayout: Sendable {
    var standalone: Bool
    /// Whitespace before the opening tag, when standalone.
    var indent: [UInt8]
    /// The indentation common to the content's non-blank lines (nil: not standalone, or no such line).
    var intrinsic: [UInt8]?
}

/// One template, parsed once.
final class MustacheParsedTemplate: Sendable {
    let name: String
    let file: String
    let bytes: [UInt8]
    let nodes: [MustacheNode]
    let hasErrors: Bool
    private let lineStarts: [Int]

    init(name: String, file: String, bytes: [UInt8], nodes: [MustacheNode], hasErrors: Bool, lineStarts: [Int]) {
        self.name = name
        self.file = file
        self.bytes = bytes
        self.nodes = nodes
        self.hasErrors = hasErrors
        self.lineStarts = lineStarts
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    func position(_ offset: Int) -> (line: Int, column: Int) {
        MustacheParser.position(offset, bytes: bytes, lineStarts: lineStarts)
    }

    func diagnostic(_ offset: Int, _ message: String) -> MustacheDiagnostic {
        let (line, column) = position(offset)
        return MustacheDiagnostic(file: file, line: line, column: column, message: message)
    }

    /// The tag's text as written (`{{/foo}}`), for messages.
    func text(of tag: MustacheTag) -> String {
        String(decoding: bytes[tag.offset..<tag.end], as: UTF8.self)
    }
}

/// Template text to nodes, in four passes over a flat token list (no recursion, whatever the
/// nesting): tokenize (with delimiter changes), match sections, find standalone lines, build
/// the tree with an explicit stack.
struct MustacheParser {
    private struct Token {
        enum Kind {
            case text, variable, unescaped, section, inverted, close, partial, dynamicPartial, parent, block, comment, delimiters

            var opens: Bool { self == .section || self == .inverted || self == .parent || self == .block }
            /// Tags that may stand alone on a line (and then take the line with them).
            var canStandalone: Bool { self != .text && self != .variable && self != .unescaped }
        }
        var kind: Kind
        var start: Int
        var end: Int
        var name = ""
        var delimiters = MustacheDelimiters.standard
        /// For a closing tag, the tag it closes; for an opening tag, its closing tag.
        var partner: Int?
        /// Removed from the output (whitespace of a standalone line, a stray closing tag).
        var dropped = false
        var standalone = false
        /// A block whose opening and closing tags share a line: standalone, but the line's end stays.
        var keepsLine = false
        var indent: [UInt8] = []
        var lineStart = false
    }

    private let bytes: [UInt8]
    private let lineStarts: [Int]
    private let file: String
    private var tokens: [Token] = []
    private var diagnostics: [MustacheDiagnostic] = []

    static func parse(name: String, file: String, text: String) -> (MustacheParsedTemplate, [MustacheDiagnostic]) {
        var parser = MustacheParser(bytes: Array(text.utf8), file: file)
        parser.tokenize()
        parser.matchSections()
        parser.findStandaloneLines()
        parser.markLineStarts()
        let nodes = parser.buildTree()
        let template = MustacheParsedTemplate(name: name, file: file, bytes: parser.bytes, nodes: nodes,
                                              hasErrors: !parser.diagnostics.isEmpty, lineStarts: parser.lineStarts)
        return (template, parser.diagnostics)
    }

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    static func position(_ offset: Int, bytes: [UInt8], lineStarts: [Int]) -> (line: Int, column: Int) {
        // The last line start at or before the offset.
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        var column = 1
        for i in lineStarts[low]..<min(offset, bytes.count) where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return (low + 1, column)
    }

    private mutating func error(_ offset: Int, _ message: String) {
        let (line, column) = Self.position(offset, bytes: bytes, lineStarts: lineStarts)
        diagnostics.append(MustacheDiagnostic(file: file, line: line, column: column, message: message))
    }

    // MARK: Pass 1: tokens

    private static let newline = UInt8(ascii: "\n")
    /// Deeper nesting is an error: compiling and rendering recurse once per level.
    static let maxNesting = 256
    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start + needle.count <= bytes.count else { return nil }
        let first = needle[0]
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == first {
                var j = 1
                while j < needle.count && bytes[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    private func string(_ range: Range<Int>) -> String {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, Self.isSpace(bytes[lower]) || bytes[lower] == Self.newline || bytes[lower] == 13 { lower += 1 }
        while upper > lower, Self.isSpace(bytes[upper - 1]) || bytes[upper - 1] == Self.newline || bytes[upper - 1] == 13 { upper -= 1 }
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// Text, split after each line ending so that every text token is at most one line.
    private mutating func addText(_ start: Int, _ end: Int) {
        var lineStart = start
        for i in start..<end where bytes[i] == Self.newline {
            tokens.append(Token(kind: .text, start: lineStart, end: i + 1))
            lineStart = i + 1
        }
        if lineStart < end { tokens.append(Token(kind: .text, start: lineStart, end: end)) }
    }

    private mutating func tokenize() {
        var delimiters = MustacheDelimiters.standard
        var pos = 0
        while pos < bytes.count {
            guard let tagStart = find(delimiters.open, from: pos) else {
                addText(pos, bytes.count)
                break
            }
            addText(pos, tagStart)
            let afterOpen = tagStart + delimiters.open.count
            var p = afterOpen
            while p < bytes.count, Self.isSpace(bytes[p]) { p += 1 }
            var kind = Token.Kind.variable
            var terminator = delimiters.close
            switch p < bytes.count ? bytes[p] : 0 {
            case UInt8(ascii: "{"): kind = .unescaped; terminator = [UInt8(ascii: "}")] + delimiters.close
            case UInt8(ascii: "&"): kind = .unescaped
            case UInt8(ascii: "#"): kind = .section
            case UInt8(ascii: "^"): kind = .inverted
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "<"): kind = .parent
            case UInt8(ascii: "$"): kind = .block
            case UInt8(ascii: "!"): kind = .comment
            case UInt8(ascii: "="): kind = .delimiters; terminator = [UInt8(ascii: "=")] + delimiters.close
            default: break
            }
            let contentStart = kind == .variable ? afterOpen : p + 1
            let lineEnd = find([Self.newline], from: tagStart) ?? bytes.count
            let close = String(decoding: terminator, as: UTF8.self)
            func unclosed(_ upTo: Int) -> String {
                let shown = String(decoding: bytes[tagStart..<min(upTo, tagStart + 40)], as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return "unclosed tag '\(shown)': no '\(close)' before the end of the \(upTo == bytes.count ? "file" : "line")"
            }
            guard let contentEnd = find(terminator, from: contentStart) else {
                error(tagStart, unclosed(lineEnd))
                pos = min(lineEnd + 1, bytes.count)
                continue
            }
            // Only comments span lines; a tag that runs into the next line or into another
            // tag was left open (`{{title` … `{{x}}`).
            if kind != .comment {
                let runsOn = contentEnd > lineEnd ? lineEnd : nil
                let nested = kind == .delimiters ? nil : find(delimiters.open, from: contentStart).flatMap { $0 < contentEnd ? $0 : nil }
                if let stop = [runsOn, nested].compactMap({ $0 }).min() {
                    error(tagStart, unclosed(stop == runsOn ? lineEnd : stop))
                    pos = stop == runsOn ? min(lineEnd + 1, bytes.count) : stop
                    continue
                }
            }
            let end = contentEnd + terminator.count
            var token = Token(kind: kind, start: tagStart, end: end, name: string(contentStart..<contentEnd),
                              delimiters: delimiters)
            let written = String(decoding: bytes[tagStart..<end], as: UTF8.self)
            switch kind {
            case .comment:
                break
            case .delimiters:
                let parts = token.name.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if parts.count == 2, !parts.contains(where: { $0.contains("=") }) {
                    delimiters = MustacheDelimiters(open: Array(parts[0].utf8), close: Array(parts[1].utf8))
                } else {
                    error(tagStart, "bad delimiter change '\(written)': expected two delimiters separated by a space, as in {{=<% %>=}}")
                }
            default:
                if token.name.isEmpty {
                    error(tagStart, kind == .variable ? "empty tag '\(written)'" : "tag '\(written)' has no name")
                    pos = end
                    continue
                }
                if kind == .partial, token.name.hasPrefix("*") {
                    token.kind = .dynamicPartial
                    token.name = String(token.name.dropFirst()).trimmingWhitespace()
                }
            }
            tokens.append(token)
            pos = end
        }
    }

    // MARK: Pass 2: sections matched with their closing tags

    private func describe(_ i: Int) -> String {
        switch tokens[i].kind {
        case .parent: "parent '\(tokens[i].name)'"
        case .block: "block '\(tokens[i].name)'"
        default: "section '\(tokens[i].name)'"
        }
    }

    private func written(_ i: Int) -> String { String(decoding: bytes[tokens[i].start..<tokens[i].end], as: UTF8.self) }

    private mutating func matchSections() {
        var open: [Int] = []
        for i in tokens.indices {
            let kind = tokens[i].kind
            if kind.opens {
                if open.count == Self.maxNesting {
                    error(tokens[i].start, "sections nest more than \(Self.maxNesting) levels deep")
                }
                open.append(i)
                continue
            }
            guard kind == .close else { continue }
            let name = tokens[i].name
            if let top = open.last, tokens[top].name == name {
                pair(top, i)
                open.removeLast()
            } else if let k = open.lastIndex(where: { tokens[$0].name == name }) {
                // Closes an outer section: the ones opened inside it were left open.
                for j in open[(k + 1)...] { error(tokens[j].start, "\(describe(j)) is never closed") }
                pair(open[k], i)
                open.removeSubrange(k...)
            } else if let top = open.last {
                // Most likely a misspelt close of the open section: take it as that.
                let (line, column) = Self.position(tokens[top].start, bytes: bytes, lineStarts: lineStarts)
                let what = describe(top).split(separator: " ").first ?? "section"
                error(tokens[i].start,
                      "'\(written(i))' closes '\(name)', but the open \(what) is '\(tokens[top].name)' (opened at \(line):\(column))")
                pair(top, i)
                open.removeLast()
            } else {
                error(tokens[i].start, "'\(written(i))' closes a section that was never opened")
                tokens[i].dropped = true
            }
        }
        for j in open { error(tokens[j].start, "\(describe(j)) is never closed") }
    }

    private mutating func pair(_ open: Int, _ close: Int) {
        tokens[open].partner = close
        tokens[close].partner = open
    }

    // MARK: Pass 3: standalone lines

    /// A line holding only whitespace and one tag that renders nothing in place (section,
    /// comment, partial, delimiter change…) is "standalone": the whole line goes, and a
    /// partial's indentation is what preceded its tag. The inheritance spec adds lines of two
    /// adjacent tags: `{{<p}}{{/p}}`, `{{<p}}{{$b}}`, `{{/b}}{{/p}}` (the line goes), and
    /// `{{$b}}{{/b}}` (the indentation goes, the line ending stays).
    private mutating func findStandaloneLines() {
        var first = 0
        for i in tokens.indices {
            let endsLine = tokens[i].kind == .text && bytes[tokens[i].end - 1] == Self.newline
            if endsLine || i == tokens.count - 1 {
                standaloneLine(first...i)
                first = i + 1
            }
        }
    }

    private func isWhitespace(_ token: Token, lineEndingAllowed: Bool) -> Bool {
        var end = token.end
        if lineEndingAllowed, bytes[end - 1] == Self.newline {
            end -= 1
            if end > token.start, bytes[end - 1] == 13 { end -= 1 }
        }
        return bytes[token.start..<end].allSatisfy(Self.isSpace)
    }

    private mutating func standaloneLine(_ line: ClosedRange<Int>) {
        var tags: [Int] = []
        for i in line {
            if tokens[i].kind == .text {
                guard isWhitespace(tokens[i], lineEndingAllowed: i == line.upperBound) else { return }
            } else {
                tags.append(i)
            }
        }
        let leading = tokens[line.lowerBound].kind == .text ? line.lowerBound : nil
        let trailing = tokens[line.upperBound].kind == .text && line.upperBound != leading ? line.upperBound : nil
        let indent = leading.map { Array(bytes[tokens[$0].start..<tokens[$0].end]) } ?? []
        func opener(_ close: Int) -> Token.Kind? { tokens[close].partner.map { tokens[$0].kind } }

        if tags.count == 1, tokens[tags[0]].kind.canStandalone {
            tokens[tags[0]].standalone = true
            tokens[tags[0]].indent = indent
        } else if tags.count == 2, tags[1] == tags[0] + 1 {
            let (a, b) = (tags[0], tags[1])
            let (ka, kb) = (tokens[a].kind, tokens[b].kind)
            let pairs = tokens[b].partner == a
            if (ka == .parent && kb == .close && pairs) || (ka == .parent && kb == .block)
                || (ka == .close && kb == .close && opener(a) == .block && opener(b) == .parent) {
                tokens[a].standalone = true
                tokens[a].indent = indent
                tokens[b].standalone = true
            } else if ka == .block && kb == .close && pairs {
                tokens[a].standalone = true
                tokens[a].keepsLine = true
                tokens[a].indent = indent
                tokens[b].standalone = true
                tokens[b].keepsLine = true
                if let leading { tokens[leading].dropped = true }
                if let trailing {
                    // Keep only the line ending.
                    var start = tokens[trailing].end
                    if start > tokens[trailing].start, bytes[start - 1] == Self.newline { start -= 1 }
                    if start > tokens[trailing].start, bytes[start - 1] == 13 { start -= 1 }
                    tokens[trailing].start = start
                    tokens[trailing].dropped = start == tokens[trailing].end
                }
                return
            } else {
                return
            }
        } else {
            return
        }
        if let leading { tokens[leading].dropped = true }
        if let trailing { tokens[trailing].dropped = true }
    }

    // MARK: Pass 4: line starts, then the tree

    private mutating func markLineStarts() {
        var atLineStart = true
        for i in tokens.indices {
            let token = tokens[i]
            switch token.kind {
            case .text:
                if !token.dropped { tokens[i].lineStart = atLineStart }
                if bytes[token.end - 1] == Self.newline {
                    atLineStart = true
                } else if !token.dropped {
                    atLineStart = false
                }
            case .comment, .delimiters:
                break  // render nothing: the line still starts after them
            default:
                if token.standalone && !token.keepsLine { break }
                tokens[i].lineStart = atLineStart
                atLineStart = false
            }
        }
    }

    private func tag(_ token: Token) -> MustacheTag {
        MustacheTag(name: token.name, offset: token.start, end: token.end, delimiters: token.delimiters,
                    lineStart: token.lineStart)
    }

    private func buildTree() -> [MustacheNode] {
        // Open sections, innermost last: (opening token, children so far).
        var stack: [(open: Int, children: [MustacheNode])] = [(-1, [])]
        func closeInnermost(_ close: Int?) {
            let (open, children) = stack.removeLast()
            stack[stack.count - 1].children.append(node(open, close, children))
        }
        for i in tokens.indices where !tokens[i].dropped {
            let token = tokens[i]
            switch token.kind {
            case .text:
                stack[stack.count - 1].children.append(.text(token.start..<token.end, lineStart: token.lineStart))
            case .comment, .delimiters:
                break
            case .variable, .unescaped:
                stack[stack.count - 1].children.append(.variable(tag(token), escaped: token.kind == .variable))
            case .partial, .dynamicPartial:
                stack[stack.count - 1].children.append(
                    .partial(tag(token), standalone: token.standalone ? token.indent : nil, dynamic: token.kind == .dynamicPartial))
            case .section, .inverted, .parent, .block:
                stack.append((i, []))
            case .close:
                guard let opener = token.partner, stack.contains(where: { $0.open == opener }) else { break }
                if token.lineStart {
                    stack[stack.count - 1].children.append(.text(token.start..<token.start, lineStart: true))
                }
                while stack[stack.count - 1].open != opener { closeInnermost(nil) }  // left open (reported)
                closeInnermost(i)
            }
        }
        while stack.count > 1 { closeInnermost(nil) }  // never closed (reported)
        return stack[0].children
    }

    private func node(_ open: Int, _ close: Int?, _ children: [MustacheNode]) -> MustacheNode {
        let token = tokens[open]
        switch token.kind {
        case .inverted:
            return .section(tag(token), inverted: true, children)
        case .parent:
            return .parent(tag(token), standalone: token.standalone ? token.indent : nil, children)
        case .block:
            var intrinsic: [UInt8]?
            if token.standalone, !token.keepsLine, let close {
                // The content: from the line after the opening tag to the closing tag (or to
                // the start of its line when it stands alone).
                let start = (find([Self.newline], from: token.end) ?? (bytes.count - 1)) + 1
                var end = tokens[close].start
                if tokens[close].standalone, !tokens[close].keepsLine {
                    while end > 0, bytes[end - 1] != Self.newline { end -= 1 }
                }
                if start <= end { intrinsic = commonIndent(start..<end) }
            }
            return .block(tag(token), MustacheBlockLayout(standalone: token.standalone, indent: token.indent,
                                                          intrinsic: intrinsic), children)
        default:
            return .section(tag(token), inverted: false, children)
        }
    }

    /// The whitespace that begins every non-blank line of `range`.
    private func commonIndent(_ range: Range<Int>) -> [UInt8]? {
        var common: [UInt8]?
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            var i = lineStart
            while i < range.upperBound, Self.isSpace(bytes[i]) { i += 1 }
            let blank = i == range.upperBound || bytes[i] == Self.newline
                || (bytes[i] == 13 && i + 1 < range.upperBound && bytes[i + 1] == Self.newline)
            if !blank {
                let indent = bytes[lineStart..<i]
                if let known = common {
                    common = Array(zip(known, indent).prefix(while: { $0 == $1 }).map(\.0))
                } else {
                    common = Array(indent)
                }
            }
            var next = i
            while next < range.upperBound, bytes[next] != Self.newline { next += 1 }
            lineStart = next + 1
        }
        return common
    }
}
