import Foundation
import VersusCore

/// A request's `Accept-Encoding`, read as RFC 9110 §12.5.3 says: each coding with its
/// q-value (1 unless given; 0 means "not acceptable"), `*` for any coding the header does
/// not name, and `identity` acceptable unless `identity;q=0`, or `*;q=0` without an entry
/// for `identity`, excludes it. No header means identity only (any coding would be allowed,
/// but a client that sends none is best served plainly); an empty one means identity only.
public struct AcceptEncoding: Sendable, Equatable {
    /// What the server can send: a content coding, or the bytes as they are.
    public enum Coding: Sendable, Hashable {
        case identity
        case encoded(ContentEncoding)

        var name: String {
            switch self {
            case .identity: "identity"
            case .encoded(let e): e.rawValue
            }
        }
    }

    /// Coding name (lower case) → q-value, as the header gives them.
    var qualities: [String: Double]
    /// The header was present.
    var present: Bool

    public init(_ header: String?) {
        qualities = [:]
        present = header != nil
        guard let header else { return }
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let first = parts.first else { continue }
            let name = first.trimmingWhitespace().lowercased()
            guard !name.isEmpty else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() {
                let p = parameter.trimmingWhitespace().lowercased()
                guard p.hasPrefix("q=") else { continue }
                // A malformed weight makes the entry unusable rather than preferred.
                q = Double(p.dropFirst(2)).map { min(1, max(0, $0)) } ?? 0
            }
            // Repeated names: the most restrictive entry wins.
            qualities[name] = min(qualities[name] ?? q, q)
        }
    }

    /// How much the client wants a coding (0: not at all). Identity, when the header
    /// neither names it nor has `*`, is acceptable but weighs least (0.001, the smallest
    /// weight a header can give).
    public func quality(_ coding: Coding) -> Double {
        guard present else { return coding == .identity ? 1 : 0 }
        if let q = qualities[coding.name] { return q }
        if let any = qualities["*"] { return any }
        return coding == .identity ? 0.001 : 0
    }

    /// The coding to send among those the server can make, in the server's order of
    /// preference for equal weights (identity last); nil when none is acceptable.
    public func preferred(_ encodings: [ContentEncoding]) -> Coding? {
        var best: (coding: Coding, q: Double)?
        for coding in encodings.map(Coding.encoded) + [.identity] {
            let q = quality(coding)
            if q > 0, q > (best?.q ?? 0) { best = (coding, q) }
        }
        return best?.coding
    }
}
