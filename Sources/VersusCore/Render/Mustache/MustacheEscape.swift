/// The one HTML escaper, over UTF-8 bytes: `&` `<` `>` `"` `'` become `&amp;` `&lt;` `&gt;`
/// `&quot;` `&#39;`. `Escape.html` (strings) and the Mustache renderer (`{{name}}`) both use it.
extension Escape {
    /// Appends `s` to `out`, escaped for HTML text and attribute values. Text that needs no
    /// escaping is copied in one go.
    public static func appendHTML(_ s: String, to out: inout [UInt8]) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ appendHTML($0, to: &out) }) { return done }
        var copy = s
        copy.withUTF8 { appendHTML($0, to: &out) }
    }

    /// Whether `s` has a byte that `appendHTML` would replace.
    public static func needsHTML(_ s: String) -> Bool {
        s.withBytes { ByteScan.next($0, from: 0, htmlSpecial) < $0.count }
    }

    /// The five bytes HTML escaping replaces.
    @inline(__always)
    static func htmlSpecial(_ v: SIMD16<UInt8>) -> ByteScan.Mask {
        ByteScan.holds(v, 38) .| ByteScan.holds(v, 60) .| ByteScan.holds(v, 62) .| ByteScan.holds(v, 34) .| ByteScan.holds(v, 39)
    }

    static func appendHTML(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var copied = 0, i = 0
        while true {
            i = ByteScan.next(bytes, from: i, htmlSpecial)
            guard i < bytes.count else { break }
            if i > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i])) }
            let entity: StaticString
            switch bytes[i] {
            case 38: entity = "&amp;"
            case 60: entity = "&lt;"
            case 62: entity = "&gt;"
            case 34: entity = "&quot;"
            default: entity = "&#39;"
            }
            out.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
            copied = i + 1
            i += 1
        }
        if copied < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...])) }
    }
}
