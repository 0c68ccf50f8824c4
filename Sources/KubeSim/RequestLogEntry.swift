import ObjectModel

/// One answered request, as the simulator saw it. Never holds credentials or bodies.
public struct RequestLogEntry: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String
    public var contentType: String
    public var user: String
    /// The status code actually sent (0 when the connection was dropped).
    public var status: Int
    public var durationMs: Double
    /// When the request arrived, in milliseconds on the simulator's monotonic clock: requests a
    /// client sent in one round trip arrive together (`bench/run.sh` counts rounds from this).
    public var startMs: Double = 0

    public var json: JSONValue {
        [
            "method": .string(method), "path": .string(path), "query": .string(query),
            "contentType": .string(contentType), "user": .string(user), "status": .int(status),
            "durationMs": .double((durationMs * 1000).rounded() / 1000),
            "startMs": .double((startMs * 1000).rounded() / 1000),
        ]
    }
}
