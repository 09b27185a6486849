import Crypto
import Foundation

/// Which Versus made a result: its version and a digest of the running binary. Every
/// memo key and the build store carry it, so a new Versus (or the same version built
/// from changed sources) never reuses what an older one made.
public enum BuildIdentity {
    public static let version = "0.4.0"

    /// `versus 0.4.0 <digest of the executable>`, worked out once per process.
    public static let current: String = {
        "versus \(version) " + (executableDigest() ?? "unknown-binary")
    }()

    static func executableDigest() -> String? {
        #if os(Linux)
        let path = "/proc/self/exe"
        #else
        let path = CommandLine.arguments.first ?? ""
        #endif
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return String(Digest.hex(Array(hasher.finalize())).prefix(32))
    }
}
