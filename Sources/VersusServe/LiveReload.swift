import Foundation
import VersusCore

/// Live reload over Server-Sent Events. Open tabs keep an `EventSource` on
/// `/_versus/livereload`; after a rebuild they get `reload` (with the paths that
/// changed), and after a failed build `build-error` (shown as an overlay until
/// the next good build sends `build-ok`). The script is added to served HTML
/// only; the files on disk never carry it.
public actor ReloadHub {
    public struct Event: Sendable, Equatable {
        public var name: String
        public var data: String

        /// The bytes of the event on the wire.
        public var wire: String {
            "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
        }
    }

    private var clients: [UUID: AsyncStream<Event>.Continuation] = [:]
    /// The open streams, oldest first.
    private var order: [UUID] = []
    /// The last build's error, sent to tabs that connect while it stands.
    public private(set) var currentError: String?
    public private(set) var generation = 0
    /// Streams open at once; a new one past this ends the oldest.
    public let maxStreams: Int

    public init(maxStreams: Int = ServeLimits().maxEventStreams) {
        self.maxStreams = max(1, maxStreams)
    }

    /// A stream of events for one tab; it ends when the tab goes away, when the server
    /// stops, or when `maxStreams` newer tabs have connected since.
    public func subscribe() -> AsyncStream<Event> {
        while clients.count >= maxStreams, let oldest = order.first {
            drop(oldest)?.finish()
        }
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(16))
        clients[id] = continuation
        order.append(id)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.drop(id) }
        }
        if let currentError { continuation.yield(Event(name: "build-error", data: currentError)) }
        return stream
    }

    @discardableResult
    private func drop(_ id: UUID) -> AsyncStream<Event>.Continuation? {
        order.removeAll { $0 == id }
        return clients.removeValue(forKey: id)
    }

    public var clientCount: Int { clients.count }

    /// After a good build: the changed site paths, and whether anything besides pages changed.
    public func reload(changed: [String]) {
        generation += 1
        let wasBroken = currentError != nil
        currentError = nil
        if wasBroken { send(Event(name: "build-ok", data: "")) }
        // Nothing on disk changed (a save of the same bytes, a fix back to the last good site):
        // no tab shows anything new, so none reloads (the client takes an empty list as "all").
        guard !changed.isEmpty else { return }
        let data = JSON.object([("generation", .int(generation)), ("changed", .strings(changed))]).serialized()
        send(Event(name: "reload", data: data))
    }

    public func failed(_ message: String) {
        currentError = message
        send(Event(name: "build-error", data: message))
    }

    func broadcast(_ event: Event) { send(event) }

    private func send(_ event: Event) {
        for c in clients.values { c.yield(event) }
    }

    /// Ends every open stream (the server is stopping).
    public func close() {
        for c in clients.values { c.finish() }
        clients = [:]
        order = []
    }
}

public enum LiveReload {
    public static let eventsPath = "/_versus/livereload"
    public static let scriptPath = "/_versus/livereload.js"

    /// Adds the script to a page, before `</body>` (or at the end).
    public static func inject(_ html: String) -> String {
        let tag = "<script src=\"\(scriptPath)\" defer></script>\n"
        if let r = html.range(of: "</body>", options: [.backwards, .caseInsensitive]) {
            return html.replacingCharacters(in: r.lowerBound..<r.lowerBound, with: tag)
        }
        return html + tag
    }

    /// The page's Content-Security-Policy, widened just enough for the preview's own
    /// script and event stream.
    public static func allowScript(in policy: String) -> String {
        var directives = policy.split(separator: ";").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        for (name, value) in [("script-src", "'self'"), ("connect-src", "'self'")] {
            if let i = directives.firstIndex(where: { $0.hasPrefix(name + " ") || $0 == name }) {
                if !directives[i].contains(value) { directives[i] = directives[i].replacingOccurrences(of: "'none'", with: "") + " " + value }
            } else {
                directives.append("\(name) \(value)")
            }
        }
        return directives.map { $0.replacingOccurrences(of: "  ", with: " ") }.joined(separator: "; ")
    }

    /// The client: reloads when its page (or a shared file such as the stylesheet) changed,
    /// shows build errors in an overlay (built with the DOM, never innerHTML).
    public static let script = #"""
    (function () {
      "use strict";
      var overlay = null;
      function here() {
        var p = location.pathname;
        return p.endsWith("/") ? p + "index.html" : p;
      }
      function showError(text) {
        if (!overlay) {
          overlay = document.createElement("div");
          overlay.id = "versus-build-error";
          var s = overlay.style;
          s.position = "fixed"; s.inset = "0"; s.zIndex = "2147483647"; s.overflow = "auto";
          s.background = "rgba(20,20,24,0.94)"; s.color = "#ffd7d7"; s.padding = "2rem";
          s.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"; s.whiteSpace = "pre-wrap";
          document.body.appendChild(overlay);
        }
        overlay.textContent = "Build failed; the last good version of this page is shown.\n\n" + text;
      }
      function hideError() { if (overlay) { overlay.remove(); overlay = null; } }
      var source = new EventSource("/_versus/livereload");
      source.addEventListener("build-error", function (e) { showError(e.data); });
      source.addEventListener("build-ok", hideError);
      source.addEventListener("reload", function (e) {
        var info = {}; try { info = JSON.parse(e.data); } catch (_) {}
        var changed = info.changed || [];
        var page = here();
        var reload = changed.length === 0 || changed.some(function (p) {
          return p === page || p.indexOf("/assets/") === 0;
        });
        if (reload) { location.reload(); }
      });
    })();
    """#
}
