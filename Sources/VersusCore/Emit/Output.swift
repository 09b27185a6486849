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

/// Writes a build's files into a staging folder beside the output, then swaps the
/// whole folder in. A build that fails never touches the output.
public final class OutputWriter: @unchecked Sendable {
    let io: FileIO
    let output: String
    let staging: String
    let config: SiteConfig
    let compress: Bool
    private let lock = NSLock()
    private var entries: [String: ManifestEntry] = [:]

    public init(io: FileIO, output: String, config: SiteConfig, compress: Bool) throws {
        self.io = io
        self.output = output
        self.staging = output + ".staging"
        self.config = config
        self.compress = compress
        try io.remove(staging)
    }

    /// Writes one file (a site path such as `/x/index.html`) with its precompressed copies.
    public func write(_ path: String, _ bytes: [UInt8]) throws {
        try io.write(staging + path, bytes)
        var variants: [ManifestEntry.Variant] = []
        if compress, bytes.count >= config.compressMinBytes, ContentType.isCompressible(path) {
            if let br = Compress.brotli(bytes, quality: 11) {
                try io.write(staging + path + ".br", br)
                variants.append(.init(encoding: "br", sha256: Digest.sha256(br), size: br.count))
            }
            if let gz = Compress.gzip(bytes, level: 9) {
                try io.write(staging + path + ".gz", gz)
                variants.append(.init(encoding: "gzip", sha256: Digest.sha256(gz), size: gz.count))
            }
        }
        let entry = ManifestEntry(path: path, sha256: Digest.sha256(bytes), size: bytes.count,
                                  contentType: ContentType.of(path), cacheControl: Headers.cacheControl(for: path, config: config),
                                  variants: variants)
        lock.withLock { entries[path] = entry }
    }

    public func write(_ path: String, _ text: String) throws {
        try write(path, Array(text.utf8))
    }

    public var manifest: [ManifestEntry] { lock.withLock { entries.values.sorted { $0.path < $1.path } } }

    /// Writes the manifest and swaps the staging folder in for the output.
    public func commit() throws {
        try io.write(staging + Manifest.path, Array(Manifest.json(manifest).utf8))
        if io.exists(output) {
            let old = output + ".old"
            try io.remove(old)
            try io.move(output, old)
            try io.move(staging, output)
            try io.remove(old)
        } else {
            try io.move(staging, output)
        }
    }

    public func abort() {
        try? io.remove(staging)
    }
}
