import AsyncHTTPClient
import Crypto
import Foundation
import VersusCore
import NIOCore
import NIOHTTP1
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The few S3 calls publishing needs, signed with SigV4: ListObjectsV2 (with
/// pagination), PutObject, GetObject, HeadObject and DeleteObjects. Requests
/// are path-style (`endpoint/bucket/key`), which every S3-compatible store takes.
/// Every request is bounded and retried as `NetworkLimits` say; a failure is a `NetworkFailure`.
public struct S3Client: Sendable {
    public struct Object: Sendable, Hashable {
        public var key: String
        public var size: Int
        /// The ETag without quotes (an MD5 for single-part uploads).
        public var etag: String
    }

    public var endpoint: URL
    public var bucket: String
    public var signer: SigV4
    /// Keys per ListObjectsV2 page (S3's maximum is 1,000).
    public var listPageSize = 1000
    let transport: Transport

    public var limits: NetworkLimits { transport.limits }

    public init(endpoint: URL, region: String, bucket: String, credentials: SigV4.Credentials, limits: NetworkLimits = .init()) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.signer = SigV4(credentials: credentials, region: region)
        self.transport = Transport(limits: limits)
    }

    // MARK: Calls

    /// Every object under a prefix (all pages of ListObjectsV2). A listing that says it is
    /// truncated but gives no new continuation token would never end, and is an error.
    public func list(prefix: String) async throws -> [Object] {
        let operation = "ListObjectsV2 s3://\(bucket)/\(prefix)"
        var out: [Object] = []
        var token: String?
        var seen: Set<String> = []
        while true {
            var query = [("list-type", "2"), ("max-keys", String(listPageSize))]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let token { query.append(("continuation-token", token)) }
            let body = try await send("GET", key: nil, query: query, operation: operation).body
            guard let page = ListParser.parse(body) else {
                throw NetworkFailure(operation, .badResponse("the listing is not readable XML"))
            }
            out += page.objects
            guard page.truncated else { return out }
            guard let next = page.nextToken, !next.isEmpty else {
                throw NetworkFailure(operation, .badResponse("the listing says it is truncated but gives no continuation token"))
            }
            guard seen.insert(next).inserted else {
                throw NetworkFailure(operation, .badResponse("the listing repeats continuation token '\(next.prefix(80))', so it would never end"))
            }
            token = next
        }
    }

    public func put(key: String, body: [UInt8], headers: [String: String]) async throws {
        _ = try await send("PUT", key: key, headers: headers, body: body)
    }

    /// The object's bytes, or nil when there is none.
    public func get(key: String) async throws -> [UInt8]? {
        do {
            return try await send("GET", key: key).body
        } catch let f as NetworkFailure where f.status == 404 {
            return nil
        }
    }

    /// The object's headers (lower-cased names), or nil when there is none.
    public func head(key: String) async throws -> [String: String]? {
        do {
            return try await send("HEAD", key: key).headers
        } catch let f as NetworkFailure where f.status == 404 {
            return nil
        }
    }

    /// Deletes keys, up to 1,000 per request.
    public func delete(keys: [String]) async throws {
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(keys.count, start + 1000)]
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>"
            for k in batch { xml += "<Object><Key>\(Escape.xml(k))</Key></Object>" }
            xml += "</Delete>"
            let body = Array(xml.utf8)
            let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
            let operation = "DeleteObjects s3://\(bucket) (\(batch.count) keys from \(batch.first!))"
            let response = try await send("POST", key: nil, query: [("delete", "")],
                                          headers: ["Content-MD5": md5, "Content-Type": "application/xml"], body: body,
                                          operation: operation)
            let text = String(decoding: response.body, as: UTF8.self)
            if text.contains("<Error>") {
                throw NetworkFailure(operation, .badResponse("some keys were not deleted: \(text.prefix(500))"))
            }
            start += 1000
        }
    }

    public func createBucket() async throws {
        _ = try await send("PUT", key: nil, operation: "CreateBucket s3://\(bucket)")
    }

    // MARK: Transport

    /// `/bucket/key`, each segment encoded as SigV4 wants.
    func path(_ key: String?) -> String {
        var base = endpoint.path
        if base.hasSuffix("/") { base.removeLast() }
        let bucketPath = base + "/" + SigV4.encode(bucket)
        guard let key else { return bucketPath + "/" }
        return bucketPath + "/" + SigV4.encode(key, keepSlash: true)
    }

    var hostHeader: String {
        let host = endpoint.host ?? "localhost"
        if let port = endpoint.port, !((endpoint.scheme == "https" && port == 443) || (endpoint.scheme == "http" && port == 80)) {
            return "\(host):\(port)"
        }
        return host
    }

    /// Sends a signed request (signed afresh for each attempt) and returns a 2xx answer;
    /// any other status is a `NetworkFailure` with S3's error code and message.
    func send(_ method: String, key: String?, query: [(String, String)] = [], headers: [String: String] = [:],
              body: [UInt8] = [], operation: String? = nil) async throws -> Transport.Response {
        let operation = operation ?? "\(method) \(key ?? "s3://\(bucket)")"
        let path = path(key)
        let url = (endpoint.scheme ?? "http") + "://" + hostHeader + path + (query.isEmpty ? "" : "?" + SigV4.canonicalQuery(query))
        var signedHeaders = headers
        signedHeaders["host"] = hostHeader
        let unsigned = SigV4.Request(method: method, path: path, query: query, headers: signedHeaders,
                                     payloadHash: body.isEmpty ? SigV4.emptyPayloadHash : SigV4.sha256Hex(body))
        let (signer, transport) = (self.signer, self.transport)
        return try await transport.run(operation, server: hostHeader) {
            var r = HTTPClientRequest(url: url)
            r.method = HTTPMethod(rawValue: method)
            for (name, value) in signer.sign(unsigned, date: Date()) where name.lowercased() != "host" {
                r.headers.add(name: name, value: value)
            }
            if !body.isEmpty || method == "PUT" || method == "POST" {
                r.body = .bytes(ByteBuffer(bytes: body))
            }
            let response = try await transport.exchange(r, readBody: method != "HEAD")
            guard (200..<300).contains(response.status) else {
                throw NetworkFailure(operation, S3Client.errorReason(response))
            }
            return response
        }
    }

    /// An S3 error answer as a reason: `<Error><Code>NoSuchBucket</Code><Message>…</Message></Error>`.
    static func errorReason(_ response: Transport.Response) -> NetworkFailure.Reason {
        let text = String(decoding: response.body.prefix(4000), as: UTF8.self)
        func element(_ name: String) -> String? {
            guard let a = text.range(of: "<\(name)>"), let b = text.range(of: "</\(name)>", range: a.upperBound..<text.endIndex) else { return nil }
            return String(text[a.upperBound..<b.lowerBound])
        }
        return .status(response.status, code: element("Code"), message: element("Message") ?? response.reasonPhrase)
    }
}

/// Reads a ListObjectsV2 result.
final class ListParser: NSObject, XMLParserDelegate {
    var objects: [S3Client.Object] = []
    var truncated = false
    var nextToken: String?
    private var text = ""
    private var key = "", size = 0, etag = ""
    private var inContents = false

    /// The page, or nil when the body is not well-formed XML.
    static func parse(_ body: [UInt8]) -> ListParser? {
        let p = ListParser()
        let parser = XMLParser(data: Data(body))
        parser.delegate = p
        return parser.parse() ? p : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        text = ""
        if name == "Contents" { inContents = true; key = ""; size = 0; etag = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "Key" where inContents: key = text
        case "Size" where inContents: size = Int(text) ?? 0
        case "ETag" where inContents: etag = text.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).replacingOccurrences(of: "&quot;", with: "")
        case "Contents":
            objects.append(.init(key: key, size: size, etag: etag))
            inContents = false
        case "IsTruncated": truncated = text == "true"
        case "NextContinuationToken": nextToken = text
        default: break
        }
    }
}
