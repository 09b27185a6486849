import Foundation
import Yams

/// The form nearly all front-matter is written in, read without Yams's parser: into Yams's
/// own tree (`compose`), or into plain keys and values (`read`) that front-matter is made from
/// directly (`FrontMatter.Written.init(plain:)`); nil so that Yams composes it.
///
/// The form: one `key: value` per line at the start of the line, each key once, where a
/// value is a quoted text on one line (`"Stripe vs Adyen"` with no escapes, `'Stripe'`), a
/// plain word or phrase (`2024-05-01`, `true`, `Jane Doe`), or a list of those, on the line
/// (`["Stripe", "Adyen"]`) or below it (`- Stripe` a line, all at one indentation); blank
/// lines and whole-line `#` comments between them. Anything else (a nested mapping, a flow
/// mapping, an escape, a tag, an anchor, a value over two lines, a comment after a value, a
/// character YAML does not allow) gives nil.
///
/// What `compose` gives equals Yams's tree: the same strings, tags, styles and marks (line and
/// column, in Unicode scalars), checked node by node against Yams in `PlainYAMLTests`.
/// Yams's parser is a tenth of the cost of reading a Markdown page (its events, and
/// resolving each key's tag with regular expressions to check for duplicates); this is a
/// hundredth of it.
enum PlainYAML {
    /// Where something starts: line and column from 1, the column in Unicode scalars (as Yams marks it).
    struct Place: Sendable, Hashable {
        var line: Int
        var column: Int
    }

    /// A value as written: its text, how it was quoted, and where it starts.
    struct Scalar: Sendable, Hashable {
        enum Style: Sendable { case plain, doubleQuoted, singleQuoted }
        var string: String
        var style: Style
        var at: Place
    }

    /// A key's value: one scalar, or a list of them (on the line or below it).
    enum Value: Sendable, Hashable {
        case scalar(Scalar)
        case list([Scalar], at: Place)
    }

    /// One `key: value` line (with the list below it).
    struct Entry: Sendable, Hashable {
        var key: String
        var at: Place
        var value: Value
    }

    /// The keys and values of the document, in order, or nil when it is not in this form.
    static func read(_ yaml: String) -> [Entry]? {
        var yaml = yaml
        return yaml.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            return reader.mapping()
        }
    }

    /// The tree `Yams.compose(yaml:, YAMLInput.resolver, .default, .utf8)` gives, or nil.
    static func compose(_ yaml: String) -> Node? {
        read(yaml).flatMap(node)
    }

    /// Yams's tree of the entries `read` gave: nil when a key is not text to Yams's resolver
    /// (`true:`, `null:`), or a place is further than `Marks` goes.
    static func node(_ entries: [Entry]) -> Node? {
        let resolver = YAMLInput.resolver
        func tag(_ name: Tag.Name) -> Tag { Tag(name, resolver, constructor) }
        func mark(_ place: Place) -> Mark? { Marks.mark(line: place.line, column: place.column) }
        func scalar(_ s: Scalar) -> Node? {
            guard let at = mark(s.at) else { return nil }
            switch s.style {
            case .plain: return .scalar(.init(s.string, tag(.implicit), .plain, at))
            case .doubleQuoted: return .scalar(.init(s.string, tag(.str), .doubleQuoted, at))
            case .singleQuoted: return .scalar(.init(s.string, tag(.str), .singleQuoted, at))
            }
        }
        var pairs: [(Node, Node)] = []
        pairs.reserveCapacity(entries.count)
        for entry in entries {
            // Yams resolves each key's tag when it checks for keys given twice: text, unless
            // the key spells a boolean or a null (the resolver's other rules).
            guard KeyTags.isText(entry.key, resolver), let keyMark = mark(entry.at) else { return nil }
            let value: Node
            switch entry.value {
            case .scalar(let s):
                guard let node = scalar(s) else { return nil }
                value = node
            case .list(let items, let at):
                var nodes: [Node] = []
                nodes.reserveCapacity(items.count)
                for item in items {
                    guard let node = scalar(item) else { return nil }
                    nodes.append(node)
                }
                guard let listMark = mark(at) else { return nil }
                value = .sequence(.init(nodes, tag(.implicit), .any, listMark))
            }
            pairs.append((.scalar(.init(entry.key, tag(.str), .plain, keyMark)), value))
        }
        guard let first = entries.first, let at = mark(first.at) else { return nil }
        return .mapping(.init(pairs, tag(.implicit), .any, at))
    }

    /// The constructor every tag is made with (Yams's parser makes one per document: `.default`
    /// builds its tables on each use). It is never changed, so every thread can share it.
    nonisolated(unsafe) private static let constructor = Constructor.default

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        /// The current line (from 1), its first byte, and the end of it (its `\n` or the end).
        var line = 0
        var start = 0
        var end = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func mapping() -> [Entry]? {
            var entries: [Entry] = []
            var next = 0
            while next < bytes.count {
                next = enter(next)
                guard printable(start, end) else { return nil }
                let b = bytes[start]
                if b == 0x23 { continue }                                   // "#": a comment line
                if b == 0x20 {                                              // a blank line, or an indented one (not this form)
                    guard (start..<end).allSatisfy({ bytes[$0] == 0x20 }) else { return nil }
                    continue
                }
                if start == end { continue }
                // The key: a plain word at the start of the line, then ":".
                guard isKeyStart(b) else { return nil }
                var i = start + 1
                while i < end, isKeyByte(bytes[i]) { i += 1 }
                guard i < end, bytes[i] == 0x3A, i + 1 == end || bytes[i + 1] == 0x20 else { return nil }
                let key = text(start, i)
                guard !entries.contains(where: { $0.key == key }) else { return nil }   // Yams reports a key given twice
                let keyAt = place(start)
                i += 1
                skipSpaces(&i)
                let value: Value
                if i == end {
                    // Nothing after the colon: a list below it, one "- item" a line.
                    guard let list = blockList(&next) else { return nil }
                    value = list
                } else {
                    guard let found = self.value(at: &i, inList: false), rest(from: i) else { return nil }
                    value = found
                }
                entries.append(Entry(key: key, at: keyAt, value: value))
            }
            return entries.isEmpty ? nil : entries
        }

        /// Takes the line starting at `at` as the current one; returns where the next one starts.
        mutating func enter(_ at: Int) -> Int {
            line += 1
            start = at
            end = at
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            return end + 1
        }

        /// The lines from `next` that are items of a list (`- item`, each at the same
        /// indentation, each a single value), as one list; `next` is left at the first line
        /// that is not one. Nil when there is none, or an item is not in this form.
        mutating func blockList(_ next: inout Int) -> Value? {
            var items: [Scalar] = []
            var indent = -1
            var at: Place?
            while next < bytes.count {
                let current = (line, start, end)
                let after = enter(next)
                var i = start
                skipSpaces(&i)
                guard i + 1 < end, bytes[i] == 0x2D, bytes[i + 1] == 0x20 else {
                    (line, start, end) = current                            // not an item: the list has ended
                    break
                }
                guard printable(start, end) else { return nil }
                if indent < 0 {
                    indent = i - start
                    at = place(i)
                } else if i - start != indent {
                    return nil
                }
                i += 2
                skipSpaces(&i)
                guard i < end, case .scalar(let item)? = value(at: &i, inList: true), rest(from: i) else { return nil }
                items.append(item)
                next = after
            }
            guard let at, !items.isEmpty else { return nil }
            return .list(items, at: at)
        }

        /// A value starting at `i`; `i` is left after it.
        mutating func value(at i: inout Int, inList: Bool) -> Value? {
            let b = bytes[i]
            let at = place(i)
            if b == 0x22 {                                                  // "…": to the next quote, with no escape
                var j = i + 1
                while j < end, bytes[j] != 0x22 {
                    if bytes[j] == 0x5C { return nil }
                    j += 1
                }
                guard j < end else { return nil }
                let string = text(i + 1, j)
                i = j + 1
                return .scalar(Scalar(string: string, style: .doubleQuoted, at: at))
            }
            if b == 0x27 {                                                  // '…': to the next lone quote ('' is one quote)
                var string: [UInt8] = []
                var j = i + 1
                while true {
                    guard j < end else { return nil }
                    if bytes[j] == 0x27 {
                        guard j + 1 < end, bytes[j + 1] == 0x27 else { break }
                        j += 1
                    }
                    string.append(bytes[j])
                    j += 1
                }
                i = j + 1
                return .scalar(Scalar(string: String(decoding: string, as: UTF8.self), style: .singleQuoted, at: at))
            }
            if b == 0x5B, !inList {                                         // [a, "b"]: on this line
                var items: [Scalar] = []
                var j = i + 1
                skipSpaces(&j)
                if j < end, bytes[j] == 0x5D {
                    i = j + 1
                    return .list([], at: at)
                }
                while true {
                    guard j < end, case .scalar(let item)? = value(at: &j, inList: true) else { return nil }
                    items.append(item)
                    skipSpaces(&j)
                    guard j < end else { return nil }
                    if bytes[j] == 0x5D { break }
                    guard bytes[j] == 0x2C else { return nil }
                    j += 1
                    skipSpaces(&j)
                }
                i = j + 1
                return .list(items, at: at)
            }
            guard isPlainStart(b) else { return nil }                       // a plain word or phrase
            var j = i + 1
            while j < end, isPlainByte(bytes[j]) { j += 1 }
            var last = j
            while last > i, bytes[last - 1] == 0x20 { last -= 1 }
            let string = text(i, last)
            i = j
            return .scalar(Scalar(string: string, style: .plain, at: at))
        }

        mutating func skipSpaces(_ i: inout Int) {
            while i < end, bytes[i] == 0x20 { i += 1 }
        }

        /// Whether only spaces follow `i` on the line.
        func rest(from i: Int) -> Bool {
            (i..<end).allSatisfy { bytes[$0] == 0x20 }
        }

        func text(_ from: Int, _ to: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
        }

        /// Where byte `i` of the current line is, as Yams marks it (column in Unicode scalars).
        func place(_ i: Int) -> Place {
            var column = 1
            for j in start..<i where bytes[j] & 0xC0 != 0x80 { column += 1 }
            return Place(line: line, column: column)
        }

        /// Whether the line holds only characters YAML allows in a document (tab and the
        /// printable ones: no other control character, no byte-order mark, no surrogate).
        func printable(_ from: Int, _ to: Int) -> Bool {
            var j = from
            while j < to {
                let b = bytes[j]
                if b < 0x80 {
                    guard b >= 0x20 && b != 0x7F || b == 0x09 else { return false }
                    j += 1
                    continue
                }
                // The string is valid UTF-8: the lead byte gives the length.
                let (value, length) = ByteScan.scalar(bytes, at: j)
                guard j + length <= to else { return false }
                guard value == 0x85 || (0xA0...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) && value != 0xFEFF
                        || value >= 0x10000 else { return false }
                j += length
            }
            return true
        }

        func isKeyStart(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A || b >= 0x41 && b <= 0x5A || b == 0x5F }
        func isKeyByte(_ b: UInt8) -> Bool { isKeyStart(b) || b >= 0x30 && b <= 0x39 || b == 0x2D }
        /// Letters, digits and `/` (an alias's path): none of them starts anything else in YAML.
        func isPlainStart(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A || b >= 0x41 && b <= 0x5A || b >= 0x30 && b <= 0x39 || b == 0x2F }
        /// Letters, digits, space, `.`, `_`, `/`, `+`, `-`: no character YAML gives a meaning to in a plain value.
        func isPlainByte(_ b: UInt8) -> Bool {
            isPlainStart(b) || b == 0x20 || b == 0x2E || b == 0x5F || b == 0x2F || b == 0x2B || b == 0x2D
        }
    }

    /// Whether a plain key resolves to text, as the resolver says (its rules are regular
    /// expressions: each key is asked once, and kept).
    private enum KeyTags {
        private static let lock = NSLock()
        nonisolated(unsafe) private static var known: [String: Bool] = [:]

        static func isText(_ key: String, _ resolver: Resolver) -> Bool {
            if let text = lock.withLock({ known[key] }) { return text }
            let text = resolver.resolveTag(of: Node(key)) == .str
            lock.withLock { if known.count < 4096 { known[key] = text } }
            return text
        }
    }

    /// Yams's marks have no public initialiser: each line and column is read once from a
    /// tiny document Yams composes, and kept. Front-matter is a few short lines: a place
    /// further on (at most 256 lines and columns, so at most 65,536 marks are ever made, each
    /// from a small document) leaves the text to Yams.
    private enum Marks {
        private static let lock = NSLock()
        nonisolated(unsafe) private static var known: [Int: Mark] = [:]

        static func mark(line: Int, column: Int) -> Mark? {
            guard line <= 256, column <= 256 else { return nil }
            let key = line << 20 | column
            if let mark = lock.withLock({ known[key] }) { return mark }
            let document = String(repeating: "\n", count: line - 1) + String(repeating: " ", count: column - 1) + "x"
            guard let mark = (try? Yams.compose(yaml: document))?.mark, mark.line == line, mark.column == column else { return nil }
            lock.withLock { known[key] = mark }
            return mark
        }
    }
}
