import Foundation

/// URL slugs: lowercase ASCII words joined by hyphens. Non-ASCII letters are
/// transliterated (`Zürich` → `zurich`, `Москва` → `moskva`), and the symbols
/// that carry meaning in technology names are spelled out (`C++` → `c-plus-plus`,
/// `C#` → `c-sharp`, `AT&T` → `at-and-t`).
public enum Slug {
    /// A slug is made of at most this many characters of its text (transliterating a long text
    /// takes ICU time that grows with the square of its length; no name or heading is that long).
    public static let maximumScalars = 1_000

    public static func make(_ text: String) -> String {
        var ascii = text
        if text.utf8.count > maximumScalars, text.unicodeScalars.count > maximumScalars {
            return make(String(String.UnicodeScalarView(text.unicodeScalars.prefix(maximumScalars))))
        }
        if !text.allBytes({ $0 < 0x80 }) {
            ascii = Transliterated.shared.latin(text)
        }
        // Over the bytes in place, into the string's own storage: a byte gives at most six ("-sharp").
        return ascii.withBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 6) { out in
                var n = 0
                var pendingHyphen = false
                @inline(__always) func word(_ w: StaticString) {
                    if n > 0 { out[n] = 45; n += 1 }
                    for k in 0..<w.utf8CodeUnitCount { out[n + k] = w.utf8Start[k] }
                    n += w.utf8CodeUnitCount
                    pendingHyphen = true
                }
                for byte in bytes {
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                        if pendingHyphen && n > 0 { out[n] = 45; n += 1 }
                        pendingHyphen = false
                        out[n] = Phrase.lower(byte)
                        n += 1
                    case UInt8(ascii: "+"): word("plus")
                    case UInt8(ascii: "#"): word("sharp")
                    case UInt8(ascii: "&"): word("and")
                    case UInt8(ascii: "@"): word("at")
                    case UInt8(ascii: "'"): continue  // "Let's" → "lets"
                    default: pendingHyphen = true
                    }
                }
                return n
            }
        }
    }

    /// Non-ASCII texts in ASCII Latin, each worked out once: ICU makes a new transliterator for
    /// every transform, and the same names are slugged again and again (each line that pairs
    /// them, each page that links to them).
    private final class Transliterated: @unchecked Sendable {
        static let shared = Transliterated()
        static let most = 16_384
        private let lock = NSLock()
        /// By the text, with its bytes (two ways of writing one character are one key, and may transliterate apart).
        private var known: [String: (bytes: String, latin: String)] = [:]

        func latin(_ text: String) -> String {
            if let hit = lock.withLock({ known[text] }), hit.bytes.utf8.elementsEqual(text.utf8) { return hit.latin }
            let made = text.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? text
            lock.withLock { if known.count < Self.most { known[text] = (text, made) } }
            return made
        }
    }

    /// The slug of a comparison page: `kubernetes-vs-stripe`.
    public static func pair(_ left: String, _ right: String) -> String {
        make(left) + "-vs-" + make(right)
    }
}

extension Slug {
    /// Two subjects of a comparison that are one thing by their slugs ("Go" and "GO!"), if any:
    /// a page would compare a subject with itself. (A text's title never gives such a pair: the
    /// subject finder reads no pair of one name.)
    static func sameSubject(in subjects: [String]) -> (String, String)? {
        var seen: [String: String] = [:]
        for subject in subjects {
            let slug = make(subject)
            if slug.isEmpty { continue }   // a subject with no slug is an error of its own
            if let first = seen[slug] { return (first, subject) }
            seen[slug] = subject
        }
        return nil
    }

    /// The slug of a comparison page: `kubernetes-vs-stripe`, `aws-vs-azure-vs-google-cloud`.
    public static func comparison(_ subjects: [String]) -> String {
        subjects.map(make).joined(separator: "-vs-")
    }
}
