import Foundation

/// A small HTML reader for tests: elements with attributes and text, enough to
/// query what a page says (one `<title>`, the canonical link, JSON-LD blocks…).
/// It is deliberately strict: an unclosed quote or tag makes `parse` fail.
struct HTMLDocument {
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        weak var parent: Element?
        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        var text: String {
            children.map { node -> String in
                switch node {
                case .text(let t): return t
                case .element(let e): return e.text
                }
            }.joined()
        }

        func all(_ name: String) -> [Element] {
            var out: [Element] = []
            for case .element(let e) in children {
                if e.name == name { out.append(e) }
                out += e.all(name)
            }
            return out
        }

        subscript(_ attribute: String) -> String? { attributes[attribute] }
    }

    indirect enum Node {
        case text(String)
        case element(Element)
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    let root = Element(name: "#document", attributes: [:])

    static let voidElements: Set<String> = ["meta", "link", "br", "hr", "img", "input", "source", "area", "base", "col", "embed", "wbr"]
    static let rawText: Set<String> = ["script", "style"]

    init(_ html: String) throws {
        let s = Array(html.unicodeScalars)
        var i = 0
        var current = root
        var text = ""
        func flush() {
            if !text.isEmpty { current.children.append(.text(HTMLDocument.decode(text))); text = "" }
        }
        while i < s.count {
            if s[i] == "<" {
                if i + 3 < s.count, s[i + 1] == "!", s[i + 2] == "-", s[i + 3] == "-" {
                    guard let end = HTMLDocument.find(s, "-->", from: i + 4) else { throw ParseError(description: "unclosed comment") }
                    flush(); i = end + 3; continue
                }
                if i + 1 < s.count, s[i + 1] == "!" {
                    guard let end = HTMLDocument.find(s, ">", from: i) else { throw ParseError(description: "unclosed doctype") }
                    flush(); i = end + 1; continue
                }
                if i + 1 < s.count, s[i + 1] == "/" {
                    guard let end = HTMLDocument.find(s, ">", from: i) else { throw ParseError(description: "unclosed end tag") }
                    let name = String(String.UnicodeScalarView(s[(i + 2)..<end])).trimmingCharacters(in: .whitespaces).lowercased()
                    flush()
                    var e: Element? = current
                    while let c = e, c.name != name { e = c.parent }
                    guard let matched = e, let parent = matched.parent else { throw ParseError(description: "stray </\(name)>") }
                    current = parent
                    i = end + 1
                    continue
                }
                // Start tag.
                var j = i + 1
                var name = ""
                while j < s.count, !" \t\n/>".unicodeScalars.contains(s[j]) { name.unicodeScalars.append(s[j]); j += 1 }
                name = name.lowercased()
                var attributes: [String: String] = [:]
                while true {
                    while j < s.count, " \t\n".unicodeScalars.contains(s[j]) { j += 1 }
                    guard j < s.count else { throw ParseError(description: "unclosed <\(name)>") }
                    if s[j] == ">" { j += 1; break }
                    if s[j] == "/", j + 1 < s.count, s[j + 1] == ">" { j += 2; break }
                    var attr = ""
                    while j < s.count, !" \t\n=>".unicodeScalars.contains(s[j]) { attr.unicodeScalars.append(s[j]); j += 1 }
                    var value = ""
                    if j < s.count, s[j] == "=" {
                        j += 1
                        if j < s.count, s[j] == "\"" || s[j] == "'" {
                            let quote = s[j]
                            guard let end = s[(j + 1)...].firstIndex(of: quote) else { throw ParseError(description: "unclosed attribute in <\(name)>") }
                            value = String(String.UnicodeScalarView(s[(j + 1)..<end]))
                            j = end + 1
                        } else {
                            while j < s.count, !" \t\n>".unicodeScalars.contains(s[j]) { value.unicodeScalars.append(s[j]); j += 1 }
                        }
                    }
                    attributes[attr.lowercased()] = HTMLDocument.decode(value)
                }
                flush()
                let element = Element(name: name, attributes: attributes)
                element.parent = current
                current.children.append(.element(element))
                i = j
                if HTMLDocument.rawText.contains(name) {
                    guard let end = HTMLDocument.find(s, "</\(name)", from: i) else { throw ParseError(description: "unclosed <\(name)>") }
                    element.children.append(.text(String(String.UnicodeScalarView(s[i..<end]))))
                    guard let close = HTMLDocument.find(s, ">", from: end) else { throw ParseError(description: "bad </\(name)>") }
                    i = close + 1
                } else if !HTMLDocument.voidElements.contains(name) {
                    current = element
                }
                continue
            }
            text.unicodeScalars.append(s[i])
            i += 1
        }
        flush()
    }

    static func find(_ s: [Unicode.Scalar], _ needle: String, from: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard n.count <= s.count else { return nil }
        var i = from
        while i + n.count <= s.count {
            if Array(s[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }

    static func decode(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = s
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&apos;", "'"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: value)
        }
        return out
    }

    func all(_ name: String) -> [Element] { root.all(name) }
    func first(_ name: String) -> Element? { all(name).first }

    func meta(name: String) -> [String] {
        all("meta").filter { $0["name"] == name }.compactMap { $0["content"] }
    }

    func meta(property: String) -> [String] {
        all("meta").filter { $0["property"] == property }.compactMap { $0["content"] }
    }

    func links(rel: String) -> [String] {
        all("link").filter { $0["rel"] == rel }.compactMap { $0["href"] }
    }

    /// Every `<script type="application/ld+json">`, parsed.
    func jsonLD() throws -> [[String: Any]] {
        try all("script").filter { $0["type"] == "application/ld+json" }.map { script in
            let object = try JSONSerialization.jsonObject(with: Data(script.text.utf8))
            guard let dict = object as? [String: Any] else { throw ParseError(description: "JSON-LD is not an object") }
            return dict
        }
    }

    /// All `href`s of `<a>` elements.
    var anchors: [String] { all("a").compactMap { $0["href"] } }
}
