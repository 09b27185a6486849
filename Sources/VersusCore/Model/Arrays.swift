extension Array {
    /// `count` copies of `value`, as `init(repeating:count:)` makes them, allocated through the
    /// growth path the optimiser specialises for the element type (`append(contentsOf:)`).
    ///
    /// The standard library's `init(repeating:count:)` and `init(unsafeUninitializedCapacity:)`
    /// allocate through a function it does not specialise, which looks up the metadata of the
    /// array's storage class in the runtime's cache on every call: about 600 instructions, more
    /// than filling a short array. The reader makes tens of thousands of short arrays a
    /// thousand pages (a score for each class of each line, a flag for each line).
    @inline(__always)
    static func filled(_ value: Element, count: Int) -> [Element] {
        var out: [Element] = []
        // One reservation and one copy of the repeated value (appended one at a time, each
        // append checked that the array was still unique and had room).
        out.append(contentsOf: repeatElement(value, count: count))
        return out
    }
}
