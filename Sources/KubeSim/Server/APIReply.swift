import ObjectModel

/// What the connection handler does with a request.
enum APIReply {
    case response(status: Int, headers: [(String, String)], body: [UInt8])
    /// Close the connection without an answer (a fault).
    case drop
    /// Stream watch events until `timeoutSeconds`.
    case watch(WatchRequest)
    /// A `pods/portforward` the API accepted: the connection becomes a WebSocket (see PortForwardUpgrade).
    case portForward(PortForwardTarget)

    static func json(_ status: Int, _ body: [UInt8], _ extra: [(String, String)] = []) -> APIReply {
        .response(status: status, headers: [("Content-Type", "application/json")] + extra, body: body)
    }

    static func error(_ e: StatusError) -> APIReply {
        var headers: [(String, String)] = []
        if let r = e.retryAfter { headers.append(("Retry-After", String(r))) }
        return .json(e.code, e.body.jsonBytes(), headers)
    }

    var status: Int {
        switch self {
        case .response(let s, _, _): return s
        case .drop: return 0
        case .watch: return 200
        case .portForward: return 101
        }
    }
}

/// A watch the connection handler should stream.
struct WatchRequest {
    let type: ResourceType
    let namespace: String?
    let labels: LabelSelector?
    let fields: FieldSelector?
    let sinceResourceVersion: Int?
    let timeoutSeconds: Int
    /// Send each object as a one-row server-side Table (kubectl get -w).
    var table = false
}
