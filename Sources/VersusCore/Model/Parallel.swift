import Foundation

/// Structured concurrency over batches: a task group with a few batches per
/// core, not one task per tiny item. Results keep the input order.
public enum Parallel {
    /// One per core the process may run on, asked once (the system call and the reading of the
    /// affinity behind it are not free, and every parallel step of a build asks).
    public static let defaultJobs: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// - Parameter progress: called with the number of items done after each batch.
    public static func map<T: Sendable, R: Sendable>(
        _ items: [T], jobs: Int, progress: (@Sendable (Int) -> Void)? = nil, _ transform: @escaping @Sendable (T) throws -> R
    ) async throws -> [R] {
        if items.isEmpty { return [] }
        if jobs <= 1 || items.count < 8 {
            var out: [R] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                out.append(try transform(item))
                if let progress, (i + 1) % 250 == 0 || i + 1 == items.count { progress(i + 1) }
            }
            return out
        }
        return try await withThrowingTaskGroup(of: (Int, [R]).self) { group in
            // At most `jobs` batches run at once, so other work (a server's requests) keeps a thread.
            var next = 0
            func addNext() -> Bool {
                guard next < items.count else { return false }
                // Batches of a few hundred items at most, so progress moves; towards the end, a
                // quarter of each worker's share of what is left, down to one item, so that no
                // worker idles while another finishes a long batch (250 source texts take a core
                // 0.1 s), and a few heavy items (sitemaps to compress) go to every worker.
                let left = items.count - next
                let size = Swift.max(1, Swift.min(250, left / (jobs * 4)))
                let range = next..<next + size
                next += size
                group.addTask { (range.lowerBound, try items[range].map(transform)) }
                return true
            }
            for _ in 0..<jobs where !addNext() { break }
            var parts: [(Int, [R])] = []
            var done = 0
            while let part = try await group.next() {
                parts.append(part)
                done += part.1.count
                progress?(done)
                _ = addNext()
            }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// `body` over consecutive runs of `size` positions of `0..<count`, the runs spread over
    /// the cores; the results in order (for work that is joined after: bytes, digests).
    public static func runs<R: Sendable>(_ count: Int, size: Int, _ body: @Sendable (Range<Int>) -> R) -> [R] {
        mapSync(Array(stride(from: 0, to: count, by: size)), grain: 1) { start in body(start..<Swift.min(count, start + size)) }
    }

    /// `map` for synchronous stages: the items split into one contiguous slice per core
    /// (when there are at least `grain` items per slice; fewer are not worth a thread).
    public static func mapSync<T: Sendable, R: Sendable>(_ items: [T], jobs: Int = defaultJobs, grain: Int = 512,
                                                         _ transform: @Sendable (T) -> R) -> [R] {
        let slices = Swift.min(Swift.max(1, jobs), items.count / Swift.max(1, grain))
        guard slices > 1 else { return items.map(transform) }
        let size = (items.count + slices - 1) / slices
        var parts = [[R]](repeating: [], count: slices)
        parts.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendable(out)
            DispatchQueue.concurrentPerform(iterations: slices) { k in
                let range = (k * size)..<Swift.min(items.count, (k + 1) * size)
                out.value[k] = items[range].map(transform)
            }
        }
        return parts.flatMap { $0 }
    }
}

extension Parallel {
    /// `a` and `b` at once, on two threads (one when there is one core); both results.
    public static func both<A, B>(_ a: () -> A, _ b: () -> B) -> (A, B) {
        guard defaultJobs > 1 else { return (a(), b()) }
        var first: A?, second: B?
        withoutActuallyEscaping(a) { a in
            withoutActuallyEscaping(b) { b in
                withUnsafeMutablePointer(to: &first) { f in
                    withUnsafeMutablePointer(to: &second) { s in
                        let work = UnsafeSendable((a, b, f, s))
                        DispatchQueue.concurrentPerform(iterations: 2) { k in
                            if k == 0 { work.value.2.pointee = work.value.0() } else { work.value.3.pointee = work.value.1() }
                        }
                    }
                }
            }
        }
        return (first!, second!)
    }

    /// The items in order, each half sorted on a core of its own and the two merged: for a large
    /// list with no two items equal (paths), the order `sorted(by:)` gives.
    public static func sorted<T>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
        guard items.count >= 4096, defaultJobs > 1 else { return items.sorted(by: less) }
        let middle = items.count / 2
        let (a, b) = both({ items[..<middle].sorted(by: less) }, { items[middle...].sorted(by: less) })
        var out: [T] = []
        out.reserveCapacity(items.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if less(b[j], a[i]) { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out += a[i...]
        out += b[j...]
        return out
    }
}

/// A value handed to `concurrentPerform`, whose iterations touch disjoint parts of it.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A value made on another thread, waited for where it is used.
final class Later<T>: @unchecked Sendable {
    private var value: T?
    private let done = DispatchGroup()
    init(_ make: @escaping @Sendable () -> T) {
        done.enter()
        DispatchQueue.global().async { [self] in
            value = make()
            done.leave()
        }
    }
    func wait() -> T {
        done.wait()
        return value!
    }
}
