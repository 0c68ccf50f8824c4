/// One API request as the transport sends it.
struct HTTPRequest: Sendable {
    var method: String
    /// Path and query, relative to the server's base path: `/api/v1/namespaces?limit=500`.
    var path: String
    var body: [UInt8]? = nil
    var contentType: String? = nil
    /// Whether sending it twice is harmless (reads, merge patches): then failures after sending may be retried.
    var idempotent: Bool
    /// For messages: `get`, `list`, `create`, ... on what.
    var verb: String
    var resource: String = ""
    var namespace: String? = nil
    var name: String? = nil
}
