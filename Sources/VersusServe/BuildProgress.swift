import Foundation

/// Progress of a long build as plain lines (`rebuilding: rendered 1200/5000 pages`), fit
/// for a terminal, a pipe or a log file alike: the first once the build has run for
/// `every`, then at most one per `every`. A build shorter than that prints none.
final class BuildProgress: @unchecked Sendable {
    let verb: String
    let every: Duration
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var last = ContinuousClock.now

    init(verb: String, every: Duration, log: @escaping @Sendable (String) -> Void) {
        self.verb = verb
        self.every = every
        self.log = log
    }

    /// `BuildOptions.progress`: (step, done, total).
    func report(_ step: String, _ done: Int, _ total: Int) {
        let now = ContinuousClock.now
        let due = lock.withLock {
            guard now - last >= every else { return false }
            last = now
            return true
        }
        guard due else { return }
        log("\(verb): \(BuildProgress.describe(step, done, total))")
    }

    static func describe(_ step: String, _ done: Int, _ total: Int) -> String {
        switch step {
        case "normalise": "read \(done)/\(total) sources"
        case "render": "rendered \(done)/\(total) pages"
        default: "\(step) \(done)/\(total)"
        }
    }
}
