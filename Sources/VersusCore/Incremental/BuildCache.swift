import Foundation

/// What the last successful build knew, so the next one redoes only what changed.
///
/// Kept in `.versus/build-cache` beside the project (not in the output). It holds,
/// for each source, how it looked on disk and what it normalised to (a compact
/// summary, not the page), and for each output file, the key of everything that
/// went into it and its manifest entry. A build with `--clean`, a missing output
/// folder, or a cache from another version or output folder starts from scratch.
public struct BuildCache: Sendable {
    public static let version = 5

    public struct SourceRecord: Sendable {
        public var size: Int
        public var modified: Int64
        public var inode: UInt64
        /// SHA-256 of the source's bytes.
        public var bytesHash: String
        public var summary: PageSummary
        /// Warnings the source produced, shown again on every build.
        public var warnings: [Diagnostic]
    }

    public struct OutputRecord: Sendable {
        /// Digest of every input of the file (content, site context, templates, config).
        public var key: String
        public var entry: ManifestEntry
    }

    public var output: String
    /// Digest of every input of the build that wrote this cache: equal keys, equal output.
    public var buildKey = ""
    /// The settings the output's precompressed copies were made with (`br9 gz9`, or empty):
    /// copies made with other settings are made again.
    public var compression = ""
    public var sources: [String: SourceRecord] = [:]
    public var outputs: [String: OutputRecord] = [:]

    public init(output: String) {
        self.output = output
    }

    // MARK: Codec
    //
    // One record per line, fields separated by U+001F; lists inside a field by U+001E,
    // sub-fields by U+001D. Text fields never contain those (they are escaped).

    static let fieldSeparator: Character = "\u{1F}"
    static let listSeparator: Character = "\u{1E}"
    static let subSeparator: Character = "\u{1D}"

    static func unescape(_ s: Substring) -> String {
        guard s.contains("\\") else { return String(s) }
        var out = ""
        var escaping = false
        for c in s {
            if escaping {
                switch c {
                case "n": out.append("\n")
                case "f": out.append("\u{1F}")
                case "l": out.append("\u{1E}")
                case "s": out.append("\u{1D}")
                default: out.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func unlist(_ s: Substring) -> [String] {
        s.isEmpty ? [] : s.split(separator: listSeparator, omittingEmptySubsequences: false).map(unescape)
    }

    /// Written over UTF-8 bytes (tens of thousands of records in milliseconds).
    public func serialized() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(sources.count * 400 + outputs.count * 200)
        func text(_ s: String) {
            // Most fields need no escapes: copy them whole.
            let plain = s.utf8.withContiguousStorageIfAvailable { buffer -> Bool in
                for b in buffer where b == 92 || b == 10 || (b >= 0x1D && b <= 0x1F) { return false }
                out.append(contentsOf: buffer)
                return true
            }
            if plain == true { return }
            for b in s.utf8 {
                switch b {
                case 92: out += [92, 92]
                case 10: out += [92, UInt8(ascii: "n")]
                case 0x1F: out += [92, UInt8(ascii: "f")]
                case 0x1E: out += [92, UInt8(ascii: "l")]
                case 0x1D: out += [92, UInt8(ascii: "s")]
                default: out.append(b)
                }
            }
        }
        func field(_ s: String) { out.append(0x1F); text(s) }
        func list(_ items: [String], _ separator: UInt8 = 0x1E) {
            out.append(0x1F)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(separator) }
                text(item)
            }
        }
        out += Array("versus-build-cache".utf8)
        field(String(BuildCache.version))
        field(output)
        field(buildKey)
        field(compression)
        out.append(10)
        for path in sources.keys.sorted() {
            let r = sources[path]!
            let s = r.summary
            out.append(UInt8(ascii: "S"))
            field(path); field(String(r.size)); field(String(r.modified)); field(String(r.inode)); field(r.bytesHash)
            field(s.file); field(s.kind.rawValue); field(s.slug); field(s.title)
            list(s.subjects); field(s.description); list(s.alternateDescriptions)
            if let b = s.byline { list([b.text, b.name, b.role ?? ""], 0x1D) } else { out.append(0x1F) }
            field(s.date?.description ?? ""); field(s.updated?.description ?? ""); list(s.aliases)
            field(s.draft ? "1" : "0"); field(s.noindex ? "1" : "0"); field(s.contentHash)
            out.append(0x1F)
            for (i, d) in r.warnings.enumerated() {
                if i > 0 { out.append(0x1E) }
                text(d.file); out.append(0x1D); text(d.line.map(String.init) ?? ""); out.append(0x1D); text(d.message)
            }
            out.append(10)
        }
        for path in outputs.keys.sorted() {
            let r = outputs[path]!
            let e = r.entry
            out.append(UInt8(ascii: "O"))
            field(path); field(r.key); field(e.sha256); field(String(e.size)); field(e.contentType); field(e.cacheControl)
            out.append(0x1F)
            for (i, v) in e.variants.enumerated() {
                if i > 0 { out.append(0x1E) }
                text(v.encoding); out.append(0x1D); text(v.sha256); out.append(0x1D); text(String(v.size))
            }
            out.append(10)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a cache; nil when it is missing, unreadable, or from another version.
    /// Parsed over UTF-8 bytes, the source records and the output records at once
    /// (they are written in two runs): tens of thousands of records load in milliseconds.
    public static func parse(_ text: String) -> BuildCache? {
        var text = text
        return text.withUTF8 { bytes -> BuildCache? in
            let headerEnd = bytes.firstIndex(of: 10) ?? bytes.count
            var header = BuildCache(output: "")
            var noSources: [String: SourceRecord] = [:], noOutputs: [String: OutputRecord] = [:]
            guard parseRecords(bytes, 0..<headerEnd, header: &header, sources: &noSources, outputs: &noOutputs) else { return nil }
            // Where the output records begin.
            var split = Swift.min(headerEnd + 1, bytes.count)
            while split < bytes.count {
                if bytes[split] == UInt8(ascii: "O") { break }
                guard let end = bytes[split...].firstIndex(of: 10) else { split = bytes.count; break }
                split = end + 1
            }
            let results = ParsedHalves()
            let buffer = UnsafeSendable(bytes)
            let outputsStart = split
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                var ignored = BuildCache(output: "")
                var sources: [String: SourceRecord] = [:], outputs: [String: OutputRecord] = [:]
                let range = half == 0 ? Swift.min(headerEnd + 1, outputsStart)..<outputsStart : outputsStart..<buffer.value.count
                let ok = parseRecords(buffer.value, range, header: &ignored, sources: &sources, outputs: &outputs)
                results.store(half, ok: ok, sources: sources, outputs: outputs)
            }
            guard results.ok[0], results.ok[1] else { return nil }
            header.sources = results.sources
            header.outputs = results.outputs
            return header
        }
    }

    /// What the two halves of a parse found.
    private final class ParsedHalves: @unchecked Sendable {
        private let lock = NSLock()
        var ok = [false, false]
        var sources: [String: SourceRecord] = [:]
        var outputs: [String: OutputRecord] = [:]
        func store(_ half: Int, ok: Bool, sources: [String: SourceRecord], outputs: [String: OutputRecord]) {
            lock.withLock {
                self.ok[half] = ok
                if self.sources.isEmpty { self.sources = sources } else { self.sources.merge(sources) { a, _ in a } }
                if self.outputs.isEmpty { self.outputs = outputs } else { self.outputs.merge(outputs) { a, _ in a } }
            }
        }
    }

    /// Parses the records in `range` (the header line when `range` starts at 0). False on anything malformed.
    private static func parseRecords(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, header: inout BuildCache,
                                     sources: inout [String: SourceRecord], outputs: inout [String: OutputRecord]) -> Bool {
        var lineStart = range.lowerBound
        var fields: [Range<Int>] = []
        fields.reserveCapacity(24)
        func field(_ i: Int) -> String {
            let r = fields[i]
            let slice = UnsafeBufferPointer(rebasing: bytes[r])
            if !slice.contains(92) { return String(decoding: slice, as: UTF8.self) }
            return unescape(Substring(String(decoding: slice, as: UTF8.self)))
        }
        func raw(_ i: Int) -> Substring { Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[fields[i]]), as: UTF8.self)) }
        func int<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T? {
            var v: T = 0
            let r = fields[i]
            if r.isEmpty { return nil }
            for k in r {
                let c = bytes[k]
                guard c >= 48, c <= 57 else { return nil }
                v = v &* 10 &+ T(c - 48)
            }
            return v
        }
        while lineStart < range.upperBound {
            var lineEnd = lineStart
            while lineEnd < range.upperBound, bytes[lineEnd] != 10 { lineEnd += 1 }
            fields.removeAll(keepingCapacity: true)
            var start = lineStart
            for k in lineStart..<lineEnd where bytes[k] == 0x1F {
                fields.append(start..<k)
                start = k + 1
            }
            fields.append(start..<lineEnd)
            defer { lineStart = lineEnd + 1 }
            if lineEnd == lineStart { continue }
            if lineStart == 0 {
                guard fields.count == 5, raw(0) == "versus-build-cache", int(1, Int.self) == version else { return false }
                header = BuildCache(output: field(2))
                header.buildKey = field(3)
                header.compression = field(4)
                continue
            }
            let kind = bytes[fields[0].lowerBound]
            if kind == UInt8(ascii: "S"), fields.count == 21 {
                guard let size = int(2, Int.self), let modified = int(3, Int64.self), let inode = int(4, UInt64.self),
                      let kindValue = PageKind(rawValue: field(7)) else { return false }
                var byline: Byline?
                if !fields[13].isEmpty {
                    let b = raw(13).split(separator: subSeparator, omittingEmptySubsequences: false).map(unescape)
                    guard b.count == 3 else { return false }
                    byline = Byline(text: b[0], name: b[1], role: b[2].isEmpty ? nil : b[2])
                }
                let warnings: [Diagnostic] = fields[20].isEmpty ? [] : raw(20).split(separator: listSeparator).compactMap { w in
                    let p = w.split(separator: subSeparator, omittingEmptySubsequences: false).map(unescape)
                    return p.count == 3 ? Diagnostic.warning(p[0], line: Int(p[1]), p[2]) : nil
                }
                let path = field(1)
                let summary = PageSummary(
                    sourcePath: path, file: field(6), kind: kindValue, slug: field(8), title: field(9),
                    subjects: fields[10].isEmpty ? [] : unlist(raw(10)), description: field(11),
                    alternateDescriptions: fields[12].isEmpty ? [] : unlist(raw(12)), byline: byline,
                    date: fields[14].isEmpty ? nil : Day(field(14)), updated: fields[15].isEmpty ? nil : Day(field(15)),
                    aliases: fields[16].isEmpty ? [] : unlist(raw(16)), draft: field(17) == "1", noindex: field(18) == "1",
                    contentHash: field(19))
                sources[path] = SourceRecord(size: size, modified: modified, inode: inode, bytesHash: field(5),
                                              summary: summary, warnings: warnings)
            } else if kind == UInt8(ascii: "O"), fields.count == 8 {
                guard let size = int(4, Int.self) else { return false }
                let variants: [ManifestEntry.Variant] = fields[7].isEmpty ? [] : raw(7).split(separator: listSeparator).compactMap { v in
                    let p = v.split(separator: subSeparator)
                    guard p.count == 3, let n = Int(p[2]) else { return nil }
                    return ManifestEntry.Variant(encoding: String(p[0]), sha256: String(p[1]), size: n)
                }
                let path = field(1)
                outputs[path] = OutputRecord(key: field(2), entry: ManifestEntry(
                    path: path, sha256: field(3), size: size, contentType: field(5), cacheControl: field(6), variants: variants))
            } else {
                return false
            }
        }
        return true
    }
}
