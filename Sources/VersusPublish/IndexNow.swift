import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts an IndexNow body (https://www.indexnow.org/documentation) to an endpoint.
enum IndexNowPoster {
    static func post(_ body: String, to endpoint: URL, http: HTTPClient = .shared) async throws {
        var r = HTTPClientRequest(url: endpoint.absoluteString)
        r.method = .POST
        r.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        r.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(r, timeout: .seconds(30))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Publisher.Refusal(description: "IndexNow endpoint answered \(response.status.code)")
        }
    }
}
