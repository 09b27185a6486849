import Foundation
import Yams

/// The form nearly all front-matter is written in, composed straight into the tree Yams
/// would compose, or nil so that Yams composes it.
///
/// The form: one `key: value` per line at the start of the line, each key once, where a
/// value is a quoted text on one line (`"Stripe vs Adyen"` with no escapes, `'Stripe'`), a
/// plain word or phrase (`2024-05-01`, `true`, `Jane Doe`), or a list of those, on the line
/// (`["Stripe", "Adyen"]`) or below it (`- Stripe` a line, all at one indentation); blank
/// lines and whole-line `#` comments between them. Anything else (a nested mapping, a flow
/// mapping, an escape, a tag, an anchor, a value over two lines, a comment after a value, a
/// character YAML does not allow) gives nil.
///
/// What it gives equals Yams's tree: the same strings, tags, styles and marks (line and
/// column, in Unicode scalars), checked node by node against Yams in `PlainYAMLTests`.
/// Yams's parser is a tenth of the cost of reading a Markdown page (its events, and
/// resolving each key's tag with regular expressions to check for duplicates); this is a
/// hundredth of it.
enum PlainYAML {
    /// The tree `Yams.compose(yaml:, YAMLInput.resolver, .default, .utf8)` gives, or nil.
    static func compose(_ yaml: String) -> Node? {
        var yaml = yaml
        return yaml.withUTF8 { bytes in
            var reader = Reader(bytes: bytes, resolver: YAMLInput.resolver, constructor: constructor)
            return reader.mapping()
        }
    }

    /// The constructor every tag is made with (Yams's parser makes one per document: `.default`
    /// builds its tables on each use). It is never changed, so every thread can share it.
    nonisolated(unsafe) private static let constructor = Constructor.default

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let resolver: Resolver
        let constructor: Constructor
        /// The current line (from 1), its first byte, and the end of it (its `\n` or the end).
        var line = 0
        var start = 0
        var end = 0

        init(bytes: UnsafeBufferPointer<UInt8>, resolver: Resolver, constructor: Constructor) {
            self.bytes = bytes
            self.resolver = resolver
            self.constructor = constructor
        }

        mutating func mapping() -> Node? {
            var pairs: [(Node, Node)] = []
            var keys: [String] = []
            var first: Mark?
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
                guard !keys.contains(key) else { return nil }               // Yams reports a key given twice
                // Yams resolves each key's tag when it checks for keys given twice: text, unless
                // the key spells a boolean or a null (the resolver's other rules).
                guard KeyTags.isText(key, resolver) else { return nil }
                keys.append(key)
                guard let keyMark = mark(start) else { return nil }
                first = first ?? keyMark
                i += 1
                skipSpaces(&i)
                let value: Node
                if i == end {
                    // Nothing after the colon: a list below it, one "- item" a line.
                    guard let list = blockList(&next) else { return nil }
                    value = list
                } else {
                    guard let found = self.value(at: &i, inList: false), rest(from: i) else { return nil }
                    value = found
                }
                pairs.append((.scalar(.init(key, Tag(.str, resolver, constructor), .plain, keyMark)), value))
            }
            guard let first, !pairs.isEmpty else { return nil }
            return .mapping(.init(pairs, Tag(.implicit, resolver, constructor), .any, first))
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
        mutating func blockList(_ next: inout Int) -> Node? {
            var items: [Node] = []
            var indent = -1
            var at: Mark?
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
                    at = mark(i)
                } else if i - start != indent {
                    return nil
                }
                i += 2
                skipSpaces(&i)
                guard i < end, let item = value(at: &i, inList: true), rest(from: i) else { return nil }
                items.append(item)
                next = after
            }
            guard let at, !items.isEmpty else { return nil }
            return .sequence(.init(items, Tag(.implicit, resolver, constructor), .any, at))
        }

        /// A value starting at `i`; `i` is left after it.
        mutating func value(at i: inout Int, inList: Bool) -> Node? {
            let b = bytes[i]
            guard let at = mark(i) else { return nil }
            if b == 0x22 {                                                  // "…": to the next quote, with no escape
                var j = i + 1
                while j < end, bytes[j] != 0x22 {
                    if bytes[j] == 0x5C { return nil }
                    j += 1
                }
                guard j < end else { return nil }
                let string = text(i + 1, j)
                i = j + 1
                return .scalar(.init(string, Tag(.str, resolver, constructor), .doubleQuoted, at))
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
                return .scalar(.init(String(decoding: string, as: UTF8.self), Tag(.str, resolver, constructor), .singleQuoted, at))
            }
            if b == 0x5B, !inList {                                         // [a, "b"]: on this line
                var items: [Node] = []
                var j = i + 1
                skipSpaces(&j)
                if j < end, bytes[j] == 0x5D {
                    i = j + 1
                    return .sequence(.init([], Tag(.implicit, resolver, constructor), .any, at))
                }
                while true {
                    guard j < end, let item = value(at: &j, inList: true) else { return nil }
                    items.append(item)
                    skipSpaces(&j)
                    guard j < end else { return nil }
                    if bytes[j] == 0x5D { break }
                    guard bytes[j] == 0x2C else { return nil }
                    j += 1
                    skipSpaces(&j)
                }
                i = j + 1
                return .sequence(.init(items, Tag(.implicit, resolver, constructor), .any, at))
            }
            guard isPlainStart(b) else { return nil }                       // a plain word or phrase
            var j = i + 1
            while j < end, isPlainByte(bytes[j]) { j += 1 }
            var last = j
            while last > i, bytes[last - 1] == 0x20 { last -= 1 }
            let string = text(i, last)
            i = j
            return .scalar(.init(string, Tag(.implicit, resolver, constructor), .plain, at))
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
        func mark(_ i: Int) -> Mark? {
            var column = 1
            for j in start..<i where bytes[j] & 0xC0 != 0x80 { column += 1 }
            return Marks.mark(line: line, column: column)
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
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                guard j + length <= to else { return false }
                var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for k in 1..<length { value = value << 6 | UInt32(bytes[j + k] & 0x3F) }
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
