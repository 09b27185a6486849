import Foundation

extension Publisher.Progress: CustomStringConvertible {
    /// `uploading 1200/5000 files (34 MiB)`
    public var description: String { "uploading \(done)/\(total) files (\(Publisher.Progress.size(bytes)))" }

    static func size(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? "\(bytes / (1024 * 1024)) MiB" : "\(bytes / 1024) KiB"
    }
}

/// Shows upload progress without flooding: on a terminal one line redrawn at most ten
/// times a second; elsewhere (a CI log, a file) a plain line at most every `plainInterval`
/// seconds, and none at all for an upload shorter than that.
public final class UploadProgress: @unchecked Sendable {
    public static let plainInterval = 5.0
    static let terminalInterval = 0.1

    let interactive: Bool
    let write: @Sendable (String) -> Void
    let now: @Sendable () -> Double
    let lock = NSLock()
    var last: Double
    var shown = false

    /// `now` is a clock in seconds (injected by tests).
    public init(interactive: Bool, now: @escaping @Sendable () -> Double = UploadProgress.monotonic,
                write: @escaping @Sendable (String) -> Void) {
        self.interactive = interactive
        self.write = write
        self.now = now
        self.last = now()
    }

    public func update(_ p: Publisher.Progress) {
        let text: String? = lock.withLock {
            let t = now()
            let finished = p.done == p.total
            if interactive {
                guard t - last >= UploadProgress.terminalInterval || finished || !shown else { return nil }
                last = t
                shown = true
                return "\r\(p)\u{1B}[K"
            }
            guard t - last >= UploadProgress.plainInterval else { return nil }
            last = t
            shown = true
            return "\(p)\n"
        }
        if let text { write(text) }
    }

    /// Ends the terminal line, if one was drawn.
    public func finish() {
        let end = lock.withLock { interactive && shown }
        if end { write("\n") }
    }

    @Sendable public static func monotonic() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
