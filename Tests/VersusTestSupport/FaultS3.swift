import Foundation

/// The misbehaving S3 stand-in (`Tests/fault-s3/fault_s3.py`), started on a free loopback
/// port in a given mode for one test and stopped after it. It exits by itself after
/// `maxSeconds` (a guard against a hung test, well past the slowest test's length on a
/// loaded machine: a publish cut after every upload runs for minutes in a debug build),
/// or as soon as the test process is gone.
public final class FaultS3: @unchecked Sendable {
    public let port: Int
    let process: Process

    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public static let script = repositoryRoot + "/Tests/fault-s3/fault_s3.py"

    /// Whether python3 is on the PATH. (A file check: test discovery must not start processes.)
    public static var available: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }

    public struct Stats: Sendable, Decodable {
        public var mode: String
        public var requests: Int
        public var puts: Int
        public var lists: Int
    }

    /// Starts a server, waiting for it on a thread of its own (so that the few threads
    /// Swift concurrency has on a small machine keep running the tests).
    /// A launch that fails in `Process.run` is tried again: corelibs-foundation's spawn can fail with
    /// EBADF when other threads of the test run close descriptors at that moment (a CI run saw it).
    public static func start(_ mode: String = "normal", maxSeconds: Int = 900) async throws -> FaultS3 {
        try await withCheckedThrowingContinuation { c in
            Thread.detachNewThread {
                c.resume(with: Result {
                    for _ in 0..<3 {
                        do { return try FaultS3(mode: mode, maxSeconds: maxSeconds) } catch let error as NSError
                            where error.domain == NSCocoaErrorDomain && error.code == CocoaError.fileReadUnknown.rawValue {
                            Thread.sleep(forTimeInterval: 0.1)
                        }
                    }
                    return try FaultS3(mode: mode, maxSeconds: maxSeconds)
                })
            }
        }
    }

    public init(mode: String = "normal", maxSeconds: Int = 900) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", FaultS3.script, "--mode", mode, "--max-seconds", String(maxSeconds)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The script prints its port on the first line once it listens.
        var line: [UInt8] = []
        while !line.contains(10) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let text = String(bytes: line, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw RawHTTP.Failure(description: "fault-s3 did not start (mode \(mode))")
        }
        self.port = port
    }

    deinit { stop() }

    /// Stops the server (SIGTERM ends it at once: it sets no handler). Not waited for:
    /// `Process` notices the exit late on Linux, and nothing needs the wait.
    public func stop() {
        if process.isRunning { process.terminate() }
    }

    /// Sends a control request (`mode=cut-after:3`, `save=v1`, `restore=v1`, both joined by
    /// `&`, or nothing) and returns the server's state.
    @discardableResult
    public func control(_ query: String = "") throws -> Stats {
        let target = "/__fault" + (query.isEmpty ? "" : "?" + query)
        let response = try RawHTTP(port: port).request("GET", target)
        return try JSONDecoder().decode(Stats.self, from: Data(response.body))
    }

    public func setMode(_ mode: String) throws { try control("mode=" + mode) }

    /// Every object in a bucket, with its bytes, read in one control request.
    public func objects(in bucket: String) throws -> [String: [UInt8]] {
        let response = try RawHTTP(port: port).request("GET", "/__fault?dump=" + bucket)
        let encoded = try JSONDecoder().decode([String: String].self, from: Data(response.body))
        return encoded.compactMapValues { Data(base64Encoded: $0).map { Array($0) } }
    }
}
