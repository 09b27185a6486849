import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How long publishing waits on the network, and how often it tries again. With the
/// defaults an endpoint that cannot be reached (closed port, dropped packets) or that
/// never answers is given up on within 30 s, and no request, however slowly it is
/// answered, runs past `requestTimeout`.
public struct NetworkLimits: Sendable, Hashable {
    /// Time to open a connection (TCP, and TLS for https).
    public var connectTimeout: Duration = .seconds(5)
    /// Time one request may take, from sending it to the last byte of the answer.
    public var requestTimeout: Duration = .seconds(30)
    /// Time without a byte from the server (once the request is sent), or taken by the
    /// server (while sending), before a request is given up.
    public var idleTimeout: Duration = .seconds(6)
    /// How many more times a request that failed transiently is sent.
    public var retries = 3
    /// The wait before the first retry; each later one doubles, up to `maxBackoff`.
    public var backoff: Duration = .milliseconds(500)
    public var maxBackoff: Duration = .seconds(8)

    public init() {}

    /// The defaults with what is given (seconds and a count, from flags or versus.yml) in
    /// their place; a value out of range is an error naming its option.
    public init(timeout: Double?, connectTimeout: Double?, idleTimeout: Double?, retries: Int?) throws {
        for (option, value, field) in [("timeout", timeout, \NetworkLimits.requestTimeout),
                                       ("connect-timeout", connectTimeout, \.connectTimeout),
                                       ("idle-timeout", idleTimeout, \.idleTimeout)] {
            guard let value else { continue }
            guard value >= 0.001, value <= 86_400 else { throw Invalid(description: "--\(option) must be from 0.001 to 86400 seconds") }
            self[keyPath: field] = .milliseconds(Int64((value * 1000).rounded()))
        }
        if let retries {
            guard (0...20).contains(retries) else { throw Invalid(description: "--retries must be from 0 to 20") }
            self.retries = retries
        }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// The longest wait before retry `n` (1 for the first): `backoff`·2ⁿ⁻¹, capped at `maxBackoff`.
    public func backoffCeiling(retry n: Int) -> Duration {
        min(maxBackoff, backoff * (1 << min(max(0, n - 1), 30)))
    }

    /// `30 s`, `0.5 s`.
    public static func text(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }

    /// The wait before retry `n`: between half the ceiling and the ceiling, at random, so
    /// uploads that failed together do not all come back together.
    func delay(retry n: Int) -> Duration {
        let ceiling = backoffCeiling(retry: n)
        return ceiling / 2 + ceiling / 2 * Double.random(in: 0...1)
    }
}

/// A request that failed for good: what was being done, why, and after how many attempts.
public struct NetworkFailure: Error, CustomStringConvertible, Sendable {
    public enum Reason: Sendable, Equatable {
        /// The server answered with an error status (from S3 with an error code and message).
        case status(Int, code: String?, message: String?)
        case connectTimeout(Duration)
        case idleTimeout(Duration)
        case requestTimeout(Duration)
        /// The connection could not be made, or was lost.
        case connection(String)
        /// The answer makes no sense (a listing that would never end, unreadable XML).
        case badResponse(String)
    }

    /// What was being done: `PUT www/index.html`, `ListObjectsV2 s3://bucket/www/`.
    public var operation: String
    public var reason: Reason
    /// How many times the request was sent.
    public var attempts = 1
    /// The server it was sent to (`host:port`).
    public var server: String?

    public init(_ operation: String, _ reason: Reason) {
        self.operation = operation
        self.reason = reason
    }

    public var status: Int? {
        if case .status(let status, _, _) = reason { return status }
        return nil
    }

    /// S3's error code (`AccessDenied`, `SlowDown`…), when the server gave one.
    public var code: String? {
        if case .status(_, let code, _) = reason { return code }
        return nil
    }

    /// S3 error codes worth another try whatever their status (S3 answers a request
    /// whose body stalled with 400 RequestTimeout).
    static let transientCodes: Set<String> = ["SlowDown", "RequestTimeout", "Throttling", "ThrottlingException",
                                              "RequestLimitExceeded", "InternalError", "ServiceUnavailable"]

    /// Whether trying again may help: network trouble, timeouts, 5xx, 429 and throttling
    /// codes. Everything else (403, 404, 400…) fails at once.
    public var isTransient: Bool {
        switch reason {
        case .status(let status, let code, _):
            return status >= 500 || status == 429 || code.map(NetworkFailure.transientCodes.contains) == true
        case .connectTimeout, .idleTimeout, .requestTimeout, .connection:
            return true
        case .badResponse:
            return false
        }
    }

    public var description: String {
        let why: String
        switch reason {
        case .status(let status, let code, let message):
            let detail = [code, message].compactMap { $0 }.joined(separator: ": ")
            why = "HTTP \(status)" + (detail.isEmpty ? "" : " \(detail)")
        case .connectTimeout(let limit): why = "no connection\(server.map { " to " + $0 } ?? "") within \(NetworkLimits.text(limit)) (connect timeout)"
        case .idleTimeout(let limit): why = "the connection was idle for \(NetworkLimits.text(limit)) (idle timeout)"
        case .requestTimeout(let limit): why = "no complete answer within \(NetworkLimits.text(limit)) (request timeout)"
        case .connection(let text), .badResponse(let text): why = text
        }
        return "\(operation): \(why)" + (attempts > 1 ? " (gave up after \(attempts) attempts)" : "")
    }
}

/// Sends HTTP requests under `NetworkLimits`: each attempt under a deadline that covers the
/// whole answer (body included), transient failures tried again after a growing, jittered wait.
struct Transport: Sendable {
    let limits: NetworkLimits
    let http: HTTPClient

    init(limits: NetworkLimits) {
        self.limits = limits
        self.http = Transport.client(for: limits)
    }

    struct Response: Sendable {
        var status: Int
        /// Lower-cased names.
        var headers: [String: String]
        var body: [UInt8]
        var reasonPhrase: String
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are spent. Each
    /// attempt gets `requestTimeout`; it throws a `NetworkFailure` for an answer it rejects.
    /// `server` (`host:port`) is named when it cannot be reached.
    func run<T: Sendable>(_ operation: String, server: String,
                          _ attempt: @escaping @Sendable () async throws -> T) async throws -> T {
        var tries = 0
        while true {
            tries += 1
            do {
                return try await withDeadline(limits.requestTimeout, attempt)
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                var failure = classify(error, operation, server: server)
                failure.attempts = tries
                failure.server = server
                guard failure.isTransient, tries <= limits.retries else { throw failure }
                try await Task.sleep(for: limits.delay(retry: tries))
            }
        }
    }

    /// One exchange: the request, then the whole answer (its body unless `readBody` is false).
    func exchange(_ request: HTTPClientRequest, readBody: Bool = true) async throws -> Response {
        let response = try await http.execute(request, deadline: .now() + TimeAmount(limits.requestTimeout))
        let body = readBody ? try await response.body.collect(upTo: Transport.maxBody) : ByteBuffer()
        var headers: [String: String] = [:]
        for h in response.headers { headers[h.name.lowercased()] = h.value }
        return Response(status: Int(response.status.code), headers: headers, body: Array(body.readableBytesView),
                        reasonPhrase: response.status.reasonPhrase)
    }

    /// The largest answer read (a manifest of a very large site is tens of MiB).
    static let maxBody = 256 * 1024 * 1024

    /// `body`, or a `RequestDeadline` once `limit` has passed, whatever `body` is waiting on
    /// (async-http-client's own deadline ends when the headers arrive, not the body).
    func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let value = try await group.next()! else { throw RequestDeadline() }
            return value
        }
    }

    struct RequestDeadline: Error {}

    /// Any error from an attempt as a `NetworkFailure`.
    func classify(_ error: Error, _ operation: String, server: String) -> NetworkFailure {
        if var failure = error as? NetworkFailure {
            failure.operation = operation
            return failure
        }
        if error is RequestDeadline { return NetworkFailure(operation, .requestTimeout(limits.requestTimeout)) }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return NetworkFailure(operation, .connectTimeout(limits.connectTimeout))
            case .remoteConnectionClosed: return NetworkFailure(operation, .connection("\(server) closed the connection"))
            case .readTimeout, .writeTimeout: return NetworkFailure(operation, .idleTimeout(limits.idleTimeout))
            case .deadlineExceeded: return NetworkFailure(operation, .requestTimeout(limits.requestTimeout))
            default: return NetworkFailure(operation, .connection("the connection to \(server) failed: \(e)"))
            }
        }
        if case ChannelError.connectTimeout = error { return NetworkFailure(operation, .connectTimeout(limits.connectTimeout)) }
        if let e = error as? IOError, "\(e)".hasPrefix("connect") {
            return NetworkFailure(operation, .connection("cannot connect to \(server): \(Transport.plain(e))"))
        }
        if error is NIOTooManyBytesError {
            return NetworkFailure(operation, .badResponse("the answer is larger than \(Transport.maxBody / 1024 / 1024) MiB"))
        }
        return NetworkFailure(operation, .connection("the connection to \(server) failed: \(Transport.plain(error))"))
    }

    /// "Connection refused" rather than "connect(descriptor:addr:size:): Connection refused (errno: 111)".
    static func plain(_ error: Error) -> String {
        if let e = error as? IOError { return String(cString: strerror(e.errnoCode)) }
        if case ChannelError.connectTimeout = error { return "timed out" }
        return "\(error)"
    }

    // MARK: Clients

    /// One HTTP client per set of timeouts, kept for the life of the process (as
    /// `HTTPClient.shared` is), so connections are reused across calls.
    static func client(for limits: NetworkLimits) -> HTTPClient {
        let key = [limits.connectTimeout, limits.idleTimeout]
        return clients.lock.withLock {
            if let c = clients.byKey[key] { return c }
            var config = HTTPClient.Configuration()
            config.timeout = .init(connect: TimeAmount(limits.connectTimeout), read: TimeAmount(limits.idleTimeout),
                                   write: TimeAmount(limits.idleTimeout))
            // A failed connection fails the request at once; `run` decides about retrying.
            config.connectionPool.retryConnectionEstablishment = false
            // A redirect from S3 (wrong region or endpoint) is an error to report, not to follow unsigned.
            config.redirectConfiguration = .disallow
            let c = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
            clients.byKey[key] = c
            return c
        }
    }

    final class Clients: @unchecked Sendable {
        let lock = NSLock()
        var byKey: [[Duration]: HTTPClient] = [:]
    }
    static let clients = Clients()
}

extension TimeAmount {
    init(_ d: Duration) {
        let (seconds, atto) = d.components
        self = .nanoseconds(seconds * 1_000_000_000 + atto / 1_000_000_000)
    }
}
