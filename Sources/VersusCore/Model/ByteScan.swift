/// Finding the next byte a scanner has to act on, sixteen bytes at a time.
///
/// The escapers and checkers that read every byte of every page (HTML and JSON escaping,
/// the Markdown option check) stop at a few byte values and copy or skip the rest. A
/// byte-at-a-time loop costs a load, a table lookup or a chain of compares, and a branch per
/// byte; a vector compare of sixteen bytes against each stop value costs about as much as
/// one byte does.
///
/// Only lane equality (`.==`) and bitwise operations compile to one vector instruction each
/// here; an ordering compare (`.<`, or a mask test the optimiser turns into one, such as
/// `v & 0xF0 .== 0xF0`) compiled to a loop over the sixteen lanes. The masks below are checked
/// in the disassembly of each scan that uses them.
enum ByteScan {
    /// The first index at or after `start` whose byte `stops`, or `bytes.count` if none does.
    ///
    /// `flags(v)` marks the bytes of sixteen that may be ones that `stops`: it may mark bytes
    /// that are not (the sixteen are then looked at one by one), never miss one.
    @inline(__always)
    static func next(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                     flags: (SIMD16<UInt8>) -> SIMDMask<SIMD16<UInt8>.MaskStorage>, stops: (UInt8) -> Bool) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var i = start
        while i < n {
            while i + 16 <= n, !Self.any(flags(raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self))) { i += 16 }
            let end = min(n, i + 16)
            while i < end {
                if stops(base[i]) { return i }
                i += 1
            }
        }
        return n
    }

    /// Whether any lane of a mask is set: its two halves or'ed. (The standard library's `any`
    /// is a horizontal minimum, which the compiler sometimes leaves as a call.)
    @inline(__always)
    static func any(_ mask: SIMDMask<SIMD16<UInt8>.MaskStorage>) -> Bool {
        let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return halves[0] | halves[1] != 0
    }

    /// Which of the sixteen bytes are `byte`.
    @inline(__always)
    static func holds(_ v: SIMD16<UInt8>, _ byte: UInt8) -> SIMDMask<SIMD16<UInt8>.MaskStorage> {
        v .== SIMD16(repeating: byte)
    }

    /// Which of the sixteen bytes are below 0x20 (control characters): the bytes with none of the
    /// top three bits set. (Swift's `.<` on bytes compiles to a loop over the lanes, not one compare.)
    @inline(__always)
    static func control(_ v: SIMD16<UInt8>) -> SIMDMask<SIMD16<UInt8>.MaskStorage> {
        v & SIMD16(repeating: 0xE0) .== SIMD16(repeating: 0)
    }
}
