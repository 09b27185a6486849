import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An outside program a test needs (gzip, brotli, xmllint, wrk, python3 with moto). A
/// missing tool fails the test that needs it with what to install: `make test` installs
/// them all, so a skip would only hide a broken setup.
public enum Tool {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// The tool's full path on the PATH, or an error naming the package to install.
    public static func require(_ name: String, package: String) throws -> String {
        if name.hasPrefix("/") {
            if FileManager.default.isExecutableFile(atPath: name) { return name }
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        throw Missing(description: "this test needs \(name) (\(package)); `make test` installs it")
    }

    /// Runs a tool to completion and returns its exit status and what it wrote to stdout
    /// (and stderr, when `mergeErrors`). Output goes through a temporary file, not a
    /// `Pipe`: corelibs-foundation's pipe handles have closed descriptors that other
    /// threads had just opened, when tests run in parallel.
    public static func run(_ executable: String, _ arguments: [String], mergeErrors: Bool = false) throws -> (status: Int32, output: Data) {
        let file = NSTemporaryDirectory() + "versus-tool-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: file, contents: nil) else { throw Missing(description: "cannot create \(file)") }
        defer { unlink(file) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = mergeErrors ? handle : FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? handle.close()
            throw error
        }
        // Polls rather than `waitUntilExit`, which can hang on a Swift concurrency thread on Linux.
        while process.isRunning { usleep(10_000) }
        try handle.close()
        return (process.terminationStatus, try Data(contentsOf: URL(fileURLWithPath: file)))
    }
}
