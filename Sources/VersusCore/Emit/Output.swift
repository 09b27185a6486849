import Foundation
import Crypto

/// One file of the output, as the deploy manifest lists it.
public struct ManifestEntry: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
    public struct Variant: Sendable, Hashable, Codable, BinaryWritable, BinaryReadable {
        public var encoding: ContentEncoding
        public var sha256: String
        public var size: Int

        func writeBinary(to e: BinaryEncoder) {
            e.str(encoding.rawValue)
            e.str(sha256)
            e.int(Int64(size))
        }
    }
    /// Site path (`/kubernetes-vs-stripe/index.html`).
    public var path: String
    public var sha256: String
    public var size: Int
    public var contentType: String
    public var cacheControl: String
    public var variants: [Variant]
    /// For an alias stub: the path it redirects to.
    public var redirect: String? = nil

    func writeBinary(to e: BinaryEncoder) throws {
        e.str(path)
        e.str(sha256)
        e.int(Int64(size))
        e.str(contentType)
        e.str(cacheControl)
        try e.value(variants)
        try e.optional(redirect)
    }

    /// The files the entry stands for in the output: the file, then each precompressed copy
    /// (the file's path and the encoding's suffix). Walked in place, with no list made.
    public var files: Files { Files(entry: self) }

    public struct Files: Sequence {
        let entry: ManifestEntry
        public struct Iterator: IteratorProtocol {
            let entry: ManifestEntry
            var at = -1
            public mutating func next() -> (path: String, sha256: String, size: Int)? {
                defer { at += 1 }
                if at < 0 { return (entry.path, entry.sha256, entry.size) }
                guard at < entry.variants.count else { return nil }
                let v = entry.variants[at]
                return (entry.path + v.encoding.suffix, v.sha256, v.size)
            }
        }
        public func makeIterator() -> Iterator { Iterator(entry: entry) }
    }
}

/// The deploy manifest: every published path with its digest and headers.
public enum Manifest {
    public static let path = "/versus-manifest.json"

    public static func json(_ entries: [ManifestEntry]) -> String {
        String(decoding: bytes(entries), as: UTF8.self)
    }

    /// The manifest's bytes, written straight into one buffer (a site of 100,000 files has a
    /// manifest of about 25 MB): pretty-printed JSON, two spaces an indent.
    public static func bytes(_ entries: [ManifestEntry]) -> [UInt8] {
        bytes(sorted: entries.indices.sorted { entries[$0].path < entries[$1].path }.map { entries[$0] })
    }

    /// The manifest of entries already in path order. The entries are written in slices on
    /// every core and joined (the same bytes as one pass).
    static func bytes(sorted entries: [ManifestEntry]) -> [UInt8] { written(sorted: entries).bytes }

    /// The manifest of entries in path order, and where each entry starts (`entryStarts`).
    static func written(sorted entries: [ManifestEntry]) -> (bytes: [UInt8], starts: [Int]) {
        var out: [UInt8] = []
        var starts: [Int] = []
        func text(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        text("{\n  \"version\": 1,\n  \"generator\": \"versus\",\n  \"files\": ")
        if entries.isEmpty { text("[]") } else {
            text("[")
            let parts = Parallel.runs(entries.count, size: 4096) { run in
                var starts: [Int] = []
                starts.reserveCapacity(run.count)
                return (entryBytes(entries[run], first: run.lowerBound == 0, starts: &starts), starts)
            }
            out.reserveCapacity(64 + parts.reduce(0) { $0 + $1.0.count })
            starts.reserveCapacity(entries.count)
            for (part, at) in parts {
                let base = out.count
                for start in at { starts.append(base + start) }
                out += part
            }
            text("\n  ]")
        }
        text("\n}\n")
        return (out, starts)
    }

    /// The closing of the manifest, after its last entry.
    private static let close: [UInt8] = Array("\n  ]\n}\n".utf8)

    /// Where each entry of a manifest's bytes starts (its line's line break), when the bytes
    /// hold `count` entries as `bytes(sorted:)` writes them (nil: they do not): found by
    /// reading the bytes, or kept with them by a process that wrote them (`Kept`). Each entry
    /// opens a line of its own at four spaces (`\n    {`); a string never holds a line break
    /// (it is written `\n`), and nothing else opens a line that way.
    static func entryStarts(_ bytes: [UInt8], count: Int) -> [Int]? {
        let open: [UInt8] = Array("\n    {".utf8)
        guard bytes.count > close.count, bytes.suffix(close.count).elementsEqual(close) else { return nil }
        var starts: [Int] = []
        starts.reserveCapacity(count)
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            var i = 0
            while let at = ByteText.offset(of: 10, in: b, from: i) {
                if at + open.count <= b.count, memcmp(base + at, open, open.count) == 0 { starts.append(at) }
                i = at + 1
            }
        }
        guard starts.count == count, let first = starts.first, first > 0, bytes[first - 1] == 91,
              starts.dropFirst().allSatisfy({ bytes[$0 - 1] == 44 }) else { return nil }
        return starts
    }

    /// The span of entry `k`, with the comma before it, in a manifest of `total` bytes whose
    /// entries start at `starts`.
    static func entrySpan(_ k: Int, starts: [Int], in total: Int) -> Range<Int> {
        (k == 0 ? starts[0] : starts[k] - 1)..<(k + 1 < starts.count ? starts[k + 1] - 1 : total - close.count)
    }

    /// A manifest's bytes as a process wrote them, where its entries start, and the digests of
    /// its runs: its next build patches them without reading the file back, looking for the
    /// entries again or hashing the runs it did not write into.
    public struct Kept: Sendable {
        public internal(set) var bytes: [UInt8]
        let starts: [Int]
        let digest: Digested
    }

    /// Entries per run of the manifest's digest (`digest`).
    static let digestRun = 512

    /// The manifest's digest, which names the build (the marker of `OutputTree`) and stands for
    /// the manifest's bytes in the output records: SHA-256 over the SHA-256 of each run of
    /// `digestRun` entries (the first run with the bytes before it, the last with those after
    /// it). The same bytes give the same digest however it was worked out; a patch hashes
    /// again only the runs it wrote into, where a digest of the whole file would read every
    /// byte of it (about 11 ms at 50,000 pages) for each one-page edit.
    struct Digested: Sendable {
        let id: String
        let runs: [[UInt8]]
    }

    /// The digest of manifest `bytes` whose entries start at `starts`, taking the runs not in
    /// `touched` from `last` (same entries, same runs).
    static func digest(_ bytes: [UInt8], starts: [Int], last: Digested? = nil, touched: Set<Int> = []) -> Digested {
        let count = max(1, (starts.count + digestRun - 1) / digestRun)
        let reuse = last.flatMap { $0.runs.count == count ? $0.runs : nil }
        var runs: [[UInt8]] = []
        runs.reserveCapacity(count)
        bytes.withUnsafeBytes { all in
            for k in 0..<count {
                if let reuse, !touched.contains(k) { runs.append(reuse[k]); continue }
                let from = k == 0 ? 0 : starts[k * digestRun]
                let to = k + 1 < count ? starts[(k + 1) * digestRun] : all.count
                runs.append(Array(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: all[from..<to]))))
            }
        }
        var whole = SHA256()
        for run in runs { whole.update(data: run) }
        return Digested(id: Digest.hex(Array(whole.finalize())), runs: runs)
    }

    /// The JSON of a run of entries, each after a comma but the site's first.
    static func entryBytes(_ entries: ArraySlice<ManifestEntry>, first: Bool) -> [UInt8] {
        var starts: [Int] = []
        return entryBytes(entries, first: first, starts: &starts)
    }

    /// The JSON of a run of entries, and where each starts in it (its line break).
    static func entryBytes(_ entries: ArraySlice<ManifestEntry>, first: Bool, starts: inout [Int]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 320)
        func text(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        func number(_ n: Int) {
            guard n > 0 else { out += String(n).utf8; return }
            let start = out.count
            var n = n
            while n > 0 { out.append(UInt8(48 + n % 10)); n /= 10 }
            out[start...].reverse()
        }
        func field(_ indent: StaticString, _ name: StaticString, string value: String?, last: Bool = false) {
            text(indent); text(name)
            if let value { JSON.quote(value, into: &out) } else { text("null") }
            if !last { text(",") }
        }
        for (i, e) in zip(entries.indices, entries) {
            let opensSite = first && i == entries.startIndex
            starts.append(opensSite ? out.count : out.count + 1)
            text(opensSite ? "\n    {" : ",\n    {")
            field("\n      ", "\"path\": ", string: e.path)
            field("\n      ", "\"sha256\": ", string: e.sha256)
            text("\n      \"size\": "); number(e.size); text(",")
            field("\n      ", "\"content_type\": ", string: e.contentType)
            field("\n      ", "\"cache_control\": ", string: e.cacheControl)
            field("\n      ", "\"redirect\": ", string: e.redirect)
            text("\n      \"encodings\": ")
            if e.variants.isEmpty { text("[]") } else {
                text("[")
                for (j, v) in e.variants.enumerated() {
                    text(j == 0 ? "\n        {" : ",\n        {")
                    field("\n          ", "\"encoding\": ", string: v.encoding.rawValue)
                    field("\n          ", "\"sha256\": ", string: v.sha256)
                    text("\n          \"size\": "); number(v.size)
                    text("\n        }")
                }
                text("\n      ]")
            }
            text("\n    }")
        }
        return out
    }

    /// Reads a manifest back (for publishing and incremental builds).
    public static func parse(_ bytes: [UInt8]) -> [ManifestEntry]? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let files = root["files"] as? [[String: Any]] else { return nil }
        return files.compactMap { f in
            guard let path = f["path"] as? String, let sha = f["sha256"] as? String, let size = f["size"] as? Int,
                  let type = f["content_type"] as? String, let cache = f["cache_control"] as? String else { return nil }
            let variants = (f["encodings"] as? [[String: Any]] ?? []).compactMap { v -> ManifestEntry.Variant? in
                guard let e = (v["encoding"] as? String).flatMap(ContentEncoding.init(rawValue:)), let s = v["sha256"] as? String,
                      let n = v["size"] as? Int else { return nil }
                return .init(encoding: e, sha256: s, size: n)
            }
            return ManifestEntry(path: path, sha256: sha, size: size, contentType: type, cacheControl: cache, variants: variants,
                                 redirect: f["redirect"] as? String)
        }
    }
}

// `BinaryReadable` in extensions, so that the types keep their memberwise initializers.
extension ManifestEntry.Variant {
    init(binary d: BinaryDecoder) throws {
        self.init(encoding: try d.rawValue(ContentEncoding.self), sha256: try d.str(), size: Int(try d.int()))
    }
}

extension ManifestEntry {
    init(binary d: BinaryDecoder) throws {
        self.init(path: try d.str(), sha256: try d.str(), size: Int(try d.int()), contentType: try d.str(), cacheControl: try d.str(),
                  variants: try d.value([Variant].self), redirect: try d.optional(String.self))
    }
}

/// The encodings a file can be precompressed in: one definition of their names and suffixes.
public enum ContentEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    case br
    case gzip

    /// `index.html` → `index.html.br`.
    public var suffix: String { self == .gzip ? ".gz" : ".br" }
}

/// The output stage's sink: each file of the build goes through here into the spare
/// output tree, with its precompressed copies and its manifest entry, and the tree is
/// swapped in at the end (`OutputTree`).
///
/// A file comes with the key of everything that went into it. When the last build
/// wrote the same path under the same key and the live tree still holds it, the file
/// is kept without being made again.
public final class OutputWriter: @unchecked Sendable {
    public let tree: OutputTree
    let config: SiteConfig
    let compress: Bool
    /// The last build's files: key and manifest entry by path.
    let previous: OutputRecords
    private let lock = NSLock()
    /// This build's files; after `keepAll`, only those made or kept since (the rest are the
    /// last build's, `previous`: copying that map whole on the first write would cost as much
    /// as the rest of a one-page edit's commit).
    private var records: [String: BuildStore.OutputRecord] = [:]
    private var keptAll = false
    /// Paths whose record differs from the last build's (new, changed or made again).
    private var changed: Set<String> = []
    private var made = 0

    /// The last manifest, when the caller kept it (`versus serve`, which trusts the files it
    /// wrote): a patch starts from it instead of reading the file back.
    private var lastManifest: Manifest.Kept?

    public init(tree: OutputTree, config: SiteConfig, compress: Bool, previous: OutputRecords, lastManifest: Manifest.Kept? = nil) {
        self.tree = tree
        self.config = config
        self.compress = compress
        self.previous = previous
        self.lastManifest = lastManifest
        records.reserveCapacity(previous.count)
    }

    /// Makes the folders of files the build will write, ahead of them (`OutputTree.prepareFolders`).
    public func prepareFolders(for paths: [String]) { tree.prepareFolders(for: paths) }

    /// Puts one file in place: kept when `key` matches the last build's, else made by `make`.
    /// Returns whether it was made.
    @discardableResult
    public func file(_ path: String, key: String?, _ make: () throws -> [UInt8]) throws -> Bool {
        if let key, try keep(path, key: key) { return false }
        try write(path, try make(), key: key ?? "")
        return true
    }

    /// Keeps the last build's file at `path` when it was made from the input `key` names and
    /// is still in `output/` as it was written. Returns whether it was kept.
    public func keep(_ path: String, key: String) throws -> Bool {
        guard let old = previous[path], old.key == key, liveHas(old.entry) else { return false }
        for file in old.entry.files { try tree.keep(file.path) }
        lock.withLock { records[path] = old }
        return true
    }

    /// Whether `keepAll` kept every file of the last build.
    var didKeepAll: Bool { lock.withLock { keptAll } }

    /// Keeps every file of the last build as it is, all at once, for a build that then makes
    /// only what changed: a file it makes or keeps again replaces the one kept here. Only for
    /// a build whose files are the last build's paths (`Memo.remade`).
    /// Returns false, keeping nothing, when the live tree is not known to be the last build's.
    public func keepAll() throws -> Bool {
        guard try tree.keepAll() else { return false }
        lock.withLock { keptAll = true }
        return true
    }

    func liveHas(_ entry: ManifestEntry) -> Bool {
        entry.files.allSatisfy { tree.liveHas($0.path, digest: $0.sha256) }
    }

    /// Writes one file (a site path such as `/x/index.html`) and its precompressed copies.
    /// - Parameter sha256: the bytes' digest, when the caller has it.
    public func write(_ path: String, _ bytes: [UInt8], key: String = "", redirect: String? = nil, sha256: String? = nil) throws {
        let sha = sha256 ?? Digest.sha256(bytes)
        let contentType = ContentType.of(path), cacheControl = Headers.cacheControl(for: path, config: config)
        var variants: [ManifestEntry.Variant] = []
        let compression = wantsVariants(path, bytes.count) ? Compress.settings(config) : ""
        if let old = previous[path], old.entry.sha256 == sha, old.entry.contentType == contentType,
           old.entry.cacheControl == cacheControl, old.entry.redirect == redirect, old.compression == compression, liveHas(old.entry) {
            // The same bytes as the last build's: keep the file and its copies.
            for file in old.entry.files { try tree.keep(file.path) }
            variants = old.entry.variants
        } else {
            try tree.write(path, bytes, digest: sha)
            if wantsVariants(path, bytes.count) {
                for encoding in ContentEncoding.allCases {
                    guard let copy = Compress.copy(bytes, encoding, config: config) else { continue }
                    let digest = Digest.sha256(copy)
                    try tree.write(path + encoding.suffix, copy, digest: digest)
                    variants.append(.init(encoding: encoding, sha256: digest, size: copy.count))
                }
            }
        }
        let entry = ManifestEntry(path: path, sha256: sha, size: bytes.count, contentType: contentType,
                                  cacheControl: cacheControl, variants: variants, redirect: redirect)
        let record = BuildStore.OutputRecord(key: key, entry: entry, compression: compression)
        let same = previous[path] == record
        lock.withLock {
            records[path] = record
            if !same { changed.insert(path) }
            made += 1
        }
    }

    public func write(_ path: String, _ text: String, key: String = "") throws {
        try write(path, Array(text.utf8), key: key)
    }

    func wantsVariants(_ path: String, _ size: Int) -> Bool {
        // The manifest is for tools (publish reads it whole), not for browsers.
        compress && size >= config.compressMinBytes && ContentType.isCompressible(path) && path != Manifest.path
    }

    /// The files of this build so far.
    public var files: Files { lock.withLock { Files(records: records, previous: keptAll ? previous : nil) } }

    /// This build's files, by path: the files it made or kept, over the last build's when it
    /// kept them all.
    public struct Files: Sendable {
        let records: [String: BuildStore.OutputRecord]
        /// The last build's files, when this build kept them all first.
        let previous: OutputRecords?

        public subscript(path: String) -> BuildStore.OutputRecord? { records[path] ?? previous?[path] }

        public var count: Int {
            guard let previous else { return records.count }
            return previous.count + records.keys.reduce(0) { $0 + (previous[$1] == nil ? 1 : 0) }
        }

        /// Every file's record (in no particular order).
        public func forEach(_ body: (BuildStore.OutputRecord) -> Void) {
            previous?.forEach { path, record in if records[path] == nil { body(record) } }
            for record in records.values { body(record) }
        }

        /// The files as one map.
        public var all: [String: BuildStore.OutputRecord] {
            guard var all = previous?.all else { return records }
            for (path, record) in records { all[path] = record }
            return all
        }
    }

    /// How this build's files differ from the last build's: records new or changed, and
    /// paths gone (nil). Only the changed paths are looked at when nothing was removed.
    public var changes: [String: BuildStore.OutputRecord?] {
        lock.withLock {
            var out: [String: BuildStore.OutputRecord?] = [:]
            out.reserveCapacity(changed.count)
            var added = 0
            for path in changed {
                out[path] = records[path]
                if previous[path] == nil { added += 1 }
            }
            // A build that kept every file first removed none.
            if !keptAll, records.count != previous.count + added {
                previous.forEach { path, _ in if records[path] == nil { out[path] = .some(nil) } }
            }
            return out
        }
    }
    public var fileCount: Int { files.count }

    /// `size<TAB>path` lines, one per file and copy of this build (`LastBuild.sizes`, which
    /// the next build checks `output/` against). After `keepAll`, the last build's lines
    /// (`last`) with those of the files made or kept since replaced, not every file's line
    /// made again; in no particular order.
    public func sizeLines(patching last: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        func line(_ file: (path: String, sha256: String, size: Int)) { out += String(file.size).utf8; out.append(9); out += file.path.utf8; out.append(10) }
        let (records, keptAll) = lock.withLock { (self.records, self.keptAll) }
        guard keptAll, let last else {
            let files = self.files
            out.reserveCapacity(files.count * 64)
            files.forEach { record in record.entry.files.forEach(line) }
            return out
        }
        // The paths whose lines are replaced: every file of a record made or kept again, as
        // it is now and as the last build had it.
        var replaced: Set<String> = []
        for (path, record) in records {
            for file in record.entry.files { replaced.insert(file.path) }
            if let was = previous[path] { for file in was.entry.files { replaced.insert(file.path) } }
        }
        let lengths = Set(replaced.map(\.utf8.count))
        out.reserveCapacity(last.count + records.count * 64)
        let read = Self.readSizeLines(last) { text, _, path in
            if lengths.contains(path.count), replaced.contains(String(decoding: path, as: UTF8.self)) { return }
            out += text; out.append(10)
        }
        guard read else { return sizeLines(patching: nil) }
        for record in records.values { record.entry.files.forEach(line) }
        return out
    }

    /// Reads `size<TAB>path` lines (`sizeLines`) over their bytes: each line's text (without its
    /// line end), size and path. False when the bytes are not such lines.
    static func readSizeLines(_ bytes: [UInt8],
                              _ body: (_ line: UnsafeBufferPointer<UInt8>, _ size: Int, _ path: UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        bytes.withUnsafeBufferPointer { b -> Bool in
            var i = 0
            while i < b.count {
                let start = i
                var size = 0, digits = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 { size = size &* 10 &+ Int(b[i] - 48); i += 1; digits += 1 }
                guard digits > 0, digits < 19, i < b.count, b[i] == 9 else { return false }
                i += 1
                let pathStart = i
                while i < b.count, b[i] != 10 { i += 1 }
                body(UnsafeBufferPointer(rebasing: b[start..<i]), size, UnsafeBufferPointer(rebasing: b[pathStart..<i]))
                i += 1
            }
            return true
        }
    }

    /// The manifest by patch, for a build that has the last build's files and changed few of
    /// them: the last manifest's bytes, read back from the live tree (and checked against the
    /// digest it was written with), with the entries of the changed files written again. The
    /// same bytes as writing it whole (`Manifest.bytes`), without writing every entry.
    /// nil: the manifest is written whole.
    /// - Parameter order: the last manifest's paths, in its order (sorted by path).
    private func patchedManifest(order: [String], files: Files) -> Manifest.Kept? {
        let paths = lock.withLock { changed }
        let samePaths = files.count == previous.count && paths.allSatisfy { previous[$0] != nil }
        guard samePaths, !order.isEmpty, order.count == files.count - 1, paths.count <= order.count / 4,
              let last = previous[Manifest.path], files[Manifest.path] != nil else { return nil }
        // The changed files' positions in the order (sorted by path: found by halving).
        var rewritten: [(position: Int, entry: ManifestEntry, was: ManifestEntry)] = []
        for path in paths where path != Manifest.path {
            var low = 0, high = order.count
            while low < high {
                let mid = (low + high) / 2
                if order[mid] < path { low = mid + 1 } else { high = mid }
            }
            guard low < order.count, order[low] == path, let record = files[path], let was = previous[path] else { return nil }
            rewritten.append((low, record.entry, was.entry))
        }
        rewritten.sort { $0.position < $1.position }
        // The last manifest as the caller kept it, taken (patched in place, not copied), else
        // read back from the live tree and checked against the digest it was written with.
        var base = lock.withLock { () -> Manifest.Kept? in
            defer { lastManifest = nil }
            return lastManifest
        }
        if let kept = base, kept.bytes.count != last.entry.size || kept.starts.count != order.count { base = nil }
        if base == nil {
            guard let bytes = try? tree.io.read(tree.output + Manifest.path), bytes.count == last.entry.size,
                  let starts = Manifest.entryStarts(bytes, count: order.count) else { return nil }
            let digest = Manifest.digest(bytes, starts: starts)
            guard digest.id == last.entry.sha256 else { return nil }
            base = Manifest.Kept(bytes: bytes, starts: starts, digest: digest)
        }
        var bytes: [UInt8] = []
        swap(&bytes, &base!.bytes)
        let starts = base!.starts, lastDigest = base!.digest
        base = nil
        // Entries written again at the length they had (a new digest, a size of as many digits)
        // go in place: the manifest is not copied whole.
        let total = bytes.count
        let again = rewritten.map { (span: Manifest.entrySpan($0.position, starts: starts, in: total),
                                     was: Manifest.entryBytes([$0.was][...], first: $0.position == 0),
                                     now: Manifest.entryBytes([$0.entry][...], first: $0.position == 0)) }
        guard again.allSatisfy({ bytes[$0.span].elementsEqual($0.was) }) else { return nil }
        // The runs of the digest the patch writes into (an entry's span starts with the comma
        // that ends the run before).
        var touched: Set<Int> = []
        for (position, _, _) in rewritten {
            touched.insert(position / Manifest.digestRun)
            if position > 0 { touched.insert((position - 1) / Manifest.digestRun) }
        }
        if again.allSatisfy({ $0.now.count == $0.span.count }) {
            for entry in again { bytes.replaceSubrange(entry.span, with: entry.now) }
            return Manifest.Kept(bytes: bytes, starts: starts, digest: Manifest.digest(bytes, starts: starts, last: lastDigest, touched: touched))
        }
        // Each entry after one written at another length starts that much further on.
        var shifted = starts, shift = 0, next = 0
        for k in shifted.indices {
            while next < again.count, rewritten[next].position < k {
                shift += again[next].now.count - again[next].span.count
                next += 1
            }
            shifted[k] += shift
        }
        // Else the manifest is copied with each entry written again in the last build's entry's place.
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + rewritten.count * 64)
        var at = 0
        bytes.withUnsafeBufferPointer { old in
            for entry in again {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: old[at..<entry.span.lowerBound]))
                out += entry.now
                at = entry.span.upperBound
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: old[at...]))
        }
        return Manifest.Kept(bytes: out, starts: shifted, digest: Manifest.digest(out, starts: shifted, last: lastDigest, touched: touched))
    }

    /// Whether the last commit wrote the manifest by patch (`patchedManifest`).
    public private(set) var manifestPatched = false

    /// The manifest's paths in order, as the last commit wrote them (a build with the same
    /// files lists them in the same order without sorting them again).
    public private(set) var manifestOrder: [String] = []

    /// Writes the manifest and swaps the new tree in.
    /// - Parameter order: the paths of the last build's manifest, in order.
    public func commit(order: [String] = []) throws -> (record: OutputTree.Record, written: [String], removed: [String]) {
        let made = manifest(order: order)
        // The build is named by its manifest: the same files, the same name.
        try write(Manifest.path, made.bytes, sha256: made.digest.id)
        manifestKept = made
        return try tree.commit(build: made.digest.id)
    }

    /// The manifest the last commit wrote, for a caller that keeps it for its next build (`lastManifest`).
    public private(set) var manifestKept: Manifest.Kept?

    /// The manifest's bytes, from a view of the files let go before the manifest is written
    /// (held across that write, it would make the write copy every record).
    private func manifest(order: [String]) -> Manifest.Kept {
        let files = self.files
        if let patched = patchedManifest(order: order, files: files) {
            manifestOrder = order
            manifestPatched = true
            return patched
        }
        var entries: [ManifestEntry] = []
        if order.count == files.count - (files[Manifest.path] == nil ? 0 : 1) {
            entries.reserveCapacity(order.count)
            for path in order {
                guard let record = files[path], path != Manifest.path else { entries = []; break }
                entries.append(record.entry)
            }
        }
        if entries.isEmpty {
            entries.reserveCapacity(files.count)
            files.forEach { if $0.entry.path != Manifest.path { entries.append($0.entry) } }
            // (Sorted by the paths alone: reading a path out of an entry in each comparison copied the entry.)
            let paths = entries.map(\.path)
            entries = Parallel.sorted(Array(paths.indices)) { paths[$0] < paths[$1] }.map { entries[$0] }
        }
        manifestOrder = entries.map(\.path)
        let (bytes, starts) = Manifest.written(sorted: entries)
        return Manifest.Kept(bytes: bytes, starts: starts, digest: Manifest.digest(bytes, starts: starts))
    }
}
