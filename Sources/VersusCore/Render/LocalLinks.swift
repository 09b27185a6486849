import Foundation

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
        // An ASCII path's characters are its bytes.
        let slash = sourcePath.isASCIIText ? sourcePath.utf8.lastIndex(of: 47) : sourcePath.lastIndex(of: "/")
        guard let slash else { return "/" }
        return "/" + sourcePath[..<slash] + "/"
    }

    /// Rewrites every relative `href="…"` and `src="…"` value in `html`. One pass over the
    /// bytes; a page with no relative link (most pages) comes back as it was, uncopied.
    static func rebase(_ html: String, folder: String) -> String {
        var html = html
        return html.withUTF8 { bytes -> String? in
            var out: [UInt8] = []
            var copied = 0   // bytes of `html` already in `out`
            var i = 0
            let n = bytes.count
            // Most fragments have no link or image at all.
            while let start = valueStart(bytes, from: i) {
                var end = start
                while end < n && bytes[end] != UInt8(ascii: "\"") { end += 1 }
                let first = start < end ? bytes[start] : 0
                // Root-relative, fragment, query and empty values stay; the rest is checked in full.
                if first != 0 && first != UInt8(ascii: "/") && first != UInt8(ascii: "#") && first != UInt8(ascii: "?") {
                    let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    if isRelative(value) {
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<start]))
                        out.append(contentsOf: resolve(value, folder: folder).utf8)
                        copied = end
                    }
                }
                i = end
            }
            guard copied > 0 else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<n]))
            return String(decoding: out, as: UTF8.self)
        } ?? html
    }

    /// Where the value of the next ` href="` or ` src="` at or after `from` starts: each `=`
    /// (memchr; the spaces a scan for ` ` stops at are many more) is looked at.
    private static func valueStart(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let n = bytes.count
        var from = start
        while from < n, let hit = memchr(base + from, 61, n - from) {   // "="
            let p = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if p + 1 < n, bytes[p + 1] == 34 {   // `="`
                if p - 5 >= start, bytes[p - 5] == 32, bytes[p - 4] == 104, bytes[p - 3] == 114, bytes[p - 2] == 101, bytes[p - 1] == 102 { return p + 2 }   // " href"
                if p - 4 >= start, bytes[p - 4] == 32, bytes[p - 3] == 115, bytes[p - 2] == 114, bytes[p - 1] == 99 { return p + 2 }   // " src"
            }
            from = p + 1
        }
        return nil
    }

    /// `diagram.png` from `/guides/` → `/guides/diagram.png`; `../x.pdf` → `/x.pdf`.
    static func resolve(_ url: String, folder: String) -> String {
        guard isRelative(url) else { return url }
        let end = url.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? url.endIndex
        // The folder is the source's, as its files are named (`team notes`); the link, as cmark
        // wrote it into the HTML, is already a URL.
        var parts = SitePath.url(folder).split(separator: "/").map(String.init)
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
        // ("./" from the top folder is "/", never "//", which would name another host.)
        let kept = parts.filter { !$0.isEmpty }
        let path = "/" + kept.joined(separator: "/") + (trailing && !kept.isEmpty ? "/" : "")
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
