/// A JSON value with ordered keys, written deterministically. Strings are escaped
/// so the text is also safe inside an HTML `<script>` element: `<`, `>` and `&`
/// become `\u003c`, `\u003e` and `\u0026`, so content can never close the element.
public indirect enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }
    public func hash(into h: inout Hasher) { h.combine(serialized()) }

    public func serialized(pretty: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, pretty: pretty, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(10)
        for _ in 0..<indent { out.append(32); out.append(32) }
    }

    private func write(to out: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(&out, indent + 1) }
                item.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(&out, indent + 1) }
                JSON.quote(k, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(32) }
                v.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(34)
        var s = s
        s.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied whole.
            var i = 0, run = 0
            func flush() { if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) } }
            while true {
                // Control bytes, " \ < > &, and 0xE2 (which starts U+2028 and U+2029).
                i = ByteScan.next(bytes, from: i) { v in
                    ByteScan.control(v) .| ByteScan.holds(v, 34) .| ByteScan.holds(v, 92) .| ByteScan.holds(v, 60) .| ByteScan.holds(v, 62)
                        .| ByteScan.holds(v, 38) .| ByteScan.holds(v, 0xE2)
                }
                guard i < bytes.count else { break }
                let b = bytes[i]
                flush()
                switch b {
                case 34: out += [92, 34]                                  // \"
                case 92: out += [92, 92]                                  // \\
                case 10: out += [92, UInt8(ascii: "n")]
                case 13: out += [92, UInt8(ascii: "r")]
                case 9: out += [92, UInt8(ascii: "t")]
                case 60: out += "\\u003c".utf8                            // <
                case 62: out += "\\u003e".utf8                            // >
                case 38: out += "\\u0026".utf8                            // &
                case 0..<32:
                    out += "\\u00".utf8
                    out.append(hexDigits[Int(b >> 4)])
                    out.append(hexDigits[Int(b & 15)])
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    // U+2028 and U+2029 end lines in JavaScript.
                    out += (bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8
                    i += 2
                default:
                    out.append(b)
                }
                i += 1
                run = i
            }
            flush()
        }
        out.append(34)
    }

    public static func strings(_ items: [String]) -> JSON { .array(items.map(JSON.string)) }
    public static func optional(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
}

/// JSON written as it is worked out, compact, with `JSON`'s escaping: for values made once per
/// page (JSON-LD), where building a `JSON` tree to write it cost as much as writing it.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next member is the first of its object or array (no comma before it).
    private var first = true

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if !first { bytes.append(44) }
        first = false
    }
    /// A member's name: always a name written in the code, so its bytes go in as they are.
    private mutating func key(_ key: StaticString) {
        separate()
        let name = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        assert(name.allSatisfy { $0 >= 32 && $0 < 0x80 && $0 != 34 && $0 != 92 && $0 != 60 && $0 != 62 && $0 != 38 },
               "a JSON member name that needs escaping: \(key)")
        bytes.append(34)
        bytes.append(contentsOf: name)
        bytes.append(34)
        bytes.append(58)
    }
    private mutating func nest(_ open: UInt8, _ close: UInt8, _ body: (inout JSONWriter) -> Void) {
        bytes.append(open)
        first = true
        body(&self)
        bytes.append(close)
        first = false
    }

    /// An object: the whole value, or an element of an array.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        nest(123, 125, body)
    }
    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        JSON.quote(value, into: &bytes)
    }
    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        bytes += String(value).utf8
    }
    mutating func field(_ name: StaticString, object body: (inout JSONWriter) -> Void) {
        key(name)
        nest(123, 125, body)
    }
    mutating func field(_ name: StaticString, array body: (inout JSONWriter) -> Void) {
        key(name)
        nest(91, 93, body)
    }
}
