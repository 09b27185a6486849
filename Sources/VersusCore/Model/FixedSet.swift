import Foundation

/// A fixed set of strings (a vocabulary the reader asks of every line), asked by the bytes of
/// the string it is given rather than by hashing a `String` (SipHash, after a copy for a
/// `Substring`). The answers are `Set<String>`'s: a string that is all ASCII is looked up by
/// its bytes, which for ASCII is what canonical equivalence compares (the members are kept in
/// that table in their precomposed form, so a member written with a compatibility sign that
/// composes to ASCII is still found); any other string is asked of the `Set<String>` itself.
struct FixedSet: Sendable, Sequence, ExpressibleByArrayLiteral {
    let strings: Set<String>
    /// Open addressing: `slots[i]` is 1 + the number of an ASCII member, or 0.
    private let slots: [Int32]
    private let hashes: [UInt64]
    private let bytes: [UInt8]
    /// Member `k`'s bytes are `bytes[starts[k]..<starts[k + 1]]`.
    private let starts: [Int]
    private let mask: Int

    init(_ members: some Sequence<String>) {
        strings = Set(members)
        var ascii: [[UInt8]] = []
        for member in strings {
            let composed = Array(member.precomposedStringWithCanonicalMapping.utf8)
            if composed.allSatisfy({ $0 < 0x80 }), !ascii.contains(composed) { ascii.append(composed) }
        }
        var size = 8
        while size < ascii.count * 3 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        var hashes: [UInt64] = [], bytes: [UInt8] = [], starts = [0]
        for (k, member) in ascii.enumerated() {
            let h = member.withUnsafeBufferPointer(ByteScan.hash)
            var i = Phrase.slot(h, size - 1)
            while slots[i] != 0 { i = (i + 1) & (size - 1) }
            slots[i] = Int32(k + 1)
            hashes.append(h)
            bytes += member
            starts.append(bytes.count)
        }
        (self.slots, self.hashes, self.bytes, self.starts, self.mask) = (slots, hashes, bytes, starts, size - 1)
    }

    init(arrayLiteral members: String...) { self.init(members) }

    func makeIterator() -> Set<String>.Iterator { strings.makeIterator() }
    var underestimatedCount: Int { strings.count }

    // (Overloads for the two string types, so that a call never picks `Sequence.contains`, a scan.)
    func contains(_ s: String) -> Bool { lookUp(s) }
    func contains(_ s: Substring) -> Bool { lookUp(s) }

    private func lookUp(_ s: some StringProtocol) -> Bool {
        s.withBytes { contains(utf8: $0) } ?? strings.contains(String(s))
    }

    /// Whether the UTF-8 bytes are a member; nil when they are not all ASCII (ask `strings`).
    func contains(utf8 b: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard ByteText.allASCII(b) else { return nil }
        let h = ByteScan.hash(b)
        var i = Phrase.slot(h, mask)
        while true {
            let slot = Int(slots[i])
            if slot == 0 { return false }
            let k = slot - 1
            if hashes[k] == h, starts[k + 1] - starts[k] == b.count,
               b.isEmpty || bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress! + starts[k], b.baseAddress!, b.count) == 0 }) {
                return true
            }
            i = (i + 1) & mask
        }
    }
}
