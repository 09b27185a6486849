import Foundation

/// The threads `versus serve` builds on: one per job, apart from Swift's shared pool.
///
/// A build keeps every job busy with pages, and run on the shared pool (one thread per
/// core) it would leave no thread for the request handlers until a batch of pages ends.
/// Run here, through a task executor preference that the build's task groups inherit,
/// it can use every core while the operating system shares the cores with the threads
/// that answer requests.
final class BuildThreads: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0
    private var stopping = false

    init(count: Int) {
        for i in 0..<max(1, count) {
            let thread = Thread { [self] in work() }
            thread.name = "versus-build-\(i)"
            thread.start()
        }
    }

    /// Lets the threads end once the work given to them is done (they hold on to this
    /// object until then, so call it when the server stops).
    func shutdown() {
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    fileprivate func push(_ job: UnownedJob) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func take() -> UnownedJob? {
        condition.withLock {
            while next == jobs.count && !stopping { condition.wait() }
            guard next < jobs.count else { return nil }
            let job = jobs[next]
            next += 1
            if next == jobs.count || next >= 1024 {
                jobs.removeFirst(next)
                next = 0
            }
            return job
        }
    }

    private func work() {
        while let job = take() { run(job) }
    }

    private func run(_ job: UnownedJob) {
        if #available(macOS 15.0, *) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Runs `body` with its child tasks on these threads (on macOS before 15, where task
    /// executors do not exist, on the shared pool).
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if #available(macOS 15.0, *) {
            return try await withTaskExecutorPreference(self) { try await body() }
        }
        return try await body()
    }
}

@available(macOS 15.0, *)
extension BuildThreads: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        push(UnownedJob(job))
    }
}
