import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts an IndexNow body (https://www.indexnow.org/documentation) to an endpoint, under the
/// same limits and retries as the uploads.
enum IndexNowPoster {
    static func post(_ body: String, to endpoint: URL, transport: Transport) async throws {
        let operation = "POST IndexNow \(endpoint.absoluteString)"
        _ = try await transport.run(operation, server: endpoint.host ?? endpoint.absoluteString) {
            var r = HTTPClientRequest(url: endpoint.absoluteString)
            r.method = .POST
            r.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            r.body = .bytes(ByteBuffer(string: body))
            let response = try await transport.exchange(r)
            guard (200..<300).contains(response.status) else {
                throw NetworkFailure(operation, .status(response.status, code: nil, message: response.reasonPhrase))
            }
            return response.status
        }
    }
}
