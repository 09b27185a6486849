import Foundation
import NIOCore
import NIOHTTPTypes

/// The preview server's limits. It serves one person's browser on this machine, so the
/// limits are tight enough that no number of stalled or forgotten connections can pile up,
/// and loose enough that a browser never meets them.
public struct ServeLimits: Sendable {
    /// From the first byte of a request to its last (the head and any body). A browser on
    /// this machine sends a request in well under a millisecond; a client trickling bytes
    /// is cut off here however often it sends one.
    public var requestTimeout: Duration = .seconds(5)
    /// A kept-alive connection with no request on it. Browsers reuse a connection within a
    /// page load and reopen one transparently after this.
    public var idleTimeout: Duration = .seconds(10)
    /// Connections open at once. A browser opens at most six per host, plus one event stream
    /// per tab; past the cap the oldest idle connection is closed (or the oldest one still
    /// sending its request), and a new one is refused only when every slot is busy answering.
    public var maxConnections = 256
    /// Connections the kernel may hold before the server takes them, so a burst of new
    /// connections waits a moment rather than having its SYNs dropped (a one-second retry).
    public var backlog = 1024
    /// Live-reload event streams open at once (one per tab); past the cap the oldest is ended.
    public var maxEventStreams = 32
    /// How often open event streams get a `ping`, which keeps them alive through proxies and
    /// finds tabs that went away.
    public var pingEvery: Duration = .seconds(15)

    public init() {}
}

/// Every open connection and what it is doing, so the cap can choose which to close.
final class ConnectionRegistry: @unchecked Sendable {
    enum Phase: Int, Comparable {
        /// Waiting for a request: the first to go when the cap is reached.
        case idle
        /// A request is arriving.
        case reading
        /// A response is being sent (an event stream stays here).
        case responding

        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    struct Entry {
        let channel: any Channel
        let number: Int
        var phase: Phase
    }

    let limit: Int
    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]
    private var opened = 0
    private var most = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// Connections open now, and the most that were ever open at once (for tests).
    var count: Int { lock.withLock { entries.count } }
    var peak: Int { lock.withLock { most } }

    /// Admits a new connection, closing the oldest idle one (else the oldest still reading)
    /// when at the cap; false when every slot is busy answering, and the new one must go.
    func open(_ channel: any Channel) -> Bool {
        var victim: (any Channel)?
        let admitted: Bool = lock.withLock {
            if entries.count >= limit {
                let candidates = entries.filter { $0.value.phase != .responding }
                guard let oldest = candidates.min(by: { ($0.value.phase, $0.value.number) < ($1.value.phase, $1.value.number) }) else {
                    return false
                }
                entries[oldest.key] = nil
                victim = oldest.value.channel
            }
            opened += 1
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, number: opened, phase: .idle)
            most = max(most, entries.count)
            return true
        }
        victim?.close(promise: nil)
        return admitted
    }

    func update(_ channel: any Channel, _ phase: Phase) {
        lock.withLock { entries[ObjectIdentifier(channel)]?.phase = phase }
    }

    func close(_ channel: any Channel) {
        lock.withLock { _ = entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

/// Watches one connection, after HTTP decoding: it enforces the request and idle timeouts
/// and registers the connection under the cap. Its `ByteWatcher`, at the front of the
/// pipeline, tells it when the first bytes of a request arrive (before they make a head).
///
/// A connection is idle (deadline: idle timeout), reading a request (deadline: request
/// timeout, from its first byte, not moved by later bytes), or answering (no deadline:
/// an event stream answers for as long as the tab is open). A response that ends before
/// its request's body has arrived leaves the connection reading.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let registry: ConnectionRegistry
    let limits: ServeLimits
    private var started = false
    private var requestOpen = false
    private var responsesOpen = 0
    private var phase = ConnectionRegistry.Phase.idle
    private var timer: Scheduled<Void>?

    init(registry: ConnectionRegistry, limits: ServeLimits) {
        self.registry = registry
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(ByteWatcher(self), position: .first)
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.close(context.channel)
        context.fireChannelInactive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard registry.open(context.channel) else {
            context.close(promise: nil)
            return
        }
        enter(.idle, context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestOpen = true
            responsesOpen += 1
            if phase != .reading { enter(.reading, context) }
        case .body:
            break
        case .end:
            requestOpen = false
            settle(context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            responsesOpen = max(0, responsesOpen - 1)
            settle(context)
        }
        context.write(data, promise: promise)
    }

    /// Bytes came in (from `ByteWatcher`): on an idle connection, a request has begun.
    func bytesArrived(_ context: ChannelHandlerContext) {
        if phase == .idle, started { enter(.reading, context) }
    }

    private func settle(_ context: ChannelHandlerContext) {
        if requestOpen { return }
        enter(responsesOpen > 0 ? .responding : .idle, context)
    }

    private func enter(_ next: ConnectionRegistry.Phase, _ context: ChannelHandlerContext) {
        phase = next
        registry.update(context.channel, next)
        timer?.cancel()
        timer = nil
        let limit: Duration
        switch next {
        case .idle: limit = limits.idleTimeout
        case .reading: limit = limits.requestTimeout
        case .responding: return
        }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: .now() + TimeAmount(limit)) { [weak self] in
            self?.timer = nil
            context.close(promise: nil)
        }
    }
}

/// The first handler of a connection's pipeline: sees every byte that arrives, before HTTP
/// decoding, and tells the guard.
final class ByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let guardian: ConnectionGuard
    private var guardContext: ChannelHandlerContext?

    init(_ guardian: ConnectionGuard) { self.guardian = guardian }

    func handlerAdded(context: ChannelHandlerContext) {
        guardContext = try? context.pipeline.syncOperations.context(handler: guardian)
    }

    func handlerRemoved(context: ChannelHandlerContext) { guardContext = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let guardContext { guardian.bytesArrived(guardContext) }
        context.fireChannelRead(data)
    }
}
