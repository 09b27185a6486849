import Foundation
import Testing
@testable import VersusCore

/// The batches the build's stages run in (`Parallel.map`).
@Suite struct ParallelTests {
    /// Results come back in the input's order, whatever the count and the workers; batches are a
    /// few hundred items at most, and shrink towards the end to one item, so that no worker is
    /// left idle while another finishes a long one.
    @Test(arguments: [(0, 2), (1, 2), (7, 2), (8, 2), (9, 3), (12, 2), (100, 2), (1_000, 1), (10_007, 2), (10_007, 5)])
    func resultsKeepTheInputOrderAndBatchesShrinkAtTheEnd(_ count: Int, _ jobs: Int) async throws {
        final class Reports: @unchecked Sendable {
            let lock = NSLock()
            var done: [Int] = []
        }
        let reports = Reports()
        let out = try await Parallel.map(Array(0..<count), jobs: jobs, progress: { done in reports.lock.withLock { reports.done.append(done) } }) { $0 * 3 }
        #expect(out == (0..<count).map { $0 * 3 })
        let done = reports.lock.withLock { reports.done }
        guard count > 0 else { return }
        #expect(done.last == count)
        let batches = zip(done, [0] + done).map { $0 - $1 }
        #expect(batches.allSatisfy { $0 > 0 && $0 <= 250 }, "\(batches)")
        guard jobs > 1, count >= 8 else { return }
        // The last batches are single items; a few items are spread one or two to a batch.
        #expect(batches.min() == 1, "\(batches)")
        if count < 8 * jobs { #expect(batches.max()! <= 2, "\(batches)") }
    }
}
