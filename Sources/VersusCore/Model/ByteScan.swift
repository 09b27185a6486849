/// Finding the next byte a scanner has to act on, sixteen bytes at a time.
///
/// The escapers and checkers that read every byte of every page (HTML and JSON escaping,
/// the Markdown option check) stop at a few byte values and copy or skip the rest. A
/// byte-at-a-time loop costs a load, a table lookup or a chain of compares, and a branch per
/// byte; a vector compare of sixteen bytes against each stop value costs about as much as
/// one byte does, and the first stop is then found from the mask's bits.
///
/// Only lane equality (`.==`) and bitwise operations compile to one vector instruction each
/// here; an ordering compare (`.<`, or a mask test the optimiser turns into one, such as
/// `v & 0xF0 .== 0xF0`) compiled to a loop over the sixteen lanes. The masks below are checked
/// in the disassembly of each scan that uses them.
enum ByteScan {
    /// The scalar whose UTF-8 starts at `i` (a lead byte of valid UTF-8, not ASCII) and its length
    /// in bytes, decoded in place: the one decoding of the byte-level readers.
    @inline(__always)
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) {
        let lead = b[i]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = value << 6 | UInt32(b[i + k] & 0x3F) }
        return (value, length)
    }

    /// A mask over sixteen bytes, a lane of all ones for each byte it marks.
    typealias Mask = SIMDMask<SIMD16<UInt8>.MaskStorage>

    /// The first index at or after `start` of a byte `stops` marks, or `bytes.count` if there is
    /// none. `stops` is the one definition of the bytes a scan stops at: it marks exactly those.
    @inline(__always)
    static func next(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ stops: (SIMD16<UInt8>) -> Mask) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var i = start
        while i + 16 <= n {
            if let lane = first(stops(raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self))) { return i + lane }
            i += 16
        }
        guard i < n else { return n }
        // The last bytes, fewer than sixteen, in a step of their own filled out with zeros: a stop
        // the zeros hold (a zero is a control byte) is found first at `n`, the end, which is none.
        var tail = SIMD16<UInt8>()
        withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(start: raw + i, count: n - i)) }
        return first(stops(tail)).map { i + $0 } ?? n
    }

    /// The first lane a mask marks, read from its two halves (lane 0 is the lowest byte on the
    /// little-endian machines Versus runs on).
    @inline(__always)
    static func first(_ mask: Mask) -> Int? {
        let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        if halves[0] != 0 { return halves[0].trailingZeroBitCount / 8 }
        if halves[1] != 0 { return 8 + halves[1].trailingZeroBitCount / 8 }
        return nil
    }

    /// Which of the sixteen bytes are `byte`.
    @inline(__always)
    static func holds(_ v: SIMD16<UInt8>, _ byte: UInt8) -> Mask {
        v .== SIMD16(repeating: byte)
    }

    /// Which of the sixteen bytes are below 0x20 (control characters): the bytes with none of the
    /// top three bits set. (Swift's `.<` on bytes compiles to a loop over the lanes, not one compare.)
    @inline(__always)
    static func control(_ v: SIMD16<UInt8>) -> Mask {
        v & SIMD16(repeating: 0xE0) .== SIMD16(repeating: 0)
    }

    /// A hash of some bytes, never 0, eight bytes at a time: for tables keyed by bytes that
    /// compare the bytes themselves on a match (the encoder's interned strings, the lines
    /// `Lines.LineMemo` keeps), where a `String` key would cost a copy and a SipHash of them.
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = b.baseAddress else { return h | 1 }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= b.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < b.count { tail |= UInt64(b[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return h | 1
    }
}
