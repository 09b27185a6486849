import Foundation

/// A small, strict HTML reader: elements with attributes and text, enough to ask
/// what a built page says (its `<title>`, canonical link, headings, links, ids,
/// JSON-LD blocks). It reads what Versus writes; it is not a browser's parser.
/// An unclosed tag, quote or comment is an error rather than a guess.
public struct HTMLDocument {
    public final class Element {
        public let name: String
        public let attributes: [String: String]
        public internal(set) var children: [Node] = []
        public internal(set) weak var parent: Element?

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        /// The text inside, tags removed.
        public var text: String {
            var out = ""
            collectText(into: &out)
            return out
        }

        func collectText(into out: inout String, skipping: Set<String> = []) {
            for node in children {
                switch node {
                case .text(let t): out += t
                case .element(let e):
                    if !skipping.contains(e.name) { e.collectText(into: &out, skipping: skipping) }
                }
            }
        }

        /// The text inside, leaving out elements with the given names (`nav`, `script`).
        public func text(skipping: Set<String>) -> String {
            var out = ""
            collectText(into: &out, skipping: skipping)
            return out
        }

        /// Every descendant element with this name, in document order.
        public func all(_ name: String) -> [Element] {
            var out: [Element] = []
            walk { if $0.name == name { out.append($0) } }
            return out
        }

        public func walk(_ visit: (Element) -> Void) {
            for case .element(let e) in children {
                visit(e)
                e.walk(visit)
            }
        }

        public subscript(_ attribute: String) -> String? { attributes[attribute] }
    }

    public indirect enum Node {
        case text(String)
        case element(Element)
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public let root = Element(name: "#document", attributes: [:])

    static let voidElements: Set<String> = ["meta", "link", "br", "hr", "img", "input", "source", "area", "base", "col", "embed", "wbr", "track", "param"]
    static let rawText: Set<String> = ["script", "style", "textarea", "title"]
    /// Elements whose end tag HTML lets authors leave out.
    static let impliedEnd: Set<String> = ["p", "li", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody"]

    public init(_ html: String) throws {
        try self.init(bytes: Array(html.utf8))
    }

    public init(bytes s: [UInt8]) throws {
        var i = 0
        var current = root
        var textStart = 0
        func flush(_ end: Int) {
            if end > textStart {
                current.children.append(.text(HTMLDocument.decode(String(decoding: s[textStart..<end], as: UTF8.self))))
            }
        }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
        func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c + 32 : c }
        func find(_ needle: [UInt8], from: Int, caseInsensitive: Bool = false) -> Int? {
            guard !needle.isEmpty else { return from }
            var k = from
            while k + needle.count <= s.count {
                var match = true
                for (n, b) in needle.enumerated() where (caseInsensitive ? lower(s[k + n]) : s[k + n]) != b {
                    match = false
                    break
                }
                if match { return k }
                k += 1
            }
            return nil
        }
        while i < s.count {
            guard s[i] == UInt8(ascii: "<"), i + 1 < s.count else { i += 1; continue }
            let next = s[i + 1]
            if next == UInt8(ascii: "!") {
                flush(i)
                if i + 3 < s.count, s[i + 2] == UInt8(ascii: "-"), s[i + 3] == UInt8(ascii: "-") {
                    guard let end = find(Array("-->".utf8), from: i + 4) else { throw ParseError(description: "unclosed comment") }
                    i = end + 3
                } else {
                    guard let end = find([UInt8(ascii: ">")], from: i) else { throw ParseError(description: "unclosed <!") }
                    i = end + 1
                }
                textStart = i
                continue
            }
            if next == UInt8(ascii: "/") {
                guard let end = find([UInt8(ascii: ">")], from: i) else { throw ParseError(description: "unclosed end tag") }
                flush(i)
                let name = String(decoding: s[(i + 2)..<end].map(lower), as: UTF8.self).trimmingWhitespace()
                var e: Element? = current
                while let c = e, c.name != name { e = c.parent }
                if let matched = e, let parent = matched.parent { current = parent }
                else if !HTMLDocument.impliedEnd.contains(name) { throw ParseError(description: "stray </\(name)>") }
                i = end + 1
                textStart = i
                continue
            }
            guard (next >= 97 && next <= 122) || (next >= 65 && next <= 90) else { i += 1; continue }
            // A start tag.
            flush(i)
            var j = i + 1
            let nameStart = j
            while j < s.count, !isSpace(s[j]), s[j] != UInt8(ascii: "/"), s[j] != UInt8(ascii: ">") { j += 1 }
            let name = String(decoding: s[nameStart..<j].map(lower), as: UTF8.self)
            var attributes: [String: String] = [:]
            while true {
                while j < s.count, isSpace(s[j]) { j += 1 }
                guard j < s.count else { throw ParseError(description: "unclosed <\(name)>") }
                if s[j] == UInt8(ascii: ">") { j += 1; break }
                if s[j] == UInt8(ascii: "/"), j + 1 < s.count, s[j + 1] == UInt8(ascii: ">") { j += 2; break }
                let attrStart = j
                while j < s.count, !isSpace(s[j]), s[j] != UInt8(ascii: "="), s[j] != UInt8(ascii: ">"), s[j] != UInt8(ascii: "/") { j += 1 }
                let attr = String(decoding: s[attrStart..<j].map(lower), as: UTF8.self)
                if attr.isEmpty { j += 1; continue }
                var value = ""
                if j < s.count, s[j] == UInt8(ascii: "=") {
                    j += 1
                    if j < s.count, s[j] == UInt8(ascii: "\"") || s[j] == UInt8(ascii: "'") {
                        let quote = s[j]
                        guard let end = find([quote], from: j + 1) else { throw ParseError(description: "unclosed attribute in <\(name)>") }
                        value = String(decoding: s[(j + 1)..<end], as: UTF8.self)
                        j = end + 1
                    } else {
                        let vStart = j
                        while j < s.count, !isSpace(s[j]), s[j] != UInt8(ascii: ">") { j += 1 }
                        value = String(decoding: s[vStart..<j], as: UTF8.self)
                    }
                }
                attributes[attr] = HTMLDocument.decode(value)
            }
            // An implied end: a new <p> or <li> closes the open one.
            if HTMLDocument.impliedEnd.contains(name), current.name == name, let parent = current.parent { current = parent }
            let element = Element(name: name, attributes: attributes)
            element.parent = current
            current.children.append(.element(element))
            i = j
            if HTMLDocument.rawText.contains(name) {
                guard let end = find(Array("</\(name)".utf8), from: i, caseInsensitive: true) else { throw ParseError(description: "unclosed <\(name)>") }
                let raw = String(decoding: s[i..<end], as: UTF8.self)
                element.children.append(.text(name == "title" || name == "textarea" ? HTMLDocument.decode(raw) : raw))
                guard let close = find([UInt8(ascii: ">")], from: end) else { throw ParseError(description: "bad </\(name)>") }
                i = close + 1
            } else if !HTMLDocument.voidElements.contains(name) {
                current = element
            }
            textStart = i
        }
        flush(s.count)
    }

    /// Decodes the character references Versus and cmark write, and numeric ones.
    public static func decode(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            if let semi = rest.prefix(12).firstIndex(of: ";") {
                let name = rest[rest.index(after: rest.startIndex)..<semi]
                var replacement: String?
                switch name {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                case "nbsp": replacement = "\u{A0}"
                default:
                    if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                        replacement = String(Character(u))
                    } else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let u = Unicode.Scalar(v) {
                        replacement = String(Character(u))
                    }
                }
                if let replacement {
                    out += replacement
                    rest = rest[rest.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = rest.dropFirst()
        }
        return out + rest
    }

    public func all(_ name: String) -> [Element] { root.all(name) }
    public func first(_ name: String) -> Element? { all(name).first }

    public func meta(name: String) -> [String] {
        all("meta").filter { $0["name"]?.lowercased() == name }.compactMap { $0["content"] }
    }

    public func meta(property: String) -> [String] {
        all("meta").filter { $0["property"] == property }.compactMap { $0["content"] }
    }

    public func links(rel: String) -> [String] {
        all("link").filter { ($0["rel"] ?? "").split(separator: " ").contains(Substring(rel)) }.compactMap { $0["href"] }
    }

    /// Every `<script type="application/ld+json">`, parsed.
    public func jsonLD() throws -> [[String: Any]] {
        try all("script").filter { $0["type"] == "application/ld+json" }.map { script in
            let object = try JSONSerialization.jsonObject(with: Data(script.text.utf8))
            guard let dict = object as? [String: Any] else { throw ParseError(description: "JSON-LD is not an object") }
            return dict
        }
    }

    /// All `href`s of `<a>` elements.
    public var anchors: [String] { all("a").compactMap { $0["href"] } }

    /// Every `id` (and `<a name>`) in the document: the targets of `#fragment` links.
    public var ids: Set<String> {
        var out: Set<String> = []
        root.walk { e in
            if let id = e["id"] { out.insert(id) }
            if e.name == "a", let n = e["name"] { out.insert(n) }
        }
        return out
    }
}
