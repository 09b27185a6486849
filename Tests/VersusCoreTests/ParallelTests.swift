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

/// Large lists sorted in two halves at once and merged (`Parallel.sorted`), as the manifest and
/// a commit's written files are.
@Suite struct ParallelSortTests {
    /// The order `sorted(by:)` gives, for lists below and above the size split in two, with
    /// items that sort to either half's end (the merge takes what is left of each half).
    @Test(arguments: [0, 1, 4_095, 4_096, 4_097, 20_011])
    func givesTheOrderOfSorted(_ count: Int) {
        // A shuffle that is the same on every run: a multiplicative step through the indices.
        let paths = (0..<count).map { i in "/page-\((i &* 7_919) % max(count, 1))/index.html" }
        #expect(Parallel.sorted(paths, by: <) == paths.sorted())
        let descending = Array(paths.sorted().reversed())
        #expect(Parallel.sorted(descending, by: <) == paths.sorted())
        #expect(Parallel.sorted(paths.sorted(), by: >) == descending)
    }
}

/// Files read whole from the disk (`FileIO.disk.read`), at the sizes around one read's end.
@Suite struct DiskReadTests {
    @Test(arguments: [0, 1, 4_095, 4_096, 65_537, 1_048_576])
    func readsEveryByteOfAFile(_ size: Int) throws {
        let folder = NSTemporaryDirectory() + "versus-read-\(size)-\(getpid())"
        try FileIO.disk.makeFolders(folder)
        defer { try? FileIO.disk.remove(folder) }
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try FileIO.disk.write(folder + "/file.txt", bytes)
        #expect(try FileIO.disk.read(folder + "/file.txt") == bytes)
        #expect(throws: FileIOError.self) { try FileIO.disk.read(folder) }
        #expect(throws: FileIOError.self) { try FileIO.disk.read(folder + "/missing.txt") }
    }
}
