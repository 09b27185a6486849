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
/// Transient failures (network errors, 5xx, 429) are retried with backoff.
public struct S3Client: Sendable {
    public struct Object: Sendable, Hashable {
        public var key: String
        public var size: Int
        /// The ETag without quotes (an MD5 for single-part uploads).
        public var etag: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var status: Int
        public var message: String
        public var description: String { status == 0 ? message : "S3 answered \(status): \(message)" }
    }

    public var endpoint: URL
    public var bucket: String
    public var signer: SigV4
    public var attempts = 5
    /// Keys per ListObjectsV2 page (S3's maximum is 1,000).
    public var listPageSize = 1000
    let http: HTTPClient

    public init(endpoint: URL, region: String, bucket: String, credentials: SigV4.Credentials, http: HTTPClient = .shared) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.signer = SigV4(credentials: credentials, region: region)
        self.http = http
    }

    // MARK: Calls

    /// Every object under a prefix (all pages of ListObjectsV2).
    public func list(prefix: String) async throws -> [Object] {
        var out: [Object] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("max-keys", String(listPageSize))]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let token { query.append(("continuation-token", token)) }
            let (_, _, body) = try await send("GET", key: nil, query: query)
            let page = ListParser.parse(body)
            out += page.objects
            token = page.truncated ? page.nextToken : nil
        } while token != nil
        return out
    }

    public func put(key: String, body: [UInt8], headers: [String: String]) async throws {
        _ = try await send("PUT", key: key, headers: headers, body: body)
    }

    /// The object's bytes, or nil when there is none.
    public func get(key: String) async throws -> [UInt8]? {
        do {
            return try await send("GET", key: key).2
        } catch let f as Failure where f.status == 404 {
            return nil
        }
    }

    /// The object's headers (lower-cased names), or nil when there is none.
    public func head(key: String) async throws -> [String: String]? {
        do {
            return try await send("HEAD", key: key).1
        } catch let f as Failure where f.status == 404 {
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
            let (_, _, response) = try await send("POST", key: nil, query: [("delete", "")],
                                                  headers: ["Content-MD5": md5, "Content-Type": "application/xml"], body: body)
            let text = String(decoding: response, as: UTF8.self)
            if text.contains("<Error>") { throw Failure(status: 200, message: "DeleteObjects reported errors: \(text.prefix(500))") }
            start += 1000
        }
    }

    public func createBucket() async throws {
        _ = try await send("PUT", key: nil)
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

    func send(_ method: String, key: String?, query: [(String, String)] = [], headers: [String: String] = [:],
              body: [UInt8] = []) async throws -> (Int, [String: String], [UInt8]) {
        var lastError: Error = Failure(status: 0, message: "no attempt made")
        for attempt in 0..<max(1, attempts) {
            if attempt > 0 {
                // 100 ms, 200 ms, 400 ms, 800 ms…
                try await Task.sleep(for: .milliseconds(100 << (attempt - 1)))
            }
            do {
                let result = try await sendOnce(method, key: key, query: query, headers: headers, body: body)
                return result
            } catch let f as Failure where f.status == 429 || f.status >= 500 || f.status == 0 {
                lastError = f
            } catch let f as Failure {
                throw f
            } catch {
                lastError = Failure(status: 0, message: "\(method) \(key ?? "/") failed: \(error)")
            }
        }
        throw lastError
    }

    func sendOnce(_ method: String, key: String?, query: [(String, String)], headers: [String: String],
                  body: [UInt8]) async throws -> (Int, [String: String], [UInt8]) {
        let path = path(key)
        var signedHeaders = headers
        signedHeaders["host"] = hostHeader
        let request = SigV4.Request(method: method, path: path, query: query, headers: signedHeaders,
                                    payloadHash: body.isEmpty ? SigV4.emptyPayloadHash : SigV4.sha256Hex(body))
        let all = signer.sign(request, date: Date())
        var url = (endpoint.scheme ?? "http") + "://" + hostHeader + path
        if !query.isEmpty { url += "?" + SigV4.canonicalQuery(query) }
        var r = HTTPClientRequest(url: url)
        r.method = HTTPMethod(rawValue: method)
        for (name, value) in all where name.lowercased() != "host" { r.headers.add(name: name, value: value) }
        if !body.isEmpty || method == "PUT" || method == "POST" {
            r.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(r, timeout: .seconds(60))
        let bytes = method == "HEAD" ? ByteBuffer() : try await response.body.collect(upTo: 256 * 1024 * 1024)
        var responseHeaders: [String: String] = [:]
        for h in response.headers { responseHeaders[h.name.lowercased()] = h.value }
        let status = Int(response.status.code)
        let data = Array(bytes.readableBytesView)
        guard (200..<300).contains(status) else {
            // S3 errors are XML: <Error><Code>NoSuchBucket</Code><Message>…</Message></Error>.
            let text = String(decoding: data.prefix(2000), as: UTF8.self)
            func element(_ name: String) -> String? {
                guard let a = text.range(of: "<\(name)>"), let b = text.range(of: "</\(name)>", range: a.upperBound..<text.endIndex) else { return nil }
                return String(text[a.upperBound..<b.lowerBound])
            }
            let detail = [element("Code"), element("Message")].compactMap { $0 }.joined(separator: ": ")
            let what = key.map { "\(method) \($0)" } ?? "\(method) bucket '\(bucket)'"
            throw Failure(status: status, message: "\(what): \(detail.isEmpty ? response.status.reasonPhrase : detail)")
        }
        return (status, responseHeaders, data)
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

    static func parse(_ body: [UInt8]) -> ListParser {
        let p = ListParser()
        let parser = XMLParser(data: Data(body))
        parser.delegate = p
        parser.parse()
        return p
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
