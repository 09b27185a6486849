import CBrotli
import CZlib

/// Precompressed copies of text files, so a CDN or the preview server can send
/// `Content-Encoding: gzip` or `br` without compressing on every request.
/// Output is deterministic: the gzip header carries no name and no time.
public enum Compress {
    public struct Levels: Sendable, Hashable {
        public var gzip: Int32
        public var brotli: Int32
        public init(gzip: Int32 = 9, brotli: Int32 = 5) {
            self.gzip = gzip
            self.brotli = brotli
        }
    }

    /// The settings the copies are made with, as the build store records them (`br9 gz9`):
    /// copies made with other settings are made again.
    public static func settings(_ config: SiteConfig) -> String { "br\(config.brotliQuality) gz\(config.gzipLevel)" }

    /// The precompressed copy of a file in one encoding, at the site's settings.
    public static func copy(_ bytes: [UInt8], _ encoding: ContentEncoding, config: SiteConfig) -> [UInt8]? {
        switch encoding {
        case .br:
            // Brotli's high qualities cost about a second per megabyte: large files get a faster level.
            return brotli(bytes, quality: Int32(bytes.count <= 128 * 1024 ? config.brotliQuality : min(config.brotliQuality, 5)))
        case .gzip:
            return config.gzipLevel == 0 ? nil : gzip(bytes, level: Int32(config.gzipLevel))
        }
    }

    public static func gzip(_ input: [UInt8], level: Int32 = 9) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip wrapper with an empty header.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    public static func brotli(_ input: [UInt8], quality: Int32 = 11) -> [UInt8]? {
        var size = BrotliEncoderMaxCompressedSize(input.count)
        if size == 0 { size = input.count + 1024 }
        var output = [UInt8](repeating: 0, count: size)
        // A window just large enough for the input: the default (4 MiB) makes the encoder
        // map and fault in tens of megabytes for every small page.
        var window: Int32 = 10
        while window < 24 && (1 << window) - 16 < input.count { window += 1 }
        let ok = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                BrotliEncoderCompress(quality, window, BROTLI_MODE_TEXT,
                                      inBuf.count, inBuf.baseAddress, &size, outBuf.baseAddress)
            }
        }
        guard ok != 0 else { return nil }
        output.removeSubrange(size...)
        return output
    }
}
