/// One input file of the content folder: its path and, once read, its bytes.
public struct Source: Sendable, Hashable {
    /// What a source is, by its name: the one definition the loader, the normaliser and
    /// `versus normalize` share. Extensions are matched in any case (`Guide.MD`).
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A comparison text as captured (`.txt`): loose layout, no markup.
        case text
        /// A Markdown page with YAML front-matter (`.md`, `.markdown`).
        case markdown

        public init?(path: String) {
            // The extension: after the last "." with no "/" after it. In ASCII it is lower-cased byte by
            // byte (which is what `lowercased()` makes of ASCII) and compared in place, in the path's
            // own bytes (every source is asked); another is lower-cased as text.
            enum Extension { case none, ascii(Kind?), other }
            let found = path.withBytes { b -> Extension in
                var dot = b.count - 1
                while dot >= 0, b[dot] != UInt8(ascii: ".") {
                    if b[dot] == UInt8(ascii: "/") { return .none }
                    dot -= 1
                }
                guard dot >= 0 else { return .none }
                let name = UnsafeBufferPointer(rebasing: b[(dot + 1)...])
                guard ByteText.allASCII(name) else { return .other }
                return .ascii(Self.extensions.first { e in
                    e.name.utf8.count == name.count && zip(e.name.utf8, name).allSatisfy { $0 == ($1 >= 65 && $1 <= 90 ? $1 + 32 : $1) }
                }?.kind)
            }
            switch found {
            case .none:
                return nil
            case .ascii(let kind):
                guard let kind else { return nil }
                self = kind
            case .other:
                let lowered = path[path.index(after: path.utf8.lastIndex(of: UInt8(ascii: "."))!)...].lowercased()
                guard let kind = Self.extensions.first(where: { $0.name == lowered })?.kind else { return nil }
                self = kind
            }
        }

        /// The extensions of sources, lower-case: any case of them is the same.
        static let extensions: [(name: String, kind: Kind)] = [("txt", .text), ("md", .markdown), ("markdown", .markdown)]
    }

    /// Path relative to the content folder, with `/` separators (`guides/sso.md`).
    public var path: String
    /// The path shown in diagnostics (`content/guides/sso.md`).
    public var file: String
    public var kind: Kind
    public var bytes: [UInt8]

    /// A source named by a path that is not a source's is read as a comparison text.
    public init(path: String, file: String? = nil, bytes: [UInt8]) {
        self.path = path
        self.file = file ?? path
        self.kind = Kind(path: path) ?? .text
        self.bytes = bytes
    }
}

/// A source file found in the content folder, before it is read.
public struct SourceFile: Sendable, Hashable {
    public var path: String
    public var file: String
    public var kind: Source.Kind
    public var stamp: FileInfo
}

extension SourceFile {
    /// A digest of the file as a build finds it before reading it: its names, kind, size, times
    /// (modified and status change) and inode (FNV-1a, the same in every process). Two builds that find the same digest for a
    /// source take it to hold the same bytes (the rule the normalise memo trusts).
    public var stampDigest: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        for b in path.utf8 { add(b) }
        add(0)
        for b in file.utf8 { add(b) }
        add(0)
        add(kind == .markdown ? 1 : 2)
        for v in [UInt64(bitPattern: Int64(stamp.size)), UInt64(bitPattern: stamp.modified), UInt64(bitPattern: stamp.changed), stamp.inode] {
            for k in 0..<8 { add(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
        }
        return h
    }

    /// Each source's stamp digest, for sources reloaded in place from a list whose digests were
    /// `last` (`Loader.reload`): only those at `edited` are worked out again.
    static func stampDigests(_ sources: [SourceFile], reusing last: [UInt64], edited: Set<Int>) -> [UInt64] {
        guard last.count == sources.count else { return stampDigests(sources, reusing: nil) }
        var digests = last
        for i in edited { digests[i] = sources[i].stampDigest }
        return digests
    }

    /// Each source's stamp digest. Where `last` (an earlier list and its digests, from a build
    /// in the same process) has the same source at the same place, its digest is taken: a
    /// rebuild after an edit works out only the edited ones.
    static func stampDigests(_ sources: [SourceFile], reusing last: (sources: [SourceFile], digests: [UInt64])?) -> [UInt64] {
        guard let last, last.sources.count == sources.count, last.digests.count == sources.count else {
            return Parallel.mapSync(sources, grain: 2048) { $0.stampDigest }
        }
        // Compared in place, field by field: sources reloaded from the last list share its
        // strings, which compare by their bits without being read (copying each source would
        // touch every string, scattered through memory).
        return sources.withUnsafeBufferPointer { now in
            last.sources.withUnsafeBufferPointer { was in
                (0..<now.count).map { i in
                    now[i].stamp == was[i].stamp && now[i].kind == was[i].kind && now[i].path == was[i].path && now[i].file == was[i].file
                        ? last.digests[i] : now[i].stampDigest
                }
            }
        }
    }
}
