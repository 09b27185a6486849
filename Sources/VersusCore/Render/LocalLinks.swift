/// Relative links in a page's HTML, made root-relative from the folder of the page's source.
///
/// A file beside the content is published at its path (`content/guides/diagram.png` →
/// `/guides/diagram.png`), but the page is one folder deeper than its source
/// (`content/guides/sso.md` → `/guides/sso/`). So `![](diagram.png)`, written the way an
/// editor previews it, is rewritten to `/guides/diagram.png`: links and images lead on the
/// site where they lead beside the source. Absolute URLs, root-relative paths, `#fragments`,
/// `?queries` and other schemes (`mailto:`) are left as they are.
enum LocalLinks {
    /// `guides/sso.md` → `/guides/`; `x.md` → `/`.
    static func folder(of sourcePath: String) -> String {
        guard let slash = sourcePath.lastIndex(of: "/") else { return "/" }
        return "/" + sourcePath[..<slash] + "/"
    }

    /// Rewrites every relative `href="…"` and `src="…"` value in `html`.
    static func rebase(_ html: String, folder: String) -> String {
        guard html.contains("href=\"") || html.contains("src=\"") else { return html }
        var out = ""
        out.reserveCapacity(html.utf8.count + 64)
        var rest = Substring(html)
        while let attribute = nextAttribute(in: rest) {
            out += rest[..<attribute.lowerBound]
            let valueEnd = rest[attribute.upperBound...].firstIndex(of: "\"") ?? rest.endIndex
            let value = String(rest[attribute.upperBound..<valueEnd])
            out += rest[attribute]
            out += resolve(value, folder: folder)
            rest = rest[valueEnd...]
        }
        out += rest
        return out
    }

    /// The next ` href="` or ` src="` (the range ends where the value starts).
    private static func nextAttribute(in s: Substring) -> Range<Substring.Index>? {
        let href = s.range(of: " href=\""), src = s.range(of: " src=\"")
        switch (href, src) {
        case let (h?, r?): return h.lowerBound < r.lowerBound ? h : r
        case let (h?, nil): return h
        case let (nil, r?): return r
        default: return nil
        }
    }

    /// `diagram.png` from `/guides/` → `/guides/diagram.png`; `../x.pdf` → `/x.pdf`.
    static func resolve(_ url: String, folder: String) -> String {
        guard isRelative(url) else { return url }
        let end = url.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? url.endIndex
        var parts = folder.split(separator: "/").map(String.init)
        let segments = url[..<end].split(separator: "/", omittingEmptySubsequences: false)
        for (i, segment) in segments.enumerated() {
            switch segment {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            case "" where i < segments.count - 1: continue
            default: parts.append(String(segment))
            }
        }
        let trailing = url[..<end].hasSuffix("/") || url[..<end].hasSuffix("/.") || url[..<end].hasSuffix("/..") || url[..<end] == "." || url[..<end] == ".."
        let path = "/" + parts.filter { !$0.isEmpty }.joined(separator: "/") + (trailing && !parts.isEmpty ? "/" : "")
        return path + url[end...]
    }

    static func isRelative(_ url: String) -> Bool {
        guard let first = url.first, first != "/", first != "#", first != "?" else { return false }
        // A scheme: letters, then letters, digits, `+`, `-` or `.`, then `:` before any `/`.
        if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/"),
           url[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) {
            return false
        }
        return true
    }
}
