import Foundation

/// One file of the output, as the deploy manifest lists it.
public struct ManifestEntry: Sendable, Hashable {
    public struct Variant: Sendable, Hashable {
        public var encoding: String   // "br" or "gzip"
        public var sha256: String
        public var size: Int
    }
    /// Site path (`/kubernetes-vs-stripe/index.html`).
    public var path: String
    public var sha256: String
    public var size: Int
    public var contentType: String
    public var cacheControl: String
    public var variants: [Variant]
}

/// The deploy manifest: every published path with its digest and headers.
public enum Manifest {
    public static let path = "/versus-manifest.json"

    public static func json(_ entries: [ManifestEntry]) -> String {
        let files: [JSON] = entries.sorted { $0.path < $1.path }.map { e in
            .object([
                ("path", .string(e.path)),
                ("sha256", .string(e.sha256)),
                ("size", .int(e.size)),
                ("content_type", .string(e.contentType)),
                ("cache_control", .string(e.cacheControl)),
                ("encodings", .array(e.variants.map { v in
                    .object([("encoding", .string(v.encoding)), ("sha256", .string(v.sha256)), ("size", .int(v.size))])
                })),
            ])
        }
        return JSON.object([("version", .int(1)), ("generator", .string("versus")), ("files", .array(files))])
            .serialized(pretty: true) + "\n"
    }

    /// Reads a manifest back (for publishing and incremental builds).
    public static func parse(_ bytes: [UInt8]) -> [ManifestEntry]? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let files = root["files"] as? [[String: Any]] else { return nil }
        return files.compactMap { f in
            guard let path = f["path"] as? String, let sha = f["sha256"] as? String, let size = f["size"] as? Int,
                  let type = f["content_type"] as? String, let cache = f["cache_control"] as? String else { return nil }
            let variants = (f["encodings"] as? [[String: Any]] ?? []).compactMap { v -> ManifestEntry.Variant? in
                guard let e = v["encoding"] as? String, let s = v["sha256"] as? String, let n = v["size"] as? Int else { return nil }
                return .init(encoding: e, sha256: s, size: n)
            }
            return ManifestEntry(path: path, sha256: sha, size: size, contentType: type, cacheControl: cache, variants: variants)
        }
    }
}

/// Writes a build's files so that a failed build never touches the output.
///
/// A full build writes every file into a staging folder beside the output and swaps
/// the folder in. An incremental build stages only files whose bytes changed, then
/// moves each into place and deletes the files the site no longer has. Either way,
/// nothing reaches the output until `commit`, after every page has rendered.
public final class OutputWriter: @unchecked Sendable {
    public enum Mode: Sendable {
        /// Build everything and swap the folder in.
        case replace
        /// Update in place: `previous` is the last build's manifest, checked against the disk.
        case update(previous: [String: ManifestEntry])
    }

    let io: FileIO
    let output: String
    let staging: String
    let config: SiteConfig
    let compress: Bool
    let mode: Mode
    /// Whether the last build made its compressed copies with these settings.
    let variantsReusable: Bool
    private let lock = NSLock()
    private var entries: [String: ManifestEntry] = [:]
    private var staged: Set<String> = []

    public init(io: FileIO, output: String, config: SiteConfig, compress: Bool, mode: Mode = .replace,
                previousCompression: String? = nil) throws {
        self.io = io
        self.variantsReusable = previousCompression == nil || previousCompression == OutputWriter.compression(config)
        self.output = output
        self.staging = output + ".staging"
        self.config = config
        self.compress = compress
        self.mode = mode
        try io.remove(staging)
    }

    var previous: [String: ManifestEntry] {
        if case .update(let p) = mode { return p }
        return [:]
    }

    /// Writes one file (a site path such as `/x/index.html`) with its precompressed
    /// copies, unless the output already holds exactly these bytes. Returns whether it wrote.
    @discardableResult
    public func write(_ path: String, _ bytes: [UInt8]) throws -> Bool {
        let sha = Digest.sha256(bytes)
        if let old = previous[path], old.sha256 == sha, old.contentType == ContentType.of(path),
           old.cacheControl == Headers.cacheControl(for: path, config: config),
           old.variants.isEmpty == !wantsVariants(path, bytes.count), old.variants.isEmpty || variantsReusable {
            keep(old)
            return false
        }
        try io.write(staging + path, bytes)
        var variants: [ManifestEntry.Variant] = []
        if wantsVariants(path, bytes.count) {
            // Brotli's high qualities cost about a second per megabyte: large files get a faster level.
            let quality = Int32(bytes.count <= 128 * 1024 ? config.brotliQuality : min(config.brotliQuality, 5))
            if let br = Compress.brotli(bytes, quality: quality) {
                try io.write(staging + path + ".br", br)
                variants.append(.init(encoding: "br", sha256: Digest.sha256(br), size: br.count))
            }
            if let gz = Compress.gzip(bytes, level: Int32(config.gzipLevel)) {
                try io.write(staging + path + ".gz", gz)
                variants.append(.init(encoding: "gzip", sha256: Digest.sha256(gz), size: gz.count))
            }
        }
        let entry = ManifestEntry(path: path, sha256: sha, size: bytes.count, contentType: ContentType.of(path),
                                  cacheControl: Headers.cacheControl(for: path, config: config), variants: variants)
        lock.withLock {
            entries[path] = entry
            memo = nil
            staged.insert(path)
        }
        return true
    }

    public func write(_ path: String, _ text: String) throws {
        try write(path, Array(text.utf8))
    }

    /// The settings compressed copies are made with, as the build cache records them.
    public static func compression(_ config: SiteConfig) -> String { "br\(config.brotliQuality) gz\(config.gzipLevel)" }

    func wantsVariants(_ path: String, _ size: Int) -> Bool {
        compress && size >= config.compressMinBytes && ContentType.isCompressible(path)
    }

    /// Keeps a file of the previous build as it is.
    public func keep(_ entry: ManifestEntry) {
        lock.withLock {
            entries[entry.path] = entry
            memo = nil
        }
    }

    /// The sorted manifest and the removed files, worked out once after the last write
    /// (the build asks for them several times over tens of thousands of entries).
    private var memo: (manifest: [ManifestEntry], removed: [String])?
    private func settled() -> (manifest: [ManifestEntry], removed: [String]) {
        lock.withLock {
            if let memo { return memo }
            let manifest = entries.values.sorted { $0.path < $1.path }
            let removed = previous.keys.filter { entries[$0] == nil }.sorted()
            memo = (manifest, removed)
            return (manifest, removed)
        }
    }

    public var manifest: [ManifestEntry] { settled().manifest }
    public var fileCount: Int { lock.withLock { entries.count } }
    public var written: [String] { lock.withLock { staged.sorted() } }

    /// The files of the previous build that this one no longer has.
    public var removed: [String] { settled().removed }

    /// Puts the build in place: swaps the staging folder in, or moves each changed
    /// file in and deletes the removed ones. The manifest is written last.
    public func commit() throws {
        switch mode {
        case .replace:
            let manifestBytes = Array(Manifest.json(manifest).utf8)
            try io.write(staging + Manifest.path, manifestBytes)
            if io.exists(output) {
                let old = output + ".old"
                try io.remove(old)
                try io.move(output, old)
                try io.move(staging, output)
                try io.remove(old)
            } else {
                try io.move(staging, output)
            }
        case .update:
            let written = self.written, removed = self.removed
            if written.isEmpty && removed.isEmpty {
                // Nothing changed: the manifest on disk already describes the output.
                try io.remove(staging)
                return
            }
            for path in written {
                let entry = lock.withLock { entries[path]! }
                for suffix in [""] + entry.variants.map({ $0.encoding == "gzip" ? ".gz" : ".br" }) {
                    try io.move(staging + path + suffix, output + path + suffix)
                }
                // A file that lost its compressed copies (now too small) drops the stale ones.
                if let old = previous[path] {
                    for v in old.variants where !entry.variants.contains(where: { $0.encoding == v.encoding }) {
                        try io.remove(output + path + (v.encoding == "gzip" ? ".gz" : ".br"))
                    }
                }
            }
            for path in removed {
                let old = previous[path]!
                for suffix in [""] + old.variants.map({ $0.encoding == "gzip" ? ".gz" : ".br" }) {
                    try io.remove(output + path + suffix)
                }
                io.pruneEmptyFolders(above: output + path, root: output)
            }
            // Files changed, so the manifest did: write it, then move it in last.
            try io.write(staging + Manifest.path, Array(Manifest.json(manifest).utf8))
            try io.move(staging + Manifest.path, output + Manifest.path)
            try io.remove(staging)
        }
    }

    public func abort() {
        try? io.remove(staging)
    }
}
