import Testing
@testable import VersusCore

/// The scans that read sixteen bytes at a time (HTML and JSON escaping, the check that a
/// Markdown block renders alike under every option) give what a byte-at-a-time reading gives,
/// wherever the bytes they stop at fall against the sixteen-byte steps and in the last, shorter one.
@Suite struct ByteScanTests {
    /// Texts with each stop byte (and pairs of them) at every offset from 0 to 40, in texts
    /// from 0 to 40 bytes long, plus the multi-byte forms each scan looks at.
    static func texts(stops: [String]) -> [String] {
        var out: [String] = []
        for length in 0...40 {
            let filler = String(repeating: "x", count: length)
            out.append(filler)
            for stop in stops {
                for at in 0...length {
                    let i = filler.index(filler.startIndex, offsetBy: at)
                    out.append(filler[..<i] + stop + filler[i...])
                    // A second stop further on, in the same or a later step of sixteen.
                    for gap in [1, 16] where at + gap <= length {
                        var two = filler
                        two.insert(contentsOf: stop, at: two.index(two.startIndex, offsetBy: at + gap))
                        two.insert(contentsOf: stop, at: two.index(two.startIndex, offsetBy: at))
                        out.append(two)
                    }
                }
            }
        }
        return out
    }

    /// A scan that finds no stop ends at the text's end, also when the last, shorter step is
    /// filled out with bytes that stop it (zeros are control bytes), and a stop in it is found.
    @Test func aScanWithNoStopEndsAtTheEnd() {
        for length in 0...40 {
            let bytes = Array(repeating: UInt8(ascii: "x"), count: length)
            #expect(bytes.withUnsafeBufferPointer { ByteScan.next($0, from: 0, ByteScan.control) } == length)
            let stopped = bytes + [9] + bytes
            #expect(stopped.withUnsafeBufferPointer { ByteScan.next($0, from: 0, ByteScan.control) } == length)
            #expect(stopped.withUnsafeBufferPointer { ByteScan.next($0, from: length + 1, ByteScan.control) } == stopped.count)
        }
    }

    @Test func htmlEscapingAgreesWithOneByteAtATime() {
        func escaped(_ s: String) -> String {
            var out = ""
            for b in s.utf8 {
                switch b {
                case 38: out += "&amp;"
                case 60: out += "&lt;"
                case 62: out += "&gt;"
                case 34: out += "&quot;"
                case 39: out += "&#39;"
                default: out.unicodeScalars.append(Unicode.Scalar(b))
                }
            }
            return out
        }
        for text in Self.texts(stops: ["&", "<", ">", "\"", "'", "?", "=", "%"]) {
            var out: [UInt8] = []
            Escape.appendHTML(text, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == escaped(text), "\(text.debugDescription)")
            #expect(Escape.needsHTML(text) == (escaped(text) != text), "\(text.debugDescription)")
        }
    }

    @Test func jsonQuotingAgreesWithOneByteAtATime() {
        func quoted(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "<": out += "\\u003c"
                case ">": out += "\\u003e"
                case "&": out += "\\u0026"
                case "\u{2028}": out += "\\u2028"
                case "\u{2029}": out += "\\u2029"
                default:
                    if scalar.value < 32 {
                        out += "\\u00" + String(scalar.value >> 4, radix: 16) + String(scalar.value & 15, radix: 16)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let stops = ["\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "<", ">", "&", "\u{2028}", "\u{2029}", "–", "’", "é", " ", "~"]
        for text in Self.texts(stops: stops) {
            var out: [UInt8] = []
            JSON.quote(text, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == quoted(text), "\(text.debugDescription)")
        }
    }

    @Test func optionCheckAgreesWithOneByteAtATime() {
        // The check as it read one byte at a time.
        func alike(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            func letter(_ b: UInt8) -> Bool { b | 0x20 >= 97 && b | 0x20 <= 122 }
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                switch b {
                case 60, 34, 39: return false
                case 45, 46: if i < bytes.count, bytes[i] == b { return false }
                case 38:
                    if i < bytes.count, bytes[i] == 35 { return false }
                    if i + 6 <= bytes.count, bytes[i..<(i + 6)].map({ $0 | 0x20 }).elementsEqual("colon;".utf8) { return false }
                case 58:
                    var start = i - 1
                    while start > 0, i - 1 - start < 20, letter(bytes[start - 1]) || bytes[start - 1] == 92 { start -= 1 }
                    let scheme = String(decoding: bytes[start..<(i - 1)].filter { $0 != 92 }, as: UTF8.self).lowercased()
                    if ["javascript", "vbscript", "file", "data"].contains(where: scheme.hasSuffix) { return false }
                default:
                    continue
                }
            }
            return true
        }
        let stops = ["<", "\"", "'", "-", "--", ".", "...", ":", "&", "&#", "&colon;", "&amp;", "javascript:", "java\\script:", "https:", "data:", "é",
                     // Schemes in any case, split by backslashes, or cut short ("ata:" is no scheme).
                     "JaVaScRiPt:", "DATA:", "Fi\\LE:", "vbscript:", "\\:", "ata:", "\\data:"]
        var seen = Set<Bool>()
        for text in Self.texts(stops: stops) {
            let got = Array(text.utf8).withUnsafeBufferPointer { CMark.rendersAlikeUnderEveryOption($0) }
            #expect(got == alike(text), "\(text.debugDescription)")
            seen.insert(got)
        }
        #expect(seen == [true, false])
    }
}
