import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import Logging
import NIOCore
import NIOPosix
import VersusCore

/// `versus serve`: builds the site, serves the output folder over HTTP the way
/// the CDN will, watches the inputs, rebuilds what changed, and reloads open tabs.
public final class PreviewServer: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 8000
        public var project: Project
        /// Build options; `today` is read again for every rebuild.
        public var build: BuildOptions
        public var today: @Sendable () -> Day
        public var watch = true
        /// Quiet time after the last file event before a rebuild starts: long enough to
        /// gather an editor's save (a temporary file, a rename), short enough not to be felt.
        public var debounce: Duration = .milliseconds(40)
        /// One line per event worth telling the user about.
        public var log: @Sendable (String) -> Void
        /// Timeouts and caps for connections and event streams.
        public var limits = ServeLimits()
        /// During a long build, at most one progress line per this interval.
        public var progressEvery: Duration = .seconds(3)
        /// Log how long each step of each build took.
        public var timings = false

        public init(project: Project, build: BuildOptions, today: @escaping @Sendable () -> Day,
                    log: @escaping @Sendable (String) -> Void) {
            self.project = project
            self.build = build
            self.today = today
            self.log = log
        }
    }

    public let options: Options
    public let hub: ReloadHub
    let loop = BuildLoop()
    /// Keeps the build state in memory across rebuilds.
    let builder: ProjectBuilder
    /// Where builds run: `options.build.jobs` threads apart from the request handlers'.
    let buildThreads: BuildThreads
    /// The `_headers` and `_redirects` rules of the last good build.
    let rules = SiteRulesBox()
    /// Bodies read and compressed, per file version.
    let bodies = BodyCache()
    let connections: ConnectionRegistry

    public init(options: Options) {
        self.options = options
        hub = ReloadHub(maxStreams: options.limits.maxEventStreams)
        builder = ProjectBuilder(project: options.project)
        buildThreads = BuildThreads(count: options.build.jobs)
        connections = ConnectionRegistry(limit: options.limits.maxConnections)
    }

    deinit { buildThreads.shutdown() }

    /// Builds, then serves until the task is cancelled (or, with `signals`, until SIGINT/SIGTERM).
    /// `onStarted` gets the bound port (useful with port 0).
    public func run(signals: Bool = false, onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let log = options.log
        defer { buildThreads.shutdown() }
        // Watching starts before the first build: a file saved while it runs (seconds, on a large
        // site) is built after it, not missed until the next save.
        // The ledger too: it gives the pages' dates, and a `git pull` or `versus build` beside may change it.
        let watcher = Watcher(folders: [options.project.content, options.project.templates], files: [options.project.config, options.project.ledger]) {
            [loop] path in Task { await loop.poke(path) }
        }
        if options.watch { watcher.start() }
        defer { watcher.stop() }
        let started = await rebuild(reason: "start")
        let site = StaticSite(root: options.project.output, rules: rules, precompressed: options.build.compress != false, bodies: bodies,
                              inject: { LiveReload.inject($0) })
        let hub = self.hub
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await PreviewServer.respond(request, site: site, hub: hub)
        }
        var logger = Logger(label: "versus.serve")
        logger.logLevel = .error
        let limits = options.limits, connections = self.connections
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(registry: connections, limits: limits)])),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil, backlog: limits.backlog),
            onServerRunning: { channel in await onStarted(channel.localAddress?.port ?? 0) },
            logger: logger)

        try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                // On SIGINT or SIGTERM the services stop in reverse order: the event streams are
                // closed first, then the server stops once every response has ended. (Stopped by
                // itself, the server waited for the streams, which end only when their tab goes:
                // Ctrl-C did nothing while a tab was open.)
                let services = ServiceGroup(configuration: .init(services: [app, StreamsClosing(hub: hub)],
                                                                 gracefulShutdownSignals: signals ? [.sigterm, .sigint] : [], logger: logger))
                group.addTask { try await services.run() }
                group.addTask { [self] in
                    // A start with nothing to build read little: what an edit works from by delta
                    // is read now, while the site is served (3 s at 50,000 pages), so the first
                    // edit is as quick as the others.
                    // (After a start that failed, the next edit builds afresh: its errors are not told twice.)
                    if started, !builder.isPrepared { await rebuild(reason: "prepare", prepares: true) }
                    // Rebuild after a burst of file events has gone quiet.
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(20))
                        if let (reason, changed) = await loop.take(quiet: options.debounce) { await rebuild(reason: reason, changed: changed) }
                    }
                }
                group.addTask {
                    // Keep event streams alive through proxies, and find tabs that went away.
                    while !Task.isCancelled {
                        try await Task.sleep(for: limits.pingEvery)
                        await hub.ping()
                    }
                }
                // The server ends on a signal; then the rest stops too.
                _ = try await group.next()
                await hub.close()
                group.cancelAll()
            }
        } onCancel: {
            Task { await hub.close() }
        }
        log("stopped")
    }

    /// Builds (incrementally) on the build threads, prints progress while it lasts and one
    /// line at the end, takes the new site's rules, and tells open tabs.
    /// - Parameter changed: the files the watcher saw change (nil: unknown, or the first build).
    /// Returns whether the build succeeded.
    @discardableResult
    public func rebuild(reason: String, changed: [String]? = nil, prepares: Bool = false) async -> Bool {
        var build = options.build
        build.prepares = prepares
        build.today = options.today()
        // The preview never changes the project: the lastmod ledger is `versus build`'s to write.
        build.updateLedger = false
        let progress = BuildProgress(verb: reason == "start" ? "building" : prepares ? "preparing" : "rebuilding", every: options.progressEvery, log: options.log)
        let alsoTold = options.build.progress
        build.progress = { step, done, total in
            progress.report(step, done, total)
            alsoTold?(step, done, total)
        }
        // Open tabs reload as soon as the new output is in place, while the build store is
        // saved (at 50,000 pages that is about a third of an edit's rebuild).
        let told = Told()
        build.committed = { [rules, hub] committed in
            rules.replace(with: SiteRules(committed))
            told.set()
            let changed = committed.written + committed.removed
            Task { await hub.reload(changed: changed) }
        }
        let start = ContinuousClock.now
        do {
            let report = try await buildThreads.run { [builder, build] in try await builder.build(build, changed: changed) }
            let ms = Int((ContinuousClock.now - start) / .milliseconds(1))
            for d in report.diagnostics { options.log(d.description) }
            let what = reason == "start" ? "built \(report.pages) pages" : prepares ? "ready for edits" : "rebuilt after \(reason)"
            options.log("\(what): \(report.rendered) rendered, \(report.written.count) written, \(report.removed.count) removed in \(ms) ms")
            if options.timings {
                options.log(report.timings.map { "\($0.step) \(Int(($0.seconds * 1000).rounded())) ms" }.joined(separator: ", "))
            }
            // A build that switched nothing in (nothing to do) told neither: its rules are the site's.
            if !told.value {
                rules.replace(with: SiteRules(report))
                await hub.reload(changed: report.written + report.removed)
            }
            return true
        } catch let failed as BuildFailed {
            let text = failed.diagnostics.map(\.description).joined(separator: "\n")
            options.log(text)
            options.log("build failed (\(reason)): \(failed.description); still serving the last good site")
            await hub.failed(text)
            return false
        } catch {
            options.log("build failed (\(reason)): \(error); still serving the last good site")
            await hub.failed("\(error)")
            return false
        }
    }

    // MARK: HTTP

    static func respond(_ request: Request, site: StaticSite, hub: ReloadHub) async throws -> Response {
        let target = request.head.path ?? request.uri.string
        if target == LiveReload.eventsPath || target.hasPrefix(LiveReload.eventsPath + "?") {
            switch request.method {
            case .get: return await events(hub)
            // Headers only: a HEAD (a link checker, `curl -I`) opens no stream, which no ping would
            // ever find gone (it held a connection, and the server's shutdown, for good).
            case .head: return Response(status: .ok, headers: eventHeaders, body: ResponseBody { writer in try await writer.finish(nil) })
            default: return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
            }
        }
        if target == LiveReload.scriptPath {
            var h = HTTPFields()
            h[.contentType] = "text/javascript; charset=utf-8"
            h[.cacheControl] = "no-store"
            return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(string: LiveReload.script)))
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let reply = site.respond(method: request.method.rawValue, target: target, headers: headers)
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        let body: ResponseBody
        if let stream = reply.stream {
            // A large file, a chunk at a time: each read on NIO's thread pool (a slow disk never
            // holds up a thread of the pool that answers requests), each chunk sent before the next is read.
            body = ResponseBody(contentLength: stream.range.count) { writer in
                var offset = stream.range.lowerBound
                while offset < stream.range.upperBound {
                    let count = min(StaticSite.Stream.chunk, stream.range.upperBound - offset)
                    let at = offset
                    guard let bytes = try await NIOThreadPool.singleton.runIfActive({ stream.read(at, count) }) else {
                        // Cut short under us: the reply cannot be finished, so the connection is closed.
                        throw StreamCutShort(file: reply.file ?? target)
                    }
                    try await writer.write(ByteBuffer(bytes: bytes))
                    offset += count
                }
                try await writer.finish(nil)
            }
        } else if reply.body.isEmpty {
            // HEAD and 304 keep the Content-Length of the full reply.
            let length = Int(reply.header("Content-Length") ?? "0") ?? 0
            body = ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
        } else {
            body = ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body))
        }
        return Response(status: .init(code: reply.status), headers: fields, body: body)
    }

    /// A file found shorter while it was being sent.
    struct StreamCutShort: Error, CustomStringConvertible {
        let file: String
        var description: String { "\(file) got shorter while it was sent" }
    }

    /// Closes the live-reload streams when the server is asked to stop, before it stops.
    struct StreamsClosing: Service {
        let hub: ReloadHub
        func run() async throws {
            try? await gracefulShutdown()
            await hub.close()
        }
    }

    static var eventHeaders: HTTPFields {
        var h = HTTPFields()
        h[.contentType] = "text/event-stream; charset=utf-8"
        h[.cacheControl] = "no-store"
        return h
    }

    static func events(_ hub: ReloadHub) async -> Response {
        let stream = await hub.subscribe()
        return Response(status: .ok, headers: eventHeaders, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 500\n: connected\n\n"))
            for await event in stream {
                try await writer.write(ByteBuffer(string: event.wire))
            }
            try await writer.finish(nil)
        })
    }
}

/// Coalesces file events: the first event marks the loop dirty, and a rebuild
/// starts once no event has come for the quiet time.
actor BuildLoop {
    private var dirtySince: ContinuousClock.Instant?
    private var lastEvent: ContinuousClock.Instant?
    private var paths: [String] = []

    func poke(_ path: String) {
        let now = ContinuousClock.now
        if dirtySince == nil { dirtySince = now }
        lastEvent = now
        if !paths.contains(path) { paths.append(path) }
    }

    /// The reason to rebuild and the paths that changed (nil when the watcher lost track),
    /// once the burst is over (or has lasted over a second).
    func take(quiet: Duration) -> (reason: String, changed: [String]?)? {
        guard let since = dirtySince, let last = lastEvent else { return nil }
        let now = ContinuousClock.now
        guard now - last >= quiet || now - since >= .seconds(1) else { return nil }
        dirtySince = nil
        lastEvent = nil
        let changed = paths
        paths = []
        let names = changed.filter { $0 != Watcher.unknown }.map { ($0 as NSString).lastPathComponent }
        let reason = names.isEmpty ? "changes" : names.count <= 3 ? names.joined(separator: ", ")
            : "\(names.prefix(3).joined(separator: ", ")) and \(names.count - 3) more"
        return (reason, changed.contains(Watcher.unknown) ? nil : changed)
    }
}

extension ReloadHub {
    func ping() { broadcast(Event(name: "ping", data: "")) }
}

/// Whether a build has told its tabs to reload (set on a build thread, read after the build).
private final class Told: @unchecked Sendable {
    private let lock = NSLock()
    private var told = false
    func set() { lock.withLock { told = true } }
    var value: Bool { lock.withLock { told } }
}
