import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, on swift-crypto.
///
/// Each stage is exposed (canonical request, string to sign, signature) so the
/// tests can compare every one with the worked examples AWS publishes.
public struct SigV4: Sendable {
    public struct Credentials: Sendable {
        public var accessKey: String
        public var secretKey: String
        public var sessionToken: String?

        public init(accessKey: String, secretKey: String, sessionToken: String? = nil) {
            self.accessKey = accessKey
            self.secretKey = secretKey
            self.sessionToken = sessionToken
        }

        /// From AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and (optionally) AWS_SESSION_TOKEN.
        public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Credentials? {
            guard let id = env["AWS_ACCESS_KEY_ID"], !id.isEmpty, let secret = env["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else { return nil }
            let token = env["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return Credentials(accessKey: id, secretKey: secret, sessionToken: token)
        }
    }

    /// What gets signed: the method, the encoded path, the query, the headers and the payload's hash.
    public struct Request: Sendable {
        public var method: String
        /// The path, already URI-encoded (`/test%24file.text`).
        public var path: String
        /// Query parameters, not encoded.
        public var query: [(String, String)]
        /// Headers to sign (the host among them).
        public var headers: [String: String]
        /// Hex SHA-256 of the body (or "UNSIGNED-PAYLOAD").
        public var payloadHash: String

        public init(method: String, path: String, query: [(String, String)] = [], headers: [String: String], payloadHash: String) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    public var credentials: Credentials
    public var region: String
    public var service: String

    public init(credentials: Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    // MARK: Stages

    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (encode($0.0), encode($0.1)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    public static func signedHeaders(_ headers: [String: String]) -> String {
        headers.keys.map { $0.lowercased() }.sorted().joined(separator: ";")
    }

    public static func canonicalRequest(_ r: Request) -> String {
        let headers = r.headers.map { ($0.key.lowercased(), trim($0.value)) }.sorted { $0.0 < $1.0 }
        return [
            r.method,
            r.path.isEmpty ? "/" : r.path,
            canonicalQuery(r.query),
            headers.map { "\($0.0):\($0.1)\n" }.joined(),
            signedHeaders(r.headers),
            r.payloadHash,
        ].joined(separator: "\n")
    }

    /// The scope: `20130524/us-east-1/s3/aws4_request`.
    public func scope(date: String) -> String {
        "\(date.prefix(8))/\(region)/\(service)/aws4_request"
    }

    public func stringToSign(_ r: Request, amzDate: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope(date: amzDate))\n\(SigV4.hex(SHA256.hash(data: Data(SigV4.canonicalRequest(r).utf8))))"
    }

    public func signingKey(date: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
        }
        let k = SymmetricKey(data: Data(("AWS4" + credentials.secretKey).utf8))
        return hmac(hmac(hmac(hmac(k, String(date.prefix(8))), region), service), "aws4_request")
    }

    public func signature(_ r: Request, amzDate: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign(r, amzDate: amzDate).utf8), using: signingKey(date: amzDate))
        return SigV4.hex(mac)
    }

    public func authorization(_ r: Request, amzDate: String) -> String {
        "AWS4-HMAC-SHA256 Credential=\(credentials.accessKey)/\(scope(date: amzDate)),SignedHeaders=\(SigV4.signedHeaders(r.headers)),Signature=\(signature(r, amzDate: amzDate))"
    }

    /// The headers to send: the request's own, plus x-amz-date, x-amz-content-sha256,
    /// the session token (when there is one) and Authorization.
    public func sign(_ request: Request, date: Date) -> [String: String] {
        let amzDate = SigV4.amzDate(date)
        var r = request
        r.headers["x-amz-date"] = amzDate
        r.headers["x-amz-content-sha256"] = request.payloadHash
        if let token = credentials.sessionToken { r.headers["x-amz-security-token"] = token }
        var out = r.headers
        out["Authorization"] = authorization(r, amzDate: amzDate)
        return out
    }

    // MARK: Helpers

    /// `20130524T000000Z`
    public static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 1970)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }

    /// RFC 3986 encoding as SigV4 wants it: everything but `A–Z a–z 0–9 - _ . ~` is
    /// percent-encoded (and `/` too, unless `keepSlash`).
    public static func encode(_ s: String, keepSlash: Bool = false) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    static func trim(_ s: String) -> String {
        s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    public static func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }
}
