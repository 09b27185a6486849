import Foundation
import Mustache

/// Renders a template once per context *shape* instead of once per page.
///
/// Thousands of comparison pages share a handful of shapes: the same keys, the same
/// booleans, the same list lengths, only the strings differ. For a new shape,
/// swift-mustache renders a copy of the context whose strings are replaced by markers
/// (`U+E000 n & U+E001`); the markers in its output show where each string lands and
/// whether it was escaped (the `&` comes out as `&amp;`). Every later page of that
/// shape is the recorded text with its own strings put in the slots.
///
/// That is exact only when a template's output depends on its strings through
/// insertion alone, so `specializable` refuses templates that could do more:
/// transforms (`{{lowercased(x)}}`), dynamic partials, delimiter changes, their own
/// content types, and indented partials or blocks (which indent by what came
/// before). Each new shape is also rendered directly once and compared, and a page
/// whose strings contain the marker characters is rendered directly.
final class ShapeCache: @unchecked Sendable {
    /// A recorded render: literal text and string slots.
    struct Compiled {
        enum Chunk { case text(String), slot(Int, escaped: Bool) }
        let chunks: [Chunk]
    }

    private let lock = NSLock()
    /// Shape key → recorded render, or nil when that shape must be rendered directly.
    private var shapes: [String: Compiled?] = [:]
    let limit: Int

    init(limit: Int = 2048) { self.limit = limit }

    var count: Int { lock.withLock { shapes.count } }

    /// The page for `context`, from its shape when possible. `direct` renders with swift-mustache.
    func render(_ name: String, _ context: [String: Any], escape: (String) -> String,
                direct: ([String: Any]) -> String) -> String {
        var shape = Shape()
        guard shape.walk(context) else { return direct(context) }
        let key = name + "\u{0}" + String(decoding: shape.key, as: UTF8.self)
        let cached: Compiled?? = lock.withLock { shapes[key] }
        if let cached {
            guard let compiled = cached else { return direct(context) }
            return compiled.fill(shape.leaves, escape: escape)
        }
        // A new shape: record it, and check the recording against a direct render.
        let html = direct(context)
        var index = 0
        let marked = ShapeCache.marked(context, &index) as! [String: Any]
        var compiled = Compiled.parse(direct(marked), slots: index)
        if let c = compiled, c.fill(shape.leaves, escape: escape) != html { compiled = nil }
        lock.withLock {
            if shapes.count < limit || shapes[key] != nil { shapes[key] = .some(compiled) }
        }
        return html
    }

    /// The context with each string replaced by its slot marker, in `Shape.walk` order.
    static func marked(_ value: Any, _ index: inout Int) -> Any {
        switch value {
        case is String:
            defer { index += 1 }
            return "\u{E000}\(index)&\u{E001}"
        case let d as [String: Any]:
            var out: [String: Any] = [:]
            for k in d.keys.sorted() { out[k] = marked(d[k]!, &index) }
            return out
        case let a as [[String: Any]]:
            return a.map { marked($0, &index) }
        case let a as [Any]:
            return a.map { marked($0, &index) }
        default:
            return value
        }
    }

    /// Whether a template set can be rendered by shape at all (see the type's notes).
    static func specializable(_ texts: [String]) -> Bool {
        for text in texts {
            let bytes = Array(text.utf8)
            var i = 0
            while i + 1 < bytes.count {
                guard bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{") else { i += 1; continue }
                var j = i + 2
                while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "}") && bytes[j + 1] == UInt8(ascii: "}")) { j += 1 }
                let tag = bytes[(i + 2)..<min(j, bytes.count)]
                let first = tag.first(where: { $0 != UInt8(ascii: " ") }) ?? 0
                if tag.contains(UInt8(ascii: "(")) || first == UInt8(ascii: "=") || first == UInt8(ascii: "%") { return false }
                if first == UInt8(ascii: ">") || first == UInt8(ascii: "<") || first == UInt8(ascii: "$") {
                    if tag.contains(UInt8(ascii: "*")) { return false }
                    // Indented (whitespace before it on its line): swift-mustache indents what it renders.
                    var k = i - 1
                    while k >= 0, bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: "\t") { k -= 1 }
                    if k < i - 1 && (k < 0 || bytes[k] == UInt8(ascii: "\n")) { return false }
                }
                i = j + 2
            }
        }
        return true
    }
}

/// A context's shape (its key) and its strings (the leaves), in one walk.
struct Shape {
    var key: [UInt8] = []
    var leaves: [String] = []

    /// False for values a shape cannot stand for (anything but strings, booleans,
    /// integers, string-keyed dictionaries and arrays), and for strings holding the markers.
    mutating func walk(_ value: Any) -> Bool {
        switch value {
        case let s as String: return leaf(s)
        case let d as [String: Any]: return walk(dictionary: d)
        case let b as Bool: key.append(b ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case let n as Int:
            key.append(UInt8(ascii: "i"))
            key += String(n).utf8
            key.append(UInt8(ascii: ";"))
        case let a as [[String: Any]]: return walk(array: a)
        case let a as [Any]: return walk(array: a)
        default: return false
        }
        return true
    }

    mutating func leaf(_ s: String) -> Bool {
        if Bytes.contains(s, 0xEE) && (s.unicodeScalars.contains("\u{E000}") || s.unicodeScalars.contains("\u{E001}")) {
            return false
        }
        key.append(UInt8(ascii: "s"))
        leaves.append(s)
        return true
    }

    mutating func walk(dictionary d: [String: Any]) -> Bool {
        // Sorted keys: a dictionary's own order differs from one instance to the next.
        key.append(UInt8(ascii: "{"))
        for k in d.keys.sorted() {
            key += k.utf8
            key.append(UInt8(ascii: ":"))
            guard walk(d[k]!) else { return false }
        }
        key.append(UInt8(ascii: "}"))
        return true
    }

    mutating func walk<Element>(array a: [Element]) -> Bool {
        key.append(UInt8(ascii: "["))
        for e in a { guard walk(e) else { return false } }
        key.append(UInt8(ascii: "]"))
        return true
    }
}

extension ShapeCache.Compiled {
    /// Splits a marked render into text and slots; nil if a marker is malformed or missing.
    static func parse(_ rendered: String, slots: Int) -> Self? {
        let bytes = Array(rendered.utf8)
        let open: [UInt8] = [0xEE, 0x80, 0x80], close: [UInt8] = [0xEE, 0x80, 0x81]
        let amp = Array("&".utf8), escapedAmp = Array("&amp;".utf8)
        func matches(_ pattern: [UInt8], at i: Int) -> Bool {
            i + pattern.count <= bytes.count && bytes[i..<(i + pattern.count)].elementsEqual(pattern)
        }
        var chunks: [Chunk] = []
        var start = 0, i = 0
        while i < bytes.count {
            guard matches(open, at: i) else { i += 1; continue }
            if i > start { chunks.append(.text(String(decoding: bytes[start..<i], as: UTF8.self))) }
            var j = i + 3, n = 0, digits = 0
            while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 { n = n * 10 + Int(bytes[j] - 0x30); j += 1; digits += 1 }
            let escaped: Bool
            if matches(escapedAmp, at: j) { escaped = true; j += escapedAmp.count }
            else if matches(amp, at: j) { escaped = false; j += amp.count }
            else { return nil }
            guard digits > 0, n < slots, matches(close, at: j) else { return nil }
            chunks.append(.slot(n, escaped: escaped))
            i = j + 3
            start = i
        }
        if start < bytes.count { chunks.append(.text(String(decoding: bytes[start...], as: UTF8.self))) }
        return Self(chunks: chunks)
    }

    func fill(_ leaves: [String], escape: (String) -> String) -> String {
        var out = ""
        out.reserveCapacity(chunks.count * 48)
        for chunk in chunks {
            switch chunk {
            case .text(let t): out += t
            case .slot(let n, let escaped): out += escaped ? escape(leaves[n]) : leaves[n]
            }
        }
        return out
    }
}

/// Byte scans over a string's UTF-8, on its contiguous storage where it has one.
enum Bytes {
    static func contains(_ s: String, _ byte: UInt8) -> Bool {
        if let found = s.utf8.withContiguousStorageIfAvailable({ buffer -> Bool in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }) { return found }
        return s.utf8.contains(byte)
    }

    /// Whether `s` has a byte that HTML escaping changes (`& < > " '`).
    static func needsHTMLEscape(_ s: String) -> Bool {
        func test(_ b: UInt8) -> Bool { b == 38 || b == 60 || b == 62 || b == 34 || b == 39 }
        if let found = s.utf8.withContiguousStorageIfAvailable({ buffer -> Bool in
            for b in buffer where b < 63 && test(b) { return true }
            return false
        }) { return found }
        return s.utf8.contains(where: test)
    }
}
