import Foundation
import Testing
import VersusCore
import VersusTestSupport
@testable import VersusPublish

/// Publishing against a misbehaving S3 (`Tests/fault-s3/fault_s3.py`): every fault ends in
/// a clear failure, or in success after retries, within a bounded time. The limits are
/// short here so that the whole suite takes seconds; its tests run one at a time, so
/// that their time bounds measure the publisher, not the other tests.
@Suite(.serialized)
struct FaultTests {
    static let credentials = SigV4.Credentials(accessKey: "testing", secretKey: "testing")

    /// Short limits: a fault costs about a second per attempt.
    static func limits(request: Double = 2, idle: Double = 1, connect: Double = 1, retries: Int = 2) -> NetworkLimits {
        var l = NetworkLimits()
        l.requestTimeout = .milliseconds(Int64(request * 1000))
        l.idleTimeout = .milliseconds(Int64(idle * 1000))
        l.connectTimeout = .milliseconds(Int64(connect * 1000))
        l.retries = retries
        l.backoff = .milliseconds(50)
        l.maxBackoff = .milliseconds(200)
        return l
    }

    /// A built one-page site and a stand-in in `mode`.
    struct World {
        let server: FaultS3
        let site: FixtureSite
        let client: S3Client
        let target: Publisher.Target

        init(_ mode: String, limits: NetworkLimits = FaultTests.limits(), endpoint: URL? = nil) async throws {
            server = try await FaultS3.start(mode)
            site = try FixtureSite(["nomad.txt": nomadSource + "\n"])
            try await site.build()
            let url = endpoint ?? server.endpoint
            client = S3Client(endpoint: url, region: "us-east-1", bucket: "site", credentials: FaultTests.credentials, limits: limits)
            target = Publisher.Target(endpoint: url, region: "us-east-1", bucket: "site")
        }

        func publish() async throws -> Publisher.Report {
            let o = Publisher.Options(output: site.root + "/output", origin: "https://fixture.example.com",
                                      purgeList: site.root + "/purge.txt", indexNowFile: site.root + "/indexnow.json")
            return try await Publisher.publish(o, client: client, target: target)
        }

        /// The publish's failure and how long it took to come.
        func failingPublish() async -> (failure: NetworkFailure?, seconds: Double) {
            let start = ContinuousClock.now
            var failure: NetworkFailure?
            do { _ = try await publish() } catch { failure = error as? NetworkFailure }
            return (failure, Publisher.seconds(since: start))
        }
    }

    @Test func normalModeIsEnoughForAPublish() async throws {
        let w = try await World("normal")
        let first = try await w.publish()
        #expect(!first.plan.uploads.isEmpty)
        let again = try await w.publish()
        #expect(again.plan.uploads.isEmpty)
        #expect(try await w.client.get(key: "index.html") == (try FileIO.disk.read(w.site.root + "/output/index.html")))
    }

    @Test func aSlowDripBodyIsCutByTheRequestDeadline() async throws {
        // One byte a second never trips a 3 s idle timeout: only the 2 s deadline ends it.
        let w = try await World("slow-drip", limits: FaultTests.limits(request: 2, idle: 3, retries: 1))
        let (failure, seconds) = await w.failingPublish()
        let f = try #require(failure)
        #expect(f.reason == .requestTimeout(.seconds(2)))
        #expect(f.attempts == 2)
        #expect(f.description.contains("ListObjectsV2 s3://site/"))
        #expect(f.description.contains("no complete answer within 2 s (request timeout)"))
        #expect(seconds >= 3.9 && seconds < 20, "\(seconds) s")
    }

    @Test func aServerThatNeverAnswersIsGivenUpOn() async throws {
        let idle = try await World("hang", limits: FaultTests.limits(request: 10, idle: 1, retries: 1))
        let (byIdle, idleSeconds) = await idle.failingPublish()
        #expect(byIdle?.reason == .idleTimeout(.seconds(1)))
        #expect(byIdle?.attempts == 2)
        #expect(idleSeconds < 14, "\(idleSeconds) s")
        // With no idle timeout to speak of, the request deadline still ends it.
        let deadline = try await World("hang", limits: FaultTests.limits(request: 1, idle: 30, retries: 1))
        let (byDeadline, deadlineSeconds) = await deadline.failingPublish()
        #expect(byDeadline?.reason == .requestTimeout(.seconds(1)))
        #expect(deadlineSeconds < 14, "\(deadlineSeconds) s")
    }

    @Test func aBlackholedEndpointFailsAtTheConnectTimeout() async throws {
        let w = try await World("blackhole", limits: FaultTests.limits(connect: 1, retries: 1))
        let (failure, seconds) = await w.failingPublish()
        #expect(failure?.reason == .connectTimeout(.seconds(1)))
        #expect(failure?.description == "ListObjectsV2 s3://site/: no connection to 127.0.0.1:\(w.server.port) within 1 s (connect timeout) (gave up after 2 attempts)")
        #expect(seconds >= 1.9 && seconds < 16, "\(seconds) s")
    }

    @Test func aClosedPortFailsFastWithTheDefaults() async throws {
        // A port nothing listens on: the default limits, not the test's short ones.
        let closed = URL(string: "http://127.0.0.1:\(MotoServer.freePort())")!
        let w = try await World("normal", limits: NetworkLimits(), endpoint: closed)
        let (failure, seconds) = await w.failingPublish()
        let f = try #require(failure)
        #expect(f.reason == .connection("cannot connect to \(closed.host!):\(closed.port!): Connection refused"), "\(f)")
        #expect(f.attempts == NetworkLimits().retries + 1)
        #expect(seconds < 20, "\(seconds) s")
    }

    @Test func theDefaultsGiveUpOnADeadEndpointWithinHalfAMinute() {
        // Every attempt ends at the connect timeout (dropped packets) or the idle timeout
        // (a server that never answers), and the waits between attempts are bounded.
        let d = NetworkLimits()
        let attempts = d.retries + 1
        var worst = max(d.connectTimeout, d.idleTimeout) * attempts
        for retry in 1..<attempts { worst += d.backoffCeiling(retry: retry) }
        #expect(worst <= .seconds(30), "\(worst)")
        // And the waits grow, with jitter between half the ceiling and the ceiling.
        #expect(d.backoffCeiling(retry: 1) == .milliseconds(500))
        #expect(d.backoffCeiling(retry: 2) == .seconds(1))
        #expect(d.backoffCeiling(retry: 10) == d.maxBackoff)
        for _ in 0..<100 {
            let wait = d.delay(retry: 3)
            #expect(wait >= .seconds(1) && wait <= .seconds(2))
        }
    }

    @Test func aRepeatedContinuationTokenIsAnError() async throws {
        let w = try await World("repeat-token")
        let (failure, seconds) = await w.failingPublish()
        let f = try #require(failure)
        #expect(f.description.contains("repeats continuation token 'again'"), "\(f)")
        #expect(f.attempts == 1)
        #expect(try w.server.control().lists == 2)
        #expect(seconds < 10, "\(seconds) s")
    }

    @Test func aTruncatedListingWithoutAToken() async throws {
        let w = try await World("empty-token")
        let (failure, seconds) = await w.failingPublish()
        #expect(failure?.description.contains("truncated but gives no continuation token") == true, "\(String(describing: failure))")
        #expect(try w.server.control().lists == 1)
        #expect(seconds < 10, "\(seconds) s")
    }

    @Test func serverErrorsAreRetriedUntilTheyPass() async throws {
        let w = try await World("fail:500:InternalError:2", limits: FaultTests.limits(retries: 2))
        let start = ContinuousClock.now
        let report = try await w.publish()
        #expect(!report.plan.uploads.isEmpty)
        #expect(try w.server.control().requests > 2)
        #expect(Publisher.seconds(since: start) < 12)
    }

    @Test func serverErrorsThatDoNotPassFailAfterTheRetries() async throws {
        let w = try await World("fail:500:InternalError", limits: FaultTests.limits(retries: 2))
        let (failure, seconds) = await w.failingPublish()
        let f = try #require(failure)
        #expect(f.status == 500 && f.code == "InternalError")
        #expect(f.attempts == 3)
        #expect(try w.server.control().requests == 3)
        #expect(seconds < 12, "\(seconds) s")
    }

    @Test func slowDownIsRetriedWithBackoff() async throws {
        let passing = try await World("fail:503:SlowDown:3", limits: FaultTests.limits(retries: 3))
        _ = try await passing.publish()
        let failing = try await World("fail:503:SlowDown", limits: FaultTests.limits(retries: 3))
        let (failure, seconds) = await failing.failingPublish()
        let f = try #require(failure)
        #expect(f.description == "ListObjectsV2 s3://site/: HTTP 503 SlowDown: Please reduce your request rate. (gave up after 4 attempts)")
        #expect(f.isTransient)
        #expect(try failing.server.control().requests == 4)
        // Three waits of at least half their ceiling: 25 + 50 + 100 ms.
        #expect(seconds >= 0.17 && seconds < 12, "\(seconds) s")
    }

    @Test func accessDeniedFailsAtOnce() async throws {
        let w = try await World("fail:403:AccessDenied", limits: FaultTests.limits(retries: 4))
        let (failure, seconds) = await w.failingPublish()
        let f = try #require(failure)
        #expect(f.description == "ListObjectsV2 s3://site/: HTTP 403 AccessDenied: Access Denied")
        #expect(!f.isTransient && f.attempts == 1)
        #expect(try w.server.control().requests == 1)
        #expect(seconds < 8, "\(seconds) s")
        // A refused upload names its key.
        let put = try await World("cut-after:0")
        let (refused, _) = await put.failingPublish()
        #expect(refused?.description.hasPrefix("PUT assets/") == true, "\(String(describing: refused))")
        #expect(refused?.description.hasSuffix(": HTTP 403 AccessDenied: Access Denied") == true)
    }

    @Test func otherClientErrorsAreNotRetried() async throws {
        let w = try await World("fail:400:InvalidArgument")
        let (failure, _) = await w.failingPublish()
        #expect(failure?.status == 400 && failure?.attempts == 1)
        #expect(try w.server.control().requests == 1)
    }
}

/// The `versus` the last build made, beside the test bundle.
let versusBinary: String? = {
    let beside = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("versus").path
    return [beside, repositoryRoot + "/.build/debug/versus"].compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// `versus publish` itself: its flags and versus.yml keys reach the client, and a failure
/// is one clear message and exit status 1.
@Suite(.serialized)
struct CommandLineTests {
    /// Runs `versus publish` in a built fixture site; its exit status, standard error and time.
    func publish(config: String, _ arguments: [String]) async throws -> (status: Int32, stderr: String, seconds: Double) {
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n"], config: "base_url: \"https://fixture.example.com\"\n" + config)
        try await site.build()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(versusBinary, "build versus first (`swift build`)"))
        process.arguments = ["publish", "--root", site.root] + arguments
        process.environment = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "PATH": "/usr/bin:/bin"]
        let stderr = site.root + "/stderr.txt"
        FileManager.default.createFile(atPath: stderr, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        process.standardOutput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        // Waiting blocks a thread: not one of the few that run the tests.
        await withCheckedContinuation { c in Thread.detachNewThread { process.waitUntilExit(); c.resume() } }
        return (process.terminationStatus, try String(contentsOfFile: stderr, encoding: .utf8), Publisher.seconds(since: start))
    }

    @Test func limitsComeFromFlagsOverVersusYml() async throws {
        let server = try await FaultS3.start("slow-drip")
        let run = try await publish(config: "publish: { endpoint: \"\(server.endpoint.absoluteString)\", bucket: site, timeout: 60, retries: 1, idle_timeout: 5 }\n",
                                    ["--timeout", "1"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: ListObjectsV2 s3://site/: no complete answer within 1 s (request timeout) (gave up after 2 attempts)\n"), "\(run.stderr)")
        #expect(run.stderr.contains("hint: --timeout"))
        #expect(run.seconds < 16, "\(run.seconds) s")
    }

    @Test func aClosedPortIsOneClearError() async throws {
        let run = try await publish(config: "", ["--endpoint", "http://127.0.0.1:\(MotoServer.freePort())", "--bucket", "site", "--retries", "1"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: ListObjectsV2 s3://site/: cannot connect to 127.0.0.1:"), "\(run.stderr)")
        #expect(run.stderr.contains(": Connection refused (gave up after 2 attempts)\nhint: check --endpoint"))
        #expect(run.stderr.contains("(gave up after 2 attempts)"))
        #expect(run.seconds < 16, "\(run.seconds) s")
    }

    /// `versus serve` stops on Ctrl-C (SIGINT) while a tab holds the live-reload stream open (it
    /// kept serving: the server waited for the stream to end, which it does only when the tab
    /// goes); HEAD on the stream's URL answers headers and opens no stream, and other methods
    /// are refused (a HEAD held a connection, and the shutdown, for good).
    @Test func serveStopsOnControlCWithATabOpen() async throws {
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n"], config: "base_url: \"https://fixture.example.com\"\n")
        let port = MotoServer.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(versusBinary, "build versus first (`swift build`)"))
        process.arguments = ["serve", "--root", site.root, "--port", String(port)]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var tab: RawHTTP?
        for _ in 0..<200 where tab == nil {
            try await Task.sleep(for: .milliseconds(50))
            tab = try? RawHTTP(port: port)
        }
        let events = try #require(tab, "serve did not start")
        #expect(try events.openEvents("/_versus/livereload")["content-type"]?.hasPrefix("text/event-stream") == true)
        let head = try RawHTTP(port: port).request("HEAD", "/_versus/livereload")
        #expect(head.status == 200 && head.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(try RawHTTP(port: port).request("POST", "/_versus/livereload").status == 405)
        kill(process.processIdentifier, SIGINT)
        let stopped = await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            Thread.detachNewThread {
                let deadline = Date().addingTimeInterval(30)
                while process.isRunning && Date() < deadline { usleep(20_000) }
                c.resume(returning: !process.isRunning)
            }
        }
        #expect(stopped, "versus serve still runs after SIGINT with a tab open")
        if stopped { #expect(process.terminationStatus == 0) }
    }

    @Test func badLimitsAreRefused() async throws {
        let run = try await publish(config: "", ["--endpoint", "http://127.0.0.1:9", "--bucket", "site", "--timeout", "0"])
        #expect(run.status != 0 && run.stderr.contains("--timeout must be from 0.001 to 86400 seconds"), "\(run.stderr)")
    }
}

/// The command line's network options and their config keys.
@Suite struct PublishSettingsTests {
    @Test func versusYmlKeys() throws {
        let (config, diagnostics) = SiteConfig.parse("""
            publish: { timeout: 45, connect_timeout: 2.5, idle_timeout: 7, retries: 4 }
            """, file: "versus.yml")
        #expect(diagnostics.isEmpty)
        #expect(config.publish.timeout == 45)
        #expect(config.publish.connectTimeout == 2.5)
        #expect(config.publish.idleTimeout == 7)
        #expect(config.publish.retries == 4)
        let (_, bad) = SiteConfig.parse("publish: { timeout: 0, retries: -1, idle_timeout: soon }\n", file: "versus.yml")
        #expect(bad.count == 3)
        // Ranges are the publisher's, for flags and keys alike.
        #expect(throws: NetworkLimits.Invalid.self) { try NetworkLimits(timeout: nil, connectTimeout: nil, idleTimeout: nil, retries: 99) }
        #expect(throws: NetworkLimits.Invalid.self) { try NetworkLimits(timeout: 100_000, connectTimeout: nil, idleTimeout: nil, retries: nil) }
        let given = try NetworkLimits(timeout: 45, connectTimeout: 2.5, idleTimeout: nil, retries: 0)
        #expect(given.requestTimeout == .seconds(45) && given.connectTimeout == .milliseconds(2500))
        #expect(given.idleTimeout == NetworkLimits().idleTimeout && given.retries == 0)
    }

    /// A folder in the bucket is used as written: one of empty, '.' or '..' folders is refused.
    /// The purge list's URLs are URLs (a file name with a space is percent-encoded).
    @Test func aPrefixIsFoldersAndPurgedURLsAreEncoded() {
        for bad in ["a/../b", "x//y", "./x", "a\\b"] { #expect(Publisher.Target.prefixProblem(bad) != nil, "\(bad)") }
        for good in ["", "site", "/site/", "site/en"] { #expect(Publisher.Target.prefixProblem(good) == nil, "\(good)") }
        let item = Publisher.Item(key: "files/na me.json", file: "/files/na me.json", sitePath: "/files/na me.json", sha256: "", size: 1,
                                  headers: [:], phase: .assets)
        let plan = Publisher.Plan(uploads: [item], skipped: [], deletes: [], strays: [])
        #expect(Publisher.changedURLs(plan, origin: "https://ex.test", prefix: "") == ["https://ex.test/files/na%20me.json"])
    }

    @Test func progressNeverFloodsALog() {
        final class Sink: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
            var time = 0.0
        }
        let sink = Sink()
        let plain = UploadProgress(interactive: false, now: { sink.lock.withLock { sink.time } }) { line in
            sink.lock.withLock { sink.lines.append(line) }
        }
        // 5,000 files over 60 s, one every 12 ms.
        for done in 1...5000 {
            sink.lock.withLock { sink.time = Double(done) * 0.012 }
            plain.update(.init(done: done, total: 5000, bytes: done * 7000))
        }
        plain.finish()
        #expect((10...12).contains(sink.lines.count), "\(sink.lines.count)")
        #expect(sink.lines.first == "uploading 417/5000 files (2 MiB)\n")
        #expect(sink.lines.allSatisfy { $0.hasPrefix("uploading ") && $0.hasSuffix(")\n") })
        // A short upload prints nothing.
        sink.lines = []
        sink.time = 0
        let short = UploadProgress(interactive: false, now: { sink.lock.withLock { sink.time } }) { line in
            sink.lock.withLock { sink.lines.append(line) }
        }
        for done in 1...100 { sink.time = Double(done) * 0.01; short.update(.init(done: done, total: 100, bytes: done)) }
        #expect(sink.lines.isEmpty)
    }
}
