import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// moto's S3-compatible server (from PyPI), started on a free loopback port for a
/// test and stopped after it.
public final class MotoServer: @unchecked Sendable {
    public let port: Int
    let process: Process

    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Whether moto's server is installed: its `moto_server` script is on the PATH, beside
    /// the Python that has moto. (A file check: test discovery must not start processes.)
    public static var available: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/moto_server") }
    }

    /// One server for a whole test run (tests use separate buckets).
    public static let shared: MotoServer? = try? MotoServer()

    public init() throws {
        port = MotoServer.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // moto runs in a Python process that exits as soon as this test process is gone
        // (its parent changes), so a shared server never outlives the test run.
        process.arguments = ["python3", "-c", """
            import os, sys, threading, time
            from moto.server import main
            parent = os.getppid()
            def watch():
                while os.getppid() == parent:
                    time.sleep(0.5)
                os._exit(0)
            threading.Thread(target=watch, daemon=True).start()
            main(["-H", "127.0.0.1", "-p", "\(port)"])
            """]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until it accepts connections.
        for _ in 0..<200 {
            if (try? RawHTTP(port: port)) != nil { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw RawHTTP.Failure(description: "moto server did not start on port \(port)")
    }

    deinit { stop() }

    /// Stops the server. (`Process.waitUntilExit` can hang when called from a Swift
    /// concurrency thread on Linux, so this polls instead.)
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A port the OS says is free right now (nothing listens on it).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
