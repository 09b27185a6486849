import Foundation
import Testing
import VersusCore
import VersusTestSupport
@testable import VersusServe

/// Timeouts and caps (issue 11 #10): stalled, forgotten and flooding connections are
/// closed in bounded time, and live reload keeps working for the tabs that remain.
extension ServeTests {
    /// Limits short enough for a test to watch them act.
    static func tight(_ options: inout PreviewServer.Options) {
        options.limits.requestTimeout = .milliseconds(500)
        options.limits.idleTimeout = .seconds(1)
        options.limits.pingEvery = .milliseconds(200)
    }

    /// Runs blocking socket work on a thread of its own, off the pool the server answers on.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result(catching: body)) }.start()
        }
    }

    @Test func theDefaultLimitsSuitALocalPreview() {
        let limits = ServeLimits()
        #expect(limits.requestTimeout <= .seconds(10))
        #expect(limits.idleTimeout <= .seconds(15))
        #expect((64...1024).contains(limits.maxConnections))
        #expect(limits.maxEventStreams < limits.maxConnections)
        #expect(limits.pingEvery <= .seconds(30))
    }

    @Test func slowRequestsAreCutOff() async throws {
        // A long idle timeout: what closes these must be the request timeout.
        let s = try await Running(["nomad.txt": Self.nomad]) {
            Self.tight(&$0)
            $0.limits.idleTimeout = .seconds(5)
            $0.limits.maxConnections = 1000
        }
        defer { Task { await s.stop() } }
        let port = s.port
        let (left, seconds) = try await Self.offThePool { () throws -> (Int, Double) in
            // 500 clients: most send a request head one byte at a time, some a body after a head.
            var clients: [RawHTTP] = []
            for i in 0..<500 {
                let c = try RawHTTP(port: port)
                c.trySend(i % 10 == 0
                    ? "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n"
                    : "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                clients.append(c)
            }
            let start = Date()
            var open = Set(clients.indices)
            while !open.isEmpty && Date().timeIntervalSince(start) < 6 {
                for i in open {
                    if clients[i].closedByPeer() { open.remove(i) } else { clients[i].trySend("a") }
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return (open.count, Date().timeIntervalSince(start))
        }
        // Every connection the server took is closed (it holds none of the slow ones)...
        let held = s.server.connections.count
        #expect(held <= 2, "the server still holds \(held) connections")
        // ...and so the clients see theirs closed, within the request timeout. A connection the
        // kernel dropped from a full accept queue stays open at the client's end while the
        // server never had it (see `idleConnectionsAndEventStreamFloodsDoNotPileUp`): known, and
        // not the server's to close.
        withKnownIssue("connections open only at the client's end, never accepted by the server", isIntermittent: true) {
            #expect(left == 0, "\(left) slow connections still open after \(seconds) s; the server holds \(held)")
            #expect(seconds < 2.5, "the slow connections took \(seconds) s to close (request timeout 0.5 s, idle timeout 5 s)")
        } when: { left > 0 && held <= 2 }
        #expect(try s.get("/").status == 200)
        #expect(s.server.connections.count <= 2)
    }

    @Test func idleConnectionsAndEventStreamFloodsDoNotPileUp() async throws {
        let s = try await Running(["nomad.txt": Self.nomad]) {
            Self.tight(&$0)
            $0.limits.maxConnections = 128
            $0.limits.maxEventStreams = 8
        }
        defer { Task { await s.stop() } }
        let port = s.port, registry = s.server.connections
        // 4,000 connections, opened from eight threads at once: every other one opens an event
        // stream, the rest send nothing.
        let flood = try await Self.offThePool { () throws -> Flood in
            let start = Date()
            let opening = Opening()
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                do {
                    var mine: [RawHTTP] = []
                    for i in 0..<500 {
                        let c = try RawHTTP(port: port)
                        if i % 2 == 1 { c.trySend("GET \(LiveReload.eventsPath) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n") }
                        mine.append(c)
                    }
                    opening.add(mine)
                } catch {
                    opening.fail(error)
                }
            }
            let clients = try opening.clients()
            let opened = Date().timeIntervalSince(start)
            // Until the server holds no more than the streams it keeps, and then until the
            // clients see no more than that open (or two seconds more have passed).
            var open = Set(clients.indices)
            let settle = Date()
            var settled: Date?
            while Date().timeIntervalSince(settle) < 20 {
                for i in open where clients[i].closedByPeer() { open.remove(i) }
                if settled == nil && registry.count <= 8 { settled = Date() }
                if let settled, open.count <= 8 || Date().timeIntervalSince(settled) >= 2 { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            let seconds = (settled ?? Date()).timeIntervalSince(settle), held = registry.count
            // What the clients still see open must be live event streams, still pinged...
            let live = open.filter { (try? clients[$0].nextEvent(named: "ping", timeout: 1)) != nil }
            // ...or a connection the server never had. In a flood the kernel's accept queue
            // overflows: Linux then drops the handshake's last ACK, and may give up on the
            // connection without a word to the client, which, having sent nothing, still sees
            // it open. A byte sent on it is answered with a reset, or lets the server take the
            // connection, whose request timeout then closes it: either way it closes.
            let others = open.subtracting(live)
            for i in others { clients[i].trySend("\r\n") }
            var strays = others
            let probed = Date()
            while !strays.isEmpty && Date().timeIntervalSince(probed) < 3 {
                for i in strays where clients[i].closedByPeer() { strays.remove(i) }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return Flood(opened: opened, seconds: seconds, held: held, live: live.count, unaccepted: others.count - strays.count,
                         strays: strays.count)
        }
        #expect(registry.peak <= 128, "\(registry.peak) connections were open at once")
        // Every connection the server took is closed but the streams it keeps, within the idle
        // timeout (1 s) of the flood's end, and the streams kept are live and no more than the cap.
        #expect(flood.held <= 8, "the server still holds \(flood.held) connections \(flood.seconds) s after \(flood.opened) s of opening 4,000")
        #expect(flood.seconds < 3 + 2 * flood.opened, "the flood took \(flood.seconds) s to clear (idle timeout 1 s) after \(flood.opened) s of opening")
        #expect(flood.live <= 8, "\(flood.live) live event streams, over the cap of 8")
        #expect(await s.server.hub.clientCount <= 8)
        // What the server never took is the kernel's: on a loaded machine (a compile beside the
        // tests) a few connections of the flood have stayed open at the client's end even after
        // a byte was sent on them, while the server held none of them (checked above). Known, and
        // not the server's to close; every connection the server took is checked above.
        withKnownIssue("connections open only at the client's end, never accepted by the server", isIntermittent: true) {
            #expect(flood.strays == 0, "\(flood.strays) connections still open without a stream, after a byte sent on each (\(flood.unaccepted) others closed then); the server held \(flood.held)")
        }
        #expect(try s.get("/").status == 200)
    }

    @Test func eventStreamsAreCappedOldestFirstAndKeepTheirPings() async throws {
        let s = try await Running(["nomad.txt": Self.nomad]) { Self.tight(&$0); $0.limits.maxEventStreams = 3 }
        defer { Task { await s.stop() } }
        var streams: [RawHTTP] = []
        for _ in 0..<5 {
            let c = try s.client()
            _ = try c.openEvents(LiveReload.eventsPath)
            streams.append(c)
        }
        #expect(await s.server.hub.clientCount == 3)
        let ends = try await Self.offThePool { [streams] in streams.prefix(2).map { $0.closedByPeer(within: 2.5) } }
        #expect(ends == [true, true], "the two oldest streams were not ended and closed")
        for c in streams.suffix(3) {
            #expect(try c.nextEvent(named: "ping", timeout: 1) != nil)
        }
        // The kept streams outlive the idle timeout, and still hear about rebuilds.
        try await Task.sleep(for: .milliseconds(1200))
        try s.site.write("content/nomad.txt", Self.nomad.replacingOccurrences(of: "very little ceremony", with: "barely any ceremony"))
        for c in streams.suffix(3) {
            #expect(try c.nextEvent(named: "reload", timeout: 3) != nil)
        }
    }
}

/// What a flood of connections left.
struct Flood: Sendable {
    /// Seconds to open the connections, and then for the server to close what it should.
    var opened: Double, seconds: Double
    /// Connections the server held then, and live event streams among what the clients saw open.
    var held: Int, live: Int
    /// Connections open only at the client's end, closed by a byte sent on them; and those still open after that.
    var unaccepted: Int, strays: Int
}

/// Connections opened from several threads.
final class Opening: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: [RawHTTP] = []
    private var failure: Error?

    func add(_ clients: [RawHTTP]) { lock.withLock { opened += clients } }
    func fail(_ error: Error) { lock.withLock { failure = error } }
    func clients() throws -> [RawHTTP] {
        try lock.withLock {
            if let failure { throw failure }
            return opened
        }
    }
}
