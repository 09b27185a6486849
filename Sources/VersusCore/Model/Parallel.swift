import Foundation

/// Structured concurrency over batches: a task group with a few batches per
/// core, not one task per tiny item. Results keep the input order.
public enum Parallel {
    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    public static func map<T: Sendable, R: Sendable>(
        _ items: [T], jobs: Int, _ transform: @escaping @Sendable (T) throws -> R
    ) async throws -> [R] {
        if items.isEmpty { return [] }
        let batches = Swift.min(items.count, Swift.max(1, jobs) * 4)
        let size = (items.count + batches - 1) / batches
        if jobs <= 1 || items.count < 8 { return try items.map(transform) }
        return try await withThrowingTaskGroup(of: (Int, [R]).self) { group in
            var start = 0
            while start < items.count {
                let range = start..<Swift.min(items.count, start + size)
                group.addTask { (range.lowerBound, try items[range].map(transform)) }
                start += size
            }
            var parts: [(Int, [R])] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
