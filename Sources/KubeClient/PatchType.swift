/// How a PATCH body is to be read by the server.
package enum PatchType: Sendable {
    /// JSON merge patch (RFC 7386): `null` deletes a key; maps merge, lists replace.
    case merge
    /// Kubernetes strategic merge patch: lists of named items merge by key.
    case strategic
    /// JSON patch (RFC 6902): a list of operations.
    case json

    package var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .strategic: return "application/strategic-merge-patch+json"
        case .json: return "application/json-patch+json"
        }
    }
}
