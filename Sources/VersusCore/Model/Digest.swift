import Crypto

/// SHA-256 digests, for content hashes, fingerprints and the deploy manifest.
public struct Digest {
    private var hasher = SHA256()

    public init() {}

    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        // A separator, so ("ab","c") ≠ ("a","bc"): one zero byte, read in place (not an array made for it).
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
    }

    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    public var hex: String { Digest.hex(Array(hasher.finalize())) }

    public static func sha256(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { Digest.hex(Array(SHA256.hash(data: $0))) }
    }

    public static func sha256(_ text: String) -> String {
        var d = Digest()
        var text = text
        text.withUTF8 { d.hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return d.hex
    }

    /// The digest of any `Codable` value, from its binary form: every field the type
    /// has takes part, without anyone listing them.
    public static func of<T: Encodable>(_ value: T) -> String {
        String(sha256(BinaryEncoder.encode(value)).prefix(32))
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    public static func hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
