import Foundation
import VersusCore

/// A request's `Range`, read as RFC 9110 §14 says, for one body of `size` bytes: a video or
/// audio element asks for the part it plays (Safari plays none without), a download resumes.
/// One range is served (206); a header the server does not take (another unit, a list of
/// ranges, a malformed one) is ignored and the whole body goes out (200), as the RFC allows;
/// a range that starts past the end is refused (416).
enum ByteRange: Equatable {
    /// Serve the whole body.
    case whole
    /// Serve these bytes.
    case part(Range<Int>)
    /// Nothing of the body is in the range.
    case unsatisfiable

    static func of(_ header: String?, size: Int) -> ByteRange {
        guard let header else { return .whole }
        let value = header.trimmingWhitespace()
        guard let equals = value.firstIndex(of: "="), value[..<equals].trimmingWhitespace().lowercased() == "bytes" else { return .whole }
        let spec = value[value.index(after: equals)...].trimmingWhitespace()
        // One range only: a list of them would need a multipart body.
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash].trimmingWhitespace(), last = spec[spec.index(after: dash)...].trimmingWhitespace()
        if first.isEmpty {
            // "-500": the last 500 bytes.
            guard let suffix = number(last) else { return .whole }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .part(max(0, size - suffix)..<size)
        }
        guard let start = number(first) else { return .whole }
        let end: Int
        if last.isEmpty {
            end = size - 1
        } else {
            guard let given = number(last), given >= start else { return .whole }
            end = min(given, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .part(start..<(end + 1))
    }

    /// Digits only; a number too large to hold is as large as can be (past any body's end).
    private static func number(_ s: String) -> Int? {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(s) ?? Int.max
    }

    /// Whether `If-Range` lets the range stand: absent, or naming this representation (its
    /// strong ETag, or its exact modification date); otherwise the whole new body goes out.
    static func ifRangeHolds(_ header: String?, etag: String, lastModified: String) -> Bool {
        guard let value = header?.trimmingWhitespace() else { return true }
        if value.hasPrefix("W/") { return false }   // a weak tag never matches here
        if value.hasPrefix("\"") { return value == etag }
        return value == lastModified
    }
}
