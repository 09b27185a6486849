import Foundation
import VersusCore

/// Compression on the fly, for files the build wrote no precompressed copy of.
public enum OnTheFly {
    /// Brotli 5 is within a fraction of a percent of brotli 9 on Versus pages at about twice
    /// the speed, and gzip 6 is zlib's own default; a preview wants the first byte soon.
    public static let brotliQuality: Int32 = 5
    public static let gzipLevel: Int32 = 6
    /// Smaller bodies are sent as they are: a coding would save less than it costs.
    public static let minBytes = 1024
    /// Larger ones too: they are streamed as they are (`StaticSite.streamFrom`), as a body
    /// compressed on the fly would have to be made whole first.
    public static let maxBytes = 8 * 1024 * 1024

    public static func compress(_ bytes: [UInt8], _ encoding: ContentEncoding) -> [UInt8]? {
        switch encoding {
        case .br: Compress.brotli(bytes, quality: brotliQuality)
        case .gzip: Compress.gzip(bytes, level: gzipLevel)
        }
    }
}

/// Response bodies, per file version: read (and given the reload script) once, and
/// compressed once per coding, however many requests ask for them at the same time.
/// A version is the file's identity (device, inode), time and size, the same facts as
/// its ETag; a rebuild replaces files, so old versions are never asked for again and go
/// first when the cache is full.
final class BodyCache: @unchecked Sendable {
    struct Key: Hashable {
        var path: String
        var device: UInt64
        var inode: UInt64
        var modified: Int64
        var size: Int
        /// What was done to the bytes: "" as they are, "lr" with the reload script, "br" or
        /// "gzip" (or "lr-br", …) compressed on the fly, "copy" a precompressed copy's.
        var form: String

        init(_ file: OutputFile, form: String) {
            path = file.path
            device = file.device
            inode = file.inode
            modified = file.modified
            size = file.size
            self.form = form
        }
    }

    /// One body, made by the first request that needs it while the others wait.
    final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var bytes: [UInt8]?
        /// The size the cache counts for it (guarded by the cache's lock).
        var counted = 0
    }

    let limit: Int
    private let lock = NSLock()
    private var slots: [Key: Slot] = [:]
    private var order: [Key] = []
    private var bytes = 0
    private var compressed = 0

    init(limit: Int = 64 * 1024 * 1024) { self.limit = limit }

    /// How many bodies were compressed on the fly (for tests).
    var compressions: Int { lock.withLock { compressed } }
    /// The bytes of the bodies held (for tests).
    var heldBytes: Int { lock.withLock { bytes } }

    /// The body under `key`, made by `make` when no request has made it yet.
    func body(_ key: Key, make: () -> [UInt8]?) -> [UInt8]? {
        let slot = lock.withLock {
            if let slot = slots[key] { return slot }
            let slot = Slot()
            slots[key] = slot
            order.append(key)
            return slot
        }
        return slot.lock.withLock {
            if let bytes = slot.bytes { return bytes }
            guard let made = make() else {
                lock.withLock { if slots[key] === slot { slots[key] = nil } }
                return nil
            }
            slot.bytes = made
            account(key, slot, made.count)
            return made
        }
    }

    /// A body compressed on the fly from `source`.
    func compressed(_ key: Key, from source: [UInt8], _ encoding: ContentEncoding) -> [UInt8]? {
        body(key) {
            lock.withLock { compressed += 1 }
            return OnTheFly.compress(source, encoding)
        }
    }

    /// Counts a new body, and forgets the oldest ones while over the limit.
    private func account(_ key: Key, _ slot: Slot, _ count: Int) {
        lock.withLock {
            guard slots[key] === slot else { return }
            slot.counted = count
            bytes += count
            var dropped = 0
            while bytes > limit, dropped < order.count - 1 {
                let old = order[dropped]
                dropped += 1
                if let gone = slots.removeValue(forKey: old) { bytes -= gone.counted }
            }
            if dropped > 0 { order.removeFirst(dropped) }
            // Keys of bodies that failed are gone from `slots`; keep `order` from growing with them.
            if order.count > 4 * max(16, slots.count) { order.removeAll { slots[$0] == nil } }
        }
    }
}
