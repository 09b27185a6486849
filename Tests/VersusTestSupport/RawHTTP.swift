import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 client over a real TCP socket, for tests. It sends the request
/// target exactly as given (no normalisation, so `/%2e%2e/` goes out as written),
/// and it can read a Server-Sent Events stream as it arrives.
public final class RawHTTP {
    public struct Response {
        public var status: Int
        public var headers: [String: String]   // lower-cased names
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    let fd: Int32
    var buffer: [UInt8] = []

    /// The socket is `self.fd` only once it is connected. A throw after every stored property
    /// is set still runs `deinit`, so closing a failed socket here and again there would close
    /// whatever descriptor another thread had opened in between under the same number (a CI
    /// run crashed in Foundation on such a stolen pipe while `MotoServer` polled for its port).
    public init(port: Int, host: String = "127.0.0.1") throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &addr.sin_addr)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { close(fd); throw Failure(description: "connect to \(host):\(port) failed") }
        self.fd = fd
    }

    deinit { close(fd) }

    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc_send(fd, $0.baseAddress! + sent, bytes.count - sent) }
            guard n > 0 else { throw Failure(description: "send failed") }
            sent += n
        }
    }

    /// Reads more bytes, waiting at most `timeout` seconds; false on timeout or close.
    func fill(timeout: Double) throws -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, Int32(timeout * 1000))
        if ready <= 0 { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        buffer += chunk[..<n]
        return true
    }

    /// Sends one request and reads its response.
    public func request(_ method: String, _ target: String, headers: [String: String] = [:], timeout: Double = 5) throws -> Response {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        try send(head + "\r\n")
        return try readResponse(bodyExpected: method != "HEAD", timeout: timeout)
    }

    func readResponse(bodyExpected: Bool, timeout: Double) throws -> Response {
        let deadline = Date().addingTimeInterval(timeout)
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = find([13, 10, 13, 10])
            if headerEnd == nil, !(try fill(timeout: max(0.01, deadline.timeIntervalSinceNow))) {
                throw Failure(description: "no complete response head")
            }
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        buffer.removeSubrange(..<(headerEnd! + 4))
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if bodyExpected && status != 304 && status != 204 {
            if let length = headers["content-length"].flatMap(Int.init) {
                while buffer.count < length {
                    guard try fill(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { throw Failure(description: "short body") }
                }
                body = Array(buffer[..<length])
                buffer.removeSubrange(..<length)
            } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
                while true {
                    while find([13, 10]) == nil { guard try fill(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { throw Failure(description: "short chunk") } }
                    let lineEnd = find([13, 10])!
                    let size = Int(String(decoding: buffer[..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                    buffer.removeSubrange(..<(lineEnd + 2))
                    while buffer.count < size + 2 { guard try fill(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { throw Failure(description: "short chunk") } }
                    body += buffer[..<size]
                    buffer.removeSubrange(..<(size + 2))
                    if size == 0 { break }
                }
            }
        }
        return Response(status: status, headers: headers, body: body)
    }

    func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for i in 0...(buffer.count - needle.count) where buffer[i] == needle[0] && Array(buffer[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    /// Opens an event stream: sends the request and reads the response head.
    public func openEvents(_ target: String) throws -> [String: String] {
        try send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        let deadline = Date().addingTimeInterval(5)
        while find([13, 10, 13, 10]) == nil {
            guard try fill(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { throw Failure(description: "no event stream head") }
        }
        let end = find([13, 10, 13, 10])!
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeSubrange(..<(end + 4))
        var headers: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n").dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return headers
    }

    /// Waits for the next event with this name (chunked framing is skipped over);
    /// returns its data, or nil after `timeout` seconds.
    public func nextEvent(named name: String, timeout: Double) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let text = String(decoding: buffer, as: UTF8.self)
            if let r = text.range(of: "event: \(name)\n") {
                let after = text[r.upperBound...]
                if let end = after.range(of: "\n\n") {
                    let data = after[..<end.lowerBound].split(separator: "\n")
                        .filter { $0.hasPrefix("data:") }.map { $0.dropFirst(5).trimmingCharacters(in: .whitespaces) }
                        .joined(separator: "\n")
                    let consumed = text.distance(from: text.startIndex, to: end.upperBound)
                    buffer.removeSubrange(..<min(buffer.count, Array(text.prefix(consumed).utf8).count))
                    return data
                }
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return nil }
            if !(try fill(timeout: left)) && deadline.timeIntervalSinceNow <= 0 { return nil }
        }
    }
}

/// Handed between threads by tests, one user at a time.
extension RawHTTP: @unchecked Sendable {}

extension RawHTTP {
    /// Whether the server has closed the connection, waiting at most `timeout` seconds for
    /// it to; whatever else arrives meanwhile is read and dropped.
    public func closedByPeer(within timeout: Double = 0) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(max(0, deadline.timeIntervalSinceNow) * 1000))
            if ready <= 0 { return false }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return true }
            if deadline.timeIntervalSinceNow <= 0 && n < chunk.count { return false }
        }
    }

    /// Sends bytes, reporting failure (the server closed the connection) as false.
    @discardableResult
    public func trySend(_ text: String) -> Bool { (try? send(text)) != nil }

    /// The bytes received so far and not yet consumed, as text (after `fill`).
    public func received(waiting timeout: Double) -> String {
        _ = try? fill(timeout: timeout)
        return String(decoding: buffer, as: UTF8.self)
    }
}

#if canImport(Glibc)
@inline(__always) private func Glibc_send(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Glibc.send(fd, p, n, Int32(MSG_NOSIGNAL)) }
#else
@inline(__always) private func Glibc_send(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Darwin.send(fd, p, n, 0) }
#endif
